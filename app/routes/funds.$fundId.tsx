import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { formatPence, tryParsePounds } from "~/core/money";
import { decideBudgetChange, fundOverview, requestBudgetAdjust, requestYearEnd } from "~/models/budget-changes.server";
import { commitTranchesForFund, tranchesForFund } from "~/models/tranches.server";
import { isRefusal } from "~/utils/refusal";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { refusalAnswer } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.fund.name ?? "Fund"} – Wardfund` }];

const reason = z.string().trim().min(1, "Give the reason").max(500, "The reason must be 500 characters or fewer");
const schemas = {
  "request-adjust": z.object({
    budgetId: z.string().min(1, "Choose a budget"),
    direction: z.enum(["increase", "decrease"], {
      errorMap: () => ({ message: "Choose whether to add or take away money" }),
    }),
    amount: z.string().transform((value, ctx) => {
      const parsed = tryParsePounds(value, { allowZero: false });
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: value.trim() ? parsed.error.userMessage : "Enter the amount" });
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
      return json(failure({}, values, "Choose an action."), { status: 400 });
    }
  } catch (error) {
    if (isRefusal(error)) return refusalAnswer(error, values, { status: 422, notFoundStatus: 404 });
    throw error;
  }
  return redirect(`/funds/${fundId}?done=${intent}`);
}

const DONE: Record<string, string> = {
  "request-adjust": "Budget change asked for. Another administrator or finance officer must approve it.",
  "request-year-end": "Year-end run asked for. Another administrator or finance officer must approve it.",
  decide: "Decision recorded.",
};

export default function FundPage() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const committedCount = Number(params.get("committed") ?? 0);
  const refusedCount = Number(params.get("refused") ?? 0);
  const pendingTranches = data.tranches.filter((t) => t.status === "pending");
  const describe = (r: (typeof data.pending)[number]) =>
    r.kind === "adjust"
      ? `${(r.changePence ?? 0) > 0 ? "Add" : "Take away"} ${formatPence(Math.abs(r.changePence ?? 0))} ${(r.changePence ?? 0) > 0 ? "to" : "from"} ${data.budgets.find((b) => b.id === r.budgetId)?.name ?? r.budgetId}`
      : `Year-end run: ${data.fund.yearEnd === "lapse" ? "unspent money lapses" : "unspent money is carried forward to next year's budgets"}`;
  return (
    <div className="max-w-4xl">
      <p>
        <Link to="/funds" className="underline">
          All funds
        </Link>
      </p>
      <h1>{data.fund.name}</h1>
      <p className="muted">
        {data.fund.id} · {data.fund.fy} · at year end unspent money{" "}
        {data.fund.yearEnd === "lapse" ? "lapses" : "is carried forward"}
        {data.fund.commitmentCutoffOn ? ` · no new grants after ${formatDate(data.fund.commitmentCutoffOn)}` : ""}
      </p>
      {done && !state && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      {done === "commit-tranches" && !state ? (
        <p className="notice" role="status">
          {committedCount === 1 ? "1 part of a grant was" : `${committedCount} parts of grants were`} committed against
          this year's budgets.
          {refusedCount ? ` ${refusedCount} could not be: the reasons are in the table below.` : ""}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{ budgetId: "Budget", direction: "Change", amount: "Amount", reason: "Reason" }}
      />
      <table>
        <caption className="text-left font-semibold">Budgets</caption>
        <thead>
          <tr>
            <th scope="col">Budget</th>
            <th scope="col" className="text-right">
              Available
            </th>
          </tr>
        </thead>
        <tbody>
          {data.budgets.map((b) => (
            <tr key={b.id}>
              <td>{b.name}</td>
              <td className="text-right tabular-nums">{formatPence(b.availablePence)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {data.fund.kind === "ward-budget" ? (
        <section aria-labelledby="later-parts">
          <h2 id="later-parts">Earlier grants that run into {data.fund.fy}</h2>
          {data.tranches.length ? (
            <>
              <p>
                Grants approved in an earlier year whose {data.fund.fy} part is committed against this year's budgets.
                They are committed when the budgets are set; one the budget could not cover stays pending until it can.
              </p>
              <table>
                <caption className="sr-only">{data.fund.fy} parts of earlier grants</caption>
                <thead>
                  <tr>
                    <th scope="col">Grant</th>
                    <th scope="col">Approved from</th>
                    <th scope="col" className="text-right">
                      {data.fund.fy} part
                    </th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.tranches.map((t) => (
                    <tr key={t.id}>
                      <td>
                        {t.title} ({t.reference}), {t.groupName}
                      </td>
                      <td>{t.awardFundName}</td>
                      <td className="text-right tabular-nums">{formatPence(t.amountPence)}</td>
                      <td>
                        {t.statusText}
                        {t.status === "pending" && t.lastRefusal
                          ? `. Last tried ${t.lastRefusedAt ? formatDate(t.lastRefusedAt) : ""}: ${t.lastRefusal}`
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
                  <SubmitButton>
                    Commit the{" "}
                    {pendingTranches.length === 1 ? "pending part" : `${pendingTranches.length} pending parts`}
                  </SubmitButton>
                </Form>
              ) : null}
            </>
          ) : (
            <p>No earlier grant runs into {data.fund.fy}.</p>
          )}
        </section>
      ) : null}

      <h2>Waiting for approval</h2>
      {data.pending.length ? (
        <ul className="space-y-3">
          {data.pending.map((r) => (
            <li key={r.id} className="panel">
              <p className="m-0">
                {describe(r)}. Asked by {r.requesterName} on {formatDate(r.requestedAt)}: {r.reason}
              </p>
              {r.requestedBy === data.userId ? (
                <p className="muted">Another administrator or finance officer must approve this.</p>
              ) : (
                <Form method="post" className="mt-2 flex gap-2">
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="requestId" value={r.id} />
                  <input type="hidden" name="idempotencyKey" value={`${data.formKey}:${r.id}`} />
                  <SubmitButton name="decision" value="approve">
                    Approve and post
                  </SubmitButton>
                  <SubmitButton name="decision" value="refuse" secondary>
                    Refuse
                  </SubmitButton>
                </Form>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing is waiting.</p>
      )}

      {data.inYear ? (
        <Form method="post" noValidate className="panel">
          <h2 className="mt-0">Change a budget</h2>
          <input type="hidden" name="intent" value="request-adjust" />
          <SelectField
            name="budgetId"
            label="Budget"
            options={[
              { value: "", label: "Choose a budget" },
              ...data.budgets.map((b) => ({ value: b.id, label: b.name })),
            ]}
            state={state}
          />
          <RadioGroup
            name="direction"
            legend="Change"
            state={state}
            options={[
              { value: "increase", label: "Add money to the budget" },
              { value: "decrease", label: "Take money away from the budget" },
            ]}
          />
          <TextField name="amount" label="Amount (£)" inputMode="decimal" state={state} />
          <TextAreaField
            name="reason"
            label="Reason"
            hint="For example the council decision that changed the budget."
            state={state}
            rows={2}
          />
          <SubmitButton>Ask for approval</SubmitButton>
        </Form>
      ) : null}

      {data.yearOver && !data.yearEndDone && !data.pending.some((r) => r.kind === "year-end") ? (
        <Form method="post" noValidate className="panel">
          <h2 className="mt-0">Year-end run</h2>
          <p>
            {data.fund.fy} has ended. The unspent money in every budget{" "}
            {data.fund.yearEnd === "lapse"
              ? "lapses back to the council"
              : "is carried forward into next year's budget for the same ward"}
            .
          </p>
          <input type="hidden" name="intent" value="request-year-end" />
          <TextAreaField name="reason" label="Reason" state={state} rows={2} />
          <SubmitButton>Ask for the year-end run</SubmitButton>
        </Form>
      ) : null}

      <h2>Past changes</h2>
      {data.history.length ? (
        <ul className="list-disc pl-6">
          {data.history.map((r) => (
            <li key={r.id}>
              {describe(r)}: {r.outcome} by {r.deciderName} on {r.decidedAt ? formatDate(r.decidedAt) : ""} (asked by{" "}
              {r.requesterName}: {r.reason})
            </li>
          ))}
        </ul>
      ) : (
        <p>No changes yet.</p>
      )}
    </div>
  );
}
