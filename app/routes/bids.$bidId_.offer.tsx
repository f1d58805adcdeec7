import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { TrancheTable } from "~/components/tranche-table";
import { STATUS_LABELS } from "~/core/bids/status";
import { formatPence } from "~/core/money";
import { requireBidMember } from "~/models/bids.server";
import { offerForMember, respondToOffer } from "~/models/offers.server";
import { requireUser } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "Grant offer – Wardfund" }];

const schema = z.object({
  response: z.enum(["accept", "decline"], {
    errorMap: () => ({ message: "Choose whether to accept or decline the offer" }),
  }),
  confirm: z.string().optional(),
  note: z.string().trim().max(1000, "The note must be 1000 characters or fewer").optional().default(""),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  return json(await loadingRefusals(() => offerForMember(user, bidId)));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const formData = await request.formData();
  const form = parseForm(schema, formData);
  if (!form.ok) return json(form, { status: 400 });
  if (form.data.response === "accept" && form.data.confirm !== "yes") {
    return json(
      failure({ confirm: "Confirm that the group agrees to the terms and conditions" }, formValues(formData)),
      { status: 400 },
    );
  }
  return answeringRefusals(formValues(formData), () => {
    respondToOffer(user, { bidId, accept: form.data.response === "accept", note: form.data.note });
    return redirect(`/bids/${bidId}/offer?done=${form.data.response}`);
  });
}

export default function GrantOffer() {
  const { bid, group, offer, instalments, tranches } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const open = !offer.acceptedAt && !offer.declinedAt && (bid.status === "approved" || bid.status === "part-approved");
  return (
    <div className="max-w-3xl">
      <h1>Grant offer: {bid.title}</h1>
      <p className="muted">
        {bid.reference} · {group.name} · {STATUS_LABELS[bid.status]}
      </p>
      {done === "accept" ? (
        <p className="notice" role="status">
          You accepted the offer. The council will pay the grant on the schedule below.
        </p>
      ) : done === "decline" ? (
        <p className="notice" role="status">
          You declined the offer.
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ response: "Your answer", confirm: "Terms", note: "Note" }} />
      <section className="panel" aria-labelledby="offer-terms">
        <h2 id="offer-terms" className="mt-0">
          {formatPence(offer.amountPence)} offered on {formatDate(offer.createdAt)}
        </h2>
        <h3>Terms</h3>
        <p className="whitespace-pre-line">{offer.terms}</p>
        {offer.conditions ? (
          <>
            <h3>Conditions</h3>
            <p className="whitespace-pre-line">{offer.conditions}</p>
          </>
        ) : null}
        {tranches.length > 1 ? (
          <>
            <h3>Each financial year's part</h3>
            <p>
              This grant runs over {tranches.length} financial years (1 April to 31 March). Each year's part is
              committed against that year's ward budget: the council cannot promise a later year's money before it sets
              that year's budget, so a later part is paid only once it is committed.
            </p>
            <TrancheTable tranches={tranches} caption="The grant by financial year" />
          </>
        ) : null}
        <table className="table">
          <caption className="text-left font-semibold">Payment schedule</caption>
          <thead>
            <tr>
              <th scope="col">Instalment</th>
              <th scope="col">Amount</th>
              <th scope="col">Due</th>
              <th scope="col">Financial year</th>
              <th scope="col">Paid</th>
            </tr>
          </thead>
          <tbody>
            {instalments.map((i) => (
              <tr key={i.seq}>
                <td>{i.seq}</td>
                <td>{formatPence(i.amountPence)}</td>
                <td>
                  {formatDate(i.dueOn)}
                  {i.afterMonitoring ? " (after the monitoring report)" : ""}
                </td>
                <td>{i.fy}</td>
                <td>{i.paidAt ? formatDate(i.paidAt) : "Not yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {offer.acceptedAt ? <p>Accepted on {formatDate(offer.acceptedAt)}.</p> : null}
        {offer.declinedAt ? <p>Declined on {formatDate(offer.declinedAt)}.</p> : null}
      </section>
      {open ? (
        <Form method="post" noValidate>
          <h2>Your answer</h2>
          <RadioGroup
            name="response"
            legend="Does the group accept this grant offer?"
            state={state}
            options={[
              { value: "accept", label: "Accept the offer" },
              { value: "decline", label: "Decline the offer" },
            ]}
          />
          <div className={`field ${state?.errors?.confirm ? "field-error" : ""}`}>
            {state?.errors?.confirm ? (
              <p id="field-confirm-error" className="error-message">
                <span className="sr-only">Error: </span>
                {state.errors.confirm}
              </p>
            ) : null}
            <input
              type="checkbox"
              id="field-confirm"
              name="confirm"
              value="yes"
              aria-describedby={state?.errors?.confirm ? "field-confirm-error" : undefined}
            />{" "}
            <label htmlFor="field-confirm">On behalf of {group.name}, I agree to the terms and conditions above</label>
          </div>
          <TextAreaField
            name="note"
            label="Note (optional)"
            hint="If you decline, tell the council why."
            state={state}
            rows={2}
          />
          <SubmitButton>Send answer</SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}
