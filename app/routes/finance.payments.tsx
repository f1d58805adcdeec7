import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary, TextField } from "~/components/forms";
import {
  QUEUE_TAB_LABELS,
  QUEUE_TABS,
  queueHref,
  queueView,
  readQueueFilter,
  type ActionReason,
} from "~/core/grants/payments-queue";
import { londonDateOf } from "~/core/ledger";
import { formatPence, formatPenceAsDecimal, tryParsePounds } from "~/core/money";
import { formatRoundDate } from "~/core/rounds/gallery";
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

export const meta: MetaFunction = () => [{ title: "Payments and clawbacks – Wardfund" }];

const pounds = z.string().transform((value, ctx) => {
  const parsed = tryParsePounds(value, { allowZero: false });
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.error.userMessage });
    return z.NEVER;
  }
  return parsed.pence;
});
const key = z.string().min(10).max(100);
const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`);

const schemas = {
  "request-payment": z.object({ grantId: z.string().min(1), amount: pounds, idempotencyKey: key }),
  "confirm-payment": z.object({
    payRequestEntryId: z.string().min(1),
    paymentRef: text("the finance-system payment reference", 100),
    idempotencyKey: key,
  }),
  "fail-payment": z.object({
    payRequestEntryId: z.string().min(1),
    reason: text("why the payment failed", 500),
    idempotencyKey: key,
  }),
  "raise-clawback": z.object({
    grantId: z.string().min(1),
    amount: pounds,
    reason: text("the reason", 500),
    invoiceRef: text("the debtor invoice reference", 100),
    idempotencyKey: key,
  }),
  "receive-clawback": z.object({
    grantId: z.string().min(1),
    amount: pounds,
    receiptRef: text("the receipt reference", 100),
    idempotencyKey: key,
  }),
  "commit-tranche": z.object({ trancheId: z.coerce.number().int().positive(), idempotencyKey: key }),
  "withdraw-tranche": z.object({
    trancheId: z.coerce.number().int().positive(),
    reason: text("why this part is withdrawn", 500),
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
  if (!(intent in schemas)) return json({ ...failure({}, {}, "Choose an action."), intent, target }, { status: 400 });
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

const DONE: Record<string, string> = {
  "request-payment": "Payment requested.",
  "confirm-payment": "Payment confirmed.",
  "fail-payment": "Failed payment recorded; the money is committed to the grant again.",
  "raise-clawback": "Clawback raised.",
  "receive-clawback": "Clawback received and returned to the ward budget.",
  "commit-tranche": "Committed against that year's ward budget. It can be paid once its instalment is due.",
  "withdraw-tranche": "That year's part of the grant is withdrawn; any unpaid money is back in its budget.",
};

const NEEDS_ACTION_LINES: [ActionReason, string, string][] = [
  ["payment-due", "1 grant has an instalment due to be paid", "{n} grants have an instalment due to be paid"],
  [
    "second-officer",
    "1 grant has a payment waiting for a second officer to confirm it",
    "{n} grants have payments waiting for a second officer to confirm them",
  ],
  ["owed-back", "1 grant has money owed back", "{n} grants have money owed back"],
];

const REASON_TAGS: Record<ActionReason, string> = {
  "payment-due": "Instalment due",
  "second-officer": "Waiting for a second officer",
  "owed-back": "Money owed back",
};

export default function Payments() {
  const { view, filter, pending, formKey, userId } = useLoaderData<typeof loader>();
  const refusedParts = pending.filter((p) => p.lastRefusal).length;
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const stateFor = (intent: Intent, target: string) =>
    state && state.intent === intent && state.target === target ? state : undefined;
  const laterYears = pending.length ? (
    <section className="panel" aria-labelledby="later-years">
      <h2 id="later-years" className="mt-0 text-xl">
        Later years' parts of grants, waiting for their budget
      </h2>
      <p>
        A grant that runs over several financial years is committed one year at a time. These parts are committed
        against their year's ward budget when that year's budgets are set; if the budget could not cover one then,
        commit it here once it can (after a budget increase, for example). Each is committed under the councillor's
        original approval.
      </p>
      <table>
        <caption className="sr-only">Parts of grants waiting for a later year's budget</caption>
        <thead>
          <tr>
            <th scope="col">Grant</th>
            <th scope="col">Year</th>
            <th scope="col" className="text-right">
              Amount
            </th>
            <th scope="col">Last attempt</th>
            <th scope="col">
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {pending.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/bids/${p.bidId}`} className="underline">
                  {p.title}
                </Link>{" "}
                ({p.reference}), {p.groupName}
              </td>
              <td>{p.fy}</td>
              <td className="text-right tabular-nums">{formatPence(p.amountPence)}</td>
              <td>
                {p.lastRefusal
                  ? `${p.lastRefusedAt?.slice(0, 10)}: ${p.lastRefusal}`
                  : "Not tried yet: waiting for the year's budgets to be set"}
              </td>
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="commit-tranche" />
                  <input type="hidden" name="trancheId" value={p.id} />
                  <input type="hidden" name="idempotencyKey" value={`${formKey}:commit-tranche:${p.id}`} />
                  <button type="submit" className="button">
                    Commit against the {p.fy} budget<span className="sr-only">: {p.title}</span>
                  </button>
                </Form>
                <WithdrawPart
                  trancheId={p.id}
                  fy={p.fy}
                  title={p.title}
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
      <h1>Payments and clawbacks</h1>
      <FinanceNav />
      {done && !state && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          amount: "Amount",
          paymentRef: "Payment reference",
          reason: "Reason",
          invoiceRef: "Invoice reference",
          receiptRef: "Receipt reference",
        }}
      />
      <p>
        Payments are made in two steps by two people: one finance officer requests the payment, another confirms it with
        the finance-system reference.
      </p>
      <section aria-labelledby="needs-action-heading" className="notice">
        <h2 id="needs-action-heading" className="mt-0 text-xl">
          Needs action
        </h2>
        {view.counts["needs-action"] + refusedParts === 0 ? (
          <p className="mb-0">Nothing is waiting for a finance officer.</p>
        ) : (
          <ul className="mb-0 list-disc pl-6">
            {NEEDS_ACTION_LINES.map(([reason, one, many]) => {
              const n = view.reasonCounts[reason];
              return n ? <li key={reason}>{n === 1 ? one : many.replace("{n}", String(n))}</li> : null;
            })}
            {refusedParts ? (
              <li>
                {refusedParts === 1
                  ? "1 later year's part of a grant was refused by its budget"
                  : `${refusedParts} later years' parts of grants were refused by their budgets`}
              </li>
            ) : null}
          </ul>
        )}
      </section>
      {view.tab === "needs-action" || view.tab === "all" ? laterYears : null}
      <Form method="get" className="panel flex flex-wrap items-end gap-4" aria-label="Filter grants">
        <input type="hidden" name="tab" value={filter.tab} />
        <div>
          <label htmlFor="queue-q" className="block font-semibold">
            Find a grant
          </label>
          <input id="queue-q" name="q" defaultValue={filter.q} className="input" type="search" />
        </div>
        <div>
          <label htmlFor="queue-fund" className="block font-semibold">
            Fund
          </label>
          <select id="queue-fund" name="fund" defaultValue={filter.fund} className="input">
            <option value="">Every fund</option>
            {view.funds.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="queue-ward" className="block font-semibold">
            Ward
          </label>
          <select id="queue-ward" name="ward" defaultValue={filter.ward} className="input">
            <option value="">Every ward</option>
            {view.wards.map((w) => (
              <option key={w}>{w}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Show grants
        </button>
        {filter.q || filter.fund || filter.ward ? (
          <Link to={queueHref({ tab: filter.tab })}>Clear the filters</Link>
        ) : null}
      </Form>
      <nav aria-label="Grants by where they stand" className="queue-tabs">
        <ul>
          {QUEUE_TABS.map((t) => (
            <li key={t}>
              <Link to={queueHref({ ...filter, tab: t, page: 1 })} aria-current={t === view.tab ? "page" : undefined}>
                {QUEUE_TAB_LABELS[t]} ({view.counts[t]})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h2 className="text-xl" id="grants-heading">
        {QUEUE_TAB_LABELS[view.tab]}:{" "}
        {view.total === 0 ? "no grants" : `${view.total} grant${view.total === 1 ? "" : "s"}`}
        {view.pages > 1 ? `, page ${view.page} of ${view.pages}` : ""}
      </h2>
      {view.total === 0 ? <p>No grants match.</p> : null}
      {view.grants.map((g) => (
        <section key={g.grantId} className="panel" aria-labelledby={`grant-${g.grantId}`}>
          <h2 id={`grant-${g.grantId}`} className="mt-0 text-xl">
            {g.title}
            {g.parentGrantId ? ` (${g.fy} part)` : ""}
          </h2>
          <p className="muted">
            {g.groupName} · {g.wardName ?? "whole area"} · {g.fundName} · grant {g.grantId}
          </p>
          {g.reasons.length ? (
            <p className="queue-reasons">
              <span className="sr-only">Needs action: </span>
              {g.reasons.map((r) => (
                <strong key={r} className="tag">
                  {REASON_TAGS[r]}
                </strong>
              ))}
            </p>
          ) : null}
          <p>
            Pay to: {g.bankAccount ?? "no bank details given"}
            {g.groupVerifiedAt ? "" : " · not verified: no payment until the council verifies the group"}
          </p>
          <p>
            Committed and unpaid <strong>{formatPence(g.committed)}</strong> · awaiting confirmation{" "}
            <strong>{formatPence(g.payable)}</strong> · paid <strong>{formatPence(g.paid)}</strong>
            {g.recoverable ? (
              <>
                {" "}
                · owed back <strong>{formatPence(g.recoverable)}</strong>
              </>
            ) : null}
          </p>
          {g.instalments.length ? (
            <ul className="list-disc pl-6">
              {g.instalments.map((i) => (
                <li key={i.seq}>
                  Instalment {i.seq}: {formatPence(i.amountPence)} due {formatRoundDate(i.dueOn)} ({i.fy})
                  {i.requested ? " · payment requested" : ""}
                  {i.waitingForMonitoring ? " · waits for the monitoring report" : ""}
                </li>
              ))}
            </ul>
          ) : null}
          {g.tranches.length ? (
            <>
              <p className="mb-1">
                This grant runs over {g.tranches.length} financial years; each year's part is paid from that year's
                commitment:
              </p>
              <ul className="list-disc pl-6">
                {g.tranches.map((t) => (
                  <li key={t.fy}>
                    {t.fy}: {formatPence(t.amountPence)}, {t.statusText.charAt(0).toLowerCase() + t.statusText.slice(1)}
                    {t.thisGrant ? " (this grant)" : t.grantId ? ` (grant ${t.grantId})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {g.tranches.some((t) => t.thisGrant && t.id !== null) && g.committed > 0 && g.payable === 0 ? (
            <WithdrawPart
              trancheId={g.tranches.find((t) => t.thisGrant)!.id!}
              fy={g.fy}
              title={g.title}
              formKey={formKey}
              state={stateFor("withdraw-tranche", String(g.tranches.find((t) => t.thisGrant)!.id))}
            />
          ) : null}
          {g.offerPending ? <p className="muted">The group has not accepted the grant offer yet.</p> : null}
          {g.monitoring ? (
            <p>
              Monitoring report sent {g.monitoring.submittedAt.slice(0, 10)}: {formatPence(g.monitoring.spentPence)}{" "}
              spent
              {g.paid > g.monitoring.spentPence
                ? `, so ${formatPence(g.paid - g.monitoring.spentPence)} of what was paid is unspent`
                : ""}
              .
            </p>
          ) : null}
          {g.committed > 0 && !g.offerPending ? (
            <ActionForm
              intent="request-payment"
              target={g.grantId}
              formKey={formKey}
              state={stateFor("request-payment", g.grantId)}
              submit="Request payment"
              hidden={{ grantId: g.grantId }}
            >
              <Field
                name="amount"
                label="Amount to pay (£)"
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
                Payment of {formatPence(r.pence)} requested on {r.date} by {r.requesterName ?? "a finance officer"}.
              </p>
              {r.requesterId === userId ? (
                <p className="muted">Another finance officer must confirm or fail this payment.</p>
              ) : (
                <div className="grid gap-4 md:grid-cols-2">
                  <ActionForm
                    intent="confirm-payment"
                    target={r.entryId}
                    formKey={formKey}
                    state={stateFor("confirm-payment", r.entryId)}
                    submit="Confirm payment"
                    hidden={{ payRequestEntryId: r.entryId }}
                  >
                    <Field
                      name="paymentRef"
                      label="Finance-system payment reference"
                      state={stateFor("confirm-payment", r.entryId)}
                      idPrefix={`conf-${r.entryId}`}
                    />
                  </ActionForm>
                  <ActionForm
                    intent="fail-payment"
                    target={r.entryId}
                    formKey={formKey}
                    state={stateFor("fail-payment", r.entryId)}
                    submit="Record failed payment"
                    secondary
                    hidden={{ payRequestEntryId: r.entryId }}
                  >
                    <Field
                      name="reason"
                      label="Why the payment failed"
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
              <summary className="cursor-pointer underline">Raise a clawback</summary>
              <ActionForm
                intent="raise-clawback"
                target={g.grantId}
                formKey={formKey}
                state={stateFor("raise-clawback", g.grantId)}
                submit="Raise clawback"
                hidden={{ grantId: g.grantId }}
              >
                <Field
                  name="amount"
                  label="Amount to recover (£)"
                  state={stateFor("raise-clawback", g.grantId)}
                  idPrefix={`claw-${g.grantId}`}
                />
                <Field
                  name="reason"
                  label="Reason"
                  state={stateFor("raise-clawback", g.grantId)}
                  idPrefix={`claw-${g.grantId}`}
                />
                <Field
                  name="invoiceRef"
                  label="Debtor invoice reference"
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
              submit="Record clawback received"
              hidden={{ grantId: g.grantId }}
            >
              <Field
                name="amount"
                label="Amount received (£)"
                defaultValue={formatPenceAsDecimal(g.recoverable)}
                state={stateFor("receive-clawback", g.grantId)}
                idPrefix={`recv-${g.grantId}`}
              />
              <Field
                name="receiptRef"
                label="Receipt reference"
                state={stateFor("receive-clawback", g.grantId)}
                idPrefix={`recv-${g.grantId}`}
              />
            </ActionForm>
          ) : null}
        </section>
      ))}
      {view.pages > 1 ? (
        <nav aria-label="Pages of grants" className="queue-pages">
          {view.page > 1 ? (
            <Link to={queueHref({ ...filter, page: view.page - 1 })} rel="prev">
              Previous page
            </Link>
          ) : null}
          <ul>
            {Array.from({ length: view.pages }, (_, n) => n + 1).map((n) => (
              <li key={n}>
                <Link
                  to={queueHref({ ...filter, page: n })}
                  aria-current={n === view.page ? "page" : undefined}
                  aria-label={`Page ${n}`}
                >
                  {n}
                </Link>
              </li>
            ))}
          </ul>
          {view.page < view.pages ? (
            <Link to={queueHref({ ...filter, page: view.page + 1 })} rel="next">
              Next page
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
  return (
    <details className="mt-2" open={Boolean(state)}>
      <summary className="cursor-pointer underline">
        Withdraw the {fy} part<span className="sr-only"> of {title}</span>
      </summary>
      <ActionForm
        intent="withdraw-tranche"
        target={String(trancheId)}
        formKey={formKey}
        state={state}
        submit={`Withdraw the ${fy} part`}
        secondary
        hidden={{ trancheId: String(trancheId) }}
      >
        <Field name="reason" label="Why this part is withdrawn" state={state} idPrefix={`withdraw-${trancheId}`} />
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
