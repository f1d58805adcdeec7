import { describe, expect, it } from "vitest";
import { canonicalDecimal, canonicalise, Dec } from "./decimal";

describe("canonical decimal strings (format 1.6)", () => {
  it.each([
    ["3.0000", "3"],
    ["0.50", "0.5"],
    ["-0.000", "0"],
    ["0", "0"],
    ["100", "100"],
    ["0.0001", "0.0001"],
    ["-12.3400", "-12.34"],
    ["007.10", "7.1"],
  ])("%s → %s", (text, canonical) => {
    expect(canonicalise(text)).toBe(canonical);
  });

  it("prints a negative scale as trailing zeros", () => {
    expect(canonicalDecimal(5n, -2)).toBe("500");
  });

  it("rejects exponents and other non-decimal text", () => {
    expect(() => Dec.parse("1e3")).toThrow(SyntaxError);
    expect(() => Dec.parse("1.")).toThrow(SyntaxError);
  });
});

describe("exact arithmetic with named rounding", () => {
  const d = Dec.parse;

  it("adds and compares across scales exactly", () => {
    expect(d("0.1").add(d("0.2")).toString()).toBe("0.3");
    expect(d("7.2501").cmp(d("7.25"))).toBe(1);
    expect(d("2.50").eq(d("2.5"))).toBe(true);
  });

  it("truncates toward zero and rounds up at a number of places", () => {
    expect(d("1.23456").truncTo(4).toString()).toBe("1.2345");
    expect(d("-1.23456").truncTo(4).toString()).toBe("-1.2345");
    expect(d("1.23451").ceilTo(4).toString()).toBe("1.2346");
    expect(d("1.2345").ceilTo(4).toString()).toBe("1.2345");
    expect(d("-1.23456").ceilTo(4).toString()).toBe("-1.2345");
  });

  it("divides with truncation or ceiling at the places asked", () => {
    expect(Dec.of(10).divTrunc(Dec.of(3), 4).toString()).toBe("3.3333");
    expect(Dec.of(10).divCeil(Dec.of(3), 4).toString()).toBe("3.3334");
    expect(d("3.9999").divTrunc(Dec.of(8), 4).toString()).toBe("0.4999");
    expect(Dec.of(12).divTrunc(Dec.of(3), 0).toString()).toBe("4");
  });
});
