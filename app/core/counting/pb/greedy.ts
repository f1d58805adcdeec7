/**
 * Greedy by points (ballot-case format 2.1, `greedy_by_score` in the fixtures; Kraków's own rule):
 * total the points of each project (maxLength − position + 1 per ranking voter), take projects in
 * descending points, skipping any that no longer fits the money left. Equal points are settled by
 * the tie rule passed in: `project-id` puts the id that sorts first as text first; `none` refuses
 * to guess and stops with a TieBreakRequiredError.
 */
import { Dec } from "../decimal";
import { TieBreakRequiredError } from "../errors";
import { compare } from "../order";
import { moneyScale, projectPoints, type PbElection } from "./election";
import type { GreedyReport, GreedyStep, PbTieBreakRecord, PbTieRule } from "./types";

export function countGreedy(election: PbElection, tieRule: PbTieRule): GreedyReport {
  const points = projectPoints(election);
  const order = election.projectIds
    .map((_, p) => p)
    .sort(
      (a, b) =>
        (points[b] as number) - (points[a] as number) ||
        compare(election.projectIds[a] as string, election.projectIds[b] as string),
    );
  const tieBreaks = recordEqualPoints(order, points, election.projectIds, tieRule);
  const scale = moneyScale(election);
  const budget = election.budget.unitsAt(scale);
  let left = budget;
  const rounds: GreedyStep[] = [];
  const selected: string[] = [];
  for (const p of order) {
    const cost = (election.costs[p] as Dec).unitsAt(scale);
    const fits = cost <= left;
    if (fits) {
      left -= cost;
      selected.push(election.projectIds[p] as string);
    }
    rounds.push({
      project: election.projectIds[p] as string,
      points: points[p] as number,
      cost: (election.costs[p] as Dec).toString(),
      selected: fits,
      budget_left: new Dec(left, scale).toString(),
    });
  }
  return {
    rule: "greedy",
    budget: election.budget.toString(),
    selected: [...selected].sort(compare),
    cost_total: new Dec(budget - left, scale).toString(),
    budget_left: new Dec(left, scale).toString(),
    tieBreaks,
    rounds,
  };
}

function recordEqualPoints(order: number[], points: number[], ids: string[], tieRule: PbTieRule): PbTieBreakRecord[] {
  const records: PbTieBreakRecord[] = [];
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && points[order[j] as number] === points[order[i] as number]) j++;
    if (j - i > 1) {
      const tied = order.slice(i, j).map((p) => ids[p] as string);
      if (tieRule === "none")
        throw new TieBreakRequiredError(
          i + 1,
          "order of projects",
          tied,
          `equal points (${points[order[i] as number]}) and no tie rule`,
        );
      records.push({
        round: i + 1,
        tied,
        chosen: tied[0] as string,
        rule: tieRule,
        explanation: `equal points (${points[order[i] as number]}): taken in order of project id as text`,
      });
    }
    i = j;
  }
  return records;
}
