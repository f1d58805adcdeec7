import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { formatPence } from "~/core/money";
import { createDraftBid, listFundsOpenForGroup } from "~/models/bids.server";
import { getGroup } from "~/models/groups.server";
import { requireMemberOf } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Start a bid – Wardfund" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = idParam(params.groupId);
  await requireMemberOf(request, groupId);
  const data = getGroup(groupId);
  if (!data) throw notFound("Group not found");
  return json({ groupId, groupName: data.group.name, funds: listFundsOpenForGroup(groupId) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const groupId = idParam(params.groupId);
  const user = await requireMemberOf(request, groupId);
  const formData = await request.formData();
  const values = formValues(formData);
  const fundId = String(formData.get("fundId") ?? "");
  if (!fundId) return json(failure({ fundId: "Choose the fund to bid to." }, values), { status: 400 });
  return answeringRefusals(
    values,
    () => {
      const bidId = createDraftBid(user, groupId, fundId);
      return redirect(`/bids/${bidId}/edit?step=about`);
    },
    { field: "fundId", notFoundStatus: 404 },
  );
}

export default function StartBid() {
  const { groupId, groupName, funds } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const open = funds.filter((f) => f.refusal === null);
  const closed = funds.filter((f) => f.refusal !== null);
  const error = state?.errors?.fundId;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/groups/${groupId}`}>Back to {groupName}</Link>
      </p>
      <h1>Start a bid</h1>
      <ErrorSummary state={state} labels={{ fundId: "Fund" }} />
      {open.length ? (
        <Form method="post" noValidate>
          <fieldset
            className={`field ${error ? "field-error" : ""}`}
            aria-describedby={error ? "field-fundId-error" : undefined}
          >
            <legend className="font-semibold text-lg">Which fund is {groupName} bidding to?</legend>
            {error ? (
              <p id="field-fundId-error" className="error-message">
                <span className="sr-only">Error: </span>
                {error}
              </p>
            ) : null}
            <div id="field-fundId" tabIndex={-1}>
              {open.map((f, i) => (
                <div key={f.id} className="flex items-start gap-2 py-2">
                  <input
                    type="radio"
                    id={`fund-${i}`}
                    name="fundId"
                    value={f.id}
                    defaultChecked={state?.values?.fundId === f.id || open.length === 1}
                    className="h-5 w-5 mt-1"
                    aria-describedby={`fund-${i}-hint`}
                  />
                  <div>
                    <label htmlFor={`fund-${i}`} className="font-semibold">
                      {f.name}
                    </label>
                    <p id={`fund-${i}-hint`} className="hint">
                      {f.kind === "pb-round" ? "Participatory budgeting: residents vote. " : "Councillor ward budget. "}
                      {f.minPence != null && f.maxPence != null
                        ? `Grants from ${formatPence(f.minPence)} to ${formatPence(f.maxPence)}. `
                        : ""}
                      {f.closesOn ? `Closes ${f.closesOn}.` : ""}
                    </p>
                    {f.criteria ? <p className="hint">{f.criteria}</p> : null}
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
          <SubmitButton>Start the bid</SubmitButton>
        </Form>
      ) : (
        <p>No fund is open to bids from {groupName} at the moment.</p>
      )}
      {closed.length ? (
        <>
          <h2>Funds your group cannot bid to</h2>
          <ul className="list-disc pl-6">
            {closed.map((f) => (
              <li key={f.id}>{f.refusal}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
