import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BalanceChart } from "~/components/balance-chart";
import { currentFinancialYear, listPublicWards } from "~/models/public-wards.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("public:wards.title");

/** Public: every ward's budget this year, side by side. */
export async function loader() {
  const fy = currentFinancialYear();
  return json({ fy, wards: listPublicWards(fy) });
}

export default function Wards() {
  const { fy, wards } = useLoaderData<typeof loader>();
  const { t } = useTranslation("public");
  const { money } = useFormat();
  return (
    <div>
      <h1>{t("wards.heading", { fy })}</h1>
      <p className="max-w-3xl">{t("wards.intro")}</p>
      <BalanceChart
        title={t("wards.chartTitle", { fy })}
        rows={wards.map((w) => ({
          label: w.name,
          paid: w.budget.paidPence,
          committed: w.budget.committedPence,
          available: w.budget.availablePence,
        }))}
      />
      <div className="overflow-x-auto">
        <table>
          <caption className="sr-only">{t("wards.heading", { fy })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("wards.ward")}</th>
              <th scope="col">{t("wards.councillors")}</th>
              <th scope="col" className="text-right">
                {t("wards.budget")}
              </th>
              <th scope="col" className="text-right">
                {t("wards.committed")}
              </th>
              <th scope="col" className="text-right">
                {t("wards.paid")}
              </th>
              <th scope="col" className="text-right">
                {t("wards.available")}
              </th>
            </tr>
          </thead>
          <tbody>
            {wards.map((w) => (
              <tr key={w.gssCode}>
                <th scope="row" className="font-normal">
                  <Link to={`/wards/${w.gssCode}`} translate="no">
                    {w.name}
                  </Link>
                </th>
                <td translate="no">{w.councillors.join(", ") || t("wards.none")}</td>
                <td className="text-right tabular-nums">{money(w.budget.setPence)}</td>
                <td className="text-right tabular-nums">{money(w.budget.committedPence)}</td>
                <td className="text-right tabular-nums">{money(w.budget.paidPence)}</td>
                <td className="text-right tabular-nums">{money(w.budget.availablePence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
