/**
 * What a results page and the reveal show of a ranked count (IRV, STV, Scottish STV), read from
 * the stored report (the engine's `expected` layout with its tie-break record): each round's tally
 * by project, who was elected or eliminated, where their votes went, and the winners in the order
 * they were elected. Vote amounts stay the engine's exact decimal strings.
 */
import type { Pence } from "../money";
import type { ResultProject } from "./report-view";
import type { RankedRule } from "./ranked-ballot-file";

export interface StoredRankedReport {
  rounds: {
    round: number;
    tally: Record<string, string>;
    threshold: string;
    elected: string[];
    eliminated: string[];
    inactive: Record<string, string>;
    transfers?: Record<string, Record<string, string>>;
  }[];
  winners: string[];
  totalBallots: string;
  finalThreshold: string;
  tieBreaks: { explanation: string }[];
  rejectedBallots?: string;
}

export interface RankedRoundView {
  round: number;
  threshold: string;
  /** Projects still counted in this round, most votes first. */
  tally: { project: ResultProject; votes: string }[];
  exhausted: string;
  elected: ResultProject[];
  eliminated: ResultProject[];
  transfers: { from: ResultProject; to: { project: ResultProject | null; votes: string }[] }[];
}

export interface RankedView {
  rule: RankedRule;
  seats: number;
  winners: ResultProject[];
  totalPence: Pence;
  totalBallots: string;
  rounds: RankedRoundView[];
  tieBreaks: string[];
}

export const RANKED_RULE_NAMES: Readonly<Record<RankedRule, string>> = {
  irv: "Instant-runoff vote (one option)",
  stv: "Single transferable vote (Gregory, Droop quota)",
  "scottish-stv": "Scottish STV (local-election rules)",
};

function decimalCompare(a: string, b: string): number {
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  if (ai.length !== bi.length) return ai.length - bi.length;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const x = af.padEnd(width, "0");
  const y = bf.padEnd(width, "0");
  return x === y ? 0 : x < y ? -1 : 1;
}

export function rankedView(
  rule: RankedRule,
  seats: number,
  report: StoredRankedReport,
  projects: readonly ResultProject[],
): RankedView {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const find = (id: string): ResultProject => {
    const project = byId.get(id);
    if (!project) throw new RangeError(`the report names project ${id}, which is not in the ballot file`);
    return project;
  };
  const winners = report.winners.map(find);
  const rounds = report.rounds.map((r) => ({
    round: r.round,
    threshold: r.threshold,
    tally: Object.entries(r.tally)
      .map(([id, votes]) => ({ project: find(id), votes }))
      .sort((a, b) => decimalCompare(b.votes, a.votes) || (a.project.id < b.project.id ? -1 : 1)),
    exhausted: r.inactive.exhaustedChoices ?? "0",
    elected: r.elected.map(find),
    eliminated: r.eliminated.map(find),
    transfers: Object.entries(r.transfers ?? {}).map(([from, targets]) => ({
      from: find(from),
      to: Object.entries(targets).map(([to, votes]) => ({ project: byId.get(to) ?? null, votes })),
    })),
  }));
  return {
    rule,
    seats,
    winners,
    totalPence: winners.reduce((sum, w) => sum + w.costPence, 0),
    totalBallots: report.totalBallots,
    rounds,
    tieBreaks: report.tieBreaks.map((t) => t.explanation),
  };
}
