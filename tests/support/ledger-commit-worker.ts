/**
 * A worker process for the concurrency test: commits grants against one budget, racing the other
 * workers. Started with an IPC channel by tests/integration/ledger-concurrency.test.ts:
 *
 *   node --import tsx tests/support/ledger-commit-worker.ts DB_FILE MODE BUDGET PENCE GRANT:APPROVAL...
 *
 * It opens its own connection, sends {ready}, waits for {go}, then attempts each commitment and
 * reports {results} (one per grant: created with its seq, refused with its code, or failed with the
 * SQLite error). MODE:
 * - "guarded": the real posting service, `postEntry` (BEGIN IMMEDIATE, the code's balance check,
 *   the database CHECK behind it).
 * - "stale": a deliberately naive writer that checks the balance in a plain read, waits until every
 *   worker has checked ({checked} then {write}), and then writes the sealed entry with no further
 *   check: only the database CHECK on the account stands between it and an overspend.
 * - "stale-no-check": the same, with `PRAGMA ignore_check_constraints = ON` on its connection, so no
 *   guard is left at all. The test uses it to show that its assertions do catch an overspend.
 */
import { randomUUID } from "node:crypto";
import { commit, formatRecordedAt, GENESIS_HEAD, idempotencyKeySha256, sealEntry, type ChainHead } from "~/core/ledger";
import { openDatabase, writeTransaction, type Db } from "~/db/client.server";
import { LEDGER_ID, LedgerRefusal, postEntry } from "~/models/ledger.server";

type Mode = "guarded" | "stale" | "stale-no-check";
type Result =
  | { grantId: string; outcome: "created"; seq: number }
  | { grantId: string; outcome: "refused"; code: string }
  | { grantId: string; outcome: "failed"; error: string };

const [file, mode, budgetId, penceText, ...pairs] = process.argv.slice(2) as [
  string,
  Mode,
  string,
  string,
  ...string[],
];
const pence = Number(penceText);
const attempts = pairs.map((pair) => {
  const [grantId, approvalId] = pair.split(":") as [string, string];
  return { grantId, approvalId };
});
const actor = { id: `worker-${process.pid}`, name: `Worker ${process.pid}` };

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
const waitFor = (type: string) =>
  new Promise<void>((resolve) => {
    const listener = (message: { type?: string }) => {
      if (message?.type === type) {
        process.off("message", listener);
        resolve();
      }
    };
    process.on("message", listener);
  });

function availableBalance(database: Db): number {
  const row = database.$client
    .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
    .get(`AVAILABLE:${budgetId}`) as { b: number } | undefined;
  return row?.b ?? 0;
}

/** Writes a sealed COMMIT with no business checks: entry, postings (totals by trigger), log row. */
function naiveWrite(database: Db, grantId: string, approvalId: string): number {
  return writeTransaction((tx) => {
    const client = tx.$client;
    const head =
      (client.prepare("select seq, hash from ledger_log order by seq desc limit 1").get() as ChainHead | undefined) ??
      GENESIS_HEAD;
    const entryId = randomUUID();
    const key = `naive-${grantId}`;
    const { entry, row } = sealEntry(
      commit({ grantId, sources: [{ budgetId, pence }] }),
      {
        ledger: LEDGER_ID,
        entryId,
        effectiveDate: "2026-06-01",
        recordedAt: formatRecordedAt(new Date()),
        actor: actor.id,
        approval: approvalId,
        idempotencyKeySha256: idempotencyKeySha256(key),
      },
      head,
    );
    client
      .prepare(
        `insert into journal_entries (id, seq, idempotency_key, request_sha256, type, fy, effective_date, recorded_at,
          actor_id, approval_id)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entryId,
        row.seq,
        key,
        "0".repeat(64),
        entry.type,
        entry.fy,
        entry.effectiveDate,
        entry.recordedAt,
        entry.actor,
        entry.approval,
      );
    entry.postings.forEach((posting, index) => {
      const kind = posting.account.split(":")[0]!;
      client
        .prepare(
          "insert into ledger_accounts (key, kind, budget_id, grant_id, non_negative) values (?, ?, ?, ?, 1) on " +
            "conflict(key) do nothing",
        )
        .run(posting.account, kind, kind === "AVAILABLE" ? budgetId : null, kind === "AVAILABLE" ? null : grantId);
      const accountId = (
        client.prepare("select id from ledger_accounts where key = ?").get(posting.account) as { id: number }
      ).id;
      client
        .prepare(
          "insert into journal_postings (entry_id, line_no, account_id, dc, amount_pence) values (?, ?, ?, ?, ?)",
        )
        .run(entryId, index + 1, accountId, posting.dc, posting.pence);
    });
    client
      .prepare("insert into ledger_log (seq, entry_id, prev_hash, payload, hash) values (?, ?, ?, ?, ?)")
      .run(row.seq, entryId, row.prevHash, row.payload, row.hash);
    return row.seq;
  }, database);
}

async function main(): Promise<void> {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  if (mode === "stale-no-check") database.$client.pragma("ignore_check_constraints = ON");
  await send({ type: "ready" });
  await waitFor("go");
  const results: Result[] = [];
  if (mode === "guarded") {
    for (const { grantId, approvalId } of attempts) {
      try {
        const posted = postEntry(
          {
            draft: commit({ grantId, sources: [{ budgetId, pence }] }),
            idempotencyKey: `commit-${grantId}`,
            actor,
            effectiveDate: "2026-06-01",
            approvalId,
          },
          database,
        );
        results.push({ grantId, outcome: "created", seq: posted.seq });
      } catch (error) {
        if (error instanceof LedgerRefusal) results.push({ grantId, outcome: "refused", code: error.code });
        else results.push({ grantId, outcome: "failed", error: String(error) });
      }
    }
  } else {
    // The stale check: each worker sees the balance before anyone has written.
    let room = availableBalance(database);
    const approved = attempts.filter(() => {
      if (room < pence) return false;
      room -= pence;
      return true;
    });
    await send({ type: "checked" });
    await waitFor("write");
    for (const { grantId, approvalId } of approved) {
      try {
        results.push({ grantId, outcome: "created", seq: naiveWrite(database, grantId, approvalId) });
      } catch (error) {
        results.push({ grantId, outcome: "failed", error: String(error) });
      }
    }
  }
  database.$client.close();
  await send({ type: "results", results });
  process.disconnect();
}

await main();
