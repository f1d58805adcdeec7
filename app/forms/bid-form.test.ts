import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import { nextStep, parseAboutStep, parseMoneyStep, parseWhereStep, previousStep, stepOf } from "./bid-form";

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) data.append(k, value);
  return data;
};

describe("bid form steps", () => {
  it("moves between the five steps", () => {
    expect(stepOf("money")).toBe("money");
    expect(stepOf("nonsense", "where")).toBe("where");
    expect(nextStep("where")).toBe("files");
    expect(nextStep("review")).toBe("review");
    expect(previousStep("about")).toBeNull();
    expect(previousStep("files")).toBe("where");
  });

  it("saves a half-filled about step but refuses over-long text", () => {
    expect(parseAboutStep(form({ title: "Seeds" }))).toEqual({
      ok: true,
      data: { step: "about", title: "Seeds", summary: "", description: "" },
    });
    const long = parseAboutStep(form({ title: "x".repeat(121) }));
    expect(long.ok ? [] : Object.entries(long.errors).map(([field, message]) => [field, en(message)])).toEqual([
      ["title", "The title must be 120 characters or fewer."],
    ]);
  });

  it("reads the amount and the filled budget line rows, skipping blank ones", () => {
    const parsed = parseMoneyStep(
      form({
        rows: "4",
        amount: "£1,250.50",
        "line-0-description": "Shed",
        "line-0-amount": "1,000",
        "line-1-description": "",
        "line-1-amount": "",
        "line-2-description": "Paint",
        "line-2-amount": "250.50",
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        step: "money",
        amountPence: 125_050,
        lines: [
          { description: "Shed", amountPence: 100_000 },
          { description: "Paint", amountPence: 25_050 },
        ],
      },
    });
  });

  it("names the row and the part of a malformed budget line", () => {
    const parsed = parseMoneyStep(
      form({
        rows: "3",
        amount: "ten pounds",
        "line-0-description": "Shed",
        "line-0-amount": "12.345",
        "line-1-amount": "20",
      }),
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(Object.keys(parsed.errors).sort()).toEqual(["amount", "line-0-amount", "line-1-description"]);
      expect(en(parsed.errors["line-1-description"]!)).toBe("Line 2: say what the money is for.");
      expect(en(parsed.errors["line-0-amount"]!)).toMatch(/^Line 1: .*2 decimal places/);
      expect(messageText(parsed.errors["line-0-amount"]!, "cy")).toMatch(/^Llinell 1: .*2 le degol/);
    }
  });

  it("reads wards, count and dates, and refuses dates that run backwards or are not dates", () => {
    expect(
      parseWhereStep(
        form({
          wardIds: ["3", "5"],
          beneficiaries: "Families",
          beneficiaryCount: "1,200",
          startOn: "2027-01-01",
          endOn: "2027-01-01",
        }),
      ),
    ).toEqual({
      ok: true,
      data: {
        step: "where",
        wardIds: [3, 5],
        beneficiaries: "Families",
        beneficiaryCount: 1200,
        startOn: "2027-01-01",
        endOn: "2027-01-01",
      },
    });
    const bad = parseWhereStep(form({ beneficiaryCount: "lots", startOn: "2027-02-30", endOn: "2026-12-31" }));
    const shown = bad.ok
      ? bad
      : { ...bad, errors: Object.fromEntries(Object.entries(bad.errors).map(([k, v]) => [k, en(v)])) };
    expect(shown).toEqual({
      ok: false,
      errors: {
        beneficiaryCount: "Enter the number of people as a whole number, like 120.",
        startOn: "Enter the start date as a real date, like 2027-03-31.",
      },
    });
    const backwards = parseWhereStep(form({ startOn: "2027-02-01", endOn: "2027-01-31" }));
    expect(!backwards.ok && en(backwards.errors.endOn!)).toBe(
      "The end date must be the same as or after the start date.",
    );
  });
});

/** A field error in English, as the form shows it. */
function en(message: string): string {
  return messageText(message, "en");
}
