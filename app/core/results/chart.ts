/**
 * Server-rendered SVG charts of a PB count, readable without JavaScript. Each chart is an SVG
 * string with role="img", a <title> and a <desc> it is labelled by; the page puts it in a
 * <figure> with a <figcaption> and the same numbers in a table. Coordinates are whole pixels and
 * every money label is formatted from whole pence, so no label shows a fraction of a penny.
 *
 * - `greedyChartSvg`: the projects in order of points; each bar is the project's cost, drawn from
 *   the money already spent on the projects chosen before it, so the chosen bars climb towards the
 *   budget line and a project that would cross it is shown left out.
 * - `mesChartSvg`: one row per round of the Method of Equal Shares: the project chosen, and the
 *   budget left after it.
 */
import { formatPence, type Pence } from "../money";
import type { GreedyRow, MesRow } from "./report-view";

export interface ChartRow {
  label: string;
  /** Where the bar starts and how long it is, in pence on the money axis. */
  startPence: Pence;
  lengthPence: Pence;
  highlighted: boolean;
  /** Text after the bar (money formatted from pence, points). */
  note: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  rows: readonly ChartRow[];
  /** The money axis runs from 0 to at least this; the budget line is drawn here. */
  budgetPence: Pence;
  budgetLabel: string;
  /** The narrow chart's key to the budget line ("Red line: Budget £10,000.00"). */
  redLineLabel?: string;
  /** The label of the money axis's start (£0.00). */
  zeroLabel?: string;
  /** The language of the row labels (project titles) when it is not the page's, e.g. "en-GB" on a Welsh page. */
  labelLanguage?: string;
}

const WIDTH = 820;
const LABEL_WIDTH = 250;
const NOTE_WIDTH = 220;
const ROW_HEIGHT = 28;
const TOP = 34;
const BOTTOM = 30;
const CHOSEN = "#1d4ed8";
const LEFT_OUT_FILL = "#ffffff";
const LEFT_OUT_STROKE = "#475569";
const INK = "#111827";
const BUDGET_LINE = "#b91c1c";

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The `lang` attribute of the row labels, when they are in another language than the page. */
function labelLang(spec: ChartSpec): string {
  return spec.labelLanguage ? ` lang="${escapeXml(spec.labelLanguage)}"` : "";
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Both drawings of the chart, the wide one first; the stylesheet shows one of them (see the module comment). */
export function chartSvg(spec: ChartSpec): string {
  return `${wideChartSvg(spec)}\n${narrowChartSvg(spec)}`;
}

/** The chart for wide screens: labels beside the bars, the whole drawing scaled to the width of the page. */
export function wideChartSvg(spec: ChartSpec): string {
  const axisMax = Math.max(spec.budgetPence, ...spec.rows.map((r) => r.startPence + r.lengthPence), 1);
  const plotWidth = WIDTH - LABEL_WIDTH - NOTE_WIDTH;
  const x = (pence: Pence) => LABEL_WIDTH + Math.round((pence * plotWidth) / axisMax);
  const height = TOP + spec.rows.length * ROW_HEIGHT + BOTTOM;
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-wide" viewBox="0 0 ${WIDTH} ${height}" width="100%" ` +
      `role="img" aria-labelledby="${titleId} ${descId}" font-family="system-ui, sans-serif" font-size="14">`,
    `<title id="${titleId}">${escapeXml(spec.title)}</title>`,
    `<desc id="${descId}">${escapeXml(spec.description)}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  spec.rows.forEach((row, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const start = x(row.startPence);
    const width = Math.max(x(row.startPence + row.lengthPence) - start, 1);
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 18}" text-anchor="end"${labelLang(spec)} ` +
        `fill="${INK}">${escapeXml(shorten(row.label, 34))}</text>`,
      row.highlighted
        ? `<rect x="${start}" y="${y + 5}" width="${width}" height="${ROW_HEIGHT - 10}" fill="${CHOSEN}"/>`
        : `<rect x="${start}" y="${y + 5}" width="${width}" height="${ROW_HEIGHT - 10}" fill="${LEFT_OUT_FILL}" ` +
            `stroke="${LEFT_OUT_STROKE}" stroke-width="2" stroke-dasharray="4 3"/>`,
      `<text x="${WIDTH - NOTE_WIDTH + 8}" y="${y + 18}" fill="${INK}">${escapeXml(row.note)}</text>`,
    );
  });
  const budgetX = x(spec.budgetPence);
  const axisY = TOP + spec.rows.length * ROW_HEIGHT;
  parts.push(
    `<line x1="${LABEL_WIDTH}" y1="${axisY}" x2="${LABEL_WIDTH + plotWidth}" y2="${axisY}" stroke="${INK}" ` +
      `stroke-width="1"/>`,
    `<text x="${LABEL_WIDTH}" y="${axisY + 18}" fill="${INK}">` +
      `${escapeXml(spec.zeroLabel ?? formatPence(0))}</text>`,
    `<line x1="${budgetX}" y1="${TOP - 8}" x2="${budgetX}" y2="${axisY}" stroke="${BUDGET_LINE}" stroke-width="2"/>`,
    `<text x="${budgetX}" y="${TOP - 14}" text-anchor="end" ` +
      `fill="${BUDGET_LINE}">${escapeXml(spec.budgetLabel)}</text>`,
    "</svg>",
  );
  return parts.join("\n");
}

const NARROW_LINE_CHARS = 30;
const NARROW_LINE_HEIGHT = 18;
const NARROW_BAR_HEIGHT = 14;
/** The plot ends a little short of the right edge so the budget line and a full bar stay inside the drawing. */
const NARROW_PLOT_PERCENT = 98;

/** Breaks a label into lines of at most `max` characters at spaces (a longer word is cut), at most three lines. */
export function wrapLabel(text: string, max = NARROW_LINE_CHARS): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const piece = word.length > max ? shorten(word, max) : word;
    if (!line) line = piece;
    else if (line.length + 1 + piece.length <= max) line = `${line} ${piece}`;
    else {
      lines.push(line);
      line = piece;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= 3) return lines;
  return [...lines.slice(0, 2), shorten(lines.slice(2).join(" "), max)];
}

/**
 * The chart for narrow screens: one block per row, the label (wrapped) above its bar and the note under
 * it. Text keeps its own size whatever the width (no viewBox); the bars and the budget line are placed
 * in percentages of the width, so the drawing fits a 320 px screen without scaling the words down.
 */
export function narrowChartSvg(spec: ChartSpec): string {
  const axisMax = Math.max(spec.budgetPence, ...spec.rows.map((r) => r.startPence + r.lengthPence), 1);
  const percent = (pence: Pence) => Math.round((pence * NARROW_PLOT_PERCENT) / axisMax);
  const titleId = `${spec.id}-narrow-title`;
  const descId = `${spec.id}-narrow-desc`;
  const body: string[] = [];
  let y = 22;
  body.push(
    `<text x="0" y="${y}" fill="${BUDGET_LINE}" font-weight="600">` +
      `${escapeXml(spec.redLineLabel ?? `Red line: ${spec.budgetLabel}`)}</text>`,
  );
  y += 14;
  const plotTop = y;
  for (const row of spec.rows) {
    const lines = wrapLabel(row.label);
    for (const line of lines) {
      y += NARROW_LINE_HEIGHT;
      body.push(`<text x="0" y="${y}"${labelLang(spec)} fill="${INK}" font-weight="600">${escapeXml(line)}</text>`);
    }
    y += 6;
    const start = percent(row.startPence);
    const width = Math.max(percent(row.startPence + row.lengthPence) - start, 1);
    body.push(
      row.highlighted
        ? `<rect x="${start}%" y="${y}" width="${width}%" height="${NARROW_BAR_HEIGHT}" fill="${CHOSEN}"/>`
        : `<rect x="${start}%" y="${y}" width="${width}%" height="${NARROW_BAR_HEIGHT}" fill="${LEFT_OUT_FILL}" ` +
            `stroke="${LEFT_OUT_STROKE}" stroke-width="2" stroke-dasharray="4 3"/>`,
    );
    y += NARROW_BAR_HEIGHT + NARROW_LINE_HEIGHT;
    body.push(`<text x="0" y="${y}" fill="${INK}" font-size="13">${escapeXml(row.note)}</text>`);
    y += 14;
  }
  const budgetPercent = percent(spec.budgetPence);
  body.push(
    `<line x1="${budgetPercent}%" y1="${plotTop}" x2="${budgetPercent}%" y2="${y}" stroke="${BUDGET_LINE}" ` +
      `stroke-width="2"/>`,
  );
  const height = y + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-narrow" width="100%" height="${height}" role="img" ` +
      `aria-labelledby="${titleId} ${descId}" font-family="system-ui, sans-serif" font-size="14">`,
    `<title id="${titleId}">${escapeXml(spec.title)}</title>`,
    `<desc id="${descId}">${escapeXml(spec.description)}</desc>`,
    ...body,
    "</svg>",
  ].join("\n");
}

/** The words of a chart, in one language: the texts by name with their values, and money from whole pence. */
export interface ChartWords {
  text(key: ChartText, values: Record<string, string | number>): string;
  money(pence: Pence): string;
}

export type ChartText =
  "greedyTitle" | "greedyDescription" | "greedyNote" | "mesTitle" | "mesDescription" | "mesNote" | "budget" | "redLine";

const ENGLISH_CHART_TEXT: Record<ChartText, (v: Record<string, string | number>) => string> = {
  greedyTitle: () => "Projects in order of points, and the budget",
  greedyDescription: (v) =>
    `${v.count} projects in order of their points. Each bar is a project's cost, starting where ` +
    `the money for the projects chosen before it ends. ${v.chosen} solid bars are the projects chosen; dashed bars ` +
    `did not fit in what was left. The red line is the budget of ${v.pot}.`,
  greedyNote: (v) => `${v.cost} · ${v.points} points`,
  mesTitle: () => "Rounds of the Method of Equal Shares, and the budget left",
  mesDescription: (v) =>
    `${v.count} rounds. Each row names the project chosen in that round; its bar is the budget ` +
    `left after paying for it, out of ${v.pot} (the red line).`,
  mesNote: (v) => `${v.cost}; ${v.left} left`,
  budget: (v) => `Budget ${v.pot}`,
  redLine: (v) => `Red line: ${v.label}`,
};

/** The chart's words in English, the default. */
export const ENGLISH_CHART_WORDS: ChartWords = {
  text: (key, values) => ENGLISH_CHART_TEXT[key](values),
  money: formatPence,
};

export function greedyChartSpec(
  rows: readonly GreedyRow[],
  potPence: Pence,
  id = "greedy-chart",
  words: ChartWords = ENGLISH_CHART_WORDS,
): ChartSpec {
  let spent = 0;
  const chartRows = rows.map((row) => {
    const chart: ChartRow = {
      label: row.project.title,
      startPence: spent,
      lengthPence: row.project.costPence,
      highlighted: row.selected,
      note: words.text("greedyNote", { cost: words.money(row.project.costPence), points: row.points }),
    };
    if (row.selected) spent += row.project.costPence;
    return chart;
  });
  const chosen = rows.filter((r) => r.selected).length;
  const pot = words.money(potPence);
  const budgetLabel = words.text("budget", { pot });
  return {
    id,
    title: words.text("greedyTitle", {}),
    description: words.text("greedyDescription", { count: rows.length, chosen, pot }),
    rows: chartRows,
    budgetPence: potPence,
    budgetLabel,
    redLineLabel: words.text("redLine", { label: budgetLabel }),
    zeroLabel: words.money(0),
  };
}

export function mesChartSpec(
  rows: readonly MesRow[],
  potPence: Pence,
  id = "mes-chart",
  words: ChartWords = ENGLISH_CHART_WORDS,
): ChartSpec {
  const pot = words.money(potPence);
  const budgetLabel = words.text("budget", { pot });
  return {
    id,
    title: words.text("mesTitle", {}),
    description: words.text("mesDescription", { count: rows.length, pot }),
    rows: rows.map((row) => ({
      label: `${row.round}. ${row.project.title}`,
      startPence: 0,
      lengthPence: row.budgetLeftPence,
      highlighted: true,
      note: words.text("mesNote", {
        cost: words.money(row.project.costPence),
        left: words.money(row.budgetLeftPence),
      }),
    })),
    budgetPence: potPence,
    budgetLabel,
    redLineLabel: words.text("redLine", { label: budgetLabel }),
    zeroLabel: words.money(0),
  };
}
