import { formatPence } from "~/core/money";

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
  const total = tranches.reduce((sum, t) => sum + t.amountPence, 0);
  return (
    <table>
      <caption className="text-left font-semibold">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Financial year</th>
          <th scope="col" className="text-right">
            Amount
          </th>
          <th scope="col" className="text-right">
            Paid
          </th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {tranches.map((t) => (
          <tr key={t.fy}>
            <th scope="row" className="font-normal">
              {t.fy}
            </th>
            <td className="text-right tabular-nums">{formatPence(t.amountPence)}</td>
            <td className="text-right tabular-nums">{formatPence(t.paidPence)}</td>
            <td>{t.statusText}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Whole grant</th>
          <td className="text-right tabular-nums font-semibold">{formatPence(total)}</td>
          <td className="text-right tabular-nums">{formatPence(tranches.reduce((sum, t) => sum + t.paidPence, 0))}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
