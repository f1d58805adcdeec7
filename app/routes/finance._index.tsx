import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BalanceChart } from "~/components/balance-chart";
import { FinanceNav } from "~/components/finance-nav";
import { TextField } from "~/components/forms";
import { formatPence, formatPenceAsDecimal } from "~/core/money";
import { possibleClawbacks, withReturnedClawbacks } from "~/models/clawbacks.server";
import { fundBalances } from "~/models/finance.server";
import { ledgerHead } from "~/models/ledger.server";
import { verifyLedgerFor } from "~/models/ledger-verify.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Finance – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  return json({
    name: user.name,
    funds: withReturnedClawbacks(fundBalances()),
    head: ledgerHead(),
    clawbacks: possibleClawbacks(),
    formKey: randomUUID(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  return json({ verification: verifyLedgerFor(user) });
}

const COLUMNS = [
  ["available", "Available"],
  ["earmarked", "Earmarked"],
  ["committed", "Committed"],
  ["payable", "Awaiting payment"],
  ["paid", "Paid"],
  ["returned", "Returned"],
] as const;

/** Grants whose monitoring report shows less spent than was paid, each with a clawback form filled in. */
function PossibleClawbacks({
  clawbacks,
  formKey,
}: {
  clawbacks: ReturnType<typeof useLoaderData<typeof loader>>["clawbacks"];
  formKey: string;
}) {
  if (clawbacks.length === 0) return null;
  return (
    <section aria-labelledby="clawbacks-heading" className="panel">
      <h2 id="clawbacks-heading" className="mt-0">
        Possible clawbacks
      </h2>
      <p>
        These groups' monitoring reports say they spent less than the council paid. Raise a clawback, or leave it if the
        difference is explained.
      </p>
      <ul className="space-y-4">
        {clawbacks.map((c) => (
          <li key={c.grantId}>
            <h3 className="m-0 text-base">
              {c.reference}: {c.title} <span className="font-normal">({c.groupName})</span>
            </h3>
            <p className="m-0">
              Spent {formatPence(c.spentPence)} of {formatPence(c.awardedPence)} awarded; {formatPence(c.paidPence)}{" "}
              paid. Underspend: <strong>{formatPence(c.underspendPence)}</strong>.
            </p>
            <details className="mt-2">
              <summary className="cursor-pointer underline">
                Raise a clawback<span className="sr-only"> on {c.reference}</span>
              </summary>
              <Form method="post" action="/finance/payments" noValidate className="mt-2">
                <input type="hidden" name="intent" value="raise-clawback" />
                <input type="hidden" name="idempotencyKey" value={`${formKey}:raise-clawback:${c.grantId}`} />
                <input type="hidden" name="grantId" value={c.grantId} />
                <TextField
                  name="amount"
                  id={`underspend-${c.grantId}-amount`}
                  label="Amount to recover (£)"
                  defaultValue={formatPenceAsDecimal(c.underspendPence)}
                />
                <TextField
                  name="reason"
                  id={`underspend-${c.grantId}-reason`}
                  label="Reason"
                  defaultValue={`Underspend: the monitoring report shows ${formatPence(c.spentPence)} spent of ${formatPence(c.paidPence)} paid.`}
                />
                <TextField
                  name="invoiceRef"
                  id={`underspend-${c.grantId}-invoiceRef`}
                  label="Debtor invoice reference"
                />
                <button type="submit" className="button">
                  Raise clawback
                </button>
              </Form>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function FinanceHome() {
  const { funds, head, clawbacks, formKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <h1>Finance</h1>
      <FinanceNav />
      <section aria-labelledby="verify-heading" className="panel">
        <h2 id="verify-heading" className="mt-0">
          Ledger integrity
        </h2>
        <p>
          {head.seq.toLocaleString("en-GB")} entries. Head hash: <code className="break-all">{head.hash}</code>
        </p>
        {result ? (
          <div role="status" className={result.verification.ok ? "notice" : "error-summary"}>
            <p className="m-0 font-bold">
              {result.verification.ok
                ? "Verified: the chain, the totals and the trial balance all check out."
                : "Verification found problems."}
            </p>
            <p className="m-0">
              Checked {result.verification.count.toLocaleString("en-GB")} entries in {result.verification.ms} ms; head{" "}
              {result.verification.head.hash || "unknown"}.
            </p>
            {result.verification.problems.length ? (
              <ul className="list-disc pl-6">
                {result.verification.problems.slice(0, 20).map((p, i) => (
                  <li key={i}>
                    {p.seq !== null ? `seq ${p.seq}: ` : ""}
                    {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <Form method="post">
          <button type="submit" className="button">
            Verify now
          </button>
        </Form>
      </section>
      <PossibleClawbacks clawbacks={clawbacks} formKey={formKey} />
      {funds.length === 0 ? <p>No funds have been set up yet.</p> : null}
      {funds.map((fund) => (
        <section key={fund.fundId} aria-labelledby={`fund-${fund.fundId}`}>
          <h2 id={`fund-${fund.fundId}`}>
            {fund.fundName} <span className="muted text-base font-normal">({fund.fy})</span>
          </h2>
          <BalanceChart
            title={`${fund.fundName}: paid, committed and available by ward`}
            rows={fund.wards.map((w) => ({
              label: w.wardName,
              paid: w.balances.paid,
              committed: w.balances.committed + w.balances.earmarked + w.balances.payable,
              available: w.balances.available,
            }))}
          />
          <div className="overflow-x-auto">
            <table>
              <caption className="sr-only">{fund.fundName} balances by ward</caption>
              <thead>
                <tr>
                  <th scope="col">Ward</th>
                  {COLUMNS.map(([key, label]) => (
                    <th key={key} scope="col" className="text-right">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {fund.wards.map((w) => (
                  <tr key={w.wardName}>
                    <th scope="row" className="font-normal">
                      {w.wardId ? (
                        <Link to={`/finance/ledger?fundId=${encodeURIComponent(fund.fundId)}&wardId=${w.wardId}`}>
                          {w.wardName}
                        </Link>
                      ) : (
                        w.wardName
                      )}
                    </th>
                    {COLUMNS.map(([key]) => (
                      <td key={key} className="text-right tabular-nums">
                        {formatPence(w.balances[key])}
                      </td>
                    ))}
                  </tr>
                ))}
                <tr className="font-bold">
                  <th scope="row">Total</th>
                  {COLUMNS.map(([key]) => (
                    <td key={key} className="text-right tabular-nums">
                      {formatPence(fund.total[key])}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
