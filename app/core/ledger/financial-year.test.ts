import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  financialYearEnd,
  financialYearLabel,
  financialYearOf,
  financialYearStart,
  formatRecordedAt,
  isDateInFinancialYear,
  isFinancialYear,
  isIsoDate,
  isRecordedAt,
  londonDateOf,
  nextFinancialYear,
  periodOf,
  previousFinancialYear,
} from "./financial-year";

describe("financial year of a date", () => {
  it.each([
    ["2025-04-01", "2025/26", 1],
    ["2025-04-30", "2025/26", 1],
    ["2025-05-15", "2025/26", 2],
    ["2025-12-31", "2025/26", 9],
    ["2026-01-01", "2025/26", 10],
    ["2026-02-28", "2025/26", 11],
    ["2026-03-31", "2025/26", 12],
    ["2025-03-31", "2024/25", 12],
    ["1999-06-01", "1999/00", 3],
    ["2000-03-31", "1999/00", 12],
    ["2024-02-29", "2023/24", 11],
  ])("%s is in %s period %i", (date, fy, period) => {
    expect(financialYearOf(date)).toBe(fy);
    expect(periodOf(date)).toBe(period);
    expect(isDateInFinancialYear(date, fy)).toBe(true);
  });

  it("every month maps to periods 1..12 with April first", () => {
    const periods = Array.from({ length: 12 }, (_, i) => periodOf(`2025-${String(i + 1).padStart(2, "0")}-10`));
    expect(periods).toEqual([10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("bounds and neighbours", () => {
    expect(financialYearStart("2025/26")).toBe("2025-04-01");
    expect(financialYearEnd("2025/26")).toBe("2026-03-31");
    expect(nextFinancialYear("2025/26")).toBe("2026/27");
    expect(nextFinancialYear("2099/00")).toBe("2100/01");
    expect(previousFinancialYear("2000/01")).toBe("1999/00");
    expect(financialYearLabel(2025)).toBe("2025/26");
    expect(isDateInFinancialYear("2026-04-01", "2025/26")).toBe(false);
    expect(isDateInFinancialYear("2025-03-31", "2025/26")).toBe(false);
    expect(isDateInFinancialYear("nonsense", "2025/26")).toBe(false);
  });

  it("every date lies between its year's start and end", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true }),
        (d) => {
          const date = d.toISOString().slice(0, 10);
          const fy = financialYearOf(date);
          return financialYearStart(fy) <= date && date <= financialYearEnd(fy);
        },
      ),
    );
  });
});

describe("validation", () => {
  it.each(["2025-01-01", "2024-02-29", "2000-02-29", "2025-12-31"])("%s is a date", (d) =>
    expect(isIsoDate(d)).toBe(true),
  );
  it.each([
    "2025-02-29",
    "1900-02-29",
    "2025-13-01",
    "2025-00-10",
    "2025-04-31",
    "2025-4-1",
    "25-04-01",
    "2025-04-01T00:00",
    20250401,
    null,
  ])("%j is not a date", (d) => expect(isIsoDate(d)).toBe(false));
  it.each(["2025/26", "1999/00", "2099/00"])("%s is a year label", (fy) => expect(isFinancialYear(fy)).toBe(true));
  it.each(["2025/27", "2025-26", "2025/2026", "25/26", "2025"])("%s is not a year label", (fy) =>
    expect(isFinancialYear(fy)).toBe(false),
  );
  it("rejects a bad date loudly rather than guess", () => {
    expect(() => financialYearOf("2025-02-30")).toThrow(RangeError);
  });
});

describe("London calendar date of an instant", () => {
  it.each([
    // BST (UTC+1) from 30 March 2025 01:00 UTC to 26 October 2025 01:00 UTC.
    ["2025-03-31T23:30:00.000Z", "2025-04-01"],
    ["2025-03-31T22:59:59.999Z", "2025-03-31"],
    ["2025-03-30T00:30:00.000Z", "2025-03-30"],
    ["2025-10-25T23:30:00.000Z", "2025-10-26"],
    ["2025-10-26T23:30:00.000Z", "2025-10-26"],
    ["2026-01-15T23:59:59.999Z", "2026-01-15"],
    ["2026-03-31T23:30:00.000Z", "2026-04-01"],
  ])("%s is %s in London", (instant, date) => {
    expect(londonDateOf(new Date(instant))).toBe(date);
  });

  it("a payment confirmed at 00:30 BST on 1 April falls in the new financial year", () => {
    const instant = new Date("2025-03-31T23:30:00Z");
    expect(instant.toISOString().slice(0, 10)).toBe("2025-03-31");
    expect(financialYearOf(londonDateOf(instant))).toBe("2025/26");
  });

  it("rejects invalid instants", () => {
    expect(() => londonDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("recorded_at", () => {
  it("is UTC with milliseconds", () => {
    expect(formatRecordedAt(new Date(Date.UTC(2025, 5, 12, 9, 30, 0, 7)))).toBe("2025-06-12T09:30:00.007Z");
    expect(isRecordedAt("2025-06-12T09:30:00.007Z")).toBe(true);
  });
  it.each([
    "2025-06-12T09:30:00Z",
    "2025-06-12T09:30:00.007+01:00",
    "2025-02-30T09:30:00.000Z",
    "2025-06-12 09:30:00.000Z",
  ])("rejects %s", (value) => expect(isRecordedAt(value)).toBe(false));
});
