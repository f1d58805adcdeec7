import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JavaRandom, javaShuffle, roundToDoublePrecision } from "./java-random";

describe("java.util.Random emulation", () => {
  it("reproduces Java's well-known first values", () => {
    // new Random(0).nextInt() and new Random(42).nextInt() in Java.
    expect(new JavaRandom("0").next(32)).toBe(-1155484576);
    expect(new JavaRandom("42").next(32)).toBe(-1170105035);
    // new Random(0).nextDouble() in Java.
    expect(Number(new JavaRandom("0").nextDoubleBits()) / 2 ** 53).toBe(0.730967787376657);
    // new Random(42).nextInt(10) in Java.
    expect(new JavaRandom("42").nextInt(10)).toBe(0);
  });

  it("accepts any Java long as a seed, negative ones included", () => {
    expect(() => new JavaRandom("-9223372036854775808")).not.toThrow();
    expect(() => new JavaRandom("9223372036854775808")).toThrow(RangeError);
    expect(() => new JavaRandom("1.5")).toThrow(SyntaxError);
  });

  it("nextInt stays in range, for powers of two and others", () => {
    const random = new JavaRandom("12345");
    for (const bound of [1, 2, 3, 7, 16, 1000, 2 ** 30]) {
      for (let i = 0; i < 50; i++) {
        const value = random.nextInt(bound);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(bound);
      }
    }
  });

  it("shuffles into a permutation, the same one for the same seed", () => {
    const list = ["a", "b", "c", "d", "e", "f"];
    const once = javaShuffle(list, new JavaRandom("3"));
    expect([...once].sort()).toEqual(list);
    expect(javaShuffle(list, new JavaRandom("3"))).toEqual(once);
  });

  it("pickIndex rounds the product as a Java double would", () => {
    // The emulation computes floor(nextDouble() × n) in BigInt with IEEE round-half-even at 53
    // bits; an IEEE double product computed by the JavaScript engine must give the same index.
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), fc.integer({ min: 1, max: 1000 }), (k, n) => {
        const exact = Number(roundToDoublePrecision(k * BigInt(n)) / 2n ** 53n);
        expect(exact).toBe(Math.floor((Number(k) / 2 ** 53) * n));
      }),
    );
    // The one case where rounding matters: k × 3 = 2^54 − 1 rounds up to 2^54, so index 2, not 1.
    const k = (2n ** 54n - 1n) / 3n;
    expect(Number(roundToDoublePrecision(k * 3n) / 2n ** 53n)).toBe(2);
  });
});
