/**
 * Reads a PB ballot file written as JSON: the plain data of `PbElectionInput` (projects with
 * costs, the budget, the longest ranking allowed, and ballots ranking project ids best first).
 * Wardfund publishes every counted PB round in this form, so anyone can recount it with
 * `npm run count -- ballots.json --rule greedy|mes --tie project-id`. Other top-level fields
 * (a format name, the round, notes) and other ballot fields (a ballot's receipt id) are carried
 * along and ignored by the count.
 */
import { z } from "zod";
import { fieldPath } from "../case-format";
import { InvalidInputError } from "../errors";
import type { PbElectionInput } from "./types";

const pbCaseSchema = z.object({
  projects: z.array(
    z.object({ id: z.string(), cost: z.union([z.string(), z.number()]), name: z.string().optional() }).passthrough(),
  ),
  budget: z.union([z.string(), z.number()]),
  maxLength: z.number().int().positive().optional(),
  ballots: z.array(
    z.object({ ranking: z.array(z.string()), count: z.number().int().positive().default(1) }).passthrough(),
  ),
});

/** True when a parsed JSON value is a PB ballot file (it lists `projects`), not a ranked-choice case. */
export function isPbCaseValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && Array.isArray((value as { projects?: unknown }).projects);
}

export function pbCaseFromValue(value: unknown): PbElectionInput {
  const parsed = pbCaseSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new InvalidInputError(fieldPath(first.path) || "file", first.message);
  }
  const { projects, budget, maxLength, ballots } = parsed.data;
  return {
    projects: projects.map((p) => ({ id: p.id, cost: p.cost, ...(p.name === undefined ? {} : { name: p.name }) })),
    budget,
    ...(maxLength === undefined ? {} : { maxLength }),
    ballots: ballots.map((b) => ({ ranking: b.ranking, count: b.count })),
  };
}
