/**
 * Counts a ranked-choice contest by its method (ballot-case format 1.4.5) and returns the report
 * in the `expected` layout of 1.5 with the tie-break record beside it.
 *
 * - `irv`, `stv`, `bottoms-up`, `bottoms-up-percentage`: one tabulation with S = seats;
 * - `multi-pass-irv`: `seats` single-seat passes over all ballots, each excluding the winners of
 *   the passes before it and starting its own random generator;
 * - `scottish-stv`: the Scottish local-election rules, see `scottish-stv.ts`.
 *
 * Pure: plain data in, a report out. The seed of any random tie-break is part of the rules.
 */
import { BallotGrouper, OVERVOTE_MARK, type BallotStore } from "./ballots";
import { InvalidInputError } from "./errors";
import { tabulationReport } from "./report";
import { validateContest } from "./rules";
import { countScottishStv } from "./scottish-stv";
import { tabulate, type TabulationInput } from "./tabulate";
import type {
  Contest,
  ContestReport,
  ExpectedLayout,
  MultiPassReport,
  TabulationReport,
  TieBreakRecord,
} from "./types";

export interface PreparedContest {
  contest: Contest;
  /** Declared candidates, then the undeclared write-in (if any). */
  names: string[];
  writeIn: number;
  store: BallotStore;
}

/** Checks a contest and groups its ballots; `countPrepared` then counts it. */
export function prepareContest(contest: Contest): PreparedContest {
  if (!Array.isArray(contest.ballots)) throw new InvalidInputError("ballots", "must be an array");
  return prepareWith(contest, (grouper) => contest.ballots.forEach((ballot, i) => grouper.add(ballot, i)));
}

/**
 * Checks a contest's candidates and rules, then lets `feed` add its ballots one at a time, so a
 * reader can stream ballots in without holding them (`contest.ballots` is not read).
 */
export function prepareWith(contest: Contest, feed: (grouper: BallotGrouper) => void): PreparedContest {
  validateContest(contest);
  const { candidates, rules } = contest;
  const names = [...candidates];
  const writeIn = rules.undeclaredWriteIn === null ? -1 : names.push(rules.undeclaredWriteIn) - 1;
  const grouper = new BallotGrouper({
    nameIndex: new Map(names.map((name, i) => [name, i] as const)),
    maxRankings: rules.maxRankings,
  });
  feed(grouper);
  const store = grouper.finish();
  // With no ballots every candidate ties at zero: a count would only be a series of tie-breaks.
  if (store.totalBallots === 0)
    throw new InvalidInputError("ballots", "there are no ballots; a count needs at least one");
  return { contest, names, writeIn, store };
}

export function countContest(contest: Contest): ContestReport {
  return countPrepared(prepareContest(contest));
}

export function countPrepared(prepared: PreparedContest): ContestReport {
  const { rules } = prepared.contest;
  if (rules.method === "scottish-stv") return countScottishStv(prepared);
  refuseUnnamedOvervotesWhenRuleNeedsNames(prepared);
  if (rules.method === "multi-pass-irv") return countMultiPass(prepared);
  const result = tabulate(tabulationInput(prepared, rules.seats, new Set(), 1));
  return { ...tabulationReport(result, prepared.names, prepared.store.totalBallots), tieBreaks: result.tieBreaks };
}

function tabulationInput(
  prepared: PreparedContest,
  seats: number,
  extraExcluded: Set<number>,
  pass: number,
): TabulationInput {
  const { contest, names, writeIn, store } = prepared;
  const excluded = new Set(contest.rules.excluded.map((name) => names.indexOf(name)));
  for (const c of extraExcluded) excluded.add(c);
  return { names, declared: contest.candidates, writeIn, excluded, rules: contest.rules, seats, store, pass };
}

function countMultiPass(prepared: PreparedContest): ContestReport {
  const passes: TabulationReport[] = [];
  const winners: number[] = [];
  const tieBreaks: TieBreakRecord[] = [];
  for (let pass = 1; pass <= prepared.contest.rules.seats; pass++) {
    const input = tabulationInput(prepared, 1, new Set(winners), pass);
    if (input.excluded.size >= prepared.names.length) break;
    const result = tabulate(input);
    passes.push(tabulationReport(result, prepared.names, prepared.store.totalBallots));
    tieBreaks.push(...result.tieBreaks);
    if (result.winners.length === 0) break;
    winners.push(...result.winners);
  }
  const report: MultiPassReport = {
    passes,
    winners: winners.map((c) => prepared.names[c] as string),
    totalBallots: String(prepared.store.totalBallots),
  };
  return { ...report, tieBreaks };
}

/** RCTab refuses `exhaust-if-multiple-continuing` with a bare "#overvote"; so do we (1.4.4). */
function refuseUnnamedOvervotesWhenRuleNeedsNames({ contest, store }: PreparedContest): void {
  if (contest.rules.overvoteRule !== "exhaust-if-multiple-continuing") return;
  if (store.marks.includes(OVERVOTE_MARK)) {
    throw new InvalidInputError(
      "rules.overvoteRule",
      'exhaust-if-multiple-continuing cannot judge a "#overvote" that names no candidates',
    );
  }
}

/** The report without its tie-break record: exactly the `expected` layout of 1.5. */
export function expectedLayout(report: ContestReport): ExpectedLayout {
  const { tieBreaks: _tieBreaks, rejectedBallots: _rejected, ...layout } = report;
  return layout;
}
