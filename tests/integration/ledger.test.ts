import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetSet, commit, payConfirm, payRequest, reversal } from "~/core/ledger";
import { closeFinancialYear, LedgerRefusal, postEntry } from "~/models/ledger.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createApproval, createFund, createGrant } from "../support/ledger-fixtures";

let t: TestDatabase;
const finance = { id: "finance-1", name: "Fiona Reid" };
let budgetA: string;
let budgetB: string;
let key = 0;
const nextKey = () => `key-${(key += 1)}`;

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  [budgetA, budgetB] = createFund(t.db, { id: "TEST-2026-27", fy: "2026/27", wardIds: [1, 2] }) as [string, string];
  postEntry({
    draft: budgetSet({
      scheme: "TEST-2026-27",
      fy: "2026/27",
      allocations: [
        { budgetId: budgetA, pence: 500_000 },
        { budgetId: budgetB, pence: 300_000 },
      ],
    }),
    idempotencyKey: nextKey(),
    actor: finance,
    effectiveDate: "2026-04-01",
  });
});
afterAll(() => t.close());

function balanceOf(accountKey: string): number {
  const row = t.db.$client
    .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
    .get(accountKey) as { b: number } | undefined;
  return row?.b ?? 0;
}

describe("posting", () => {
  it("sets budgets, chains the entry and audits it", () => {
    expect(balanceOf(`AVAILABLE:${budgetA}`)).toBe(500_000);
    expect(verifyLedger(t.db)).toMatchObject({ ok: true, count: 1 });
    const audit = t.db.$client.prepare("select action from audit_events where entity_type = 'ledger_entry'").all();
    expect(audit).toEqual([{ action: "ledger.budget_set" }]);
  });

  it("commits a grant against an approval, and returns the original entry for a retried request", () => {
    const grantId = createGrant(t.db, { id: "G-1", fundId: "TEST-2026-27", amountPence: 120_000 });
    const approvalId = createApproval(t.db, { grantId, amountPence: 120_000 });
    const request = {
      draft: commit({ grantId, sources: [{ budgetId: budgetA, pence: 120_000 }] }),
      idempotencyKey: "commit-g1",
      actor: finance,
      effectiveDate: "2026-06-01",
      approvalId,
    };
    const first = postEntry(request);
    const retry = postEntry(request);
    expect(first.status).toBe("created");
    expect(retry).toEqual({ ...first, status: "existing" });
    expect(balanceOf("COMMITTED:G-1")).toBe(120_000);
    expect(balanceOf(`AVAILABLE:${budgetA}`)).toBe(380_000);
  });

  it("refuses the same key with a different request (409)", () => {
    const grantId = createGrant(t.db, { id: "G-2", fundId: "TEST-2026-27", amountPence: 1_000 });
    const approvalId = createApproval(t.db, { grantId, amountPence: 1_000 });
    expect(() =>
      postEntry({
        draft: commit({ grantId, sources: [{ budgetId: budgetA, pence: 1_000 }] }),
        idempotencyKey: "commit-g1",
        actor: finance,
        effectiveDate: "2026-06-01",
        approvalId,
      }),
    ).toThrow(expect.objectContaining({ status: 409 }));
  });

  it("refuses a COMMIT with no approval record", () => {
    createGrant(t.db, { id: "G-3", fundId: "TEST-2026-27", amountPence: 1_000 });
    const attempt = () =>
      postEntry({
        draft: commit({ grantId: "G-3", sources: [{ budgetId: budgetA, pence: 1_000 }] }),
        idempotencyKey: nextKey(),
        actor: finance,
        effectiveDate: "2026-06-01",
      });
    expect(attempt).toThrow(LedgerRefusal);
    expect(attempt).toThrow(/approval/i);
  });

  it("refuses an overspend, and keeps refusing the same request after a top-up", () => {
    const grantId = createGrant(t.db, { id: "G-4", fundId: "TEST-2026-27", amountPence: 400_000 });
    const approvalId = createApproval(t.db, { grantId, amountPence: 400_000 });
    const request = {
      draft: commit({ grantId, sources: [{ budgetId: budgetB, pence: 400_000 }] }),
      idempotencyKey: "overspend-1",
      actor: finance,
      effectiveDate: "2026-06-02",
      approvalId,
    };
    expect(() => postEntry(request)).toThrow(expect.objectContaining({ status: 422, code: "INSUFFICIENT_BALANCE" }));
    postEntry({
      draft: budgetSet({ scheme: "TEST-2026-27", fy: "2026/27", allocations: [{ budgetId: budgetB, pence: 200_000 }] }),
      idempotencyKey: nextKey(),
      actor: finance,
      effectiveDate: "2026-06-03",
    });
    expect(balanceOf(`AVAILABLE:${budgetB}`)).toBe(500_000);
    expect(() => postEntry(request)).toThrow(expect.objectContaining({ code: "PREVIOUSLY_REJECTED" }));
    expect(balanceOf(`AVAILABLE:${budgetB}`)).toBe(500_000);
  });

  it("pays in two steps, then reverses the payment exactly once", () => {
    const requested = postEntry({
      draft: payRequest({ grantId: "G-1", pence: 120_000 }),
      idempotencyKey: nextKey(),
      actor: finance,
      effectiveDate: "2026-07-01",
    });
    const confirmed = postEntry({
      draft: payConfirm({
        grantId: "G-1",
        payRequestEntryId: requested.entryId,
        pence: 120_000,
        paymentRef: "AP-2026-0001",
      }),
      idempotencyKey: nextKey(),
      actor: { id: "finance-2", name: "Second Officer" },
      effectiveDate: "2026-07-02",
    });
    expect(balanceOf("PAID:G-1")).toBe(120_000);
    const original = {
      entryId: confirmed.entryId,
      postings: [
        { account: "PAYABLE:G-1", dc: "D" as const, pence: 120_000 },
        { account: "PAID:G-1", dc: "C" as const, pence: 120_000 },
      ],
    };
    const approvalId = createApproval(t.db, {
      entryType: "REVERSAL",
      subjectEntryId: confirmed.entryId,
      amountPence: 120_000,
      requesterId: finance.id,
      approverId: "finance-manager",
    });
    postEntry({
      draft: reversal({ original, reason: "Keyed against the wrong grant" }),
      idempotencyKey: nextKey(),
      actor: finance,
      effectiveDate: "2026-07-03",
      approvalId,
    });
    expect(balanceOf("PAID:G-1")).toBe(0);
    expect(() =>
      postEntry({
        draft: reversal({ original, reason: "Again" }),
        idempotencyKey: nextKey(),
        actor: finance,
        effectiveDate: "2026-07-03",
        approvalId,
      }),
    ).toThrow(expect.objectContaining({ code: "ALREADY_REVERSED" }));
    expect(verifyLedger(t.db)).toMatchObject({ ok: true, problems: [] });
  });

  it("refuses a date in a closed year, and posting to its accounts", () => {
    closeFinancialYear(finance, "2026/27");
    expect(() =>
      postEntry({
        draft: budgetSet({ scheme: "TEST-2026-27", fy: "2026/27", allocations: [{ budgetId: budgetA, pence: 1 }] }),
        idempotencyKey: nextKey(),
        actor: finance,
        effectiveDate: "2026-09-01",
      }),
    ).toThrow(expect.objectContaining({ code: "YEAR_NOT_OPEN" }));
    const checkpoints = t.db.$client.prepare("select reason from ledger_checkpoints").all();
    expect(checkpoints).toEqual([{ reason: "close 2026/27" }]);
    expect(verifyLedger(t.db).ok).toBe(true);
  });
});

describe("the database backstops the rules", () => {
  it("refuses UPDATE and DELETE on journal rows and the log", () => {
    for (const statement of [
      "update journal_postings set amount_pence = 1",
      "delete from journal_entries",
      "update ledger_log set payload = 'x'",
      "delete from ledger_log",
      "delete from ledger_checkpoints",
    ]) {
      expect(() => t.db.$client.prepare(statement).run(), statement).toThrow(/append-only/);
    }
  });

  it("refuses an overspend written straight to the tables", () => {
    expect(() =>
      t.db.$client
        .prepare("update ledger_accounts set debits_posted = debits_posted + 100000000 where kind = 'AVAILABLE'")
        .run(),
    ).toThrow(/CHECK constraint/);
  });

  it("refuses a log row out of sequence or with a wrong prev_hash", () => {
    const head = t.db.$client.prepare("select seq, hash from ledger_log order by seq desc limit 1").get() as {
      seq: number;
      hash: string;
    };
    const entryId = (
      t.db.$client.prepare("select entry_id from ledger_log where seq = 1").get() as { entry_id: string }
    ).entry_id;
    expect(() =>
      t.db.$client
        .prepare("insert into ledger_log (seq, entry_id, prev_hash, payload, hash) values (?, ?, ?, 'x', 'y')")
        .run(head.seq + 2, entryId, head.hash),
    ).toThrow(/ledger seal/);
    expect(() =>
      t.db.$client
        .prepare("insert into ledger_log (seq, entry_id, prev_hash, payload, hash) values (?, ?, ?, 'x', 'y')")
        .run(head.seq + 1, entryId, "f".repeat(64)),
    ).toThrow(/ledger seal/);
  });

  it("stores pence as integers only (STRICT tables)", () => {
    const anyAccount = (t.db.$client.prepare("select id from ledger_accounts limit 1").get() as { id: number }).id;
    const entryId = (
      t.db.$client.prepare("select entry_id from ledger_log where seq = 1").get() as { entry_id: string }
    ).entry_id;
    expect(() =>
      t.db.$client
        .prepare(
          "insert into journal_postings (entry_id, line_no, account_id, dc, amount_pence) values (?, 99, ?, 'D', 1.5)",
        )
        .run(entryId, anyAccount),
    ).toThrow(/cannot store REAL/);
  });
});
