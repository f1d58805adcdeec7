/**
 * Checks the rules of a ranked-choice contest against each other and against the candidate list
 * (ballot-case format 1.3), naming the field at fault, before any ballot is counted. The shape of
 * each field (types, enums) is checked where the input is parsed; this file checks meaning: that
 * seats suit the method, that excluded names are declared, that a random mode has its seed.
 */
import { Dec } from "./decimal";
import { InvalidInputError } from "./errors";
import { usesRandom } from "./tie-break";
import { OVERVOTE_LABEL, type Contest } from "./types";

/** Ballots encode each mark as one UTF-16 code unit (see ballots.ts). */
const MAX_CANDIDATES = 65_000;

export function validateContest(contest: Contest): void {
  validateCandidates(contest);
  validateRules(contest);
}

function validateCandidates({ candidates, rules }: Contest): void {
  if (!Array.isArray(candidates) || candidates.length === 0) {
    throw new InvalidInputError("candidates", "must list at least one candidate");
  }
  if (candidates.length > MAX_CANDIDATES)
    throw new InvalidInputError("candidates", `must list at most ${MAX_CANDIDATES} candidates`);
  const seen = new Set<string>();
  candidates.forEach((name, i) => {
    if (typeof name !== "string" || name.length === 0)
      throw new InvalidInputError(`candidates[${i}]`, "must be a non-empty string");
    if (name === OVERVOTE_LABEL)
      throw new InvalidInputError(`candidates[${i}]`, `"${OVERVOTE_LABEL}" is not a candidate name`);
    if (seen.has(name)) throw new InvalidInputError(`candidates[${i}]`, `"${name}" is declared twice`);
    seen.add(name);
  });
  const writeIn = rules.undeclaredWriteIn;
  if (writeIn !== null && (seen.has(writeIn) || writeIn === OVERVOTE_LABEL || writeIn === "")) {
    throw new InvalidInputError("rules.undeclaredWriteIn", "must differ from every declared candidate name");
  }
  rules.excluded.forEach((name, i) => {
    if (!seen.has(name)) throw new InvalidInputError(`rules.excluded[${i}]`, `"${name}" is not a declared candidate`);
  });
}

function validateRules({ rules }: Contest): void {
  const integerAtLeast = (value: number, min: number, field: string): void => {
    if (!Number.isSafeInteger(value) || value < min)
      throw new InvalidInputError(`rules.${field}`, `must be an integer ≥ ${min}`);
  };
  const percentage = rules.method === "bottoms-up-percentage";
  integerAtLeast(rules.seats, percentage ? 0 : 1, "seats");
  if (percentage && rules.seats !== 0) {
    throw new InvalidInputError("rules.seats", "must be 0 with bottoms-up-percentage (the percentage decides)");
  }
  integerAtLeast(rules.decimalPlaces, 0, "decimalPlaces");
  if (rules.decimalPlaces > 20) throw new InvalidInputError("rules.decimalPlaces", "must be at most 20");
  if (rules.maxSkippedRanks !== null) integerAtLeast(rules.maxSkippedRanks, 0, "maxSkippedRanks");
  if (rules.maxRankings !== null) integerAtLeast(rules.maxRankings, 1, "maxRankings");
  if (rules.stopAfterRound !== null) integerAtLeast(rules.stopAfterRound, 1, "stopAfterRound");
  validatePercent(rules.bottomsUpPercent, percentage);
  if (usesRandom(rules.tiebreak) && (rules.tiebreak.seed === null || !/^-?\d+$/.test(rules.tiebreak.seed))) {
    throw new InvalidInputError("rules.tiebreak.seed", `mode ${rules.tiebreak.mode} needs a decimal integer seed`);
  }
}

function validatePercent(text: string | null, required: boolean): void {
  if (text === null) {
    if (required) throw new InvalidInputError("rules.bottomsUpPercent", "is required by bottoms-up-percentage");
    return;
  }
  if (!Dec.isDecimalText(text)) throw new InvalidInputError("rules.bottomsUpPercent", "must be a decimal string");
  const value = Dec.parse(text);
  if (value.sign() <= 0 || value.gt(Dec.of(100)))
    throw new InvalidInputError("rules.bottomsUpPercent", "must be above 0 and at most 100");
}
