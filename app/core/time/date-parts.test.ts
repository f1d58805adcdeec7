import { describe, expect, it } from "vitest";
import { datePartsOf, readDateParts } from "./date-parts";

const rules = { label: "Date of birth", mustBeBefore: "2026-12-03", earliest: "1900-01-01" };
const read = (day: string, month: string, year: string) => readDateParts({ day, month, year }, rules);

describe("a date typed in day, month and year boxes", () => {
  it("gives YYYY-MM-DD for a real date, with or without leading zeros or a month name", () => {
    expect(read("27", "3", "2007")).toEqual({ ok: true, date: "2007-03-27" });
    expect(read("07", "03", "2007")).toEqual({ ok: true, date: "2007-03-07" });
    expect(read(" 1 ", "Feb", "1990")).toEqual({ ok: true, date: "1990-02-01" });
    expect(read("31", "december", "1999")).toEqual({ ok: true, date: "1999-12-31" });
    expect(read("29", "2", "2004")).toEqual({ ok: true, date: "2004-02-29" });
  });

  it("asks for the date when every box is empty", () => {
    expect(read("", "", "")).toEqual({ ok: false, message: "Enter date of birth", parts: ["day", "month", "year"] });
  });

  it("names the missing parts", () => {
    expect(read("27", "", "2007")).toEqual({
      ok: false,
      message: "Date of birth must include a month",
      parts: ["month"],
    });
    expect(read("", "3", "")).toEqual({
      ok: false,
      message: "Date of birth must include a day and year",
      parts: ["day", "year"],
    });
  });

  it("refuses dates that do not exist, highlighting the part at fault", () => {
    expect(read("31", "4", "2007")).toMatchObject({
      ok: false,
      message: "Date of birth must be a real date",
      parts: ["day"],
    });
    expect(read("29", "2", "2007")).toMatchObject({ ok: false, parts: ["day"] });
    expect(read("1", "13", "2007")).toMatchObject({
      ok: false,
      message: "Date of birth must be a real date",
      parts: ["month"],
    });
    expect(read("x", "3", "2007")).toMatchObject({ ok: false, parts: ["day"] });
    expect(read("1", "smarch", "2007")).toMatchObject({ ok: false, parts: ["month"] });
    expect(read("1", "3", "07")).toEqual({ ok: false, message: "Year must include 4 numbers", parts: ["year"] });
  });

  it("refuses a date of birth today or later, and one before the earliest date", () => {
    expect(read("3", "12", "2026")).toMatchObject({ ok: false, message: "Date of birth must be in the past" });
    expect(read("1", "1", "2030")).toMatchObject({ ok: false, message: "Date of birth must be in the past" });
    expect(read("2", "12", "2026")).toEqual({ ok: true, date: "2026-12-02" });
    expect(read("31", "12", "1899")).toMatchObject({
      ok: false,
      message: "Date of birth must be the same as or after 1 January 1900",
    });
  });

  it("splits a stored date back into the three boxes", () => {
    expect(datePartsOf("2007-03-07")).toEqual({ day: "7", month: "3", year: "2007" });
    expect(datePartsOf(null)).toEqual({ day: "", month: "", year: "" });
    expect(datePartsOf("not a date")).toEqual({ day: "", month: "", year: "" });
  });
});
