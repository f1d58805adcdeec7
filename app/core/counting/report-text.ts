/**
 * Renders a count report as plain-text tables for people: for ranked-choice contests, one row per
 * candidate and one column per round (then the inactive totals, who was elected and eliminated in
 * each round, the winners and every tie-break); for PB, one row per step of the rule. The numbers
 * are the report's own exact strings, never re-rounded.
 */
import type { GreedyReport, MesReport, PbReport } from "./pb/types";
import { isMultiPass, type ContestReport, type TabulationReport, type TieBreakRecord } from "./types";

type Row = readonly string[];

/** Lays out rows as columns: the first column left-aligned, the others right-aligned. */
export function formatTable(header: Row, rows: readonly Row[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (row: Row): string =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function tabulationText(report: TabulationReport): string {
  const { rounds } = report;
  const candidates = [...new Set(rounds.flatMap((round) => Object.keys(round.tally)))].sort();
  const header = ["Candidate", ...rounds.map((round) => `Round ${round.round}`)];
  const cell = (value: string | undefined): string => value ?? "";
  const rows: Row[] = candidates.map((name) => [name, ...rounds.map((round) => cell(round.tally[name]))]);
  const inactiveKeys = [
    "exhaustedChoices",
    "overvotes",
    "skippedRankings",
    "repeatedRankings",
    "finalRoundSurplus",
  ] as const;
  for (const key of inactiveKeys) {
    if (!rounds.some((round) => round.inactive[key] !== undefined && round.inactive[key] !== "0")) continue;
    rows.push([`(inactive: ${key})`, ...rounds.map((round) => cell(round.inactive[key]))]);
  }
  rows.push(["Threshold", ...rounds.map((round) => round.threshold)]);
  const decisions = rounds
    .filter((round) => round.elected.length > 0 || round.eliminated.length > 0)
    .map((round) => {
      const parts = [];
      if (round.elected.length > 0) parts.push(`elected ${round.elected.join(", ")}`);
      if (round.eliminated.length > 0) parts.push(`eliminated ${round.eliminated.join(", ")}`);
      return `  Round ${round.round}: ${parts.join("; ")}`;
    });
  return [
    formatTable(header, rows),
    "",
    "Decisions:",
    ...decisions,
    `Winners: ${report.winners.join(", ") || "(none)"}`,
    `Total ballots: ${report.totalBallots}; final threshold: ${report.finalThreshold}`,
  ].join("\n");
}

function tieBreakText(records: readonly TieBreakRecord[]): string[] {
  if (records.length === 0) return ["Tie-breaks: none"];
  return [
    "Tie-breaks:",
    ...records.map(
      (t) =>
        `  pass ${t.pass}, round ${t.round}, ${t.purpose}: ${t.tied.join(" = ")} → ${t.chosen} (${t.mode}; ` +
        `${t.explanation})`,
    ),
  ];
}

export function formatContestText(report: ContestReport): string {
  const parts: string[] = [];
  if (isMultiPass(report)) {
    report.passes.forEach((pass, i) => parts.push(`Pass ${i + 1}`, tabulationText(pass), ""));
    parts.push(`Winners in pass order: ${report.winners.join(", ")}`);
  } else {
    parts.push(tabulationText(report));
  }
  if (report.rejectedBallots !== undefined) parts.push(`Rejected ballots: ${report.rejectedBallots}`);
  parts.push(...tieBreakText(report.tieBreaks));
  return parts.join("\n");
}

function greedyText(report: GreedyReport): string {
  const rows = report.rounds.map((step) => [
    step.project,
    String(step.points),
    step.cost,
    step.selected ? "funded" : "does not fit",
    step.budget_left,
  ]);
  return formatTable(["Project", "Points", "Cost", "Decision", "Budget left"], rows);
}

function mesText(report: MesReport): string {
  const rows = report.rounds.map((round) => [
    String(round.round),
    round.project,
    round.cost,
    round.rho,
    round.payments.map((p) => `${p.voters}×${p.points}pt${p.capped ? ` (${p.capped} capped)` : ""}`).join(", "),
  ]);
  const lines = [formatTable(["Round", "Project", "Cost", "Price per point ρ", "Payers (voters × points)"], rows)];
  lines.push(`Voters: ${report.voters}; each voter's share: ${report.budget_per_voter}`);
  if (report.increments !== undefined)
    lines.push(`Share raised by ${report.increments} currency unit(s) per voter (add-one completion)`);
  if (report.free_projects.length > 0) lines.push(`Funded at no cost: ${report.free_projects.join(", ")}`);
  return lines.join("\n");
}

export function formatPbText(report: PbReport): string {
  const body = report.rule === "greedy" ? greedyText(report) : mesText(report);
  const ties = report.tieBreaks.map(
    (t) => `  round ${t.round}: ${t.tied.join(" = ")} → ${t.chosen} (${t.explanation})`,
  );
  return [
    `Rule: ${report.rule}; budget ${report.budget}`,
    body,
    "",
    `Selected: ${report.selected.join(", ") || "(none)"}`,
    `Cost: ${report.cost_total}; budget left: ${report.budget_left}`,
    ties.length > 0 ? ["Tie-breaks:", ...ties].join("\n") : "Tie-breaks: none",
  ].join("\n");
}

/** The human-readable table of any count report. */
export function formatReportText(report: ContestReport | PbReport): string {
  return "rule" in report ? formatPbText(report) : formatContestText(report);
}
