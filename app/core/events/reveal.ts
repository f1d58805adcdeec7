/**
 * The reveal on the big screen, pure: the steps of a published count, read from the stored report
 * through the same views the results page uses, so the numbers are the same.
 *
 * - Greedy: one step per project in points order, selected or skipped, with the budget left.
 * - MES (and add-one completion): one step per selection, with its price per point and budget left.
 * - IRV and STV: one step per round of the count: the tally, who is elected or eliminated, and where
 *   the votes of the candidates decided in the round went.
 * - Every rule ends with the winners.
 */
import { formatPence } from "../money";
import type { RankedView } from "../results/ranked-view";
import type { ResultView } from "../results/report-view";

export interface RevealRow {
  label: string;
  value: string;
  /** "elected", "eliminated", "selected" or "skipped": shown as a word, never by colour alone. */
  mark?: string;
}

export interface RevealStep {
  heading: string;
  rows: RevealRow[];
  notes: string[];
}

export function revealSteps(view: ResultView, ranked: RankedView | null): RevealStep[] {
  const steps: RevealStep[] = ranked ? rankedSteps(ranked) : pbSteps(view);
  steps.push({
    heading: view.winners.length === 1 ? "The winner" : `The ${view.winners.length} winners`,
    rows: view.winners.map((w) => ({ label: w.title, value: formatPence(w.costPence), mark: "winner" })),
    notes: [`${formatPence(view.totalPence)} of the ${formatPence(view.potPence)} pot.`],
  });
  return steps;
}

function pbSteps(view: ResultView): RevealStep[] {
  if (view.rule === "greedy") {
    return view.greedyRows.map((row, i) => ({
      heading: `Step ${i + 1}: ${row.project.title}`,
      rows: [
        { label: "Points", value: String(row.points) },
        { label: "Cost", value: formatPence(row.project.costPence) },
        { label: "Budget left", value: formatPence(row.budgetLeftPence) },
      ],
      notes: [row.selected ? "Selected: it fits in the budget left." : "Skipped: it does not fit in the budget left."],
    }));
  }
  return view.mesRows.map((row) => ({
    heading: `Selection ${row.round}: ${row.project.title}`,
    rows: [
      { label: "Cost", value: formatPence(row.project.costPence) },
      { label: "Price per point", value: `£${row.pricePerPoint}` },
      { label: "Budget left", value: formatPence(row.budgetLeftPence) },
    ],
    notes: ["Selected: its supporters can share its cost equally."],
  }));
}

function rankedSteps(view: RankedView): RevealStep[] {
  return view.rounds.map((round) => {
    const elected = new Set(round.elected.map((p) => p.id));
    const eliminated = new Set(round.eliminated.map((p) => p.id));
    const notes: string[] = [];
    if (view.rule !== "irv") notes.push(`Quota: ${round.threshold} votes.`);
    else notes.push(`Votes needed to win: ${round.threshold}.`);
    for (const p of round.elected) notes.push(`${p.title} is elected.`);
    for (const p of round.eliminated) notes.push(`${p.title} is eliminated.`);
    for (const transfer of round.transfers) {
      const moved = transfer.to.map((t) => `${t.project?.title ?? "no further choice"} ${t.votes}`).join(", ");
      notes.push(`${transfer.from.title}'s votes move on: ${moved}.`);
    }
    return {
      heading: `Round ${round.round}`,
      rows: round.tally.map((t) => ({
        label: t.project.title,
        value: t.votes,
        ...(elected.has(t.project.id)
          ? { mark: "elected" }
          : eliminated.has(t.project.id)
            ? { mark: "eliminated" }
            : {}),
      })),
      notes,
    };
  });
}
