import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary, TextField, useErrorText } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { QUEUE_TABS, queueHref, queueView, readQueueFilter, type ActionReason } from "~/core/grants/payments-queue";
import { londonDateOf } from "~/core/ledger";
import { pickLocalised, type LocalisedPair } from "~/core/localised";
import { formatPenceAsDecimal, tryParsePounds } from "~/core/money";
import { moneyMessage } from "~/forms/money-message";
import {
  confirmPayment,
  failPayment,
  paymentsQueue,
  raiseClawback,
  receiveClawback,
  requestPayment,
} from "~/models/finance.server";
import { commitTranche, pendingTranches, withdrawTranche } from "~/models/tranches.server";
import { requireRole, type Principal } from "~/utils/auth.server";
import { failure, formValues, parseForm, type FormFailure } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("payments:queue.title");

const pounds = z.string().transform((value, ctx) => {
  const parsed = tryParsePounds(value, { allowZero: false });
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: moneyMessage(parsed.error) });
    return z.NEVER;
  }
  return parsed.pence;
});
const key = z.string().min(10).max(100);
/** A required text field; its errors are catalogue keys payments:queue.errors.<name>Required and <name>TooLong. */
const text = (name: string, max: number) =>
  z.string().trim().min(1, `payments:queue.errors.${name}Required`).max(max, `payments:queue.errors.${name}TooLong`);

const schemas = {
  "request-payment": z.object({ grantId: z.string().min(1), amount: pounds, idempotencyKey: key }),
  "confirm-payment": z.object({
    payRequestEntryId: z.string().min(1),
    paymentRef: text("paymentRef", 100),
    idempotencyKey: key,
  }),
  "fail-payment": z.object({
    payRequestEntryId: z.string().min(1),
    reason: text("failReason", 500),
    idempotencyKey: key,
  }),
  "raise-clawback": z.object({
    grantId: z.string().min(1),
    amount: pounds,
    reason: text("reason", 500),
    invoiceRef: text("invoiceRef", 100),
    idempotencyKey: key,
  }),
  "receive-clawback": z.object({
    grantId: z.string().min(1),
    amount: pounds,
    receiptRef: text("receiptRef", 100),
    idempotencyKey: key,
  }),
  "commit-tranche": z.object({ trancheId: z.coerce.number().int().positive(), idempotencyKey: key }),
  "withdraw-tranche": z.object({
    trancheId: z.coerce.number().int().positive(),
    reason: text("withdrawReason", 500),
    idempotencyKey: key,
  }),
};
type Intent = keyof typeof schemas;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const filter = readQueueFilter(new URL(request.url).searchParams);
  const view = queueView(paymentsQueue(), filter, londonDateOf(new Date()));
  // Later years' parts refused by their budget come first: they need an officer to commit them again.
  const pending = pendingTranches().sort((a, b) => Number(Boolean(b.lastRefusal)) - Number(Boolean(a.lastRefusal)));
  return json({ view, filter: { ...filter, tab: view.tab }, pending, formKey: randomUUID(), userId: user.id });
}

/** Parses the form for one intent and performs it; returns the validation failure, if any. */
function perform(intent: Intent, formData: FormData, user: Principal): FormFailure | null {
  switch (intent) {
    case "request-payment": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      requestPayment(user, {
        grantId: form.data.grantId,
        pence: form.data.amount,
        idempotencyKey: form.data.idempotencyKey,
      });
      return null;
    }
    case "confirm-payment": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      confirmPayment(user, form.data);
      return null;
    }
    case "fail-payment": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      failPayment(user, form.data);
      return null;
    }
    case "raise-clawback": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      raiseClawback(user, { ...form.data, pence: form.data.amount });
      return null;
    }
    case "receive-clawback": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      receiveClawback(user, { ...form.data, pence: form.data.amount });
      return null;
    }
    case "commit-tranche": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      commitTranche(user, form.data);
      return null;
    }
    case "withdraw-tranche": {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return form;
      withdrawTranche(user, form.data);
      return null;
    }
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const target = String(
    formData.get("grantId") ?? formData.get("payRequestEntryId") ?? formData.get("trancheId") ?? "",
  );
  if (!(intent in schemas))
    return json({ ...failure({}, {}, "payments:queue.chooseAction"), intent, target }, { status: 400 });
  const values = formValues(formData);
  const answer = () => {
    const invalid = perform(intent as Intent, formData, user);
    if (invalid) return json({ ...invalid, intent, target }, { status: 400 });
    // Back to the same tab, filters and page.
    const back = new URL(request.url).searchParams;
    back.delete("done");
    back.delete("index");
    back.set("done", intent);
    return redirect(`/finance/payments?${back.toString()}`);
  };
  // A grant, request or tranche that no longer exists is answered on the form, like any other refusal.
  return answeringRefusals(values, answer, { notFoundStatus: 422, extra: { intent, target } });
}

const DONE = [
  "request-payment",
  "confirm-payment",
  "fail-payment",
  "raise-clawback",
  "receive-clawback",
  "commit-tranche",
  "withdraw-tranche",
];

const NEEDS_ACTION_REASONS: readonly ActionReason[] = ["payment-due", "second-officer", "owed-back"];

/** A filter's choice: the English name is the value, the label is in the reader's language where there is one. */
function LocalisedOption({ value, names }: { value: string; names: Record<string, string | null> }) {
  const { i18n } = useTranslation();
  const shown = pickLocalised({ en: value, cy: names[value] ?? null }, i18n.language);
  return (
    <option value={value} lang={shown.language === i18n.language ? undefined : "en-GB"}>
      {shown.text}
    </option>
  );
}

export default function Payments() {
  const { view, filter, pending, formKey, userId } = useLoaderData<typeof loader>();
  const { t } = useTranslation("payments");
  const format = useFormat();
  const errorText = useErrorText();
  const refusedParts = pending.filter((p) => p.lastRefusal).length;
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const stateFor = (intent: Intent, target: string) =>
    state && state.intent === intent && state.target === target ? state : undefined;
  const fundNames = Object.fromEntries(view.grants.map((g) => [g.fundName, g.fundNameCy]));
  const wardNames = Object.fromEntries(view.grants.map((g) => [g.wardName ?? "", g.wardNameCy]));
  const localised = (pair: LocalisedPair) => <LocalisedText value={pair} />;
  const trancheStatus = (tr: { status: string; paid: boolean; fy: string }) =>
    t(`trancheStatus.${tr.paid ? "paid" : tr.status}`, { fy: tr.fy });
  const laterYears = pending.length ? (
    <section className="panel" aria-labelledby="later-years">
      <h2 id="later-years" className="mt-0 text-xl">
        {t("queue.laterYears")}
      </h2>
      <p>{t("queue.laterIntro")}</p>
      <table>
        <caption className="sr-only">{t("queue.laterCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("queue.grant")}</th>
            <th scope="col">{t("queue.year")}</th>
            <th scope="col" className="text-right">
              {t("queue.amount")}
            </th>
            <th scope="col">{t("queue.lastAttempt")}</th>
            <th scope="col">
              <span className="sr-only">{t("queue.action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pending.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/bids/${p.bidId}`} className="underline">
                  {localised({ en: p.title, cy: p.titleCy })}
                </Link>{" "}
                ({p.reference}), <span translate="no">{p.groupName}</span>
              </td>
              <td>{p.fy}</td>
              <td className="text-right tabular-nums">{format.money(p.amountPence)}</td>
              <td>
                {p.lastRefusal
                  ? t("queue.lastRefused", {
                      date: p.lastRefusedAt ? format.date(p.lastRefusedAt) : "",
                      reason: errorText(p.lastRefusal),
                    })
                  : t("queue.notTried")}
              </td>
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="commit-tranche" />
                  <input type="hidden" name="trancheId" value={p.id} />
                  <input type="hidden" name="idempotencyKey" value={`${formKey}:commit-tranche:${p.id}`} />
                  <button type="submit" className="button">
                    {t("queue.commit", { fy: p.fy })}
                    <span className="sr-only">
                      : {pickLocalised({ en: p.title, cy: p.titleCy }, format.language).text}
                    </span>
                  </button>
                </Form>
                <WithdrawPart
                  trancheId={p.id}
                  fy={p.fy}
                  title={pickLocalised({ en: p.title, cy: p.titleCy }, format.language).text}
                  formKey={formKey}
                  state={stateFor("withdraw-tranche", String(p.id))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  ) : null;
  return (
    <div>
      <h1>{t("queue.title")}</h1>
      <FinanceNav />
      {done && !state && DONE.includes(done) ? (
        <p className="notice" role="status">
          {t(`queue.done.${done}`)}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          amount: t("queue.labels.amount"),
          paymentRef: t("queue.labels.paymentRef"),
          reason: t("queue.labels.reason"),
          invoiceRef: t("queue.labels.invoiceRef"),
          receiptRef: t("queue.labels.receiptRef"),
        }}
      />
      <p>{t("queue.twoSteps")}</p>
      <section aria-labelledby="needs-action-heading" className="notice">
        <h2 id="needs-action-heading" className="mt-0 text-xl">
          {t("queue.needsAction")}
        </h2>
        {view.counts["needs-action"] + refusedParts === 0 ? (
          <p className="mb-0">{t("queue.nothingWaiting")}</p>
        ) : (
          <ul className="mb-0 list-disc pl-6">
            {NEEDS_ACTION_REASONS.map((reason) => {
              const count = view.reasonCounts[reason];
              return count ? <li key={reason}>{t(`queue.reasonLine.${reason}`, { count })}</li> : null;
            })}
            {refusedParts ? <li>{t("queue.refusedParts", { count: refusedParts })}</li> : null}
          </ul>
        )}
      </section>
      {view.tab === "needs-action" || view.tab === "all" ? laterYears : null}
      <Form method="get" className="panel flex flex-wrap items-end gap-4" aria-label={t("queue.filter")}>
        <input type="hidden" name="tab" value={filter.tab} />
        <div>
          <label htmlFor="queue-q" className="block font-semibold">
            {t("queue.find")}
          </label>
          <input id="queue-q" name="q" defaultValue={filter.q} className="input" type="search" />
        </div>
        <div>
          <label htmlFor="queue-fund" className="block font-semibold">
            {t("queue.fund")}
          </label>
          <select id="queue-fund" name="fund" defaultValue={filter.fund} className="input">
            <option value="">{t("queue.everyFund")}</option>
            {view.funds.map((f) => (
              <LocalisedOption key={f} value={f} names={fundNames} />
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="queue-ward" className="block font-semibold">
            {t("queue.ward")}
          </label>
          <select id="queue-ward" name="ward" defaultValue={filter.ward} className="input">
            <option value="">{t("queue.everyWard")}</option>
            {view.wards.map((w) => (
              <LocalisedOption key={w} value={w} names={wardNames} />
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("queue.show")}
        </button>
        {filter.q || filter.fund || filter.ward ? (
          <Link to={queueHref({ tab: filter.tab })}>{t("queue.clear")}</Link>
        ) : null}
      </Form>
      <nav aria-label={t("queue.tabsLabel")} className="queue-tabs">
        <ul>
          {QUEUE_TABS.map((tab) => (
            <li key={tab}>
              <Link to={queueHref({ ...filter, tab, page: 1 })} aria-current={tab === view.tab ? "page" : undefined}>
                {t("queue.tabCount", { tab: t(`queue.tabs.${tab}`), count: view.counts[tab] })}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h2 className="text-xl" id="grants-heading">
        {t("queue.heading", { tab: t(`queue.tabs.${view.tab}`), count: view.total })}
        {view.pages > 1 ? t("queue.pageOf", { page: view.page, pages: view.pages }) : ""}
      </h2>
      {view.total === 0 ? <p>{t("queue.noMatch")}</p> : null}
      {view.grants.map((g) => (
        <section key={g.grantId} className="panel" aria-labelledby={`grant-${g.grantId}`}>
          <h2 id={`grant-${g.grantId}`} className="mt-0 text-xl">
            {localised({ en: g.title, cy: g.titleCy })}
            {g.parentGrantId ? t("queue.partOf", { fy: g.fy }) : ""}
          </h2>
          <p className="muted">
            <span translate="no">{g.groupName}</span> ·{" "}
            {g.wardName ? localised({ en: g.wardName, cy: g.wardNameCy }) : t("queue.wholeArea")} ·{" "}
            {localised({ en: g.fundName, cy: g.fundNameCy })} · {t("queue.grantId", { id: g.grantId })}
          </p>
          {g.reasons.length ? (
            <p className="queue-reasons">
              <span className="sr-only">{t("queue.needsActionPrefix")}</span>
              {g.reasons.map((r) => (
                <strong key={r} className="tag">
                  {t(`queue.reasonTag.${r}`)}
                </strong>
              ))}
            </p>
          ) : null}
          <p>
            <Trans
              t={t}
              i18nKey="queue.payTo"
              values={{ account: g.bankAccount ?? t("queue.noBank") }}
              components={{ name: g.bankAccount ? <span translate="no" /> : <span /> }}
            />
            {g.groupVerifiedAt ? "" : t("queue.notVerified")}
          </p>
          <p>
            <Trans
              t={t}
              i18nKey="queue.balances"
              values={{
                committed: format.money(g.committed),
                payable: format.money(g.payable),
                paid: format.money(g.paid),
              }}
              components={{ strong: <strong /> }}
            />
            {g.recoverable ? (
              <Trans
                t={t}
                i18nKey="queue.owedBack"
                values={{ recoverable: format.money(g.recoverable) }}
                components={{ strong: <strong /> }}
              />
            ) : null}
          </p>
          {g.instalments.length ? (
            <ul className="list-disc pl-6">
              {g.instalments.map((i) => (
                <li key={i.seq}>
                  {t("queue.instalment", {
                    seq: i.seq,
                    amount: format.money(i.amountPence),
                    date: format.date(i.dueOn),
                    fy: i.fy,
                  })}
                  {i.requested ? t("queue.requested") : ""}
                  {i.waitingForMonitoring ? t("queue.waitsForMonitoring") : ""}
                </li>
              ))}
            </ul>
          ) : null}
          {g.tranches.length ? (
            <>
              <p className="mb-1">{t("queue.years", { count: g.tranches.length })}</p>
              <ul className="list-disc pl-6">
                {g.tranches.map((tr) => (
                  <li key={tr.fy}>
                    {t("queue.yearLine", {
                      fy: tr.fy,
                      amount: format.money(tr.amountPence),
                      status: trancheStatus(tr),
                    })}
                    {tr.thisGrant ? t("queue.thisGrant") : tr.grantId ? t("queue.otherGrant", { id: tr.grantId }) : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {g.tranches.some((tr) => tr.thisGrant && tr.id !== null) && g.committed > 0 && g.payable === 0 ? (
            <WithdrawPart
              trancheId={g.tranches.find((tr) => tr.thisGrant)!.id!}
              fy={g.fy}
              title={pickLocalised({ en: g.title, cy: g.titleCy }, format.language).text}
              formKey={formKey}
              state={stateFor("withdraw-tranche", String(g.tranches.find((tr) => tr.thisGrant)!.id))}
            />
          ) : null}
          {g.offerPending ? <p className="muted">{t("queue.offerPending")}</p> : null}
          {g.monitoring ? (
            <p>
              {g.paid > g.monitoring.spentPence
                ? t("queue.monitoringUnspent", {
                    date: format.date(g.monitoring.submittedAt),
                    spent: format.money(g.monitoring.spentPence),
                    unspent: format.money(g.paid - g.monitoring.spentPence),
                  })
                : t("queue.monitoring", {
                    date: format.date(g.monitoring.submittedAt),
                    spent: format.money(g.monitoring.spentPence),
                  })}
            </p>
          ) : null}
          {g.committed > 0 && !g.offerPending ? (
            <ActionForm
              intent="request-payment"
              target={g.grantId}
              formKey={formKey}
              state={stateFor("request-payment", g.grantId)}
              submit={t("queue.requestPayment")}
              hidden={{ grantId: g.grantId }}
            >
              <Field
                name="amount"
                label={t("queue.amountToPay")}
                defaultValue={formatPenceAsDecimal(
                  g.instalments.find((i) => !i.requested && !i.waitingForMonitoring)?.amountPence ?? g.committed,
                )}
                state={stateFor("request-payment", g.grantId)}
                idPrefix={`req-${g.grantId}`}
              />
            </ActionForm>
          ) : null}
          {g.openRequests.map((r) => (
            <div key={r.entryId} className="mt-3 border-t border-gray-300 pt-3">
              <p>
                {t("queue.requestedBy", {
                  amount: format.money(r.pence),
                  date: format.date(r.date),
                  name: r.requesterName ?? t("queue.aFinanceOfficer"),
                })}
              </p>
              {r.requesterId === userId ? (
                <p className="muted">{t("queue.otherMustConfirm")}</p>
              ) : (
                <div className="grid gap-4 md:grid-cols-2">
                  <ActionForm
                    intent="confirm-payment"
                    target={r.entryId}
                    formKey={formKey}
                    state={stateFor("confirm-payment", r.entryId)}
                    submit={t("queue.confirm")}
                    hidden={{ payRequestEntryId: r.entryId }}
                  >
                    <Field
                      name="paymentRef"
                      label={t("queue.paymentRef")}
                      state={stateFor("confirm-payment", r.entryId)}
                      idPrefix={`conf-${r.entryId}`}
                    />
                  </ActionForm>
                  <ActionForm
                    intent="fail-payment"
                    target={r.entryId}
                    formKey={formKey}
                    state={stateFor("fail-payment", r.entryId)}
                    submit={t("queue.fail")}
                    secondary
                    hidden={{ payRequestEntryId: r.entryId }}
                  >
                    <Field
                      name="reason"
                      label={t("queue.whyFailed")}
                      state={stateFor("fail-payment", r.entryId)}
                      idPrefix={`fail-${r.entryId}`}
                    />
                  </ActionForm>
                </div>
              )}
            </div>
          ))}
          {g.paid > 0 ? (
            <details className="mt-3">
              <summary className="cursor-pointer underline">{t("queue.raise")}</summary>
              <ActionForm
                intent="raise-clawback"
                target={g.grantId}
                formKey={formKey}
                state={stateFor("raise-clawback", g.grantId)}
                submit={t("queue.raiseSubmit")}
                hidden={{ grantId: g.grantId }}
              >
                <Field
                  name="amount"
                  label={t("queue.amountToRecover")}
                  state={stateFor("raise-clawback", g.grantId)}
                  idPrefix={`claw-${g.grantId}`}
                />
                <Field
                  name="reason"
                  label={t("queue.reason")}
                  state={stateFor("raise-clawback", g.grantId)}
                  idPrefix={`claw-${g.grantId}`}
                />
                <Field
                  name="invoiceRef"
                  label={t("queue.invoiceRef")}
                  state={stateFor("raise-clawback", g.grantId)}
                  idPrefix={`claw-${g.grantId}`}
                />
              </ActionForm>
            </details>
          ) : null}
          {g.recoverable > 0 ? (
            <ActionForm
              intent="receive-clawback"
              target={g.grantId}
              formKey={formKey}
              state={stateFor("receive-clawback", g.grantId)}
              submit={t("queue.receive")}
              hidden={{ grantId: g.grantId }}
            >
              <Field
                name="amount"
                label={t("queue.amountReceived")}
                defaultValue={formatPenceAsDecimal(g.recoverable)}
                state={stateFor("receive-clawback", g.grantId)}
                idPrefix={`recv-${g.grantId}`}
              />
              <Field
                name="receiptRef"
                label={t("queue.receiptRef")}
                state={stateFor("receive-clawback", g.grantId)}
                idPrefix={`recv-${g.grantId}`}
              />
            </ActionForm>
          ) : null}
        </section>
      ))}
      {view.pages > 1 ? (
        <nav aria-label={t("queue.pages")} className="queue-pages">
          {view.page > 1 ? (
            <Link to={queueHref({ ...filter, page: view.page - 1 })} rel="prev">
              {t("queue.previous")}
            </Link>
          ) : null}
          <ul>
            {Array.from({ length: view.pages }, (_, n) => n + 1).map((n) => (
              <li key={n}>
                <Link
                  to={queueHref({ ...filter, page: n })}
                  aria-current={n === view.page ? "page" : undefined}
                  aria-label={t("queue.page", { page: n })}
                >
                  {n}
                </Link>
              </li>
            ))}
          </ul>
          {view.page < view.pages ? (
            <Link to={queueHref({ ...filter, page: view.page + 1 })} rel="next">
              {t("queue.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

type FieldState = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

/** Withdraws one financial year's part of a multi-year grant (cancelled if pending, decommitted if committed). */
function WithdrawPart({
  trancheId,
  fy,
  title,
  formKey,
  state,
}: {
  trancheId: number;
  fy: string;
  title: string;
  formKey: string;
  state: FieldState;
}) {
  const { t } = useTranslation("payments");
  return (
    <details className="mt-2" open={Boolean(state)}>
      <summary className="cursor-pointer underline">
        {t("queue.withdrawPart", { fy })}
        <span className="sr-only">{t("queue.ofTitle", { title })}</span>
      </summary>
      <ActionForm
        intent="withdraw-tranche"
        target={String(trancheId)}
        formKey={formKey}
        state={state}
        submit={t("queue.withdrawPart", { fy })}
        secondary
        hidden={{ trancheId: String(trancheId) }}
      >
        <Field name="reason" label={t("queue.whyWithdrawn")} state={state} idPrefix={`withdraw-${trancheId}`} />
      </ActionForm>
    </details>
  );
}

function ActionForm({
  intent,
  target,
  formKey,
  submit,
  hidden,
  secondary,
  children,
}: {
  intent: Intent;
  target: string;
  formKey: string;
  state: FieldState;
  submit: string;
  hidden: Record<string, string>;
  secondary?: boolean;
  children: React.ReactNode;
}) {
  return (
    <Form method="post" noValidate className="mt-2">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="idempotencyKey" value={`${formKey}:${intent}:${target}`} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <button type="submit" className={secondary ? "button button-secondary" : "button"}>
        {submit}
      </button>
    </Form>
  );
}

/** A field of one of the page's many small forms: ids are unique per form until that form has errors. */
function Field({
  name,
  label,
  defaultValue,
  state,
  idPrefix,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  state: FieldState;
  idPrefix: string;
}) {
  return (
    <TextField
      name={name}
      id={state ? `field-${name}` : `${idPrefix}-${name}`}
      label={label}
      defaultValue={defaultValue}
      state={state}
    />
  );
}
