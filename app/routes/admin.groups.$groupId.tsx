import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { getGroup, verifyGroup } from "~/models/groups.server";
import { listAuditEvents } from "~/models/audit.server";
import { AuditTable } from "~/components/audit-table";
import { ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? "Group"} – Wardfund` }];

const schema = z.object({
  evidence: z.string().trim().min(10, "Say what you checked, for example the constitution, accounts and a bank statement (at least 10 characters)").max(1000),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const groupId = idParam(params.groupId);
  const data = getGroup(groupId);
  if (!data) throw notFound("Group not found");
  return json({ ...data, typeLabel: ORGANISATION_TYPE_LABELS[data.group.organisationType], audit: listAuditEvents({ entityType: "group", entityId: String(groupId) }) });
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
      verifyGroup(user, groupId, form.data.evidence);
      return redirect(`/admin/groups/${groupId}?verified=1`);
    },
    { field: "evidence" },
  );
}

export default function AdminGroup() {
  const { group, members, bank, typeLabel, audit } = useLoaderData<typeof loader>();
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
      <ErrorSummary state={state} labels={{ evidence: "Evidence checked" }} />
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
        <dd>{bank ? `${bank.accountName}, ${bank.sortCode}, ${bank.accountNumber}` : "Not given"}</dd>
        <dt className="font-semibold">Verified</dt>
        <dd>{group.verifiedAt ? `${group.verifiedAt.slice(0, 10)}: ${group.verificationNote ?? ""}` : "Not yet"}</dd>
      </dl>
      {group.verifiedAt ? null : (
        <>
          <h2>Verify the group</h2>
          <Form method="post" noValidate>
            <TextAreaField name="evidence" label="Evidence checked" hint="What you saw: governing document, latest accounts, a bank statement in the group's name, the register entry." rows={3} state={state} />
            <SubmitButton>Verify the group</SubmitButton>
          </Form>
        </>
      )}
      <h2>History</h2>
      <AuditTable events={audit} />
    </div>
  );
}
