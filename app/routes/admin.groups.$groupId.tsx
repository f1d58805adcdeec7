import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { getGroup, verifyGroup } from "~/models/groups.server";
import { listAuditEvents } from "~/models/audit.server";
import { AuditTable } from "~/components/audit-table";
import { ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? "Group"} – Wardfund` }];

const schema = z.object({
  bankDetailsId: z.coerce
    .number()
    .int()
    .positive("The form did not say which bank details you checked: reload the page"),
  evidence: z
    .string()
    .trim()
    .min(
      10,
      "Say what you checked, for example the constitution, accounts and a bank statement (at least 10 characters)",
    )
    .max(1000),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const groupId = idParam(params.groupId);
  const data = getGroup(groupId);
  if (!data) throw notFound("Group not found");
  return json({
    ...data,
    typeLabel: ORGANISATION_TYPE_LABELS[data.group.organisationType],
    audit: listAuditEvents({ entityType: "group", entityId: String(groupId) }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const groupId = idParam(params.groupId);
  if (!getGroup(groupId)) throw notFound("Group not found");
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(
    form.values,
    () => {
      verifyGroup(user, groupId, form.data.evidence, form.data.bankDetailsId);
      return redirect(`/admin/groups/${groupId}?verified=1`);
    },
    { field: "evidence" },
  );
}

/**
 * A refused verification (409: the bank details changed during the review) reloads the page's data, so
 * the administrator sees the new details and the form carries the new version's id.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export default function AdminGroup() {
  const { group, members, bank, verification, typeLabel, audit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="max-w-3xl">
      <h1>{group.name}</h1>
      {params.has("verified") && !state ? (
        <p className="notice" role="status">
          Group verified.
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ evidence: "Evidence checked", bankDetailsId: "Bank details checked" }} />
      <dl className="grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Kind</dt>
        <dd>{typeLabel}</dd>
        <dt className="font-semibold">Charity number</dt>
        <dd>{group.charityNumber ?? "None"}</dd>
        <dt className="font-semibold">Company number</dt>
        <dd>{group.companyNumber ?? "None"}</dd>
        <dt className="font-semibold">Address</dt>
        <dd>
          {group.address}, {group.postcode}
        </dd>
        <dt className="font-semibold">Contact</dt>
        <dd>
          {group.contactEmail}
          {group.contactPhone ? `, ${group.contactPhone}` : ""}
        </dd>
        <dt className="font-semibold">Members</dt>
        <dd>{members.map((m) => `${m.name}${m.memberRole === "lead" ? " (lead)" : ""}`).join(", ")}</dd>
        <dt className="font-semibold">Bank account</dt>
        <dd>
          {bank ? (
            <>
              Version {bank.version}: {bank.accountName}, {bank.sortCode}, {bank.accountNumber}
              <br />
              <span className="muted">
                Entered on {formatDate(bank.enteredAt)}
                {bank.enteredByName ? ` by ${bank.enteredByName}` : ""}
              </span>
            </>
          ) : (
            "Not given"
          )}
        </dd>
        <dt className="font-semibold">Verified</dt>
        <dd data-testid="verification">
          {verification ? (
            <>
              Version {verification.version} of the bank details, on {formatDate(verification.verifiedAt)}
              {verification.verifiedByName ? ` by ${verification.verifiedByName}` : ""}
              {verification.note ? `: ${verification.note}` : ""}
            </>
          ) : bank ? (
            <strong>Not verified: version {bank.version} of the bank details has not been checked</strong>
          ) : (
            "Not yet"
          )}
        </dd>
      </dl>
      {bank ? null : <p>The group has not given its bank details yet, so it cannot be verified.</p>}
      {verification || !bank ? null : (
        <>
          <h2>Verify the group</h2>
          <p>
            You are verifying version {bank.version} of the group's bank details. If they change before you submit, you
            will be asked to check the new ones.
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name="bankDetailsId" value={bank.id} />
            <TextAreaField
              name="evidence"
              label="Evidence checked"
              hint="What you saw: governing document, latest accounts, a bank statement in the group's name, the register entry."
              rows={3}
              state={state}
            />
            <SubmitButton>Verify the group</SubmitButton>
          </Form>
        </>
      )}
      <h2>History</h2>
      <AuditTable events={audit} />
    </div>
  );
}
