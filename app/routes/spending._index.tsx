/**
 * Public: the council's published spending. For each financial year finance has published, the
 * Transparency Code spend file and the 360Giving files (as the ledger stood when it was published)
 * and a summary of them anyone can read.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { publishedPeriods, spendingSummary } from "~/models/spending.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("public:spending.title");

export async function loader(_args: LoaderFunctionArgs) {
  const periods = publishedPeriods().map((period) => ({ period, summary: spendingSummary(period) }));
  return json({ periods });
}

export default function Spending() {
  const { periods } = useLoaderData<typeof loader>();
  const { t } = useTranslation("public");
  const format = useFormat();
  const fileLinks = (fy: string) => {
    const slug = fy.replace("/", "-");
    return [
      { href: `/spending/${slug}/spend.csv`, label: t("spending.spendFile", { fy }) },
      { href: `/spending/${slug}/360giving.csv`, label: t("spending.giving", { fy, format: "CSV" }) },
      { href: `/spending/${slug}/360giving.json`, label: t("spending.giving", { fy, format: "JSON" }) },
    ];
  };
  return (
    <div className="max-w-4xl">
      <h1>{t("spending.title")}</h1>
      <p>{t("spending.intro")}</p>
      {periods.length === 0 ? <p>{t("spending.none")}</p> : null}
      {periods.map(({ period, summary }) => (
        <section key={period.fy} aria-labelledby={`fy-${period.fy}`} className="summary-box">
          <h2 id={`fy-${period.fy}`} className="mt-0">
            {period.fy}
          </h2>
          <p>
            <Trans
              t={t}
              i18nKey="spending.summary"
              values={{
                fy: period.fy,
                awarded: format.money(summary.awardedPence),
                grantCount: t("spending.grantCount", { grants: summary.grants }),
                paid: format.money(summary.paidPence),
                paymentCount: t("spending.paymentCount", { payments: summary.payments }),
                date: period.publishedAt ? format.date(period.publishedAt) : "—",
                person: period.publishedBy,
                seq: period.checkpointSeq,
              }}
              components={{ strong: <strong /> }}
            />
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
              <caption className="text-left font-semibold">{t("spending.byWard", { fy: period.fy })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("spending.ward")}</th>
                  <th scope="col" className="text-right">
                    {t("spending.grants")}
                  </th>
                  <th scope="col" className="text-right">
                    {t("spending.awarded")}
                  </th>
                  <th scope="col" className="text-right">
                    {t("spending.paid")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {summary.byWard.map((w) => (
                  <tr key={w.ward}>
                    <th scope="row" className="font-normal" translate="no">
                      {w.ward}
                    </th>
                    <td className="text-right tabular-nums">{format.number(w.grants)}</td>
                    <td className="text-right tabular-nums">{format.money(w.awardedPence)}</td>
                    <td className="text-right tabular-nums">{format.money(w.paidPence)}</td>
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
