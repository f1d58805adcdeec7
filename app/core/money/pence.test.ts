import { describe, expect, it } from "vitest";
import { MoneyError } from "./errors";
import { assertPence, assertPositivePence, isNonNegativePence, isPence, isPositivePence, sumPence } from "./pence";

describe("pence guards", () => {
  it.each([0, 1, -1, 150050, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])("%s is pence", (value) => {
    expect(isPence(value)).toBe(true);
  });
  it.each([0.5, 1.01, Number.NaN, Infinity, 2 ** 53, "100", null, undefined, 10n])("%s is not pence", (value) => {
    expect(isPence(value)).toBe(false);
  });
  it("positive and non-negative", () => {
    expect(isPositivePence(1)).toBe(true);
    expect(isPositivePence(0)).toBe(false);
    expect(isNonNegativePence(0)).toBe(true);
    expect(isNonNegativePence(-1)).toBe(false);
  });
  it("asserts with typed errors", () => {
    expect(() => assertPence(1.5)).toThrow(MoneyError);
    try {
      assertPositivePence(0);
      expect.unreachable();
    } catch (error) {
      expect((error as MoneyError).userMessage).toMatch(/more than £0.00/);
    }
    expect(() => assertPositivePence(5)).not.toThrow();
  });
});

describe("sumPence", () => {
  it("adds exactly", () => {
    expect(sumPence([1, 2, 3])).toBe(6);
    expect(sumPence([])).toBe(0);
  });
  it("fails rather than lose precision", () => {
    expect(() => sumPence([Number.MAX_SAFE_INTEGER, 1])).toThrow(MoneyError);
    expect(() => sumPence([0.1, 0.2])).toThrow(MoneyError);
  });
});
