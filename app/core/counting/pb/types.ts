/**
 * The shapes of participatory budgeting over ranked ballots (ballot-case format section 2):
 * projects with costs, a budget, ballots that rank project ids best first, and the reports of the
 * three rules (`greedy`, `mes`, `mes-add1`). Money is exact: decimal strings for amounts of
 * currency, "p/q" fraction strings where MES divides (price per point, what voters paid).
 */

export type PbRule = "greedy" | "mes" | "mes-add1";

/** How to settle equal points (greedy) or equal price per point (MES). */
export type PbTieRule = "project-id" | "none";

export interface PbProjectInput {
  id: string;
  /** A decimal string or a non-negative integer, in currency units. */
  cost: string | number;
  name?: string;
}

export interface PbBallotInput {
  /** Project ids, best first. */
  ranking: readonly string[];
  count: number;
}

/** A PB election as plain data, as the app holds it. */
export interface PbElectionInput {
  projects: readonly PbProjectInput[];
  budget: string | number;
  /** Points of rank i are maxLength − i + 1; defaults to the number of projects. */
  maxLength?: number;
  ballots: readonly PbBallotInput[];
}

export interface PbTieBreakRecord {
  round: number;
  tied: string[];
  chosen: string;
  rule: PbTieRule;
  explanation: string;
}

export interface GreedyStep {
  project: string;
  points: number;
  cost: string;
  selected: boolean;
  budget_left: string;
}

/** What the voters who gave the project the same points paid for it in one MES round. */
export interface MesPayment {
  points: number;
  voters: number;
  /** Price per voter of the group who could pay in full: ρ × points. */
  paid_each: string;
  /** Voters who had less than ρ × points left, and paid all they had. */
  capped: number;
  paid_total: string;
}

export interface MesRound {
  round: number;
  project: string;
  cost: string;
  /** Price per point ρ, an exact fraction "p/q" of the currency. */
  rho: string;
  payments: MesPayment[];
}

export interface PbReportBase {
  rule: PbRule;
  budget: string;
  /** Funded project ids, sorted as text (selection order is in `rounds`). */
  selected: string[];
  cost_total: string;
  budget_left: string;
  tieBreaks: PbTieBreakRecord[];
}

export interface GreedyReport extends PbReportBase {
  rule: "greedy";
  rounds: GreedyStep[];
}

export interface MesReport extends PbReportBase {
  rule: "mes" | "mes-add1";
  voters: number;
  /** Each voter's starting money in the run that gave the outcome, "p/q". */
  budget_per_voter: string;
  /** mes-add1: how many whole currency units were added to each voter's share. */
  increments?: number;
  /** Projects with support and cost 0, funded before the first round. */
  free_projects: string[];
  rounds: MesRound[];
}

export type PbReport = GreedyReport | MesReport;
