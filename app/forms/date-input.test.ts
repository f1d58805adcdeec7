import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dateInputField, withDateInputs } from "./date-input";

const schema = withDateInputs(
  z.object({ name: z.string(), dateOfBirth: dateInputField("Date of birth", { inThePast: true }) }),
  ["dateOfBirth"],
);

describe("the date input's zod helper", () => {
  it("gathers the three posted boxes into one YYYY-MM-DD value", () => {
    const parsed = schema.parse({
      name: "A",
      "dateOfBirth-day": "27",
      "dateOfBirth-month": "3",
      "dateOfBirth-year": "2007",
    });
    expect(parsed).toEqual({ name: "A", dateOfBirth: "2007-03-27" });
  });

  it("puts one error on the date's name, in GOV.UK wording", () => {
    const missing = schema.safeParse({ name: "A" });
    expect(missing.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["dateOfBirth", "Enter date of birth"],
    ]);
    const partial = schema.safeParse({ name: "A", "dateOfBirth-day": "27", "dateOfBirth-year": "2007" });
    expect(partial.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["dateOfBirth", "Date of birth must include a month"],
    ]);
    const future = schema.safeParse({
      name: "A",
      "dateOfBirth-day": "1",
      "dateOfBirth-month": "1",
      "dateOfBirth-year": "2999",
    });
    expect(future.error!.issues[0]!.message).toBe("Date of birth must be in the past");
  });
});
