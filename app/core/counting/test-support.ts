/**
 * Small builders for hand-made contests in tests: `rules({...})` fills every rule with a plain
 * IRV default, and `ballot("A B+C - #", n)` writes a ranking compactly: names separated by
 * spaces, `-` a skipped rank, `B+C` an overvote naming B and C, `#` an unnamed "#overvote".
 */
import { OVERVOTE_LABEL, type Ballot, type Contest, type Rules } from "./types";

export function rules(overrides: Partial<Rules> = {}): Rules {
  return {
    method: "irv",
    seats: 1,
    electOnePerRound: false,
    quota: "droop",
    integerQuota: true,
    decimalPlaces: 4,
    overvoteRule: "exhaust",
    maxSkippedRanks: null,
    maxRankings: null,
    exhaustOnDuplicate: false,
    batchElimination: false,
    cutoffElimination: false,
    continueUntilTwo: false,
    firstRoundDeterminesThreshold: false,
    bottomsUpPercent: null,
    stopAfterRound: null,
    tiebreak: { mode: "candidate-order", seed: null },
    excluded: [],
    undeclaredWriteIn: null,
    ...overrides,
  };
}

export function ballot(text: string, count = 1): Ballot {
  const ranking = text
    .trim()
    .split(/\s+/)
    .filter((token) => token !== "")
    .map((token) => (token === "-" ? [] : token === "#" ? [OVERVOTE_LABEL] : token.split("+")));
  return { ranking, count };
}

export function contest(candidates: string, ballots: Ballot[], overrides: Partial<Rules> = {}): Contest {
  return { candidates: candidates.split(/\s+/), rules: rules(overrides), ballots };
}
