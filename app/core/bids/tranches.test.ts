import { describe, expect, it } from "vitest";
import { londonDateOf } from "../ledger/financial-year";
import { daysInclusive, planInstalments, type PlannedInstalment } from "./decision";
import {
  awardYearPence,
  laterTranchesCondition,
  planTranches,
  trancheCommitDate,
  trancheGrantId,
  trancheStatusText,
} from "./tranches";

const total = (plan: readonly { amountPence: number }[]) => plan.reduce((sum, p) => sum + p.amountPence, 0);
const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

describe("the financial year that pays each instalment", () => {
  it("pays the award from the award year even when 14 days on would be after 31 March", () => {
    // Decided on 20 March: due 31 March, not 3 April, so the budget that approved it pays it.
    expect(planInstalments("single", 50_000, "2027-03-20", null)).toEqual([
      { seq: 1, amountPence: 50_000, dueOn: "2027-03-31", fy: "2026/27", afterMonitoring: false },
    ]);
    expect(planInstalments("single", 50_000, "2027-03-31", null)[0]).toMatchObject({
      dueOn: "2027-03-31",
      fy: "2026/27",
    });
    expect(planInstalments("single", 50_000, "2027-03-17", null)[0]).toMatchObject({
      dueOn: "2027-03-31",
      fy: "2026/27",
    });
    expect(planInstalments("single", 50_000, "2027-03-16", null)[0]).toMatchObject({
      dueOn: "2027-03-30",
      fy: "2026/27",
    });
  });

  it("puts a staged second half due on 31 March in this year and one due on 1 April in the next", () => {
    const onYearEnd = planInstalments("staged", 50_001, "2026-11-23", "2027-03-31");
    expect(onYearEnd.map((p) => p.fy)).toEqual(["2026/27", "2026/27"]);
    expect(planTranches(onYearEnd)).toEqual([{ fy: "2026/27", amountPence: 50_001, instalmentSeqs: [1, 2] }]);
    const nextDay = planInstalments("staged", 50_001, "2026-11-23", "2027-04-01");
    expect(nextDay.map((p) => [p.dueOn, p.fy])).toEqual([
      ["2026-12-07", "2026/27"],
      ["2027-04-01", "2027/28"],
    ]);
    expect(planTranches(nextDay)).toEqual([
      { fy: "2026/27", amountPence: 25_001, instalmentSeqs: [1] },
      { fy: "2027/28", amountPence: 25_000, instalmentSeqs: [2] },
    ]);
  });

  it("takes the award year from the Europe/London date of the decision, not the UTC one", () => {
    // 23:30 UTC on 31 March 2027 is 00:30 BST on 1 April: the new year.
    const lateBst = londonDateOf(new Date("2027-03-31T23:30:00Z"));
    expect(lateBst).toBe("2027-04-01");
    expect(planInstalments("single", 10_000, lateBst, null)[0]).toMatchObject({ dueOn: "2027-04-15", fy: "2027/28" });
    const stillMarch = londonDateOf(new Date("2027-03-31T22:59:00Z"));
    expect(stillMarch).toBe("2027-03-31");
    expect(planInstalments("staged", 10_000, stillMarch, "2027-04-01").map((p) => p.fy)).toEqual([
      "2026/27",
      "2027/28",
    ]);
  });

  it("keeps a one-off pot's instalments in the award year", () => {
    const plan = planInstalments("staged", 9_999, "2027-01-10", "2027-09-30", { awardFy: "2026/27", multiYear: false });
    expect(plan.map((p) => p.fy)).toEqual(["2026/27", "2026/27"]);
    expect(planTranches(plan)).toHaveLength(1);
  });

  it("never places an instalment before the award year, even when decided after it (a PB round ratified late)", () => {
    const plan = planInstalments("single", 5_000, "2027-04-10", null, { awardFy: "2026/27", multiYear: false });
    expect(plan).toEqual([{ seq: 1, amountPence: 5_000, dueOn: "2027-04-24", fy: "2026/27", afterMonitoring: false }]);
  });
});

describe("one payment per financial year", () => {
  it("splits by the project's days in each year, to the penny, first on award and later ones on 1 April", () => {
    // 1 March 2027 to 31 May 2027: 31 days in 2026/27, 61 days in 2027/28.
    const plan = planInstalments("by-year", 100_000, "2027-03-01", "2027-05-31");
    expect(plan).toEqual([
      { seq: 1, amountPence: 33_696, dueOn: "2027-03-15", fy: "2026/27", afterMonitoring: false },
      { seq: 2, amountPence: 66_304, dueOn: "2027-04-01", fy: "2027/28", afterMonitoring: false },
    ]);
    expect(total(plan)).toBe(100_000);
    expect(daysInclusive("2027-03-01", "2027-03-31")).toBe(31);
    expect(daysInclusive("2027-04-01", "2027-05-31")).toBe(61);
  });

  it("spans three years and still adds up to the penny", () => {
    const plan = planInstalments("by-year", 1_000_001, "2026-12-01", "2028-06-30");
    expect(plan.map((p) => p.fy)).toEqual(["2026/27", "2027/28", "2028/29"]);
    expect(plan.map((p) => p.dueOn)).toEqual(["2026-12-15", "2027-04-01", "2028-04-01"]);
    expect(total(plan)).toBe(1_000_001);
    const tranches = planTranches(plan);
    expect(total(tranches)).toBe(1_000_001);
    expect(awardYearPence(tranches, "2026/27")).toBe(plan[0]!.amountPence);
  });

  it("is a single payment when the project ends by 31 March of the award year", () => {
    expect(planInstalments("by-year", 40_000, "2026-12-01", "2027-03-31")).toEqual(
      planInstalments("single", 40_000, "2026-12-01", null),
    );
    expect(planInstalments("by-year", 40_000, "2026-12-01", null)).toHaveLength(1);
    expect(planInstalments("by-year", 40_000, "2026-12-01", "2027-04-01").map((p) => p.fy)).toEqual([
      "2026/27",
      "2027/28",
    ]);
  });

  it("always leaves a payment in the award year, however small the award", () => {
    // One day in 2026/27 against 365 in 2027/28: the share rounds to nothing, so it takes a penny.
    const plan = planInstalments("by-year", 3, "2027-03-31", "2028-03-31");
    expect(plan.map((p) => [p.fy, p.amountPence])).toEqual([
      ["2026/27", 1],
      ["2027/28", 2],
    ]);
  });

  it("adds up to the penny for any amount and any span (property)", () => {
    const starts = ["2026-04-01", "2026-09-17", "2027-02-28", "2027-03-31"];
    const ends = ["2027-03-31", "2027-04-01", "2027-11-30", "2029-01-01"];
    for (const decidedOn of starts) {
      for (const endOn of ends) {
        for (const amount of [2, 7, 99, 12_345, 99_999_999]) {
          for (const kind of ["single", "staged", "by-year"] as const) {
            const plan: PlannedInstalment[] = planInstalments(kind, amount, decidedOn, endOn);
            expect(total(plan)).toBe(amount);
            expect(plan.every((p) => p.amountPence > 0)).toBe(true);
            expect(plan.map((p) => p.seq)).toEqual(plan.map((_, i) => i + 1));
            expect(total(planTranches(plan))).toBe(amount);
            expect(plan[0]!.fy).toBe(decidedOn < "2027-04-01" ? "2026/27" : "2027/28");
          }
        }
      }
    }
  });
});

describe("tranche rules and words", () => {
  it("commits a later tranche on 1 April when its budget is set ahead, and refuses a year that has ended", () => {
    expect(trancheCommitDate("2027-02-10", "2027/28")).toEqual({ ok: true, effectiveDate: "2027-04-01" });
    expect(trancheCommitDate("2027-03-31", "2027/28")).toEqual({ ok: true, effectiveDate: "2027-04-01" });
    expect(trancheCommitDate("2027-04-01", "2027/28")).toEqual({ ok: true, effectiveDate: "2027-04-01" });
    expect(trancheCommitDate("2027-09-09", "2027/28")).toEqual({ ok: true, effectiveDate: "2027-09-09" });
    expect(trancheCommitDate("2028-04-01", "2027/28")).toMatchObject({
      ok: false,
      reason: "payments:grant.yearEnded?fy=2027%2F28",
    });
  });

  it("names a tranche's grant after the award and the year", () => {
    expect(trancheGrantId("WB-2026-27-G004", "2027/28")).toBe("WB-2026-27-G004-2027-28");
    expect(() => trancheGrantId("x".repeat(60), "2027/28")).toThrow(RangeError);
  });

  it("describes each state and the offer's condition", () => {
    expect(trancheStatusText({ status: "pending", fy: "2027/28", paid: false })).toBe(
      "To be committed in 2027/28: awaiting that year's ward budget",
    );
    expect(trancheStatusText({ status: "committed", fy: "2027/28", paid: false })).toBe(
      "Committed against the 2027/28 budget",
    );
    expect(trancheStatusText({ status: "committed", fy: "2027/28", paid: true })).toBe("Paid");
    const tranches = planTranches(planInstalments("staged", 50_001, "2026-11-23", "2027-05-01"));
    expect(laterTranchesCondition(tranches, "2026/27", pounds)).toContain(
      "£250.01 is committed now from the 2026/27 ward budget; the rest (£250.00 in 2027/28)",
    );
    expect(
      laterTranchesCondition(planTranches(planInstalments("single", 5, "2026-11-23", null)), "2026/27", pounds),
    ).toBeNull();
  });
});
