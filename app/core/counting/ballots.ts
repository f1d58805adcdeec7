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
import { IntList } from "./int-list";
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

/** Merges identical rankings as ballots arrive; `finish` returns the store. */
export class BallotGrouper {
  private readonly groupOf = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly rankStart = new IntList();
  private readonly posStart = new IntList();
  private readonly marks = new IntList();
  private totalBallots = 0;
  private readonly codes: number[] = [];

  constructor(private readonly options: CompileOptions) {
    this.rankStart.push(0);
    this.posStart.push(0);
  }

  /** Adds `ballots[index]` and returns its group; the index only names the ballot in an error. */
  add(ballot: Ballot, index: number): number {
    const count = ballot.count;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new InvalidInputError(`ballots[${index}].count`, "must be a positive integer");
    }
    const key = this.rankingKey(ballot.ranking, index);
    let group = this.groupOf.get(key);
    if (group === undefined) {
      group = this.counts.length;
      this.groupOf.set(key, group);
      this.counts.push(0);
      this.appendRanking(key);
    }
    this.addToGroup(group, count, index);
    return group;
  }

  /** Adds `count` more ballots to a group already made (for a reader that met them before). */
  addToGroup(group: number, count: number, index: number): void {
    this.counts[group] = (this.counts[group] as number) + count;
    this.totalBallots += count;
    if (!Number.isSafeInteger(this.totalBallots))
      throw new InvalidInputError(`ballots[${index}]`, "too many ballots in total");
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

  /**
   * Checks a ranking and encodes it as a string key, one character per mark (its index + 2, so
   * "#overvote" is 1) and a NUL closing each rank position. Identical rankings share a key.
   */
  private rankingKey(ranking: readonly (readonly string[])[], index: number): string {
    const where = (): string => `ballots[${index}].ranking`;
    if (!Array.isArray(ranking)) throw new InvalidInputError(where(), "must be an array of rank positions");
    const { maxRankings, nameIndex } = this.options;
    if (maxRankings !== null && ranking.length > maxRankings) {
      throw new InvalidInputError(where(), `has ${ranking.length} ranks, more than maxRankings (${maxRankings})`);
    }
    const codes = this.codes;
    codes.length = 0;
    for (let rank = 0; rank < ranking.length; rank++) {
      const position = ranking[rank] as readonly string[];
      if (!Array.isArray(position)) throw new InvalidInputError(`${where()}[${rank}]`, "must be an array of names");
      if (position.length === 0 && rank === ranking.length - 1) {
        throw new InvalidInputError(where(), "must not end with a skipped (empty) rank");
      }
      for (let k = 0; k < position.length; k++) {
        const name = position[k];
        if (name === OVERVOTE_LABEL && position.length !== 1) {
          throw new InvalidInputError(`${where()}[${rank}]`, `"${OVERVOTE_LABEL}" must be alone in its rank`);
        }
        const mark =
          name === OVERVOTE_LABEL ? OVERVOTE_MARK : typeof name === "string" ? nameIndex.get(name) : undefined;
        if (mark === undefined)
          throw new InvalidInputError(`${where()}[${rank}][${k}]`, `unknown candidate ${JSON.stringify(name)}`);
        codes.push(mark + 2);
      }
      codes.push(0);
    }
    return String.fromCharCode(...codes);
  }

  private appendRanking(key: string): void {
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      if (code === 0) this.posStart.push(this.marks.length);
      else this.marks.push(code - 2);
    }
    this.rankStart.push(this.posStart.length - 1);
  }
}
