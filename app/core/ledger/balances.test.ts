import { describe, expect, it } from "vitest";
import { budgetSet, carryForward, commit, payRequest } from "./builders";
import {
  checkBalanceBounds,
  checkConservation,
  findNegativeBalances,
  foldPostings,
  normalBalance,
  scopeResolver,
  trialBalance,
  type Scope,
} from "./balances";

const WB25: Scope = { scheme: "WB", fy: "2025/26" };
const WB26: Scope = { scheme: "WB", fy: "2026/27" };

const entries = [
  budgetSet({
    scheme: "WB",
    fy: "2025/26",
    allocations: [
      { budgetId: "a25", pence: 1000 },
      { budgetId: "b25", pence: 500 },
    ],
  }),
  commit({
    grantId: "g1",
    sources: [
      { budgetId: "a25", pence: 300 },
      { budgetId: "b25", pence: 200 },
    ],
  }),
  payRequest({ grantId: "g1", pence: 100 }),
];

describe("folding postings", () => {
  it("totals debits and credits per account", () => {
    const totals = foldPostings(entries.flatMap((e) => e.postings));
    expect(totals.get("FUNDING:WB:2025/26")).toEqual({ debitsPence: 1500, creditsPence: 0 });
    expect(totals.get("AVAILABLE:a25")).toEqual({ debitsPence: 300, creditsPence: 1000 });
    expect(normalBalance("AVAILABLE:a25", totals.get("AVAILABLE:a25")!)).toBe(700);
    expect(normalBalance("FUNDING:WB:2025/26", totals.get("FUNDING:WB:2025/26")!)).toBe(1500);
    expect(normalBalance("COMMITTED:g1", totals.get("COMMITTED:g1")!)).toBe(400);
  });

  it("the trial balance sums to zero and is sorted by account", () => {
    const tb = trialBalance(foldPostings(entries.flatMap((e) => e.postings)));
    expect(tb.netPence).toBe(0);
    expect(tb.totalDebitsPence).toBe(tb.totalCreditsPence);
    expect(tb.rows.map((r) => r.account)).toEqual([
      "AVAILABLE:a25",
      "AVAILABLE:b25",
      "COMMITTED:g1",
      "FUNDING:WB:2025/26",
      "PAYABLE:g1",
    ]);
    expect(tb.rows.find((r) => r.account === "AVAILABLE:a25")).toMatchObject({
      netPence: -700,
      balancePence: 700,
      kind: "AVAILABLE",
    });
  });

  it("fails instead of overflowing", () => {
    expect(() =>
      foldPostings([
        { account: "AVAILABLE:a", dc: "C", pence: Number.MAX_SAFE_INTEGER },
        { account: "AVAILABLE:a", dc: "C", pence: 1 },
      ]),
    ).toThrow(RangeError);
  });
});

describe("non-negative bound", () => {
  const totals = foldPostings(entries.flatMap((e) => e.postings));
  it("finds nothing wrong in a sound ledger", () => {
    expect(findNegativeBalances(totals)).toEqual([]);
  });
  it("refuses a commitment beyond what is available", () => {
    const over = commit({ grantId: "g2", sources: [{ budgetId: "a25", pence: 701 }] });
    const issues = checkBalanceBounds(over.postings, totals);
    expect(issues.map((i) => i.code)).toEqual(["INSUFFICIENT_BALANCE"]);
    expect(issues[0]!.message).toContain("AVAILABLE:a25");
    expect(issues[0]!.lineNo).toBe(1);
    expect(
      checkBalanceBounds(commit({ grantId: "g2", sources: [{ budgetId: "a25", pence: 700 }] }).postings, totals),
    ).toEqual([]);
  });
  it("never limits FUNDING", () => {
    const more = budgetSet({ scheme: "WB", fy: "2025/26", allocations: [{ budgetId: "c25", pence: 10 ** 12 }] });
    expect(checkBalanceBounds(more.postings, totals)).toEqual([]);
  });
  it("an account never posted to starts at zero", () => {
    expect(checkBalanceBounds(payRequest({ grantId: "nope", pence: 1 }).postings, totals).map((i) => i.code)).toEqual([
      "INSUFFICIENT_BALANCE",
    ]);
  });
});

describe("conservation per scheme-year", () => {
  const scopeOf = scopeResolver({
    budgets: new Map([
      ["a25", WB25],
      ["b25", WB25],
      ["a26", WB26],
    ]),
    grants: new Map([["g1", WB25]]),
  });

  it("funding equals what is held, per scope", () => {
    const report = checkConservation(entries, scopeOf);
    expect(report.holds).toBe(true);
    expect(report.rows).toEqual([
      { scope: "WB:2025/26", fundingPence: 1500, heldPence: 1500, transfersInPence: 0, holds: true },
    ]);
  });

  it("counts a carry-forward as a transfer between years", () => {
    const report = checkConservation(
      [
        ...entries,
        budgetSet({ scheme: "WB", fy: "2026/27", allocations: [{ budgetId: "a26", pence: 50 }] }),
        carryForward({ fromBudgetId: "a25", toBudgetId: "a26", pence: 200 }),
      ],
      scopeOf,
    );
    expect(report.holds).toBe(true);
    expect(report.rows).toEqual([
      { scope: "WB:2025/26", fundingPence: 1500, heldPence: 1300, transfersInPence: -200, holds: true },
      { scope: "WB:2026/27", fundingPence: 50, heldPence: 250, transfersInPence: 200, holds: true },
    ]);
  });

  it("reports accounts it cannot place", () => {
    const report = checkConservation(
      [commit({ grantId: "unknown", sources: [{ budgetId: "a25", pence: 1 }] })],
      scopeOf,
    );
    expect(report.holds).toBe(false);
    expect(report.unscopedAccounts).toEqual(["COMMITTED:unknown"]);
  });

  it("detects an unbalanced entry inside one scope", () => {
    const broken = {
      postings: [
        { account: "FUNDING:WB:2025/26", dc: "D" as const, pence: 10 },
        { account: "AVAILABLE:a25", dc: "C" as const, pence: 9 },
      ],
    };
    expect(checkConservation([broken], scopeOf).holds).toBe(false);
  });
});
