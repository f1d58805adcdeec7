import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BalanceChart } from "~/components/balance-chart";
import { formatPence } from "~/core/money";
import { currentFinancialYear, listPublicWards } from "~/models/public-wards.server";

export const meta: MetaFunction = () => [{ title: "Ward budgets in every ward – Wardfund" }];

/** Public: every ward's budget this year, side by side. */
export async function loader() {
  const fy = currentFinancialYear();
  return json({ fy, wards: listPublicWards(fy) });
}

export default function Wards() {
  const { fy, wards } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Ward budgets {fy}</h1>
      <p className="max-w-3xl">
        Each ward has a budget its councillors spend on local community groups. Here is where every ward's budget stands
        this year.
      </p>
      <BalanceChart
        title={`Ward budgets ${fy}: paid, committed and available`}
        rows={wards.map((w) => ({
          label: w.name,
          paid: w.budget.paidPence,
          committed: w.budget.committedPence,
          available: w.budget.availablePence,
        }))}
      />
      <div className="overflow-x-auto">
        <table>
          <caption className="sr-only">Ward budgets {fy}</caption>
          <thead>
            <tr>
              <th scope="col">Ward</th>
              <th scope="col">Councillors</th>
              <th scope="col" className="text-right">
                Budget
              </th>
              <th scope="col" className="text-right">
                Committed
              </th>
              <th scope="col" className="text-right">
                Paid
              </th>
              <th scope="col" className="text-right">
                Available
              </th>
            </tr>
          </thead>
          <tbody>
            {wards.map((w) => (
              <tr key={w.gssCode}>
                <th scope="row" className="font-normal">
                  <Link to={`/wards/${w.gssCode}`}>{w.name}</Link>
                </th>
                <td>{w.councillors.join(", ") || "None"}</td>
                <td className="text-right tabular-nums">{formatPence(w.budget.setPence)}</td>
                <td className="text-right tabular-nums">{formatPence(w.budget.committedPence)}</td>
                <td className="text-right tabular-nums">{formatPence(w.budget.paidPence)}</td>
                <td className="text-right tabular-nums">{formatPence(w.budget.availablePence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
