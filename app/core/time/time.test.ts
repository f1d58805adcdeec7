import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatClockTime,
  formatDate,
  formatDateTime,
  instantToLondonWallClock,
  londonOffsetMinutesAt,
  londonWallClockToInstant,
  monthName,
} from "~/core/time";

const instant = (value: string) => {
  const result = londonWallClockToInstant(value);
  if (!result.ok) throw new Error(result.message);
  return result.iso;
};

describe("London wall-clock time to an instant", () => {
  it("reads winter times as UTC and summer times as an hour ahead", () => {
    expect(instant("2026-12-17T12:00")).toBe("2026-12-17T12:00:00.000Z");
    expect(instant("2026-06-30T22:00")).toBe("2026-06-30T21:00:00.000Z");
    expect(instant("2026-07-01T00:30")).toBe("2026-06-30T23:30:00.000Z");
  });

  it("reads a bare date as London midnight", () => {
    expect(instant("2026-01-05")).toBe("2026-01-05T00:00:00.000Z");
    expect(instant("2026-08-05")).toBe("2026-08-04T23:00:00.000Z");
  });

  it("refuses the hour the clocks skip in spring, with a message saying why", () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    const skipped = londonWallClockToInstant("2026-03-29T01:30");
    expect(skipped).toMatchObject({ ok: false, problem: "missing-hour" });
    expect(!skipped.ok && skipped.message).toMatch(/1:30am does not happen on that day.*clocks go forward/);
    expect(londonWallClockToInstant("2026-03-29T01:00")).toMatchObject({ ok: false, problem: "missing-hour" });
    expect(instant("2026-03-29T00:59")).toBe("2026-03-29T00:59:00.000Z");
    expect(instant("2026-03-29T02:00")).toBe("2026-03-29T01:00:00.000Z");
  });

  it("refuses the hour the clocks repeat in autumn, naming both instants", () => {
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00–01:59 happens twice.
    const repeated = londonWallClockToInstant("2026-10-25T01:30");
    expect(repeated).toMatchObject({
      ok: false,
      problem: "repeated-hour",
      candidates: ["2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z"],
    });
    expect(!repeated.ok && repeated.message).toMatch(/happens twice.*clocks go back/);
    expect(instant("2026-10-25T00:59")).toBe("2026-10-24T23:59:00.000Z");
    expect(instant("2026-10-25T02:00")).toBe("2026-10-25T02:00:00.000Z");
  });

  it("refuses dates that do not exist and text that is not a date", () => {
    for (const bad of ["2026-02-29T10:00", "2026-13-01T10:00", "2026-04-31", "2026-01-01T24:00", "2026-01-01T10:60"])
      expect(londonWallClockToInstant(bad)).toMatchObject({ ok: false, problem: "not-a-date" });
    for (const bad of ["", "tomorrow", "01/02/2026", "2026-1-1T10:00"])
      expect(londonWallClockToInstant(bad)).toMatchObject({ ok: false, problem: "format" });
    expect(instant("2028-02-29T10:00")).toBe("2028-02-29T10:00:00.000Z");
  });

  it("knows the offset in winter and summer", () => {
    expect(londonOffsetMinutesAt(Date.parse("2026-01-15T12:00:00Z"))).toBe(0);
    expect(londonOffsetMinutesAt(Date.parse("2026-07-15T12:00:00Z"))).toBe(60);
  });

  it("shows an instant back in a datetime-local field as the wall-clock time that was typed", () => {
    expect(instantToLondonWallClock("2026-06-30T21:00:00.000Z")).toBe("2026-06-30T22:00");
    expect(instantToLondonWallClock("2026-12-17T12:00:00.000Z")).toBe("2026-12-17T12:00");
    expect(instantToLondonWallClock(null)).toBe("");
    expect(instantToLondonWallClock("not a date")).toBe("");
  });

  it("round-trips every minute outside the repeated hour over several years", () => {
    const start = Date.parse("2024-01-01T00:00:00Z");
    const end = Date.parse("2031-12-31T23:59:00Z");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Math.floor((end - start) / 60_000) }), (minutes) => {
        const iso = new Date(start + minutes * 60_000).toISOString();
        const typed = instantToLondonWallClock(iso);
        const back = londonWallClockToInstant(typed);
        if (back.ok) expect(back.iso).toBe(iso);
        else {
          expect(back.problem).toBe("repeated-hour");
          expect(back.candidates).toContain(iso);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("finds exactly one spring gap and one autumn overlap in each year", () => {
    for (const year of [2025, 2026, 2027]) {
      const problems: string[] = [];
      for (let day = Date.UTC(year, 2, 20); day < Date.UTC(year, 10, 5); day += 86_400_000) {
        for (let hour = 0; hour < 24; hour += 1) {
          const wall = instantToLondonWallClock(new Date(day).toISOString()).slice(0, 10);
          const result = londonWallClockToInstant(`${wall}T${String(hour).padStart(2, "0")}:15`);
          if (!result.ok) problems.push(`${wall} ${hour} ${result.problem}`);
        }
      }
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/-03-\d\d 1 missing-hour$/);
      expect(problems[1]).toMatch(/-10-\d\d 1 repeated-hour$/);
    }
  });
});

describe("how pages show dates", () => {
  it("shows a calendar date as it is, whatever the time zone", () => {
    expect(formatDate("2026-12-03")).toBe("3 December 2026");
    expect(formatDate("2027-09-30")).toBe("30 September 2027");
  });

  it("shows an instant as its London date and time", () => {
    expect(formatDate("2026-06-30T23:30:00.000Z")).toBe("1 July 2026");
    expect(formatDateTime("2026-12-03T21:30:00.000Z")).toBe("3 December 2026, 9:30pm");
    expect(formatDateTime("2026-06-30T21:00:00.000Z")).toBe("30 June 2026, 10pm");
    expect(formatDateTime("2026-12-17 12:00:00")).toBe("17 December 2026, midday");
    expect(formatDateTime("2026-12-17T00:00:00.000Z")).toBe("17 December 2026, midnight");
  });

  it("writes dates and times in Welsh from its own month names, not the runtime's locale data", () => {
    expect(formatDate("2026-12-03", "cy")).toBe("3 Rhagfyr 2026");
    expect(formatDate("2026-06-30T23:30:00.000Z", "cy")).toBe("1 Gorffennaf 2026");
    expect(formatDateTime("2026-12-03T21:30:00.000Z", "cy")).toBe("3 Rhagfyr 2026, 9:30yh");
    expect(formatDateTime("2026-03-01T09:00:00.000Z", "cy")).toBe("1 Mawrth 2026, 9yb");
    expect(formatDateTime("2026-12-17 12:00:00", "cy")).toBe("17 Rhagfyr 2026, canol dydd");
    expect(formatDateTime("2026-12-17T00:00:00.000Z", "cy")).toBe("17 Rhagfyr 2026, hanner nos");
    expect(monthName(2, "cy")).toBe("Chwefror");
    expect(monthName(2, "fr")).toBe("February");
    const intl = Intl.DateTimeFormat;
    // A runtime with no Welsh data (as some browsers ship) formats "cy" as English; these do not ask it.
    try {
      Intl.DateTimeFormat = function (locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
        return new intl(locales === "cy" ? "en-US" : locales, options);
      } as typeof Intl.DateTimeFormat;
      expect(formatDateTime("2026-12-03T21:30:00.000Z", "cy")).toBe("3 Rhagfyr 2026, 9:30yh");
    } finally {
      Intl.DateTimeFormat = intl;
    }
  });

  it("writes clock times the GOV.UK way", () => {
    expect(formatClockTime(9, 0)).toBe("9am");
    expect(formatClockTime(0, 5)).toBe("12:05am");
    expect(formatClockTime(12, 30)).toBe("12:30pm");
    expect(formatClockTime(23, 59)).toBe("11:59pm");
  });
});
