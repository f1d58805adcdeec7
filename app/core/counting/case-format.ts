/**
 * Reads a ballot-case file (ballot-case format 1.1–1.3) from its JSON text or parsed value into a
 * `Contest`, checking the shape of every field and naming the one at fault
 * (`rules.tiebreak.mode: …`, `ballots[12].count: must be a positive integer`). The ballots
 * themselves are checked while they are grouped (`ballots.ts`), and the meaning of the rules in
 * `rules.ts`; `expected`, `id`, `source`, `description` and `rules.rctab` are carried along
 * untouched. No file access here: the caller reads the file.
 */
import { z } from "zod";
import { InvalidInputError } from "./errors";
import type { Ballot, Contest, ExpectedLayout, Rules } from "./types";

const nullableInt = z.number().int().nullable();

const rulesSchema = z.object({
  method: z.enum(["irv", "stv", "multi-pass-irv", "bottoms-up", "bottoms-up-percentage", "scottish-stv"]),
  seats: z.number().int().min(0),
  electOnePerRound: z.boolean(),
  quota: z.enum(["droop", "hare"]),
  integerQuota: z.boolean(),
  decimalPlaces: z.number().int().min(0).max(20),
  overvoteRule: z.enum(["exhaust", "skip", "exhaust-if-multiple-continuing"]),
  maxSkippedRanks: nullableInt,
  maxRankings: nullableInt,
  exhaustOnDuplicate: z.boolean(),
  batchElimination: z.boolean(),
  cutoffElimination: z.boolean(),
  continueUntilTwo: z.boolean(),
  firstRoundDeterminesThreshold: z.boolean(),
  bottomsUpPercent: z.string().nullable(),
  stopAfterRound: nullableInt,
  tiebreak: z.object({
    mode: z.enum([
      "random",
      "candidate-order",
      "generated-permutation",
      "previous-rounds-then-random",
      "previous-rounds-then-ask",
      "ask",
    ]),
    seed: z.string().nullable(),
  }),
  excluded: z.array(z.string()),
  undeclaredWriteIn: z.string().nullable(),
});

const caseSchema = z.object({
  id: z.string().optional(),
  source: z.string().optional(),
  description: z.string().optional(),
  candidates: z.array(z.string()),
  rules: rulesSchema,
  ballots: z.array(z.unknown()),
  expected: z.unknown().optional(),
});

export interface BallotCase extends Contest {
  id?: string;
  description?: string;
  expected?: ExpectedLayout;
}

/** Formats a zod path the way the case format writes fields: `ballots[3].ranking[0]`. */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    "",
  );
}

export function parseCaseJson(text: string): BallotCase {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError("file", `is not valid JSON (${(error as Error).message})`);
  }
  return caseFromValue(data);
}

export function caseFromValue(data: unknown): BallotCase {
  const parsed = caseSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.ZodIssue;
    throw new InvalidInputError(fieldPath(issue.path) || "file", issue.message);
  }
  const { id, description, candidates, rules, ballots, expected } = parsed.data;
  return {
    id,
    description,
    candidates,
    rules: rules as Rules,
    ballots: ballots as Ballot[],
    expected: expected as ExpectedLayout | undefined,
  };
}
