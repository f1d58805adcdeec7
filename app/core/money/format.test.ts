import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MoneyError } from "./errors";
import { formatPence, formatPenceAsDecimal } from "./format";

const intlGbp = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

describe("formatPence", () => {
  it.each([
    [150050, "£1,500.50"],
    [0, "£0.00"],
    [1, "£0.01"],
    [10, "£0.10"],
    [100, "£1.00"],
    [99999, "£999.99"],
    [100000, "£1,000.00"],
    [123456789, "£1,234,567.89"],
    [-150050, "-£1,500.50"],
    [-5, "-£0.05"],
    [Number.MAX_SAFE_INTEGER, "£90,071,992,547,409.91"],
  ])("%i → %s", (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it("agrees with Intl en-GB GBP formatting for ordinary amounts", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (pence) => {
        return formatPence(pence) === intlGbp.format(pence / 100).replace(/^-0\.00$/, "0.00");
      }),
    );
  });

  it.each([1.5, Number.NaN, Infinity, 2 ** 53])("refuses %s", (value) => {
    expect(() => formatPence(value)).toThrow(MoneyError);
  });
});

describe("formatPenceAsDecimal", () => {
  it.each([
    [150050, "1500.50"],
    [0, "0.00"],
    [7, "0.07"],
    [-150050, "-1500.50"],
    [-1, "-0.01"],
    [100000000, "1000000.00"],
  ])("%i → %s", (pence, text) => {
    expect(formatPenceAsDecimal(pence)).toBe(text);
  });

  it("never uses a comma or a pound sign", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (p) => /^-?\d+\.\d{2}$/.test(formatPenceAsDecimal(p))),
    );
  });
});
