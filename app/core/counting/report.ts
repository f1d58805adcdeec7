/**
 * Turns tabulation records into the `expected` layout of ballot-case format 1.5: names instead of
 * indices, canonical decimal strings (1.6), every map's keys in UTF-16 order, `transfers` only where
 * something moved and `finalRoundSurplus` only in the closing round of an STV count. The same input
 * therefore always prints the same bytes.
 */
import type { Dec } from "./decimal";
import { compare } from "./order";
import type { InactiveTotals, RoundRecord, TabulationResult } from "./tabulate";
import type { Amounts, InactiveAmounts, RoundReport, TabulationReport } from "./types";

export function sortedAmounts(entries: Iterable<[string, Dec]>): Amounts {
  const list = [...entries].sort(([a], [b]) => compare(a, b));
  const out: Amounts = {};
  for (const [key, value] of list) out[key] = value.toString();
  return out;
}

function inactiveAmounts(totals: InactiveTotals): InactiveAmounts {
  const out: InactiveAmounts = { exhaustedChoices: totals.exhaustedChoices.toString() } as InactiveAmounts;
  if (totals.finalRoundSurplus !== null) out.finalRoundSurplus = totals.finalRoundSurplus.toString();
  out.overvotes = totals.overvotes.toString();
  out.repeatedRankings = totals.repeatedRankings.toString();
  out.skippedRankings = totals.skippedRankings.toString();
  return out;
}

export function roundReport(record: RoundRecord, names: readonly string[]): RoundReport {
  const nameOf = (c: number): string => names[c] as string;
  const report: RoundReport = {
    round: record.round,
    tally: sortedAmounts([...record.tally].map(([c, value]) => [nameOf(c), value])),
    threshold: record.threshold.toString(),
    elected: record.elected.map(nameOf),
    eliminated: record.eliminated.map(nameOf),
    inactive: inactiveAmounts(record.inactive),
  };
  if (record.transfers.size > 0) {
    const rows = [...record.transfers].map(([c, targets]) => [nameOf(c), sortedAmounts(targets)] as const);
    rows.sort(([a], [b]) => compare(a, b));
    report.transfers = Object.fromEntries(rows);
  }
  return report;
}

export function tabulationReport(
  result: TabulationResult,
  names: readonly string[],
  totalBallots: number,
): TabulationReport {
  const last = result.rounds[result.rounds.length - 1];
  return {
    rounds: result.rounds.map((record) => roundReport(record, names)),
    winners: result.winners.map((c) => names[c] as string),
    totalBallots: String(totalBallots),
    finalThreshold: last ? last.threshold.toString() : "0",
  };
}
