import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AuditTable } from "~/components/audit-table";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { decideReversal, getEntryDetail, requestReversal } from "~/models/finance.server";
import { isRefusal } from "~/utils/refusal";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { notFound } from "~/utils/http.server";
import { refusalAnswer } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: t("routes:entry.title", { seq: data?.entry.seq ?? "" }) }) }];
};

const requestSchema = z.object({
  intent: z.literal("request-reversal"),
  reason: z.string().trim().min(5, "routes:entry.errors.reasonShort").max(500, "routes:entry.errors.reasonLong"),
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
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>
        {t("entry.heading", { seq: entry.seq, type: "" })}
        <span translate="no">{entry.type}</span>
      </h1>
      <FinanceNav />
      <ErrorSummary state={state} labels={{ reason: t("entry.reason") }} />
      <dl className="grid max-w-3xl grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">{t("entry.effectiveDate")}</dt>
        <dd>
          {format.date(entry.effectiveDate)} ({entry.fy})
        </dd>
        <dt className="font-semibold">{t("entry.recorded")}</dt>
        <dd>
          {t("entry.recordedBy", { when: format.dateTime(entry.recordedAt), name: "" })}
          <span translate="no">{entry.actorName}</span>
        </dd>
        {entry.externalRef ? (
          <>
            <dt className="font-semibold">{t("entry.reference")}</dt>
            <dd translate="no">{entry.externalRef}</dd>
          </>
        ) : null}
        {entry.reason ? (
          <>
            <dt className="font-semibold">{t("entry.reason")}</dt>
            <dd translate="no">{entry.reason}</dd>
          </>
        ) : null}
        {entry.memo ? (
          <>
            <dt className="font-semibold">{t("entry.memo")}</dt>
            <dd translate="no">{entry.memo}</dd>
          </>
        ) : null}
        {entry.reversesId ? (
          <>
            <dt className="font-semibold">{t("entry.reverses")}</dt>
            <dd>
              <Link to={`/finance/ledger/${entry.reversesId}`}>{t("entry.original")}</Link>
            </dd>
          </>
        ) : null}
        {data.reversedBy ? (
          <>
            <dt className="font-semibold">{t("entry.reversedBy")}</dt>
            <dd>
              <Link to={`/finance/ledger/${data.reversedBy.id}`}>{t("entry.entry", { seq: data.reversedBy.seq })}</Link>
            </dd>
          </>
        ) : null}
        <dt className="font-semibold">{t("entry.hash")}</dt>
        <dd className="break-all">
          <code>{data.hash}</code>
        </dd>
        <dt className="font-semibold">{t("entry.prevHash")}</dt>
        <dd className="break-all">
          <code>{data.prevHash}</code>
        </dd>
      </dl>
      <h2>{t("entry.postings")}</h2>
      <table>
        <caption className="sr-only">{t("entry.postingsCaption", { seq: entry.seq })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("entry.line")}</th>
            <th scope="col">{t("entry.account")}</th>
            <th scope="col" className="text-right">
              {t("entry.debit")}
            </th>
            <th scope="col" className="text-right">
              {t("entry.credit")}
            </th>
          </tr>
        </thead>
        <tbody>
          {postings.map((p) => (
            <tr key={p.lineNo}>
              <td>{p.lineNo}</td>
              <td className="break-all" translate="no">
                {p.account}
              </td>
              <td className="text-right tabular-nums">{p.dc === "D" ? format.money(p.pence) : ""}</td>
              <td className="text-right tabular-nums">{p.dc === "C" ? format.money(p.pence) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("entry.approval")}</h2>
      {data.approval ? (
        <p>
          {t("entry.approvalText", {
            type: data.approval.entryType,
            amount: format.money(data.approval.amountPence),
            requester: data.approval.requesterName,
            approver: data.approval.approverName,
            date: format.date(data.approval.decidedAt),
          })}
          {data.approval.noInterestDeclared ? ` ${t("entry.noInterest")}` : ""}
          {data.approval.note ? (
            <>
              {" "}
              {t("entry.note", { note: "" })}
              <span translate="no">{data.approval.note}</span>
            </>
          ) : null}
          {data.approval.derivedFromId ? ` ${t("entry.derived", { id: data.approval.derivedFromId })}` : ""}
        </p>
      ) : (
        <p>{t("entry.noApproval")}</p>
      )}
      <h2>{t("entry.reversal")}</h2>
      {data.pendingReversal ? (
        <div className="panel">
          <p>{t("entry.asked", { name: data.pendingReversal.requesterName, reason: data.pendingReversal.reason })}</p>
          {data.pendingReversal.requestedBy === data.userId ? (
            <p>{t("entry.another")}</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
              <TextAreaField name="note" label={t("entry.noteLabel")} rows={2} state={state} />
              <SubmitButton name="intent" value="approve-reversal">
                {t("entry.approve")}
              </SubmitButton>{" "}
              <SubmitButton name="intent" value="refuse-reversal" secondary>
                {t("entry.refuse")}
              </SubmitButton>
            </Form>
          )}
        </div>
      ) : canRequest ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="request-reversal" />
          <p>{t("entry.explain")}</p>
          <TextAreaField name="reason" label={t("entry.reasonLabel")} rows={3} state={state} />
          <SubmitButton>{t("entry.ask")}</SubmitButton>
        </Form>
      ) : (
        <p>{entry.type === "REVERSAL" ? t("entry.cannotReverse") : t("entry.alreadyReversed")}</p>
      )}
      <h2>{t("entry.audit")}</h2>
      <AuditTable events={data.audit} />
    </div>
  );
}
