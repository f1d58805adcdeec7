import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/translate";

export interface TrancheRow {
  fy: string;
  amountPence: number;
  paidPence: number;
  statusText: string;
}

/**
 * A grant's parts by financial year: each year's amount, what has been paid and where it stands
 * (committed against that year's budget, awaiting that year's budget, paid). Shared by the offer,
 * bid and finance pages.
 */
export function TrancheTable({ tranches, caption }: { tranches: readonly TrancheRow[]; caption: string }) {
  const { t: translate } = useTranslation("bids");
  const { money } = useFormat();
  const total = tranches.reduce((sum, t) => sum + t.amountPence, 0);
  return (
    <table>
      <caption className="text-left font-semibold">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{translate("tranches.fy")}</th>
          <th scope="col" className="text-right">
            {translate("tranches.amount")}
          </th>
          <th scope="col" className="text-right">
            {translate("tranches.paid")}
          </th>
          <th scope="col">{translate("tranches.status")}</th>
        </tr>
      </thead>
      <tbody>
        {tranches.map((t) => (
          <tr key={t.fy}>
            <th scope="row" className="font-normal">
              {t.fy}
            </th>
            <td className="text-right tabular-nums">{money(t.amountPence)}</td>
            <td className="text-right tabular-nums">{money(t.paidPence)}</td>
            <td>{t.statusText}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{translate("tranches.whole")}</th>
          <td className="text-right tabular-nums font-semibold">{money(total)}</td>
          <td className="text-right tabular-nums">{money(tranches.reduce((sum, t) => sum + t.paidPence, 0))}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
