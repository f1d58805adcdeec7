/**
 * Public: the council's published spending. For each financial year finance has published, the
 * Transparency Code spend file and the 360Giving files (as the ledger stood when it was published)
 * and a summary of them anyone can read.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatPence } from "~/core/money";
import { formatRoundDate } from "~/core/rounds/gallery";
import { publishedPeriods, spendingSummary } from "~/models/spending.server";

export const meta: MetaFunction = () => [{ title: "Spending – Wardfund" }];

export async function loader(_args: LoaderFunctionArgs) {
  const periods = publishedPeriods().map((period) => ({ period, summary: spendingSummary(period) }));
  return json({ periods });
}

const fileLinks = (fy: string) => {
  const slug = fy.replace("/", "-");
  return [
    { href: `/spending/${slug}/spend.csv`, label: `Transparency Code spend file ${fy} (CSV)` },
    { href: `/spending/${slug}/360giving.csv`, label: `360Giving grants ${fy} (CSV)` },
    { href: `/spending/${slug}/360giving.json`, label: `360Giving grants ${fy} (JSON)` },
  ];
};

export default function Spending() {
  const { periods } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-4xl">
      <h1>Spending</h1>
      <p>
        Every grant the council makes and every payment over £500, published by year under the Local Government
        Transparency Code and in the 360Giving standard. Each year's files are as the ledger stood when finance
        published them.
      </p>
      {periods.length === 0 ? <p>No spending has been published yet.</p> : null}
      {periods.map(({ period, summary }) => (
        <section key={period.fy} aria-labelledby={`fy-${period.fy}`} className="summary-box">
          <h2 id={`fy-${period.fy}`} className="mt-0">
            {period.fy}
          </h2>
          <p>
            In {period.fy} the council awarded <strong>{formatPence(summary.awardedPence)}</strong> in {summary.grants}{" "}
            grant{summary.grants === 1 ? "" : "s"} and paid <strong>{formatPence(summary.paidPence)}</strong> in{" "}
            {summary.payments} payment
            {summary.payments === 1 ? "" : "s"}. Published on {formatRoundDate(period.publishedAt)} by{" "}
            {period.publishedBy} (ledger checkpoint {period.checkpointSeq}).
          </p>
          <ul className="list-disc pl-6">
            {fileLinks(period.fy).map((f) => (
              <li key={f.href}>
                <a href={f.href} download>
                  {f.label}
                </a>
              </li>
            ))}
          </ul>
          {summary.byWard.length ? (
            <table>
              <caption className="text-left font-semibold">By ward, {period.fy}</caption>
              <thead>
                <tr>
                  <th scope="col">Ward</th>
                  <th scope="col" className="text-right">
                    Grants
                  </th>
                  <th scope="col" className="text-right">
                    Awarded
                  </th>
                  <th scope="col" className="text-right">
                    Paid
                  </th>
                </tr>
              </thead>
              <tbody>
                {summary.byWard.map((w) => (
                  <tr key={w.ward}>
                    <th scope="row" className="font-normal">
                      {w.ward}
                    </th>
                    <td className="text-right tabular-nums">{w.grants}</td>
                    <td className="text-right tabular-nums">{formatPence(w.awardedPence)}</td>
                    <td className="text-right tabular-nums">{formatPence(w.paidPence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
