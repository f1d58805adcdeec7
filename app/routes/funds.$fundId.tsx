import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextAreaField, TextField, useErrorText } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { RadioGroup } from "~/components/radio-group";
import { pickLocalised } from "~/core/localised";
import { tryParsePounds } from "~/core/money";
import { moneyMessage } from "~/forms/money-message";
import { decideBudgetChange, fundOverview, requestBudgetAdjust, requestYearEnd } from "~/models/budget-changes.server";
import { commitTranchesForFund, tranchesForFund } from "~/models/tranches.server";
import { isRefusal } from "~/utils/refusal";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { refusalAnswer } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.fund.name, cy: data.fund.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: name || t("funds:fund.titleFallback") }) }];
};

/** Field errors are catalogue keys (funds:fund.errors.*), shown in the reader's language. */
const E = (key: string) => `funds:fund.errors.${key}`;
const reason = z.string().trim().min(1, E("reasonRequired")).max(500, E("reasonTooLong"));
const schemas = {
  "request-adjust": z.object({
    budgetId: z.string().min(1, E("chooseBudget")),
    direction: z.enum(["increase", "decrease"], {
      errorMap: () => ({ message: E("chooseDirection") }),
    }),
    amount: z.string().transform((value, ctx) => {
      const parsed = tryParsePounds(value, { allowZero: false });
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: value.trim() ? moneyMessage(parsed.error) : E("amountRequired") });
        return z.NEVER;
      }
      return parsed.pence;
    }),
    reason,
  }),
  "request-year-end": z.object({ reason }),
  decide: z.object({
    requestId: z.coerce.number().int().positive(),
    decision: z.enum(["approve", "refuse"]),
    idempotencyKey: z.string().min(10).max(100),
  }),
  "commit-tranches": z.object({ idempotencyKey: z.string().min(10).max(100) }),
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin", "finance");
  const overview = fundOverview(String(params.fundId));
  if (!overview) throw new Response("Fund not found", { status: 404 });
  return json({ ...overview, tranches: tranchesForFund(overview.fund.id), userId: user.id, formKey: randomUUID() });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin", "finance");
  const fundId = String(params.fundId);
  const formData = await request.formData();
  const intent = String(formData.get("intent"));
  const values = formValues(formData);
  try {
    if (intent === "request-adjust") {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return json(form, { status: 400 });
      requestBudgetAdjust(user, {
        fundId,
        budgetId: form.data.budgetId,
        changePence: form.data.direction === "increase" ? form.data.amount : -form.data.amount,
        reason: form.data.reason,
      });
    } else if (intent === "request-year-end") {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return json(form, { status: 400 });
      requestYearEnd(user, { fundId, reason: form.data.reason });
    } else if (intent === "commit-tranches") {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return json(form, { status: 400 });
      const attempts = commitTranchesForFund(user, { fundId, idempotencyKey: form.data.idempotencyKey });
      const committed = attempts.filter((a) => a.ok).length;
      return redirect(
        `/funds/${fundId}?done=commit-tranches&committed=${committed}&refused=${attempts.length - committed}`,
      );
    } else if (intent === "decide") {
      const form = parseForm(schemas[intent], formData);
      if (!form.ok) return json(form, { status: 400 });
      decideBudgetChange(user, {
        requestId: form.data.requestId,
        approve: form.data.decision === "approve",
        idempotencyKey: form.data.idempotencyKey,
      });
    } else {
      return json(failure({}, values, "funds:fund.chooseAction"), { status: 400 });
    }
  } catch (error) {
    if (isRefusal(error)) return refusalAnswer(error, values, { status: 422, notFoundStatus: 404 });
    throw error;
  }
  return redirect(`/funds/${fundId}?done=${intent}`);
}

const DONE = ["request-adjust", "request-year-end", "decide"];

export default function FundPage() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("funds");
  const { t: tp } = useTranslation("payments");
  const format = useFormat();
  const errorText = useErrorText();
  const done = params.get("done");
  const committedCount = Number(params.get("committed") ?? 0);
  const refusedCount = Number(params.get("refused") ?? 0);
  const pendingTranches = data.tranches.filter((tr) => tr.status === "pending");
  // A ward's own budget is named in the reader's language; a councillor's keeps the name it was given.
  const labelOf = (b: (typeof data.budgets)[number]) =>
    format.language === "en" || b.councillorId !== null || !b.wardName
      ? b.name
      : t("fund.wardBudget", { ward: pickLocalised({ en: b.wardName, cy: b.wardNameCy }, format.language).text });
  const budgetName = (id: string | null) => {
    const budget = data.budgets.find((b) => b.id === id);
    return budget ? labelOf(budget) : (id ?? "");
  };
  const describe = (r: (typeof data.pending)[number]) => {
    if (r.kind !== "adjust") return t(data.fund.yearEnd === "lapse" ? "fund.yearEndLapse" : "fund.yearEndCarry");
    const change = r.changePence ?? 0;
    const values = { amount: format.money(Math.abs(change)), budget: budgetName(r.budgetId) };
    return t(change > 0 ? "fund.adjustAdd" : "fund.adjustTake", values);
  };
  return (
    <div className="max-w-4xl">
      <p>
        <Link to="/funds" className="underline">
          {t("fund.allFunds")}
        </Link>
      </p>
      <h1>
        <LocalisedText value={{ en: data.fund.name, cy: data.fund.nameCy }} />
      </h1>
      <p className="muted">
        {t("fund.summary", { id: data.fund.id, fy: data.fund.fy, yearEnd: data.fund.yearEnd })}
        {data.fund.commitmentCutoffOn ? t("fund.cutoff", { date: format.date(data.fund.commitmentCutoffOn) }) : ""}
      </p>
      {done && !state && DONE.includes(done) ? (
        <p className="notice" role="status">
          {t(`fund.done.${done}`)}
        </p>
      ) : null}
      {done === "commit-tranches" && !state ? (
        <p className="notice" role="status">
          {t("fund.committed", { count: committedCount })}
          {refusedCount ? ` ${t("fund.refused", { count: refusedCount })}` : ""}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          budgetId: t("fund.budget"),
          direction: t("fund.change"),
          amount: t("fund.amountLabel"),
          reason: t("fund.reason"),
        }}
      />
      <table>
        <caption className="text-left font-semibold">{t("fund.budgets")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("fund.budget")}</th>
            <th scope="col" className="text-right">
              {t("fund.available")}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.budgets.map((b) => (
            <tr key={b.id}>
              <td translate={b.councillorId !== null ? "no" : undefined}>{labelOf(b)}</td>
              <td className="text-right tabular-nums">{format.money(b.availablePence)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {data.fund.kind === "ward-budget" ? (
        <section aria-labelledby="later-parts">
          <h2 id="later-parts">{t("fund.laterParts", { fy: data.fund.fy })}</h2>
          {data.tranches.length ? (
            <>
              <p>{t("fund.laterIntro", { fy: data.fund.fy })}</p>
              <table>
                <caption className="sr-only">{t("fund.laterCaption", { fy: data.fund.fy })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("fund.grant")}</th>
                    <th scope="col">{t("fund.approvedFrom")}</th>
                    <th scope="col" className="text-right">
                      {t("fund.part", { fy: data.fund.fy })}
                    </th>
                    <th scope="col">{t("fund.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.tranches.map((tr) => (
                    <tr key={tr.id}>
                      <td>
                        <LocalisedText value={{ en: tr.title, cy: tr.titleCy }} /> ({tr.reference}),{" "}
                        <span translate="no">{tr.groupName}</span>
                      </td>
                      <td>
                        <LocalisedText value={{ en: tr.awardFundName, cy: tr.awardFundNameCy }} />
                      </td>
                      <td className="text-right tabular-nums">{format.money(tr.amountPence)}</td>
                      <td>
                        {tp(`trancheStatus.${tr.paid ? "paid" : tr.status}`, { fy: tr.fy })}
                        {tr.status === "pending" && tr.lastRefusal
                          ? t("fund.lastTried", {
                              date: tr.lastRefusedAt ? format.date(tr.lastRefusedAt) : "",
                              reason: errorText(tr.lastRefusal),
                            })
                          : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {pendingTranches.length ? (
                <Form method="post" className="mt-2">
                  <input type="hidden" name="intent" value="commit-tranches" />
                  <input type="hidden" name="idempotencyKey" value={`${data.formKey}:tranches`} />
                  <SubmitButton>{t("fund.commitPending", { count: pendingTranches.length })}</SubmitButton>
                </Form>
              ) : null}
            </>
          ) : (
            <p>{t("fund.noLater", { fy: data.fund.fy })}</p>
          )}
        </section>
      ) : null}

      <h2>{t("fund.waiting")}</h2>
      {data.pending.length ? (
        <ul className="space-y-3">
          {data.pending.map((r) => (
            <li key={r.id} className="panel">
              <p className="m-0">
                {t("fund.asked", {
                  change: describe(r),
                  name: r.requesterName,
                  date: format.date(r.requestedAt),
                  reason: r.reason,
                })}
              </p>
              {r.requestedBy === data.userId ? (
                <p className="muted">{t("fund.otherMustApprove")}</p>
              ) : (
                <Form method="post" className="mt-2 flex gap-2">
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="requestId" value={r.id} />
                  <input type="hidden" name="idempotencyKey" value={`${data.formKey}:${r.id}`} />
                  <SubmitButton name="decision" value="approve">
                    {t("fund.approve")}
                  </SubmitButton>
                  <SubmitButton name="decision" value="refuse" secondary>
                    {t("fund.refuse")}
                  </SubmitButton>
                </Form>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("fund.nothingWaiting")}</p>
      )}

      {data.inYear ? (
        <Form method="post" noValidate className="panel">
          <h2 className="mt-0">{t("fund.changeBudget")}</h2>
          <input type="hidden" name="intent" value="request-adjust" />
          <SelectField
            name="budgetId"
            label={t("fund.budget")}
            options={[
              { value: "", label: t("fund.chooseBudget") },
              ...data.budgets.map((b) => ({ value: b.id, label: labelOf(b) })),
            ]}
            state={state}
          />
          <RadioGroup
            name="direction"
            legend={t("fund.change")}
            state={state}
            options={[
              { value: "increase", label: t("fund.increase") },
              { value: "decrease", label: t("fund.decrease") },
            ]}
          />
          <TextField name="amount" label={t("fund.amount")} inputMode="decimal" state={state} />
          <TextAreaField name="reason" label={t("fund.reason")} hint={t("fund.reasonHint")} state={state} rows={2} />
          <SubmitButton>{t("fund.askApproval")}</SubmitButton>
        </Form>
      ) : null}

      {data.yearOver && !data.yearEndDone && !data.pending.some((r) => r.kind === "year-end") ? (
        <Form method="post" noValidate className="panel">
          <h2 className="mt-0">{t("fund.yearEnd")}</h2>
          <p>{t(data.fund.yearEnd === "lapse" ? "fund.yearEndLapses" : "fund.yearEndCarries", { fy: data.fund.fy })}</p>
          <input type="hidden" name="intent" value="request-year-end" />
          <TextAreaField name="reason" label={t("fund.reason")} state={state} rows={2} />
          <SubmitButton>{t("fund.askYearEnd")}</SubmitButton>
        </Form>
      ) : null}

      <h2>{t("fund.history")}</h2>
      {data.history.length ? (
        <ul className="list-disc pl-6">
          {data.history.map((r) => (
            <li key={r.id}>
              {t("fund.historyItem", {
                change: describe(r),
                outcome: r.outcome ? t(`fund.outcome.${r.outcome}`) : "",
                name: r.deciderName,
                date: r.decidedAt ? format.date(r.decidedAt) : "",
                requester: r.requesterName,
                reason: r.reason,
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("fund.noHistory")}</p>
      )}
    </div>
  );
}
