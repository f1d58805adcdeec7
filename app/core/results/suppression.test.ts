import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { suppressTable, type SuppressedTable } from "./suppression";

const T = 10;

const view = (table: SuppressedTable) =>
  JSON.stringify([table.total.count, ...table.cells.map((c) => (c.hidden ? "h" : c.count))]);

/** Every table of `size` counts, each 0..max, in lexicographic order. */
function* tables(size: number, max: number): Generator<number[]> {
  const counts = new Array<number>(size).fill(0);
  for (;;) {
    yield [...counts];
    let i = size - 1;
    while (i >= 0 && counts[i] === max) counts[i--] = 0;
    if (i < 0) return;
    counts[i]! += 1;
  }
}

/**
 * The attacker: knows the rules, sees the published view. Lists every table (counts 0..max) that
 * publishes the same view, and returns for each hidden cell the set of values it can take.
 */
function possibleValues(published: SuppressedTable, size: number, max: number): Map<number, Set<number>> {
  const target = view(published);
  const values = new Map<number, Set<number>>();
  published.cells.forEach((c, i) => c.hidden && values.set(i, new Set()));
  for (const candidate of tables(size, max)) {
    if (published.total.count !== null && candidate.reduce((a, b) => a + b, 0) !== published.total.count) continue;
    if (published.cells.some((c, i) => !c.hidden && c.count !== candidate[i])) continue;
    if (view(suppressTable(candidate, T)) !== target) continue;
    for (const [i, set] of values) set.add(candidate[i]!);
  }
  return values;
}

describe("secondary suppression of a one-way table", () => {
  it("hides counts under the threshold, and shows the rest and the total", () => {
    const table = suppressTable([25, 3, 0, 12, 40], T);
    expect(table.total).toEqual({ count: 80, hidden: false });
    expect(table.cells.map((c) => c.count)).toEqual([25, null, null, null, 40]);
  });

  it("hides a second count when only one is small (the total would give it away)", () => {
    const table = suppressTable([25, 3, 12, 40], T);
    expect(table.cells.map((c) => c.count)).toEqual([25, null, null, 40]);
  });

  it("hides more when the small ones add up to under the threshold", () => {
    expect(suppressTable([0, 0, 30, 12], T).cells.map((c) => c.count)).toEqual([null, null, 30, null]);
    expect(suppressTable([4, 5, 30, 12], T).cells.map((c) => c.count)).toEqual([null, null, 30, null]);
  });

  it("shows everything when nothing is small, and hides everything when the total is small", () => {
    expect(suppressTable([10, 11, 12], T).cells.every((c) => !c.hidden)).toBe(true);
    const small = suppressTable([3, 2, 4], T);
    expect(small.total.hidden).toBe(true);
    expect(small.cells.every((c) => c.hidden)).toBe(true);
  });

  it("hides every count of a two-answer table with one small answer", () => {
    expect(suppressTable([3, 40], T).cells.map((c) => c.count)).toEqual([null, null]);
  });

  it("the old rule (small counts only) lets a hidden count be worked out; this one does not", () => {
    const counts = [25, 3, 12, 40];
    const shownOld = counts.map((c) => (c < T ? null : c));
    const derived = counts.reduce((a, b) => a + b, 0) - shownOld.reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(derived).toBe(3);
    const table = suppressTable(counts, T);
    const hiddenSum = 80 - table.cells.reduce((a, c) => a + (c.count ?? 0), 0);
    expect(table.cells.filter((c) => c.hidden).length).toBeGreaterThanOrEqual(2);
    expect(hiddenSum).toBeGreaterThanOrEqual(T);
  });

  // Exhaustive: every table of 2 or 3 answers with counts up to 24, attacked by enumeration.
  it.each([
    [2, 24],
    [3, 19],
  ])(
    "no hidden count of any %i-answer table (counts 0..%i) can be worked out",
    (size, max) => {
      const seen = new Set<string>();
      let checked = 0;
      for (const counts of tables(size, max)) {
        const published = suppressTable(counts, T);
        const key = view(published);
        if (seen.has(key)) continue;
        seen.add(key);
        // The attacker's search must cover every table the view could come from.
        const bound = published.total.count ?? T - 1;
        for (const [cell, values] of possibleValues(published, size, Math.max(bound, 0))) {
          if (values.size < 2) throw new Error(`cell ${cell} of ${JSON.stringify(counts)} is ${[...values][0]}`);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(10);
    },
    120_000,
  );

  it("no hidden count of random 4-answer tables can be worked out", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 4, maxLength: 4 }), (counts) => {
        const published = suppressTable(counts, T);
        const bound = published.total.count ?? T - 1;
        for (const values of possibleValues(published, counts.length, bound).values())
          expect(values.size).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("refuses a negative or fractional count", () => {
    expect(() => suppressTable([1, -1], T)).toThrow();
    expect(() => suppressTable([1.5, 3], T)).toThrow();
  });
});
