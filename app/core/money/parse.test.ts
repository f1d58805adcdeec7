import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MoneyError } from "./errors";
import { formatPence, formatPenceAsDecimal } from "./format";
import { parsePounds, tryParsePounds } from "./parse";

function errorCodeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error("expected a MoneyError");
}

describe("parsePounds accepts", () => {
  it.each([
    ["1,500.50", 150050],
    ["£1,500.50", 150050],
    ["1500.50", 150050],
    ["1500.5", 150050],
    ["1500", 150000],
    ["  £12  ", 1200],
    ["£ 12.34", 1234],
    ["0.01", 1],
    [".5", 50],
    [".05", 5],
    ["0", 0],
    ["0.00", 0],
    ["1,234,567.89", 123456789],
    ["999", 99900],
    ["1,000", 100000],
    ["007.10", 710],
    ["90071992547409.91", 9007199254740991],
  ])("%s → %i pence", (input, pence) => {
    expect(parsePounds(input)).toBe(pence);
  });

  it("accepts negatives only when allowed", () => {
    expect(parsePounds("-£1,500.50", { allowNegative: true })).toBe(-150050);
    expect(parsePounds("-0.01", { allowNegative: true })).toBe(-1);
    expect(errorCodeOf(() => parsePounds("-1.00"))).toBe("NEGATIVE_NOT_ALLOWED");
  });

  it("treats minus zero as zero", () => {
    expect(Object.is(parsePounds("-0.00"), 0)).toBe(true);
  });
});

describe("parsePounds rejects", () => {
  it.each([
    ["", "EMPTY"],
    ["   ", "EMPTY"],
    ["£", "EMPTY"],
    ["-", "EMPTY"],
    ["1.005", "TOO_MANY_DECIMAL_PLACES"],
    ["1.500", "TOO_MANY_DECIMAL_PLACES"],
    ["1,500.505", "TOO_MANY_DECIMAL_PLACES"],
    ["0.001", "TOO_MANY_DECIMAL_PLACES"],
    ["abc", "INVALID_FORMAT"],
    ["12abc", "INVALID_FORMAT"],
    ["1.2.3", "INVALID_FORMAT"],
    ["15,00", "INVALID_FORMAT"],
    ["1,5000", "INVALID_FORMAT"],
    ["1,50,000", "INVALID_FORMAT"],
    [",500", "INVALID_FORMAT"],
    ["1,500,", "INVALID_FORMAT"],
    ["5.", "INVALID_FORMAT"],
    ["1 500", "INVALID_FORMAT"],
    ["1e5", "INVALID_FORMAT"],
    ["+5", "INVALID_FORMAT"],
    ["£-5", "INVALID_FORMAT"],
    ["$5", "INVALID_FORMAT"],
    ["5£", "INVALID_FORMAT"],
    ["--5", "INVALID_FORMAT"],
    ["NaN", "INVALID_FORMAT"],
    ["Infinity", "INVALID_FORMAT"],
    ["0x10", "INVALID_FORMAT"],
    ["１２", "INVALID_FORMAT"],
    ["9".repeat(65), "INVALID_FORMAT"],
    ["90071992547409.92", "TOO_LARGE"],
    ["100000000000000000000", "TOO_LARGE"],
  ])("%j with %s", (input, code) => {
    expect(errorCodeOf(() => parsePounds(input))).toBe(code);
  });

  it("rejects zero when asked to", () => {
    expect(errorCodeOf(() => parsePounds("0.00", { allowZero: false }))).toBe("ZERO_NOT_ALLOWED");
    expect(parsePounds("0.01", { allowZero: false })).toBe(1);
  });

  it("gives a message fit for the form beside the code", () => {
    const result = tryParsePounds("1.005");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("TOO_MANY_DECIMAL_PLACES");
      expect(result.error.userMessage).toMatch(/2 decimal places/);
      expect(result.error.userMessage).not.toMatch(/TOO_MANY/);
    }
  });

  it("tryParsePounds returns the pence on success", () => {
    expect(tryParsePounds("£2.50")).toEqual({ ok: true, pence: 250 });
  });
});

describe("parse and format round-trip", () => {
  const pence = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  it("parsePounds(formatPence(p)) = p", () => {
    fc.assert(fc.property(pence, (p) => parsePounds(formatPence(p)) === p));
  });
  it("parsePounds(formatPenceAsDecimal(p)) = p, negatives included", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (p) => {
        return parsePounds(formatPenceAsDecimal(p), { allowNegative: true }) === (p === 0 ? 0 : p);
      }),
    );
  });
});
