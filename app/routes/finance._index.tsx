import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BalanceChart } from "~/components/balance-chart";
import { FinanceNav } from "~/components/finance-nav";
import { formatPence } from "~/core/money";
import { fundBalances } from "~/models/finance.server";
import { ledgerHead } from "~/models/ledger.server";
import { verifyLedgerFor } from "~/models/ledger-verify.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Finance – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  return json({ name: user.name, funds: fundBalances(), head: ledgerHead() });
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

export default function FinanceHome() {
  const { funds, head } = useLoaderData<typeof loader>();
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
              {result.verification.ok ? "Verified: the chain, the totals and the trial balance all check out." : "Verification found problems."}
            </p>
            <p className="m-0">
              Checked {result.verification.count.toLocaleString("en-GB")} entries in {result.verification.ms} ms; head {result.verification.head.hash || "unknown"}.
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
                      {w.wardId ? <Link to={`/finance/ledger?fundId=${encodeURIComponent(fund.fundId)}&wardId=${w.wardId}`}>{w.wardName}</Link> : w.wardName}
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
