import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AuditTable } from "~/components/audit-table";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { formatPence } from "~/core/money";
import { decideReversal, getEntryDetail, requestReversal } from "~/models/finance.server";
import { isRefusal } from "~/utils/refusal";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { notFound } from "~/utils/http.server";
import { refusalAnswer } from "~/utils/refusal.server";
import { formatDate, formatDateTime } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Ledger entry ${data?.entry.seq ?? ""} – Wardfund` },
];

const requestSchema = z.object({
  intent: z.literal("request-reversal"),
  reason: z
    .string()
    .trim()
    .min(5, "Give the reason for the reversal (at least 5 characters)")
    .max(500, "Reason must be 500 characters or fewer"),
});
const decideSchema = z.object({
  intent: z.enum(["approve-reversal", "refuse-reversal"]),
  idempotencyKey: z.string().min(10).max(100),
  note: z.string().trim().max(500).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const detail = getEntryDetail(params.entryId ?? "");
  if (!detail) throw notFound("Entry not found");
  return json({ ...detail, userId: user.id, idempotencyKey: randomUUID() });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const entryId = params.entryId ?? "";
  if (!getEntryDetail(entryId)) throw notFound("Entry not found");
  const formData = await request.formData();
  try {
    if (formData.get("intent") === "request-reversal") {
      const form = parseForm(requestSchema, formData);
      if (!form.ok) return json(form, { status: 400 });
      requestReversal(user, { entryId, reason: form.data.reason });
      return redirect(`/finance/ledger/${entryId}?reversal=requested`);
    }
    const form = parseForm(decideSchema, formData);
    if (!form.ok) return json(form, { status: 400 });
    const posted = decideReversal(user, {
      entryId,
      approve: form.data.intent === "approve-reversal",
      idempotencyKey: form.data.idempotencyKey,
      note: form.data.note,
    });
    return redirect(
      posted ? `/finance/ledger/${posted.entryId}?reversal=posted` : `/finance/ledger/${entryId}?reversal=refused`,
    );
  } catch (error) {
    if (isRefusal(error)) return refusalAnswer(error, {}, { field: "reason" });
    throw error;
  }
}

export default function EntryDetail() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { entry, postings } = data;
  const canRequest = entry.type !== "REVERSAL" && !data.reversedBy && !data.pendingReversal;
  return (
    <div>
      <h1>
        Ledger entry {entry.seq}: {entry.type}
      </h1>
      <FinanceNav />
      <ErrorSummary state={state} labels={{ reason: "Reason" }} />
      <dl className="grid max-w-3xl grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Effective date</dt>
        <dd>
          {formatDate(entry.effectiveDate)} ({entry.fy})
        </dd>
        <dt className="font-semibold">Recorded</dt>
        <dd>
          {formatDateTime(entry.recordedAt)} by {entry.actorName}
        </dd>
        {entry.externalRef ? (
          <>
            <dt className="font-semibold">Reference</dt>
            <dd>{entry.externalRef}</dd>
          </>
        ) : null}
        {entry.reason ? (
          <>
            <dt className="font-semibold">Reason</dt>
            <dd>{entry.reason}</dd>
          </>
        ) : null}
        {entry.memo ? (
          <>
            <dt className="font-semibold">Memo</dt>
            <dd>{entry.memo}</dd>
          </>
        ) : null}
        {entry.reversesId ? (
          <>
            <dt className="font-semibold">Reverses</dt>
            <dd>
              <Link to={`/finance/ledger/${entry.reversesId}`}>the original entry</Link>
            </dd>
          </>
        ) : null}
        {data.reversedBy ? (
          <>
            <dt className="font-semibold">Reversed by</dt>
            <dd>
              <Link to={`/finance/ledger/${data.reversedBy.id}`}>entry {data.reversedBy.seq}</Link>
            </dd>
          </>
        ) : null}
        <dt className="font-semibold">Hash</dt>
        <dd className="break-all">
          <code>{data.hash}</code>
        </dd>
        <dt className="font-semibold">Previous hash</dt>
        <dd className="break-all">
          <code>{data.prevHash}</code>
        </dd>
      </dl>
      <h2>Postings</h2>
      <table>
        <caption className="sr-only">Postings of entry {entry.seq}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Account</th>
            <th scope="col" className="text-right">
              Debit
            </th>
            <th scope="col" className="text-right">
              Credit
            </th>
          </tr>
        </thead>
        <tbody>
          {postings.map((p) => (
            <tr key={p.lineNo}>
              <td>{p.lineNo}</td>
              <td className="break-all">{p.account}</td>
              <td className="text-right tabular-nums">{p.dc === "D" ? formatPence(p.pence) : ""}</td>
              <td className="text-right tabular-nums">{p.dc === "C" ? formatPence(p.pence) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Approval</h2>
      {data.approval ? (
        <p>
          {data.approval.entryType} of {formatPence(data.approval.amountPence)} requested by{" "}
          {data.approval.requesterName}, approved by {data.approval.approverName} on{" "}
          {formatDate(data.approval.decidedAt)}
          {data.approval.noInterestDeclared ? ", who declared no interest" : ""}.
          {data.approval.note ? ` Note: ${data.approval.note}` : ""}
          {data.approval.derivedFromId
            ? ` It carries out decision ${data.approval.derivedFromId}: this is a later financial year's part of that grant, committed once that year's budget was set.`
            : ""}
        </p>
      ) : (
        <p>This entry type needs no approval record.</p>
      )}
      <h2>Reversal</h2>
      {data.pendingReversal ? (
        <div className="panel">
          <p>
            {data.pendingReversal.requesterName} asked for this entry to be reversed: “{data.pendingReversal.reason}”.
          </p>
          {data.pendingReversal.requestedBy === data.userId ? (
            <p>Another finance officer or an administrator must approve it.</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
              <TextAreaField name="note" label="Note (optional)" rows={2} state={state} />
              <SubmitButton name="intent" value="approve-reversal">
                Approve and post the reversal
              </SubmitButton>{" "}
              <SubmitButton name="intent" value="refuse-reversal" secondary>
                Refuse
              </SubmitButton>
            </Form>
          )}
        </div>
      ) : canRequest ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="request-reversal" />
          <p>
            A reversal posts the exact mirror of this entry. It is for recording errors only, and a second person must
            approve it.
          </p>
          <TextAreaField name="reason" label="Reason for the reversal" rows={3} state={state} />
          <SubmitButton>Ask for a reversal</SubmitButton>
        </Form>
      ) : (
        <p>{entry.type === "REVERSAL" ? "A reversal cannot itself be reversed." : "This entry has been reversed."}</p>
      )}
      <h2>Audit trail</h2>
      <AuditTable events={data.audit} />
    </div>
  );
}
