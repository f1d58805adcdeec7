/**
 * Crashes. A child process posts entries in a loop and prints each acknowledged entry only after
 * its transaction has committed; it is killed with SIGKILL mid-run, three times over. Each restart
 * first resends the last acknowledged request, as a client unsure of the outcome would: it must get
 * the original entry back, not a second one. After every kill the file is
 * reopened: the chain verifies, every acknowledged entry is there with the same seq and hash, the
 * entries form an unbroken run of keys, and no entry lacks its postings, log row or audit event.
 *
 * Simulated failures inside the write: a statement made to fail at each step of `postEntry` (the
 * entry row, the second posting, the log row, the audit event) leaves no trace at all, and the
 * same request then succeeds once the fault is gone (it was not remembered as a refusal).
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { budgetSet, commit } from "~/core/ledger";
import { openDatabase } from "~/db/client.server";
import { postEntry } from "~/models/ledger.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addApproval, addFund, addGrant, FINANCE } from "../support/ledger-world";
import { exited, forkTsx, removeTempDirs } from "../support/ledger-tools";

let t: TestDatabase | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});
afterAll(() => removeTempDirs());

interface Ack {
  i: number;
  seq: number;
  hash: string;
  entryId: string;
  status: string;
}

/**
 * Runs the loop writer from `start` and kills it with SIGKILL `delayMs` after the `killAfter`th
 * acknowledgement, so the kill lands at an arbitrary point of a later write (usually inside it).
 */
async function runAndKill(
  file: string,
  start: number,
  killAfter: number,
  delayMs: number,
): Promise<{ acks: Ack[]; signal: string | null }> {
  const child = forkTsx("tests/support/ledger-writer.ts", [file, "WB-crash", "crash-A", "crash-B", String(start)]);
  const acks: Ack[] = [];
  let buffered = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      const [tag, i, seq, hash, entryId, status] = line.split(" ");
      if (tag !== "ACK") continue;
      acks.push({ i: Number(i), seq: Number(seq), hash: hash!, entryId: entryId!, status: status! });
      if (acks.length === killAfter) setTimeout(() => child.kill("SIGKILL"), delayMs);
    }
  });
  const { code, signal } = await exited(child);
  if (signal === null) throw new Error(`the writer stopped by itself (exit ${code}): ${stderr}`);
  return { acks, signal };
}

describe("a writer killed with SIGKILL in the middle of posting", () => {
  it(
    "loses no acknowledged entry, leaves no partial one, and its retry after restart does not post " + "twice",
    async () => {
      t = await createTestDatabase();
      addFund(t.db, { id: "WB-crash", fy: "2026/27", budgetIds: ["crash-A", "crash-B"] });
      const all: Ack[] = [];
      let start = 0;
      for (const [round, { killAfter, delayMs }] of [
        { killAfter: 25, delayMs: 1 },
        { killAfter: 40, delayMs: 3 },
        { killAfter: 15, delayMs: 2 },
      ].entries()) {
        const { acks, signal } = await runAndKill(t.file, start, killAfter, delayMs);
        expect(signal).toBe("SIGKILL");
        expect(acks.length).toBeGreaterThanOrEqual(killAfter);
        if (round > 0) {
          // The restarted client resends its last request, unsure whether it went through: it gets the original back.
          const last = all[all.length - 1]!;
          expect(acks[0]).toEqual({ ...last, status: "existing" });
          acks.shift();
        }
        all.push(...acks);

        // Reopen the file as a new process would after the crash.
        const reopened = openDatabase(t.file);
        try {
          const verified = verifyLedger(reopened);
          expect(verified.problems).toEqual([]);
          expect(verified.ok).toBe(true);
          const byKey = reopened.$client.prepare(
            "select l.seq, l.hash, e.id from journal_entries e join ledger_log l on l.entry_id = e.id where " +
              "e.idempotency_key = ?",
          );
          for (const ack of all)
            expect(byKey.get(`loop-${ack.i}`)).toEqual({ seq: ack.seq, hash: ack.hash, id: ack.entryId });
          const keys = (
            reopened.$client.prepare("select idempotency_key as k from journal_entries").all() as { k: string }[]
          )
            .map((r) => Number(r.k.slice("loop-".length)))
            .sort((a, b) => a - b);
          expect(keys).toEqual(keys.map((_, index) => index));
          expect(keys.length).toBeGreaterThanOrEqual(Math.max(...all.map((a) => a.i)) + 1);
          const counts = reopened.$client
            .prepare(
              `select (select count(*) from journal_entries) as entries, (select count(*) from ledger_log) as logRows,
                    (select count(distinct entry_id) from journal_postings) as withPostings, (select count(*) from
                      journal_postings) as postings,
                    (select count(*) from audit_events where entity_type = 'ledger_entry') as audited`,
            )
            .get() as { entries: number; logRows: number; withPostings: number; postings: number; audited: number };
          expect(counts).toEqual({
            entries: keys.length,
            logRows: keys.length,
            withPostings: keys.length,
            postings: 3 * keys.length,
            audited: keys.length,
          });
        } finally {
          reopened.$client.close();
        }
        start = Math.max(...all.map((a) => a.i));
      }
    },
  );
});

describe("a failure at any step inside the write", () => {
  const steps = [
    { name: "the journal entry row", table: "journal_entries", when: "1" },
    { name: "the second posting", table: "journal_postings", when: "NEW.line_no = 2" },
    { name: "the log row", table: "ledger_log", when: "1" },
    { name: "the audit event", table: "audit_events", when: "1" },
  ];

  it.each(steps)(
    "at $name leaves nothing behind, and the same request succeeds once the fault is gone",
    async ({ table, when }) => {
      t = await createTestDatabase();
      addFund(t.db, { id: "WB-fault", fy: "2026/27", budgetIds: ["fault-A"] });
      postEntry(
        {
          draft: budgetSet({
            scheme: "WB-fault",
            fy: "2026/27",
            allocations: [{ budgetId: "fault-A", pence: 50_000 }],
          }),
          idempotencyKey: "fault-budget",
          actor: FINANCE,
          effectiveDate: "2026-04-01",
        },
        t.db,
      );
      const grantId = addGrant(t.db, { id: "fault-g1", fundId: "WB-fault" });
      const request = {
        draft: commit({ grantId, sources: [{ budgetId: "fault-A", pence: 20_000 }] }),
        idempotencyKey: "fault-commit",
        actor: FINANCE,
        effectiveDate: "2026-06-01",
        approvalId: addApproval(t.db, { entryType: "COMMIT", grantId, amountPence: 20_000 }),
      };
      const snapshot = () =>
        t!.db.$client
          .prepare(
            `select (select count(*) from journal_entries) as entries, (select count(*) from journal_postings) as
              postings,
                  (select count(*) from ledger_log) as log, (select count(*) from ledger_accounts) as accounts,
                  (select group_concat(key || '=' || debits_posted || '/' || credits_posted, ';') from (select * from
                    ledger_accounts order by key)) as totals,
                  (select count(*) from audit_events) as audit, (select count(*) from ledger_rejections) as rejections`,
          )
          .get();
      const before = snapshot();
      t.db.$client.exec(
        `create temp trigger simulated_crash before insert on main.${table} when ${when} begin select raise(abort,
          'simulated crash'); end`,
      );
      expect(() => postEntry(request, t!.db)).toThrow(/simulated crash/);
      expect(snapshot()).toEqual(before);
      expect(verifyLedger(t.db).ok).toBe(true);

      t.db.$client.exec("drop trigger temp.simulated_crash");
      expect(postEntry(request, t.db)).toMatchObject({ status: "created", seq: 2 });
      expect(verifyLedger(t.db)).toMatchObject({ ok: true, count: 2 });
    },
  );
});
