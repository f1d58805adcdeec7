import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import { checkBudgetLines, totalOfLines } from "./budget-lines";

const line = (amountPence: number, description = "item") => ({ description, amountPence });

describe("budget lines", () => {
  it("accepts lines that add up to the amount exactly", () => {
    expect(checkBudgetLines(125_050, [line(100_000), line(25_000), line(50)])).toEqual({
      ok: true,
      totalPence: 125_050,
    });
  });
  it("says how far short the lines are", () => {
    const result = checkBudgetLines(100_000, [line(60_000), line(39_999)]);
    expect(result).toMatchObject({ ok: false, totalPence: 99_999 });
    if (!result.ok) {
      expect(messageText(result.message, "en")).toBe(
        "The budget lines add up to £999.99, £0.01 less than the £1,000.00 you are asking for.",
      );
      expect(messageText(result.message, "cy")).toBe(
        "Cyfanswm llinellau'r gyllideb yw £999.99, £0.01 yn llai na'r £1,000.00 rydych chi'n gofyn amdano.",
      );
    }
  });
  it("says how far over the lines are", () => {
    const result = checkBudgetLines(100_000, [line(60_000), line(40_001)]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(messageText(result.message, "en")).toContain("£0.01 more than");
  });
  it("needs at least one line", () => {
    const result = checkBudgetLines(100, []);
    expect(!result.ok && messageText(result.message, "en")).toBe("Add at least one budget line.");
  });
  it("refuses fractional, zero or negative pence", () => {
    expect(() => totalOfLines([line(1.5)])).toThrow(RangeError);
    expect(() => totalOfLines([line(0)])).toThrow(RangeError);
    expect(() => totalOfLines([line(-1)])).toThrow(RangeError);
  });
  it("adds any number of lines exactly (no float drift)", () => {
    const lines = Array.from({ length: 1000 }, () => line(10)); // 1000 × 10p, which 0.1 floats would not sum to 100
    expect(checkBudgetLines(10_000, lines)).toEqual({ ok: true, totalPence: 10_000 });
  });
});
