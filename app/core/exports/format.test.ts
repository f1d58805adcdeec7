import { describe, expect, it } from "vitest";
import {
  ExportDataError,
  formatAmount,
  formatDateTime,
  formatIsoDate,
  formatOptionalIsoDate,
  formatOptionalUkDate,
  formatUkDate,
  guardText,
  unguardText,
  laterDateTime,
  poundsNumber,
} from "./format";

describe("dates", () => {
  it("writes dd/mm/yyyy for the Transparency Code files", () => {
    expect(formatUkDate("2025-07-14")).toBe("14/07/2025");
    expect(formatUkDate("2026-01-01")).toBe("01/01/2026");
    expect(formatUkDate("2024-02-29")).toBe("29/02/2024");
  });

  it("writes YYYY-MM-DD for 360Giving", () => {
    expect(formatIsoDate("2025-07-14")).toBe("2025-07-14");
    expect(formatOptionalIsoDate(null)).toBe("");
    expect(formatOptionalUkDate(undefined)).toBe("");
    expect(formatOptionalUkDate("2026-03-31")).toBe("31/03/2026");
  });

  it.each([
    "14/07/2025",
    "2025-7-14",
    "2025-13-01",
    "2025-02-29",
    "2025-04-31",
    "2025-00-10",
    "",
    "2025-07-14T00:00:00Z",
  ])("refuses %j as a date", (value) => {
    expect(() => formatUkDate(value)).toThrow(ExportDataError);
    expect(() => formatIsoDate(value)).toThrow(ExportDataError);
  });

  it("writes a full UTC date-time to the second", () => {
    expect(formatDateTime("2025-07-14T09:30:00.123Z")).toBe("2025-07-14T09:30:00Z");
    expect(formatDateTime("2025-07-14 09:30:05")).toBe("2025-07-14T09:30:05Z");
    expect(formatDateTime("2025-07-14T09:30Z")).toBe("2025-07-14T09:30:00Z");
    expect(formatDateTime("2025-07-14T09:30:00+00:00")).toBe("2025-07-14T09:30:00Z");
  });

  it.each(["2025-07-14", "2025-07-14T25:00:00Z", "2025-07-14T09:30:00+01:00", "yesterday", "2025-02-30T00:00:00Z"])(
    "refuses %j as a date-time",
    (value) => {
      expect(() => formatDateTime(value)).toThrow(ExportDataError);
    },
  );

  it("picks the later of two date-times", () => {
    expect(laterDateTime("2025-07-14T09:30:00.000Z", "2025-08-01T10:00:00.000Z")).toBe("2025-08-01T10:00:00Z");
    expect(laterDateTime("2025-09-14T09:30:00.000Z", "2025-08-01T10:00:00.000Z")).toBe("2025-09-14T09:30:00Z");
    expect(laterDateTime("2025-09-14T09:30:00.000Z", null)).toBe("2025-09-14T09:30:00Z");
  });
});

describe("amounts", () => {
  it("are plain numbers with 2 decimal places and a leading minus when negative", () => {
    expect(formatAmount(150_000)).toBe("1500.00");
    expect(formatAmount(95_050)).toBe("950.50");
    expect(formatAmount(1)).toBe("0.01");
    expect(formatAmount(0)).toBe("0.00");
    expect(formatAmount(-85_000)).toBe("-850.00");
    expect(formatAmount(123_456_789)).toBe("1234567.89");
  });

  it("refuses anything that is not whole pence", () => {
    expect(() => formatAmount(1.5)).toThrow(ExportDataError);
    expect(() => formatAmount(Number.NaN)).toThrow(ExportDataError);
  });

  it("turns pence into an exact JSON number of pounds", () => {
    expect(poundsNumber(150_000)).toBe(1500);
    expect(poundsNumber(95_050)).toBe(950.5);
    expect(JSON.stringify(poundsNumber(1))).toBe("0.01");
    expect(JSON.stringify(poundsNumber(123_456_789_012))).toBe("1234567890.12");
    expect(JSON.stringify(poundsNumber(-85_001))).toBe("-850.01");
  });
});

describe("formula guard", () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ["+44 Radio", "'+44 Radio"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTabbed", "'\tTabbed"],
    ["\rCarriage", "'\rCarriage"],
    ["'Tis the season", "''Tis the season"],
  ])("prefixes %j, and unguardText undoes it exactly", (input, output) => {
    expect(guardText(input)).toBe(output);
    expect(unguardText(output)).toBe(input);
  });

  it.each(["Riverside Allotment Society", "St Mary's", "1123456", "01234567", "A = B", ""])(
    "leaves %j alone",
    (input) => {
      expect(guardText(input)).toBe(input);
    },
  );

  it("writes null as blank", () => {
    expect(guardText(null)).toBe("");
    expect(guardText(undefined)).toBe("");
  });
});
