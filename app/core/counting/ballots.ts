/**
 * Compiles ranked ballots into a compact, grouped store for counting (ballot-case format 1.2).
 *
 * Identical rankings are merged at once into one group with a count, names become integer
 * candidate indices, and the rank positions of all groups sit in three flat typed arrays, so a
 * count of a million ballots walks arrays of integers instead of objects. Checks each ballot
 * as it goes and names the field at fault: a count that is not a positive integer, an unknown
 * name, "#overvote" sharing its position, a ranking longer than `maxRankings` or ending with a
 * skipped rank.
 */
import { InvalidInputError } from "./errors";
import { OVERVOTE_LABEL, type Ballot } from "./types";

/** The mark stored for "#overvote". */
export const OVERVOTE_MARK = -1;

export interface BallotStore {
  groupCount: number;
  /** Ballots in each group (positive integers). */
  counts: Float64Array;
  /** Group g's positions are posStart[rankStart[g]] … posStart[rankStart[g + 1]]. */
  rankStart: Int32Array;
  /** Position p's marks are marks[posStart[p]] … marks[posStart[p + 1] − 1]. */
  posStart: Int32Array;
  /** Candidate indices, or OVERVOTE_MARK. */
  marks: Int32Array;
  totalBallots: number;
}

export interface CompileOptions {
  /** Name → candidate index, for every name a ballot may carry. */
  nameIndex: ReadonlyMap<string, number>;
  maxRankings: number | null;
}

class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Merges identical rankings as ballots arrive; `finish` returns the store. */
export class BallotGrouper {
  private readonly groupOf = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly rankStart = new GrowableInt32();
  private readonly posStart = new GrowableInt32();
  private readonly marks = new GrowableInt32();
  private totalBallots = 0;

  constructor(private readonly options: CompileOptions) {
    this.rankStart.push(0);
    this.posStart.push(0);
  }

  add(ballot: Ballot, where: string): void {
    const count = ballot.count;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new InvalidInputError(`${where}.count`, "must be a positive integer");
    }
    const indices = this.rankingIndices(ballot.ranking, `${where}.ranking`);
    const key = indices.map((position) => position.join(",")).join("|");
    let group = this.groupOf.get(key);
    if (group === undefined) {
      group = this.counts.length;
      this.groupOf.set(key, group);
      this.counts.push(0);
      this.appendRanking(indices);
    }
    this.counts[group] = (this.counts[group] as number) + count;
    this.totalBallots += count;
    if (!Number.isSafeInteger(this.totalBallots)) throw new InvalidInputError(where, "too many ballots in total");
  }

  finish(): BallotStore {
    return {
      groupCount: this.counts.length,
      counts: Float64Array.from(this.counts),
      rankStart: this.rankStart.toArray(),
      posStart: this.posStart.toArray(),
      marks: this.marks.toArray(),
      totalBallots: this.totalBallots,
    };
  }

  private rankingIndices(ranking: readonly (readonly string[])[], where: string): number[][] {
    if (!Array.isArray(ranking)) throw new InvalidInputError(where, "must be an array of rank positions");
    const { maxRankings, nameIndex } = this.options;
    if (maxRankings !== null && ranking.length > maxRankings) {
      throw new InvalidInputError(where, `has ${ranking.length} ranks, more than maxRankings (${maxRankings})`);
    }
    if (ranking.length > 0 && (ranking[ranking.length - 1] as readonly string[]).length === 0) {
      throw new InvalidInputError(where, "must not end with a skipped (empty) rank");
    }
    return ranking.map((position, rank) => {
      if (!Array.isArray(position)) throw new InvalidInputError(`${where}[${rank}]`, "must be an array of names");
      return position.map((name, k) => {
        if (name === OVERVOTE_LABEL) {
          if (position.length !== 1) throw new InvalidInputError(`${where}[${rank}]`, `"${OVERVOTE_LABEL}" must be alone in its rank`);
          return OVERVOTE_MARK;
        }
        const index = typeof name === "string" ? nameIndex.get(name) : undefined;
        if (index === undefined) throw new InvalidInputError(`${where}[${rank}][${k}]`, `unknown candidate ${JSON.stringify(name)}`);
        return index;
      });
    });
  }

  private appendRanking(indices: number[][]): void {
    for (const position of indices) {
      for (const mark of position) this.marks.push(mark);
      this.posStart.push(this.marks.length);
    }
    this.rankStart.push(this.posStart.length - 1);
  }
}

export function compileBallots(ballots: readonly Ballot[], options: CompileOptions): BallotStore {
  if (!Array.isArray(ballots)) throw new InvalidInputError("ballots", "must be an array");
  const grouper = new BallotGrouper(options);
  ballots.forEach((ballot, i) => {
    if (typeof ballot !== "object" || ballot === null) throw new InvalidInputError(`ballots[${i}]`, "must be an object");
    grouper.add(ballot, `ballots[${i}]`);
  });
  return grouper.finish();
}
