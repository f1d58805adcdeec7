/**
 * What a results page shows, read from a stored count report: the winners with the money each
 * gets, the round-by-round steps in pence, and where the other rule would have chosen differently.
 * Report amounts are decimal strings of pounds ("1600.5"); they become whole pence here, exactly.
 */
import type { Pence } from "../money";
import type { RoundRule } from "./ranked-ballot-file";

export interface ResultProject {
  /** The project's id in the ballot file. */
  id: string;
  bidId: number;
  reference: string;
  title: string;
  costPence: Pence;
}

/** The parts of the engine's report (greedy or MES) a results page reads. */
export interface StoredReport {
  rule: "greedy" | "mes" | "mes-add1";
  selected: string[];
  cost_total: string;
  budget_left: string;
  voters?: number;
  rounds: (
    | { project: string; points: number; cost: string; selected: boolean; budget_left: string }
    | { round: number; project: string; cost: string; rho: string }
  )[];
  tieBreaks: { round: number; tied: string[]; chosen: string; explanation: string }[];
}

export interface GreedyRow {
  project: ResultProject;
  points: number;
  selected: boolean;
  budgetLeftPence: Pence;
}

export interface MesRow {
  round: number;
  project: ResultProject;
  /** Price per point, an exact fraction of a pound ("467/2"). */
  pricePerPoint: string;
  budgetLeftPence: Pence;
}

export interface ResultView {
  rule: RoundRule;
  winners: ResultProject[];
  totalPence: Pence;
  leftOverPence: Pence;
  potPence: Pence;
  greedyRows: GreedyRow[];
  mesRows: MesRow[];
  tieBreaks: string[];
}

/** "1600.5" → 160050 pence; refuses anything that is not a whole number of pence. */
export function poundsTextToPence(text: string): Pence {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`${JSON.stringify(text)} is not an amount in whole pence`);
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

function projectLookup(projects: readonly ResultProject[]) {
  const byId = new Map(projects.map((p) => [p.id, p]));
  return (id: string): ResultProject => {
    const project = byId.get(id);
    if (!project) throw new RangeError(`the report names project ${id}, which is not in the ballot file`);
    return project;
  };
}

export function resultView(report: StoredReport, projects: readonly ResultProject[], potPence: Pence): ResultView {
  const find = projectLookup(projects);
  const winners = report.selected
    .map(find)
    .sort((a, b) => b.costPence - a.costPence || (a.reference < b.reference ? -1 : 1));
  const greedyRows: GreedyRow[] = [];
  const mesRows: MesRow[] = [];
  if (report.rule === "greedy") {
    for (const step of report.rounds) {
      if (!("points" in step)) continue;
      greedyRows.push({
        project: find(step.project),
        points: step.points,
        selected: step.selected,
        budgetLeftPence: poundsTextToPence(step.budget_left),
      });
    }
  } else {
    let left = potPence;
    for (const step of report.rounds) {
      if (!("rho" in step)) continue;
      left -= poundsTextToPence(step.cost);
      mesRows.push({ round: step.round, project: find(step.project), pricePerPoint: step.rho, budgetLeftPence: left });
    }
  }
  return {
    rule: report.rule,
    winners,
    totalPence: poundsTextToPence(report.cost_total),
    leftOverPence: poundsTextToPence(report.budget_left),
    potPence,
    greedyRows,
    mesRows,
    tieBreaks: report.tieBreaks.map((t) => t.explanation),
  };
}

export interface RuleComparisonRow {
  project: ResultProject;
  chosen: boolean;
  chosenByOther: boolean;
  differs: boolean;
}

/** Every project either rule funds, with whether the two rules agree on it. */
export function compareRules(
  chosen: StoredReport,
  other: StoredReport,
  projects: readonly ResultProject[],
): RuleComparisonRow[] {
  const find = projectLookup(projects);
  const ids = [...new Set([...chosen.selected, ...other.selected])].sort();
  return ids.map((id) => {
    const inChosen = chosen.selected.includes(id);
    const inOther = other.selected.includes(id);
    return { project: find(id), chosen: inChosen, chosenByOther: inOther, differs: inChosen !== inOther };
  });
}

export const RULE_NAMES: Readonly<Record<RoundRule, string>> = {
  greedy: "Highest points first (greedy)",
  mes: "Method of Equal Shares",
  "mes-add1": "Method of Equal Shares with add-one completion",
  irv: "Instant-runoff vote (one option)",
  stv: "Single transferable vote (Gregory, Droop quota)",
  "scottish-stv": "Scottish STV (local-election rules)",
};
