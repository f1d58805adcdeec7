/**
 * A process that posts ledger entries in a loop, for the crash and live-export tests:
 *
 *   node --import tsx tests/support/ledger-writer.ts DB_FILE FUND BUDGET_A BUDGET_B START [COUNT]
 *
 * Entry i (from START) is a BUDGET_SET of two allocations under the idempotency key "loop-i".
 * Only after `postEntry` has returned (the transaction committed, synchronous=FULL) it writes
 * "ACK i seq hash entryId status" to stdout with a synchronous write, so a line on stdout is a
 * promise that the entry is durable. Runs until killed, or COUNT entries.
 */
import fs from "node:fs";
import { budgetSet } from "~/core/ledger";
import { openDatabase } from "~/db/client.server";
import { postEntry } from "~/models/ledger.server";

const [file, fund, budgetA, budgetB, startText, countText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string | undefined,
];
const database = openDatabase(file);
globalThis.__wardfundDb = database;
const start = Number(startText);
const end = countText === undefined ? Number.POSITIVE_INFINITY : start + Number(countText);
const actor = { id: "writer-1", name: "Loop Writer" };
const pause = new Int32Array(new SharedArrayBuffer(4));

/** A synchronous write to stdout that waits while the pipe is full (EAGAIN) instead of failing. */
function writeLine(line: string): void {
  const bytes = Buffer.from(line, "utf8");
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += fs.writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

for (let i = start; i < end; i++) {
  const draft = budgetSet({
    scheme: fund,
    fy: "2026/27",
    allocations: [
      { budgetId: budgetA, pence: 100 + (i % 7) },
      { budgetId: budgetB, pence: 200 + (i % 11) },
    ],
    memo: `Top-up ${i}, "quoted", with a comma`,
  });
  const posted = postEntry({ draft, idempotencyKey: `loop-${i}`, actor, effectiveDate: "2026-05-01" }, database);
  writeLine(`ACK ${i} ${posted.seq} ${posted.hash} ${posted.entryId} ${posted.status}\n`);
}
database.$client.close();
