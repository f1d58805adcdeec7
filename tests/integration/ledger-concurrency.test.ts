/**
 * Concurrency: several worker PROCESSES, each with its own connection to one SQLite file, commit
 * grants against one budget at the same moment. The budget holds £1,000 and 16 commitments of
 * £100 are attempted by 4 workers, so exactly 10 can fit.
 *
 * The guarded run uses the real posting service. Two control runs use a deliberately naive writer
 * that checks the balance before anyone writes and then writes without checking again: with the
 * database CHECK in place it still cannot overspend; with the CHECK switched off
 * (`ignore_check_constraints`) it does, and the same assertions that pass for the guarded run
 * report it. So the test would fail if the guards it relies on were removed.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { budgetSet } from "~/core/ledger";
import { postEntry } from "~/models/ledger.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { exportAuditPack } from "~/models/audit-pack.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addApproval, addFund, addGrant, creditBalance, FINANCE } from "../support/ledger-world";
import { exited, forkTsx, removeTempDirs, runVerifier, tempDir } from "../support/ledger-tools";

const WORKERS = 4;
const PER_WORKER = 4;
const PENCE = 10_000;
const BUDGET_PENCE = 10 * PENCE;
const BUDGET = "WB-race-B1";

type Result =
  | { grantId: string; outcome: "created"; seq: number }
  | { grantId: string; outcome: "refused"; code: string }
  | { grantId: string; outcome: "failed"; error: string };

let t: TestDatabase | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});
afterAll(() => removeTempDirs());

async function setUp(): Promise<{ t: TestDatabase; pairs: string[] }> {
  const test = await createTestDatabase();
  addFund(test.db, { id: "WB-race", fy: "2026/27", budgetIds: [BUDGET] });
  postEntry(
    {
      draft: budgetSet({ scheme: "WB-race", fy: "2026/27", allocations: [{ budgetId: BUDGET, pence: BUDGET_PENCE }] }),
      idempotencyKey: "race-budget",
      actor: FINANCE,
      effectiveDate: "2026-04-01",
    },
    test.db,
  );
  const pairs = Array.from({ length: WORKERS * PER_WORKER }, (_, i) => {
    const grantId = addGrant(test.db, { id: `race-g${i}`, fundId: "WB-race", pence: PENCE });
    return `${grantId}:${addApproval(test.db, { entryType: "COMMIT", grantId, amountPence: PENCE })}`;
  });
  return { t: test, pairs };
}

/** Starts every worker, releases them together, and collects what each one reports. */
async function race(file: string, mode: "guarded" | "stale" | "stale-no-check", pairs: string[]): Promise<Result[]> {
  const workers = Array.from({ length: WORKERS }, (_, w) =>
    forkTsx("tests/support/ledger-commit-worker.ts", [
      file,
      mode,
      BUDGET,
      String(PENCE),
      ...pairs.slice(w * PER_WORKER, (w + 1) * PER_WORKER),
    ]),
  );
  const stderr: string[] = [];
  const inbox = workers.map((child) => {
    child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
    const messages: { type: string; results?: Result[] }[] = [];
    const waiters: (() => void)[] = [];
    child.on("message", (message: { type: string; results?: Result[] }) => {
      messages.push(message);
      waiters.splice(0).forEach((wake) => wake());
    });
    const next = async (type: string) => {
      for (;;) {
        const found = messages.find((m) => m.type === type);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`worker exited before "${type}": ${stderr.join("")}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          child.once("exit", () => resolve());
        });
      }
    };
    return { child, next };
  });
  await Promise.all(inbox.map((w) => w.next("ready")));
  for (const w of inbox) w.child.send({ type: "go" });
  if (mode !== "guarded") {
    await Promise.all(inbox.map((w) => w.next("checked")));
    for (const w of inbox) w.child.send({ type: "write" });
  }
  const reports = await Promise.all(inbox.map((w) => w.next("results")));
  await Promise.all(workers.map(exited));
  return reports.flatMap((r) => r.results!);
}

/** What the race left behind. */
function observe(test: TestDatabase, results: Result[]) {
  const negative = test.db.$client
    .prepare("select count(*) as n from ledger_accounts where non_negative = 1 and credits_posted - debits_posted < 0")
    .get() as { n: number };
  const committed = test.db.$client
    .prepare("select count(*) as n from journal_entries where type = 'COMMIT'")
    .get() as { n: number };
  return {
    created: results.filter((r) => r.outcome === "created").length,
    refused: results.filter((r) => r.outcome === "refused").map((r) => (r as { code: string }).code),
    failed: results.filter((r) => r.outcome === "failed").map((r) => (r as { error: string }).error),
    committedEntries: committed.n,
    available: creditBalance(test.db, `AVAILABLE:${BUDGET}`),
    negativeAccounts: negative.n,
  };
}

/** The test's invariant: the budget was never overspent and exactly the commitments that fit went in. */
function assertBudgetHeld(seen: ReturnType<typeof observe>): void {
  expect(seen.available).toBeGreaterThanOrEqual(0);
  expect(seen.negativeAccounts).toBe(0);
  expect(seen.created).toBe(BUDGET_PENCE / PENCE);
  expect(seen.committedEntries).toBe(BUDGET_PENCE / PENCE);
}

describe("commitments racing from several processes against one budget", () => {
  it(
    "lets exactly the 10 that fit through the posting service; the other 6 are refused, and the chain " + "verifies",
    async () => {
      const setup = await setUp();
      t = setup.t;
      const results = await race(t.file, "guarded", setup.pairs);
      expect(results).toHaveLength(16);
      const seen = observe(t, results);
      assertBudgetHeld(seen);
      expect(seen.available).toBe(0);
      expect(seen.refused).toEqual(Array(6).fill("INSUFFICIENT_BALANCE"));
      expect(seen.failed).toEqual([]);
      const seqs = results.flatMap((r) => (r.outcome === "created" ? [r.seq] : [])).sort((a, b) => a - b);
      expect(seqs).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(verifyLedger(t.db)).toMatchObject({ ok: true, count: 11, problems: [] });
    },
  );

  it(
    "still holds with a writer that checks too early: the database CHECK alone refuses the 6 that do not " + "fit",
    async () => {
      const setup = await setUp();
      t = setup.t;
      const results = await race(t.file, "stale", setup.pairs);
      const seen = observe(t, results);
      assertBudgetHeld(seen);
      expect(seen.failed).toHaveLength(6);
      for (const error of seen.failed) expect(error).toMatch(/CHECK constraint failed: ledger_accounts_non_negative/);
      expect(verifyLedger(t.db).ok).toBe(true);
    },
  );

  it(
    "detects the overspend when no guard is left (CHECK ignored, stale check): the assertions fail and the " +
      "audit-pack verifier names the seq",
    async () => {
      const setup = await setUp();
      t = setup.t;
      const results = await race(t.file, "stale-no-check", setup.pairs);
      const seen = observe(t, results);
      expect(seen).toMatchObject({ created: 16, available: BUDGET_PENCE - 16 * PENCE, negativeAccounts: 1 });
      expect(() => assertBudgetHeld(seen)).toThrow();

      // The chain itself is intact (every entry was sealed in turn), but an auditor's check of the
      // exported pack finds the first entry that took the budget below zero: the 11th commitment.
      const dir = tempDir();
      exportAuditPack(dir, { actor: FINANCE, reason: "overspend control" }, t.db);
      const verdict = runVerifier(dir);
      expect(verdict.status).toBe(1);
      expect(verdict.stderr).toMatch(/^FAIL seq 12: AVAILABLE:WB-race-B1 falls below zero \(-10000p\)/);
    },
  );
});
