/**
 * A server-rendered horizontal bar chart of where each ward's budget stands: paid, committed
 * (including earmarked and awaiting payment) and still available. It is an SVG with a title and a
 * description, and the table beside it carries the same numbers for anyone who cannot see it.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/translate";

export interface ChartRow {
  label: string;
  paid: number;
  committed: number;
  available: number;
}

const COLOURS = { paid: "#00703c", committed: "#1d4f91", available: "#6f777b" };
const ROW_HEIGHT = 28;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 460;

export function BalanceChart({ rows, title }: { rows: ChartRow[]; title: string }) {
  // Each chart names itself: several charts can share a page.
  const id = useId();
  const { t } = useTranslation();
  const format = useFormat();
  const max = Math.max(1, ...rows.map((r) => r.paid + r.committed + r.available));
  const height = rows.length * ROW_HEIGHT + 40;
  const scale = (pence: number) => (pence / max) * BAR_WIDTH;
  return (
    <figure className="my-4">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${LABEL_WIDTH + BAR_WIDTH + 10} ${height}`}
        className="w-full max-w-3xl"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>
          {rows
            .map((r) =>
              t("chart.row", {
                label: r.label,
                paid: format.money(r.paid),
                committed: format.money(r.committed),
                available: format.money(r.available),
              }),
            )
            .join(". ")}
        </desc>
        {rows.map((r, i) => {
          const y = i * ROW_HEIGHT;
          const paidWidth = scale(r.paid);
          const committedWidth = scale(r.committed);
          return (
            <g key={r.label}>
              <text x={LABEL_WIDTH - 8} y={y + 18} textAnchor="end" fontSize="13" fill="#0b0c0c">
                {r.label}
              </text>
              <rect x={LABEL_WIDTH} y={y + 4} width={paidWidth} height={ROW_HEIGHT - 10} fill={COLOURS.paid} />
              <rect
                x={LABEL_WIDTH + paidWidth}
                y={y + 4}
                width={committedWidth}
                height={ROW_HEIGHT - 10}
                fill={COLOURS.committed}
              />
              <rect
                x={LABEL_WIDTH + paidWidth + committedWidth}
                y={y + 4}
                width={scale(r.available)}
                height={ROW_HEIGHT - 10}
                fill={COLOURS.available}
              />
            </g>
          );
        })}
        <g transform={`translate(${LABEL_WIDTH}, ${rows.length * ROW_HEIGHT + 14})`} fontSize="13" fill="#0b0c0c">
          <rect width="12" height="12" fill={COLOURS.paid} />
          <text x="18" y="11">
            {t("chart.paid")}
          </text>
          <rect x="80" width="12" height="12" fill={COLOURS.committed} />
          <text x="98" y="11">
            {t("chart.committed")}
          </text>
          <rect x="200" width="12" height="12" fill={COLOURS.available} />
          <text x="218" y="11">
            {t("chart.available")}
          </text>
        </g>
      </svg>
    </figure>
  );
}
