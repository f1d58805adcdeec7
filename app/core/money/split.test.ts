import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MoneyError } from "./errors";
import { allocatePence, splitPence, splitPenceEqually } from "./split";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error("expected a MoneyError");
}

describe("splitPence examples", () => {
  it("reproduces the design example: £1,000 in ratio 2:2:3", () => {
    expect(splitPence(100000, [2, 2, 3], ["A", "B", "C"])).toEqual([28572, 28571, 42857]);
  });

  it("breaks ties by key, not by position", () => {
    expect(splitPence(100000, [2, 2, 3], ["B", "A", "C"])).toEqual([28571, 28572, 42857]);
  });

  it("gives the penny to the largest remainder even when its weight is small", () => {
    // 10p over weights 1:2 → exact 3.33 / 6.67; the second part has the larger remainder.
    expect(splitPence(10, [1, 2], ["a", "b"])).toEqual([3, 7]);
  });

  it("compares keys by code units, not locale", () => {
    // "Z" (0x5A) sorts before "a" (0x61) by code units.
    expect(splitPenceEqually(1, ["a", "Z"])).toEqual([0, 1]);
  });

  it("accepts decimal string weights, mixed with integers", () => {
    expect(splitPence(1000, ["1.5", 1, "2.50"], ["x", "y", "z"])).toEqual([300, 200, 500]);
    expect(splitPence(100, ["0.1", "0.2"], ["a", "b"])).toEqual([33, 67]);
  });

  it("gives zero weights nothing", () => {
    expect(splitPence(101, [0, 1, 0], ["a", "b", "c"])).toEqual([0, 101, 0]);
  });

  it("splits zero", () => {
    expect(splitPence(0, [1, 2], ["a", "b"])).toEqual([0, 0]);
  });

  it("splits equally with leftover to the first keys", () => {
    expect(splitPenceEqually(100, ["E05000003", "E05000001", "E05000002"])).toEqual([33, 34, 33]);
    expect(splitPenceEqually(2, ["c", "b", "a"])).toEqual([0, 1, 1]);
  });

  it("allocatePence keeps keys with their shares", () => {
    expect(
      allocatePence(100000, [
        { key: "W1", weight: 2 },
        { key: "W2", weight: 2 },
        { key: "W3", weight: 3 },
      ]),
    ).toEqual([
      { key: "W1", pence: 28572 },
      { key: "W2", pence: 28571 },
      { key: "W3", pence: 42857 },
    ]);
  });

  it("is exact for the largest totals", () => {
    const shares = splitPence(Number.MAX_SAFE_INTEGER, [1, 1, 1], ["a", "b", "c"]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("splitPence rejects", () => {
  it.each([
    ["negative total", () => splitPence(-1, [1], ["a"]), "INVALID_SPLIT"],
    ["fractional total", () => splitPence(1.5, [1], ["a"]), "NOT_INTEGER_PENCE"],
    ["no parts", () => splitPence(1, [], []), "INVALID_SPLIT"],
    ["all-zero weights", () => splitPence(1, [0, 0], ["a", "b"]), "INVALID_SPLIT"],
    ["negative weight", () => splitPence(1, [-1, 2], ["a", "b"]), "INVALID_WEIGHT"],
    ["float weight", () => splitPence(1, [0.5, 2], ["a", "b"]), "INVALID_WEIGHT"],
    ["signed string weight", () => splitPence(1, ["-1", "2"], ["a", "b"]), "INVALID_WEIGHT"],
    ["exponent weight", () => splitPence(1, ["1e3", "2"], ["a", "b"]), "INVALID_WEIGHT"],
    ["blank weight", () => splitPence(1, ["", "2"], ["a", "b"]), "INVALID_WEIGHT"],
    ["too many weight decimals", () => splitPence(1, ["0.1234567890123", "2"], ["a", "b"]), "INVALID_WEIGHT"],
    ["key count mismatch", () => splitPence(1, [1, 2], ["a"]), "INVALID_SPLIT"],
    ["repeated key", () => splitPence(1, [1, 2], ["a", "a"]), "INVALID_SPLIT"],
  ])("%s", (_label, run, code) => {
    expect(codeOf(run)).toBe(code);
  });
});

describe("splitPence properties", () => {
  const weightArb = fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }),
    fc
      .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9999 }))
      .map(([i, f]) => `${i}.${String(f).padStart(4, "0")}`),
  );
  const caseArb = fc
    .record({
      total: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      weights: fc.array(weightArb, { minLength: 1, maxLength: 12 }),
    })
    .filter(({ weights }) => weights.some((w) => Number(w) > 0))
    .map(({ total, weights }) => ({ total, weights, keys: weights.map((_, i) => `k${String(i).padStart(2, "0")}`) }));

  /** Exact quota T·w/W as a pair of BigInts, using the same weight scaling as the code. */
  function scaled(weights: (number | string)[]): bigint[] {
    return weights.map((w) => BigInt(Math.round(Number(w) * 10_000)));
  }

  it("shares always sum to the total", () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights, keys }) => {
        const shares = splitPence(total, weights, keys);
        return shares.reduce((sum, s) => sum + BigInt(s), 0n) === BigInt(total);
      }),
    );
  });

  it("each share is strictly within 1p of its exact quota", () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights, keys }) => {
        const shares = splitPence(total, weights, keys);
        const w = scaled(weights);
        const weightTotal = w.reduce((a, b) => a + b, 0n);
        return shares.every((share, i) => {
          const gap = BigInt(share) * weightTotal - BigInt(total) * w[i]!;
          return gap < weightTotal && -gap < weightTotal;
        });
      }),
    );
  });

  it("is deterministic and independent of the order parts are listed in", () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ total, weights, keys }, seed) => {
        const first = splitPence(total, weights, keys);
        expect(splitPence(total, weights, keys)).toEqual(first);
        const order = weights
          .map((_, i) => i)
          .sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13) || a - b);
        const shuffled = splitPence(
          total,
          order.map((i) => weights[i]!),
          order.map((i) => keys[i]!),
        );
        return order.every((originalIndex, position) => shuffled[position] === first[originalIndex]);
      }),
    );
  });

  it("scaling every weight by the same factor changes nothing", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 1000 }), ({ total, weights, keys }, factor) => {
        const integerWeights = weights.map((w) => Math.round(Number(w) * 10_000));
        return (
          JSON.stringify(splitPence(total, integerWeights, keys)) ===
          JSON.stringify(
            splitPence(
              total,
              integerWeights.map((w) => w * factor),
              keys,
            ),
          )
        );
      }),
    );
  });
});
