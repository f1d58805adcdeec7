import { describe, expect, it } from "vitest";
import {
  addDays,
  awardedPence,
  checkDecision,
  offerTerms,
  planInstalments,
  pooledStep,
  reminderDue,
  splitAcrossBudgets,
} from "./decision";

const context = {
  requestedPence: 100_000,
  groupVerified: true,
  fundFy: "2026/27",
  commitmentCutoffOn: null,
  today: "2026-11-23",
};

describe("checkDecision", () => {
  it("accepts a full approval of a verified group's bid within the fund's year", () => {
    expect(checkDecision({ outcome: "approve" }, context)).toEqual({});
  });
  it("needs an amount below the request and a reason for a part approval", () => {
    expect(checkDecision({ outcome: "part-approve", amountPence: 100_000, reason: "" }, context)).toEqual({
      amount: "To approve in part, the amount must be less than the amount asked for",
      reason: "Say why you approve only part of the bid",
    });
    expect(checkDecision({ outcome: "part-approve", amountPence: null, reason: "x" }, context).amount).toBe(
      "Enter the amount you approve",
    );
    expect(
      checkDecision({ outcome: "part-approve", amountPence: 60_000, reason: "Only the benches" }, context),
    ).toEqual({});
  });
  it("needs a reason to reject and a message to request changes", () => {
    expect(checkDecision({ outcome: "reject", reason: " " }, context).reason).toMatch(/why you reject/);
    expect(checkDecision({ outcome: "request-changes" }, context).reason).toMatch(/should change/);
    expect(checkDecision({ outcome: "reject", reason: "Outside the criteria" }, context)).toEqual({});
  });
  it("refuses approval for an unverified group, after the cut-off and outside the fund's year", () => {
    expect(checkDecision({ outcome: "approve" }, { ...context, groupVerified: false }).form).toMatch(
      /not been verified/,
    );
    expect(checkDecision({ outcome: "approve" }, { ...context, commitmentCutoffOn: "2026-11-01" }).form).toMatch(
      /pre-election/,
    );
    expect(checkDecision({ outcome: "approve" }, { ...context, today: "2027-04-01" }).form).toMatch(/2026\/27/);
    // A rejection is still possible in all of these.
    expect(
      checkDecision(
        { outcome: "reject", reason: "No" },
        { ...context, groupVerified: false, commitmentCutoffOn: "2026-11-01" },
      ),
    ).toEqual({});
  });
  it("refuses an over-long reason", () => {
    expect(checkDecision({ outcome: "reject", reason: "x".repeat(2001) }, context).reason).toMatch(/2000/);
  });
});

describe("awardedPence", () => {
  it("is the request, the part approved, or nothing", () => {
    expect(awardedPence({ outcome: "approve" }, 500)).toBe(500);
    expect(awardedPence({ outcome: "part-approve", amountPence: 300 }, 500)).toBe(300);
    expect(awardedPence({ outcome: "reject" }, 500)).toBe(0);
  });
});

describe("pooledStep", () => {
  it("commits at once without a quorum and earmarks until the quorum is reached", () => {
    expect(pooledStep(null, 1)).toBe("commit");
    expect(pooledStep(1, 1)).toBe("commit");
    expect(pooledStep(2, 1)).toBe("earmark");
    expect(pooledStep(3, 2)).toBe("keep-earmark");
    expect(pooledStep(2, 2)).toBe("commit-from-earmark");
  });
});

describe("splitAcrossBudgets", () => {
  it("splits equally to the penny, the odd penny to the first budget id", () => {
    expect(splitAcrossBudgets(1001, ["B", "A"])).toEqual([
      { budgetId: "B", pence: 500 },
      { budgetId: "A", pence: 501 },
    ]);
    expect(splitAcrossBudgets(1, ["A", "B"])).toEqual([{ budgetId: "A", pence: 1 }]);
  });
});

describe("planInstalments", () => {
  it("makes one payment due in 14 days by default", () => {
    expect(planInstalments("single", 50_000, "2026-11-23", null)).toEqual([
      { seq: 1, amountPence: 50_000, dueOn: "2026-12-07", fy: "2026/27", afterMonitoring: false },
    ]);
  });
  it("stages half after the monitoring report, in the year its due date falls", () => {
    const plan = planInstalments("staged", 50_001, "2026-11-23", "2027-05-01");
    expect(plan.map((p) => p.amountPence).reduce((a, b) => a + b)).toBe(50_001);
    expect(plan[1]).toMatchObject({ seq: 2, dueOn: "2027-05-01", fy: "2027/28", afterMonitoring: true });
  });
});

describe("offerTerms and reminders", () => {
  it("writes the fund's rules into the terms", () => {
    const terms = offerTerms({
      fundName: "Ward Budgets",
      criteria: "Bring neighbours together.",
      rules: { noRetrospectiveCosts: true, quotesAbovePence: 100_000 },
      amountPence: 1,
      amountText: "£0.01",
      title: "Benches",
    });
    expect(terms).toContain("Bring neighbours together.");
    expect(terms).toContain("£1000.00");
    expect(terms).toContain("before this offer was accepted");
  });
  it("reminds when due and not reminded in the last week", () => {
    expect(reminderDue({ dueOn: "2026-11-01", submitted: false, lastReminderOn: null, today: "2026-11-23" })).toBe(
      true,
    );
    expect(
      reminderDue({ dueOn: "2026-11-01", submitted: false, lastReminderOn: "2026-11-20", today: "2026-11-23" }),
    ).toBe(false);
    expect(
      reminderDue({
        dueOn: "2026-11-01",
        submitted: false,
        lastReminderOn: addDays("2026-11-23", -7),
        today: "2026-11-23",
      }),
    ).toBe(true);
    expect(reminderDue({ dueOn: "2026-12-01", submitted: false, lastReminderOn: null, today: "2026-11-23" })).toBe(
      false,
    );
    expect(reminderDue({ dueOn: "2026-11-01", submitted: true, lastReminderOn: null, today: "2026-11-23" })).toBe(
      false,
    );
  });
});
