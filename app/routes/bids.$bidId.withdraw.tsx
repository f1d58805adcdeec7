import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, TextAreaField } from "~/components/forms";
import { STATUS_LABELS } from "~/core/bids";
import { canWithdraw, requireBidMember, withdrawBid } from "~/models/bids.server";
import { requireUser } from "~/utils/auth.server";
import { formValues } from "~/utils/form";
import { idParam } from "~/utils/http.server";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Withdraw ${data.reference} – Wardfund` : "Withdraw a bid – Wardfund" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  const { bid, terms } = await loadingRefusals(() => requireBidMember(user, bidId));
  return json({
    bidId,
    reference: bid.reference,
    title: bid.title,
    status: bid.status,
    allowed: canWithdraw(terms.kind, bid.status),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const formData = await request.formData();
  const values = formValues(formData);
  return answeringRefusals(values, () => {
    withdrawBid(user, bidId, String(formData.get("reason") ?? ""));
    return redirect(`/bids/${bidId}?withdrawn=1`);
  });
}

export default function WithdrawBid() {
  const { bidId, reference, title, status, allowed } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/bids/${bidId}`}>Back to the bid</Link>
      </p>
      <h1>Withdraw {reference}</h1>
      <p>{title || "Untitled bid"}</p>
      <ErrorSummary state={state} labels={{ reason: "Reason" }} />
      {allowed ? (
        <Form method="post" noValidate>
          <p>
            Withdrawing ends the bid: the councillors will not decide it and no money will be paid. This cannot be
            undone; the group can start a new bid.
          </p>
          <TextAreaField
            name="reason"
            label="Why is the group withdrawing the bid?"
            hint="The council keeps this reason with the bid."
            rows={4}
            state={state}
          />
          <button type="submit" className="button button-warning">
            Withdraw the bid
          </button>
        </Form>
      ) : (
        <p>A bid that is {STATUS_LABELS[status].toLowerCase()} cannot be withdrawn.</p>
      )}
    </div>
  );
}
