/**
 * The shapes that go into and come out of the ranked-choice counter (ballot-case format 1.1–1.5).
 *
 * Input is plain data: the declared candidates, the rules and the ballots, each ballot a list of
 * rank positions (an empty position is a skipped rank; several names at one position are an
 * overvote; "#overvote" is an overvote recorded without names). Output is a report in the exact
 * `expected` layout of 1.5, every vote quantity a canonical decimal string (1.6), plus the record
 * of every tie-break in a separate `tieBreaks` field that the layout itself does not include.
 */

export const OVERVOTE_LABEL = "#overvote";

export type Method = "irv" | "stv" | "multi-pass-irv" | "bottoms-up" | "bottoms-up-percentage" | "scottish-stv";
export type QuotaRule = "droop" | "hare";
export type OvervoteRule = "exhaust" | "skip" | "exhaust-if-multiple-continuing";
export type TieBreakMode =
  | "random"
  | "candidate-order"
  | "generated-permutation"
  | "previous-rounds-then-random"
  | "previous-rounds-then-ask"
  | "ask";

export interface TieBreakRule {
  mode: TieBreakMode;
  /** A decimal integer string (a Java long) when the mode draws at random, else null. */
  seed: string | null;
}

export interface Rules {
  method: Method;
  seats: number;
  electOnePerRound: boolean;
  quota: QuotaRule;
  integerQuota: boolean;
  decimalPlaces: number;
  overvoteRule: OvervoteRule;
  maxSkippedRanks: number | null;
  maxRankings: number | null;
  exhaustOnDuplicate: boolean;
  batchElimination: boolean;
  cutoffElimination: boolean;
  continueUntilTwo: boolean;
  firstRoundDeterminesThreshold: boolean;
  /** A decimal string, required by `bottoms-up-percentage`. */
  bottomsUpPercent: string | null;
  stopAfterRound: number | null;
  tiebreak: TieBreakRule;
  excluded: string[];
  undeclaredWriteIn: string | null;
}

/** One rank position: the names marked at that rank (empty = skipped rank). */
export type RankPosition = readonly string[];

export interface Ballot {
  ranking: readonly RankPosition[];
  /** The number of identical ballots, a positive integer. */
  count: number;
}

export interface Contest {
  candidates: readonly string[];
  rules: Rules;
  ballots: readonly Ballot[];
}

/** Decimal strings keyed by name, keys in UTF-16 order. */
export type Amounts = Record<string, string>;

export interface InactiveAmounts {
  exhaustedChoices: string;
  finalRoundSurplus?: string;
  overvotes: string;
  repeatedRankings: string;
  skippedRankings: string;
}

export interface RoundReport {
  round: number;
  tally: Amounts;
  threshold: string;
  elected: string[];
  eliminated: string[];
  inactive: InactiveAmounts;
  /** Where the ballots of the candidates decided in this round went in the next round. */
  transfers?: Record<string, Amounts>;
}

export interface TabulationReport {
  rounds: RoundReport[];
  winners: string[];
  totalBallots: string;
  finalThreshold: string;
}

export interface MultiPassReport {
  passes: TabulationReport[];
  winners: string[];
  totalBallots: string;
}

/** The `expected` layout of 1.5. */
export type ExpectedLayout = TabulationReport | MultiPassReport;

export interface TieBreakRecord {
  /** Pass number (multi-pass IRV) or 1. */
  pass: number;
  round: number;
  /** Choosing a winner among the highest, or a loser among the lowest. */
  purpose: "winner" | "loser" | "surplus-order";
  tied: string[];
  chosen: string;
  mode: TieBreakMode;
  seed: string | null;
  /** How the choice was made, in words. */
  explanation: string;
}

export type ContestReport = ExpectedLayout & {
  tieBreaks: TieBreakRecord[];
  /** Scottish STV only: ballots rejected because they show no valid first preference. */
  rejectedBallots?: string;
};

export function isMultiPass(report: ExpectedLayout): report is MultiPassReport {
  return "passes" in report;
}
