/**
 * The published ballot file of a round counted by a ranked rule (IRV, STV, Scottish STV): a
 * ballot-case file (app/core/counting/case-format.ts, section 1 of the ballot-case format) that
 * `npm run count -- ballots.json --format json` recounts to the stored report, byte for byte. The
 * rules travel in the file, so the command needs no rule option.
 *
 * The file is canonical in the same way as the PB ballot file (ballot-file.ts): projects in ballot
 * order under `options` (id, cost, name; the counting reads only `candidates`), ballots with no id,
 * receipt or time, in order of their ranking's JSON text, one JSON value a line. Candidates are the projects'
 * file ids sorted as text, and ties are
 * settled by `candidate-order`: the first of the tied in that list wins a tie for a place, the last
 * of them loses a tie for elimination. A project's file id starts with the round's tie-break key
 * (`projectIdFor`), so "project id", "lowest cost" and "ballot order" all read as that list's order.
 */
import type { Rules } from "../counting/types";
import { sha256Hex } from "../ledger/hash";
import { formatPenceAsDecimal, type Pence } from "../money";
import { BallotFileError, projectIdFor, type BallotFile, type BallotFileInput } from "./ballot-file";

export const RANKED_BALLOT_FILE_FORMAT = "wardfund-ranked-ballots/1";
export const RANKED_RULES = ["irv", "stv", "scottish-stv"] as const;
export type RankedRule = (typeof RANKED_RULES)[number];
export const PB_RULES = ["greedy", "mes", "mes-add1"] as const;
export type PbRoundRule = (typeof PB_RULES)[number];
export type RoundRule = PbRoundRule | RankedRule;

export function isRankedRule(rule: string): rule is RankedRule {
  return (RANKED_RULES as readonly string[]).includes(rule);
}

/** The counting engine's rules for a round's ranked rule and number of places. */
export function rankedRules(rule: RankedRule, seats: number, maxRanked: number): Rules {
  return {
    method: rule,
    seats: rule === "irv" ? 1 : seats,
    electOnePerRound: false,
    quota: "droop",
    integerQuota: true,
    decimalPlaces: 4,
    overvoteRule: "exhaust",
    maxSkippedRanks: null,
    maxRankings: maxRanked,
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
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildRankedBallotFile(
  input: Omit<BallotFileInput, "rule"> & { rule: RankedRule; seats: number; potPence: Pence },
): BallotFile {
  const projects = [...input.projects].sort((a, b) => a.ballotPosition - b.ballotPosition);
  const projectIds = new Map<number, string>();
  for (const project of projects) {
    if (projectIds.has(project.bidId)) throw new BallotFileError(`bid ${project.bidId} is on the ballot twice`);
    projectIds.set(project.bidId, projectIdFor(project, input.tieBreak));
  }
  const candidates = [...projectIds.values()].sort(byText);
  if (input.rule !== "irv" && input.seats > candidates.length)
    throw new BallotFileError(`the round fills ${input.seats} places but only ${candidates.length} projects stand`);
  const rankings = input.ballots.map((ballot) =>
    JSON.stringify(
      ballot.ranking.map((bidId) => {
        const id = projectIds.get(bidId);
        if (id === undefined) throw new BallotFileError(`a ballot ranks bid ${bidId}, which is not on the ballot`);
        return [id];
      }),
    ),
  );
  const ballotLines = rankings.sort(byText).map((ranking) => `{"ranking":${ranking},"count":1}`);
  const optionLines = projects.map((p) =>
    JSON.stringify({ id: projectIds.get(p.bidId), cost: formatPenceAsDecimal(p.costPence), name: p.title }),
  );
  const list = (lines: string[]) =>
    lines.length === 0 ? "[]" : `[\n${lines.map((line) => `    ${line}`).join(",\n")}\n  ]`;
  const text = [
    "{",
    `  "format": ${JSON.stringify(RANKED_BALLOT_FILE_FORMAT)},`,
    `  "id": ${JSON.stringify(`round-${input.roundId}`)},`,
    `  "description": ${JSON.stringify(input.roundName)},`,
    `  "currency": "GBP",`,
    `  "tieBreak": ${JSON.stringify(input.tieBreak)},`,
    `  "maxLength": ${JSON.stringify(input.maxRanked)},`,
    `  "budget": ${JSON.stringify(formatPenceAsDecimal(input.potPence))},`,
    `  "options": ${list(optionLines)},`,
    `  "candidates": ${JSON.stringify(candidates)},`,
    `  "rules": ${JSON.stringify(rankedRules(input.rule, input.seats, input.maxRanked))},`,
    `  "ballots": ${list(ballotLines)}`,
    "}",
    "",
  ].join("\n");
  return { text, sha256: sha256Hex(text), projectIds };
}
