/**
 * Tie-breaks of the ranked-choice counter (ballot-case format 1.4.8), with the rule passed in.
 *
 * The tied names are first sorted by UTF-16 code units (JavaScript's default sort). Then, by mode:
 * - `random`: the name at floor(nextDouble() × n) of a seeded java.util.Random;
 * - `candidate-order`: the first of the tied met scanning the declared candidates from the first
 *   (winner) or from the last (loser);
 * - `generated-permutation`: the same scan over a permutation made once before round 1 (declared
 *   candidates sorted by name, then Java's Collections.shuffle with the generator);
 * - `previous-rounds-then-random` / `-then-ask`: keep the highest (winner) or lowest (loser) in the
 *   reported tally of each earlier round, latest first, until one is left; if several remain, draw
 *   as `random` does (or ask). The survivors are re-listed in java.util.HashSet iteration order at
 *   each compared round, because that is the order RCTab draws from;
 * - `ask`: an operator decides, so the count stops with a TieBreakRequiredError.
 *
 * One generator serves a whole tabulation, in call order; a new TieBreaker starts a new one.
 */
import { Dec } from "./decimal";
import { TieBreakRequiredError } from "./errors";
import { JavaRandom, javaShuffle } from "./java-random";
import { extremes } from "./order";
import type { TieBreakRule } from "./types";

export type TiePurpose = "winner" | "loser";

export interface TieQuestion {
  round: number;
  purpose: TiePurpose;
  tied: readonly string[];
  /** The reported tally of `name` in an earlier round. */
  reportedTally(round: number, name: string): Dec | undefined;
}

export interface TieAnswer {
  chosen: string;
  explanation: string;
}

export const usesRandom = (rule: TieBreakRule): boolean =>
  rule.mode === "random" || rule.mode === "generated-permutation" || rule.mode === "previous-rounds-then-random";

export class TieBreaker {
  private readonly random: JavaRandom | null;
  private readonly permutation: readonly string[] | null;

  constructor(
    private readonly rule: TieBreakRule,
    private readonly declared: readonly string[],
  ) {
    this.random = usesRandom(rule) ? new JavaRandom(requireSeed(rule)) : null;
    this.permutation =
      rule.mode === "generated-permutation" && this.random ? javaShuffle([...declared].sort(), this.random) : null;
  }

  /** The permutation of `generated-permutation`, for the report. */
  get candidatePermutation(): readonly string[] | null {
    return this.permutation;
  }

  choose(question: TieQuestion): TieAnswer {
    const tied = [...question.tied].sort();
    switch (this.rule.mode) {
      case "random":
        return this.draw(tied, "random draw");
      case "candidate-order":
        return this.scan(tied, this.declared, question, "declared candidate order");
      case "generated-permutation":
        return this.scan(
          tied,
          this.permutation ?? [],
          question,
          `permutation generated with seed ${this.rule.seed} [${(this.permutation ?? []).join(", ")}]`,
        );
      case "previous-rounds-then-random":
      case "previous-rounds-then-ask":
        return this.byPreviousRounds(tied, question);
      case "ask":
        throw new TieBreakRequiredError(question.round, question.purpose, tied, "the tie-break mode is `ask`");
    }
  }

  private draw(list: readonly string[], how: string): TieAnswer {
    const random = this.random as JavaRandom;
    const index = random.pickIndex(list.length);
    const chosen = list[index] as string;
    return { chosen, explanation: `${how}: seed ${this.rule.seed}, index ${index} of [${list.join(", ")}]` };
  }

  private scan(tied: string[], order: readonly string[], question: TieQuestion, how: string): TieAnswer {
    const scanOrder = question.purpose === "winner" ? order : [...order].reverse();
    const chosen = scanOrder.find((name) => tied.includes(name));
    if (chosen === undefined) {
      throw new TieBreakRequiredError(question.round, question.purpose, tied, `no tied name is in the ${how}`);
    }
    const direction = question.purpose === "winner" ? "first" : "last";
    return { chosen, explanation: `${how}: "${chosen}" comes ${direction}` };
  }

  private byPreviousRounds(tied: string[], question: TieQuestion): TieAnswer {
    let survivors = tied;
    let compared = false;
    for (let round = question.round - 1; round >= 1 && survivors.length > 1; round--) {
      survivors = extremes(
        survivors,
        (name) => question.reportedTally(round, name) ?? Dec.ZERO,
        (a, b) => a.cmp(b),
        question.purpose === "winner" ? "highest" : "lowest",
      );
      survivors = javaHashSetOrder(survivors);
      compared = true;
      if (survivors.length === 1) {
        const chosen = survivors[0] as string;
        return { chosen, explanation: `previous rounds: decided by the tally of round ${round}` };
      }
    }
    const list = compared ? survivors : tied;
    if (this.rule.mode === "previous-rounds-then-ask") {
      throw new TieBreakRequiredError(question.round, question.purpose, list, "still tied in every earlier round");
    }
    return this.draw(list, "previous rounds tied; random draw");
  }
}

function requireSeed(rule: TieBreakRule): string {
  if (rule.seed === null) throw new RangeError(`tie-break mode ${rule.mode} needs a seed`);
  return rule.seed;
}

/** Java's String.hashCode: h = 31·h + code unit, with 32-bit wrap-around. */
export function javaStringHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of `new java.util.HashSet<>(list)`: by bucket of the spread hash, names
 * sharing a bucket keeping their order in `list`.
 */
export function javaHashSetOrder(list: readonly string[]): string[] {
  const need = Math.max(16, Math.floor(list.length / 0.75) + 1);
  let capacity = 1;
  while (capacity < need) capacity *= 2;
  const bucketOf = (name: string): number => {
    const h = javaStringHashCode(name);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return list
    .map((name, index) => ({ name, index, bucket: bucketOf(name) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.name);
}
