import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetSet, financialYearOf, financialYearStart, londonDateOf, previousFinancialYear } from "~/core/ledger";
import { writeTransaction } from "~/db/client.server";
import { budgets, funds, journalEntries } from "~/db/schema";
import { decideBudgetChange, fundOverview, requestBudgetAdjust, requestYearEnd } from "~/models/budget-changes.server";
import { postEntry } from "~/models/ledger.server";
import { publicWard } from "~/models/public-wards.server";
import { loadPrincipal } from "~/utils/auth.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { inEnglish } from "../support/english";
import { currentFundId, userId, wardId } from "../factories";
import { Refusal } from "~/utils/refusal";

let t: TestDatabase;
const principal = (email: string) => loadPrincipal(userId(t.db, email))!;
const balance = (key: string) =>
  (
    t.db.$client.prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?").get(key) as
      { b: number } | undefined
  )?.b ?? 0;

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

function pastFund(id: string, yearEnd: "lapse" | "carry-forward") {
  const fy = previousFinancialYear(financialYearOf(londonDateOf(new Date())));
  writeTransaction((tx) => {
    tx.insert(funds)
      .values({ id, kind: "ward-budget", name: `Past fund ${id}`, fy, yearEnd })
      .run();
    tx.insert(budgets)
      .values({ id: `${id}-AF`, fundId: id, wardId: wardId(tx, "Abbey Fields"), name: `Abbey Fields ${id}` })
      .run();
  }, t.db);
  postEntry(
    {
      draft: budgetSet({ scheme: id, fy, allocations: [{ budgetId: `${id}-AF`, pence: 30_000 }] }),
      idempotencyKey: `set-${id}`,
      actor: { id: "finance", name: "Finance" },
      effectiveDate: financialYearStart(fy),
    },
    t.db,
  );
}

describe("budget changes", () => {
  it("adjusts a budget only with a second person's approval, with the reason on the entry", () => {
    const budgetId = `${currentFundId()}-E05990001`;
    const before = balance(`AVAILABLE:${budgetId}`);
    const setBefore = publicWard("E05990001")!.budget.setPence;
    const requestId = requestBudgetAdjust(principal("finance@eastbrook.example"), {
      fundId: currentFundId(),
      budgetId,
      changePence: 100_000,
      reason: "Cabinet top-up, item 9",
    });
    expect(() =>
      decideBudgetChange(principal("finance@eastbrook.example"), {
        requestId,
        approve: true,
        idempotencyKey: "adjust-self",
      }),
    ).toThrow(Refusal);
    const [entryId] = decideBudgetChange(principal("admin@eastbrook.example"), {
      requestId,
      approve: true,
      idempotencyKey: "adjust-ok-1",
    });
    expect(t.db.select().from(journalEntries).where(eq(journalEntries.id, entryId!)).get()).toMatchObject({
      type: "BUDGET_ADJUST",
      reason: "Cabinet top-up, item 9",
    });
    expect(balance(`AVAILABLE:${budgetId}`)).toBe(before + 100_000);
    expect(publicWard("E05990001")!.budget.setPence).toBe(setBefore + 100_000);
    expect(fundOverview(currentFundId())!.history[0]).toMatchObject({ outcome: "approved" });
  });

  it("refuses to take away more than is available", () => {
    const budgetId = `${currentFundId()}-E05990002`;
    expect(
      inEnglish(() =>
        requestBudgetAdjust(principal("finance@eastbrook.example"), {
          fundId: currentFundId(),
          budgetId,
          changePence: -(balance(`AVAILABLE:${budgetId}`) + 1),
          reason: "Too much",
        }),
      ),
    ).toThrow(/^Only £[\d,]+\.\d\d is available in .+\.$/);
  });

  it("lapses unspent money at year end, after approval", () => {
    pastFund("WB-PAST-L", "lapse");
    expect(
      inEnglish(() =>
        requestYearEnd(principal("finance@eastbrook.example"), { fundId: currentFundId(), reason: "Too early" }),
      ),
    ).toThrow(/^The year-end run opens after \d{4}-\d\d-\d\d\.$/);
    const requestId = requestYearEnd(principal("finance@eastbrook.example"), {
      fundId: "WB-PAST-L",
      reason: "Year-end close",
    });
    decideBudgetChange(principal("finance2@eastbrook.example"), {
      requestId,
      approve: true,
      idempotencyKey: "lapse-ok-1",
    });
    expect(balance("AVAILABLE:WB-PAST-L-AF")).toBe(0);
    expect(t.db.select().from(journalEntries).where(eq(journalEntries.type, "LAPSE")).all()).toHaveLength(1);
  });

  it("carries unspent money forward into next year's budget for the same ward", () => {
    pastFund("WB-PAST-C", "carry-forward");
    const target = `AVAILABLE:${currentFundId()}-E05990001`;
    const before = balance(target);
    const requestId = requestYearEnd(principal("admin@eastbrook.example"), {
      fundId: "WB-PAST-C",
      reason: "Carry forward as the scheme allows",
    });
    decideBudgetChange(principal("finance@eastbrook.example"), {
      requestId,
      approve: true,
      idempotencyKey: "carry-ok-1",
    });
    expect(balance("AVAILABLE:WB-PAST-C-AF")).toBe(0);
    expect(balance(target)).toBe(before + 30_000);
  });
});
