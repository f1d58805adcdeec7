/**
 * Paper ballots keyed in by officers. A batch is typed as one line per ballot listing the ballot
 * positions in the voter's order ("3 1 5": position 3 first). Two officers key the same batch
 * independently; the batch counts once both keyings agree or every difference is resolved.
 */

/** Why a keyed line cannot be read: the catalogue key (rounds:paper.*) and the values it names. */
export interface KeyingProblem {
  key: "rounds:paper.notPositions" | "rounds:paper.noProject" | "rounds:paper.twice" | "rounds:paper.tooMany";
  values: Record<string, string | number>;
}

export type KeyingParse =
  | { ok: true; ballots: number[][] }
  | { ok: false; errors: { line: number; problem: KeyingProblem }[] }
  | { ok: false; empty: true; errors: [] };

/**
 * Parses a keying. Blank lines are skipped (a spoilt or empty paper is not keyed). Positions are
 * separated by spaces, commas or hyphens. Returns the rankings as bid ids.
 */
export function parseKeying(
  text: string,
  positionToBidId: ReadonlyMap<number, number>,
  maxRanked: number,
): KeyingParse {
  const ballots: number[][] = [];
  const errors: { line: number; problem: KeyingProblem }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const result = parseBallotLine(line, positionToBidId, maxRanked);
    if (Array.isArray(result)) ballots.push(result);
    else errors.push({ line: i + 1, problem: result });
  });
  if (errors.length) return { ok: false, errors };
  if (ballots.length === 0) return { ok: false, empty: true, errors: [] };
  return { ok: true, ballots };
}

/** One ballot line to bid ids, or the reason it cannot be read. */
export function parseBallotLine(
  line: string,
  positionToBidId: ReadonlyMap<number, number>,
  maxRanked: number,
): number[] | KeyingProblem {
  const parts = line.split(/[\s,-]+/).filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) return { key: "rounds:paper.notPositions", values: { text: line } };
  const positions = parts.map(Number);
  const unknown = positions.find((p) => !positionToBidId.has(p));
  if (unknown !== undefined) return { key: "rounds:paper.noProject", values: { position: unknown } };
  if (new Set(positions).size !== positions.length) return { key: "rounds:paper.twice", values: { text: line } };
  if (positions.length > maxRanked) return { key: "rounds:paper.tooMany", values: { text: line, max: maxRanked } };
  return positions.map((p) => positionToBidId.get(p)!);
}

/** Writes a ranking back as ballot positions ("3 1 5"), for showing a keying. */
export function positionsLine(ranking: readonly number[], bidIdToPosition: ReadonlyMap<number, number>): string {
  return ranking.map((id) => bidIdToPosition.get(id) ?? "?").join(" ");
}

export interface KeyingMismatch {
  /** 0-based index of the ballot in the batch. */
  index: number;
  first: number[] | null;
  second: number[] | null;
}

const same = (a: readonly number[] | null, b: readonly number[] | null) =>
  a !== null && b !== null && a.length === b.length && a.every((v, i) => v === b[i]);

/** The ballots where the two keyings differ (a ballot missing from one keying counts as a difference). */
export function compareKeyings(first: readonly number[][], second: readonly number[][]): KeyingMismatch[] {
  const mismatches: KeyingMismatch[] = [];
  for (let i = 0; i < Math.max(first.length, second.length); i++) {
    const a = first[i] ?? null;
    const b = second[i] ?? null;
    if (!same(a, b)) mismatches.push({ index: i, first: a, second: b });
  }
  return mismatches;
}

/** A resolution: the ranking the ballot paper really shows, or null when it is not a ballot. */
export type Resolution = { index: number; ranking: number[] | null };

/**
 * The batch's ballots once every mismatch is resolved: the agreed ballots plus each resolution, in
 * batch order. Throws if a mismatch has no resolution.
 */
export function resolvedBallots(
  first: readonly number[][],
  second: readonly number[][],
  resolutions: readonly Resolution[],
): number[][] {
  const byIndex = new Map(resolutions.map((r) => [r.index, r.ranking]));
  const out: number[][] = [];
  for (let i = 0; i < Math.max(first.length, second.length); i++) {
    const a = first[i] ?? null;
    const b = second[i] ?? null;
    if (same(a, b)) {
      out.push([...a!]);
      continue;
    }
    if (!byIndex.has(i)) throw new Error(`Ballot ${i + 1} has no resolution`);
    const r = byIndex.get(i)!;
    if (r) out.push([...r]);
  }
  return out;
}
