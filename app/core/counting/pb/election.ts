/**
 * A PB election compiled for counting: projects by index with exact costs, the budget, and the
 * ballots merged into groups of identical rankings held in flat typed arrays (project indices,
 * best first). Built either from plain data (`pbElectionFrom`) or line by line by the Pabulib
 * reader; both check every ranking once, the first time it is seen, and name the place at fault.
 *
 * Points (ballot-case format 2.1): the project at position i (1 = best) of a ranking earns
 * maxLength − i + 1 points from that voter; unranked projects earn 0.
 */
import { Dec } from "../decimal";
import { InvalidInputError } from "../errors";
import { IntList } from "../int-list";
import type { PbElectionInput } from "./types";

export interface PbElection {
  projectIds: string[];
  projectNames: (string | undefined)[];
  costs: Dec[];
  budget: Dec;
  maxLength: number;
  /** Every voter, including any whose ranking is empty. */
  voterCount: number;
  groupCount: number;
  groupCounts: Float64Array;
  /** Group g ranks groupItems[groupStart[g]] … groupItems[groupStart[g + 1] − 1]. */
  groupStart: Int32Array;
  groupItems: Int32Array;
}

export function pointsAt(maxLength: number, position: number): number {
  return maxLength - position;
}

/** Total points per project, as exact integers. */
export function projectPoints(election: PbElection): number[] {
  const points = new Array<number>(election.projectIds.length).fill(0);
  const { groupStart, groupItems, groupCounts, maxLength } = election;
  for (let g = 0; g < election.groupCount; g++) {
    const count = groupCounts[g] as number;
    const start = groupStart[g] as number;
    for (let i = start; i < (groupStart[g + 1] as number); i++) {
      const p = groupItems[i] as number;
      points[p] = (points[p] as number) + count * pointsAt(maxLength, i - start);
    }
  }
  if (!points.every(Number.isSafeInteger)) throw new RangeError("project points exceed exact integer range");
  return points;
}

/** Merges identical rankings into groups; each new ranking is checked when first met. */
export class PbBallotGrouper {
  private readonly groupOf = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly starts: number[] = [0];
  private readonly items = new IntList();
  private voterCount = 0;

  /**
   * `idsOf` reads the project ids out of a ranking's key (its text as written); `where` names a
   * ranking's place in the input (a line, a ballot index) for error messages.
   */
  constructor(
    private readonly projectIndex: ReadonlyMap<string, number>,
    private readonly maxLength: number,
    private readonly idsOf: (key: string) => readonly string[],
    private readonly where: (place: number) => string,
    private readonly minLength = 0,
  ) {}

  /** Adds `count` voters ranking `key`; a new key is read and checked once. */
  add(key: string, count: number, place: number): void {
    if (!Number.isSafeInteger(count) || count < 1)
      throw new InvalidInputError(this.where(place), "count must be a positive integer");
    let group = this.groupOf.get(key);
    if (group === undefined) {
      group = this.counts.length;
      this.appendRanking(this.rankingIndices(this.idsOf(key), this.where(place)));
      this.groupOf.set(key, group);
      this.counts.push(0);
    }
    this.counts[group] = (this.counts[group] as number) + count;
    this.voterCount += count;
  }

  finish(): Pick<PbElection, "voterCount" | "groupCount" | "groupCounts" | "groupStart" | "groupItems"> {
    return {
      voterCount: this.voterCount,
      groupCount: this.counts.length,
      groupCounts: Float64Array.from(this.counts),
      groupStart: Int32Array.from(this.starts),
      groupItems: this.items.toArray(),
    };
  }

  private rankingIndices(ids: readonly string[], where: string): number[] {
    if (ids.length > this.maxLength) {
      throw new InvalidInputError(where, `ranks ${ids.length} projects, more than max_length ${this.maxLength}`);
    }
    if (ids.length < this.minLength) {
      throw new InvalidInputError(where, `ranks ${ids.length} projects, fewer than min_length ${this.minLength}`);
    }
    const indices: number[] = [];
    for (const id of ids) {
      const index = this.projectIndex.get(id);
      if (index === undefined) throw new InvalidInputError(where, `unknown project id ${id}`);
      if (indices.includes(index)) throw new InvalidInputError(where, `project ${id} is ranked twice`);
      indices.push(index);
    }
    return indices;
  }

  private appendRanking(indices: number[]): void {
    for (const index of indices) this.items.push(index);
    this.starts.push(this.items.length);
  }
}

export function parseMoney(value: string | number, where: string): Dec {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new InvalidInputError(where, "must be a whole number or a decimal string");
  if (!/^\d+(?:\.\d+)?$/.test(text.trim()))
    throw new InvalidInputError(where, `must be a non-negative amount, got ${JSON.stringify(value)}`);
  return Dec.parse(text);
}

/** Builds the project table; ids must be unique. */
export function projectTable(
  projects: readonly { id: string; cost: string | number; name?: string }[],
  where: (i: number, field: "id" | "cost") => string,
) {
  const projectIds: string[] = [];
  const projectNames: (string | undefined)[] = [];
  const costs: Dec[] = [];
  const projectIndex = new Map<string, number>();
  projects.forEach((project, i) => {
    if (typeof project.id !== "string" || project.id === "")
      throw new InvalidInputError(where(i, "id"), "must be a non-empty string");
    if (projectIndex.has(project.id))
      throw new InvalidInputError(where(i, "id"), `project id ${project.id} appears twice`);
    projectIndex.set(project.id, i);
    projectIds.push(project.id);
    projectNames.push(project.name);
    costs.push(parseMoney(project.cost, where(i, "cost")));
  });
  return { projectIds, projectNames, costs, projectIndex };
}

/** Joins the ids of a plain-data ranking into its key (ids are never empty, so "" is no ids). */
const KEY_SEPARATOR = "\u0000";
const splitKey = (key: string): string[] => (key === "" ? [] : key.split(KEY_SEPARATOR));

export function pbElectionFrom(input: PbElectionInput): PbElection {
  const table = projectTable(input.projects, (i, field) => `projects[${i}].${field}`);
  const budget = parseMoney(input.budget, "budget");
  const maxLength = input.maxLength ?? table.projectIds.length;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1)
    throw new InvalidInputError("maxLength", "must be a positive integer");
  const grouper = new PbBallotGrouper(table.projectIndex, maxLength, splitKey, (i) => `ballots[${i}]`);
  input.ballots.forEach((ballot, i) => {
    if (!Array.isArray(ballot.ranking))
      throw new InvalidInputError(`ballots[${i}].ranking`, "must be an array of project ids");
    grouper.add(ballot.ranking.join(KEY_SEPARATOR), ballot.count, i);
  });
  const { projectIds, projectNames, costs } = table;
  return { projectIds, projectNames, costs, budget, maxLength, ...grouper.finish() };
}

/** The scale (decimal places) at which every cost and the budget are whole units. */
export function moneyScale(election: Pick<PbElection, "costs" | "budget">): number {
  return Math.max(election.budget.scale, ...election.costs.map((cost) => cost.scale));
}
