/**
 * Counts a PB election by one rule (`greedy`, `mes`, `mes-add1`; ballot-case format 2.1), or by
 * all three on the same ballots so a results page can show what another rule would have chosen.
 * The tie rule is an argument: the format's rules settle ties by project id as text
 * (`project-id`); `none` makes any tie stop the count instead.
 */
import { InvalidInputError } from "../errors";
import { countGreedy } from "./greedy";
import { mesReport, mesSetup, runMes, runMesAdd1, type MesSetup } from "./mes";
import type { PbElection } from "./election";
import type { GreedyReport, MesReport, PbReport, PbRule, PbTieRule } from "./types";

export function countPb(election: PbElection, rule: PbRule, tieRule: PbTieRule): PbReport {
  // With no votes every project ties at zero: a selection would come from the tie rule alone.
  if (election.voterCount === 0)
    throw new InvalidInputError("ballots", "there are no ballots; a count needs at least one");
  if (rule === "greedy") return countGreedy(election, tieRule);
  return countMesRule(mesSetup(election), rule, tieRule);
}

function countMesRule(setup: MesSetup, rule: "mes" | "mes-add1", tieRule: PbTieRule): MesReport {
  if (rule === "mes") return mesReport(setup, runMes(setup, setup.budgetUnits, tieRule), "mes");
  return mesReport(setup, runMesAdd1(setup, tieRule), "mes-add1");
}

export interface PbComparison {
  greedy: GreedyReport;
  mes: MesReport;
  mesAdd1: MesReport;
  /** Project ids funded by some rule but not all, with the rules that fund each. */
  differences: { project: string; fundedBy: PbRule[] }[];
}

/** Runs every rule on the same ballots. */
export function comparePbRules(election: PbElection, tieRule: PbTieRule): PbComparison {
  const setup = mesSetup(election);
  const greedy = countGreedy(election, tieRule);
  const mes = countMesRule(setup, "mes", tieRule);
  const mesAdd1 = countMesRule(setup, "mes-add1", tieRule);
  const reports: PbReport[] = [greedy, mes, mesAdd1];
  const ids = [...new Set(reports.flatMap((report) => report.selected))].sort();
  const differences = ids
    .map((project) => ({ project, fundedBy: reports.filter((r) => r.selected.includes(project)).map((r) => r.rule) }))
    .filter((entry) => entry.fundedBy.length < reports.length);
  return { greedy, mes, mesAdd1, differences };
}
