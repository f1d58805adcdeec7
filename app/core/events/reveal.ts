/**
 * The reveal on the big screen, pure: the steps of a published count, read from the stored report
 * through the same views the results page uses, so the numbers are the same.
 *
 * - Greedy: one step per project in points order, selected or skipped, with the budget left.
 * - MES (and add-one completion): one step per selection, with its price per point and budget left.
 * - IRV and STV: one step per round of the count: the tally, who is elected or eliminated, and where
 *   the votes of the candidates decided in the round went.
 * - Every rule ends with the winners.
 *
 * Headings, notes, labels and marks are message keys (kiosk:reveal.*, app/core/messages/message-key.ts),
 * shown in the reader's language; a project's title is council content and stays as it is.
 */
import { messageKey } from "../messages/message-key";
import { formatPence } from "../money";
import type { RankedView } from "../results/ranked-view";
import type { ResultView } from "../results/report-view";

export interface RevealRow {
  /** A message key, or a project's title. */
  label: string;
  value: string;
  /** "elected", "eliminated" or "winner": shown as a word (kiosk:reveal.mark.*), never by colour alone. */
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
    heading: messageKey("kiosk:reveal.winners", { count: view.winners.length }),
    rows: view.winners.map((w) => ({ label: w.title, value: formatPence(w.costPence), mark: "winner" })),
    notes: [messageKey("kiosk:reveal.ofPot", { total: formatPence(view.totalPence), pot: formatPence(view.potPence) })],
  });
  return steps;
}

function pbSteps(view: ResultView): RevealStep[] {
  if (view.rule === "greedy") {
    return view.greedyRows.map((row, i) => ({
      heading: messageKey("kiosk:reveal.greedyStep", { number: i + 1, title: row.project.title }),
      rows: [
        { label: "kiosk:reveal.points", value: String(row.points) },
        { label: "kiosk:reveal.cost", value: formatPence(row.project.costPence) },
        { label: "kiosk:reveal.budgetLeft", value: formatPence(row.budgetLeftPence) },
      ],
      notes: [row.selected ? "kiosk:reveal.fits" : "kiosk:reveal.doesNotFit"],
    }));
  }
  return view.mesRows.map((row) => ({
    heading: messageKey("kiosk:reveal.selection", { number: row.round, title: row.project.title }),
    rows: [
      { label: "kiosk:reveal.cost", value: formatPence(row.project.costPence) },
      { label: "kiosk:reveal.pricePerPoint", value: `£${row.pricePerPoint}` },
      { label: "kiosk:reveal.budgetLeft", value: formatPence(row.budgetLeftPence) },
    ],
    notes: ["kiosk:reveal.shared"],
  }));
}

function rankedSteps(view: RankedView): RevealStep[] {
  return view.rounds.map((round) => {
    const elected = new Set(round.elected.map((p) => p.id));
    const eliminated = new Set(round.eliminated.map((p) => p.id));
    const notes: string[] = [];
    const threshold = round.threshold;
    notes.push(messageKey(view.rule !== "irv" ? "kiosk:reveal.quota" : "kiosk:reveal.needed", { threshold }));
    for (const p of round.elected) notes.push(messageKey("kiosk:reveal.elected", { title: p.title }));
    for (const p of round.eliminated) notes.push(messageKey("kiosk:reveal.eliminated", { title: p.title }));
    for (const transfer of round.transfers) {
      const from = transfer.from.title;
      const moved = transfer.to.filter((t) => t.project).map((t) => `${t.project!.title} ${t.votes}`);
      if (moved.length) notes.push(messageKey("kiosk:reveal.moveOn", { from, moved: moved.join(", ") }));
      for (const t of transfer.to.filter((t) => !t.project))
        notes.push(messageKey("kiosk:reveal.noFurtherChoice", { from, votes: t.votes }));
    }
    return {
      heading: messageKey("kiosk:reveal.round", { number: round.round }),
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
