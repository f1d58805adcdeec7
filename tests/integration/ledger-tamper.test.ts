/**
 * Tampering. A populated ledger is copied, the copy's triggers are dropped (as a DBA could), and
 * the copy is edited the way an insider might: an amount in journal_postings, a payload in
 * ledger_log, a deleted middle row, a cut-off tail, a rewritten tail with every hash recomputed.
 * `verifyLedger`, and the `ledger:verify` command run as a child process, must name the first bad
 * seq. A cut-off or recomputed tail is invisible to the chain alone: it is caught only when a
 * checkpoint is supplied (stored beside the ledger, or received independently and given with
 * --expect-head), and the tests show both sides.
 *
 * Then the audit pack: exported from the untouched ledger it passes the standalone verifier; a copy
 * with one amount changed in postings.csv or ledger_log.jsonl fails, naming the seq. A ledger that
 * does not verify is refused for export.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Database from "better-sqlite3";
import { chainHash } from "~/core/ledger";
import { openDatabase, type Db } from "~/db/client.server";
import { AuditPackError, exportAuditPack } from "~/models/audit-pack.server";
import { writeCheckpoint } from "~/models/ledger.server";
import { verifyLedger, type LedgerVerification } from "~/models/ledger-verify.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { FINANCE } from "../support/ledger-world";
import { populateLedger } from "../support/ledger-scenario";
import {
  copyDatabase,
  copyPack,
  readPackFile,
  removeTempDirs,
  runNpm,
  runTsx,
  runVerifier,
  tempDir,
} from "../support/ledger-tools";

let t: TestDatabase;
const opened: Db[] = [];
let head: { seq: number; hash: string };

beforeAll(async () => {
  t = await createTestDatabase();
  populateLedger(t.db);
  head = t.db.$client.prepare("select seq, hash from ledger_log order by seq desc limit 1").get() as {
    seq: number;
    hash: string;
  };
});
afterAll(() => {
  for (const database of opened) database.$client.close();
  t.close();
  removeTempDirs();
});

/**
 * A copy of the populated ledger with every trigger dropped, edited by `tamper`. With
 * `checkpoint`, a checkpoint of the untouched head is stored first (as the last export would have).
 */
function tamperedCopy(
  tamper: (sql: Database.Database) => void,
  options: { checkpoint?: boolean } = {},
): { db: Db; file: string } {
  const file = copyDatabase(t.db, path.join(tempDir(), "tampered.db"));
  const database = openDatabase(file);
  opened.push(database);
  if (options.checkpoint)
    database.$client.transaction(() => writeCheckpoint(database, "Q1 export", FINANCE)).immediate();
  const sql = database.$client;
  for (const { name } of sql.prepare("select name from sqlite_master where type = 'trigger'").all() as {
    name: string;
  }[])
    sql.exec(`drop trigger "${name}"`);
  sql.transaction(() => tamper(sql))();
  return { db: database, file };
}

/** Brings the cached totals back in line with the postings, as a careful insider would. */
function recomputeTotals(sql: Database.Database): void {
  sql.exec(`update ledger_accounts set
              debits_posted = coalesce((select sum(amount_pence) from journal_postings p where p.account_id =
                ledger_accounts.id and p.dc = 'D'), 0),
              credits_posted = coalesce((select sum(amount_pence) from journal_postings p where p.account_id =
                ledger_accounts.id and p.dc = 'C'), 0)`);
}

const entryIdAt = (sql: Database.Database, seq: number) =>
  (sql.prepare("select id from journal_entries where seq = ?").get(seq) as { id: string }).id;

function firstBadSeq(result: LedgerVerification): number | undefined {
  return result.problems
    .map((p) => p.seq)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b)[0];
}

describe("the live ledger, edited behind the application's back", () => {
  it("starts from a ledger that verifies", () => {
    expect(head.seq).toBe(15);
    expect(verifyLedger(t.db)).toMatchObject({ ok: true, count: 15, problems: [] });
  });

  it("an amount changed in journal_postings (both lines, totals fixed up) is named at its seq", () => {
    const { db } = tamperedCopy((sql) => {
      sql.prepare("update journal_postings set amount_pence = 20000 where entry_id = ?").run(entryIdAt(sql, 13));
      recomputeTotals(sql);
    });
    const result = verifyLedger(db);
    expect(result.ok).toBe(false);
    expect(firstBadSeq(result)).toBe(13);
    expect(result.problems).toEqual([
      { seq: 13, check: "rows", message: expect.stringMatching(/differ from its hashed payload/) },
    ]);
  });

  it.each<[string, number, string]>([
    ["a memo edited", 3, "update journal_entries set memo = 'Riverside Allotment Society: raised beds' where seq = 3"],
    ["a memo cleared", 5, "update journal_entries set memo = null where seq = 5"],
    ["a reason edited", 8, "update journal_entries set reason = 'Paid in cash instead' where seq = 8"],
    ["an external reference edited", 9, "update journal_entries set external_ref = 'INV-78' where seq = 9"],
    ["a recorded_at moved", 6, "update journal_entries set recorded_at = '2026-01-01T00:00:00.000Z' where seq = 6"],
    ["an actor swapped", 5, "update journal_entries set actor_id = 'someone-else' where seq = 5"],
    ["an approval removed", 2, "update journal_entries set approval_id = null where seq = 2"],
    ["a financial year changed", 10, "update journal_entries set fy = '2025/26' where seq = 10"],
    ["an idempotency key replaced", 11, "update journal_entries set idempotency_key = 'replayed-key' where seq = 11"],
  ])("%s in journal_entries, with the hashed payload untouched, is a rows problem at its seq", (_what, seq, edit) => {
    const { db } = tamperedCopy((sql) => {
      const before = sql.prepare("select * from journal_entries where seq = ?").get(seq);
      expect(sql.prepare(edit).run().changes).toBe(1);
      expect(sql.prepare("select * from journal_entries where seq = ?").get(seq)).not.toEqual(before);
    });
    const result = verifyLedger(db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { seq, check: "rows", message: `journal rows for seq ${seq} differ from its hashed payload` },
    ]);
  });

  it("a payload changed in ledger_log is named at its seq, by verifyLedger and by npm run ledger:verify", () => {
    const { db, file } = tamperedCopy((sql) => {
      const row = sql.prepare("select payload from ledger_log where seq = 7").get() as { payload: string };
      expect(row.payload).toContain('"pence":100000');
      sql
        .prepare("update ledger_log set payload = ? where seq = 7")
        .run(row.payload.replaceAll('"pence":100000', '"pence":90000'));
    });
    const result = verifyLedger(db);
    expect(firstBadSeq(result)).toBe(7);
    expect(result.problems[0]).toMatchObject({
      seq: 7,
      check: "chain",
      message: expect.stringMatching(/^HASH_MISMATCH/),
    });

    const cli = runNpm("ledger:verify", [], { DATABASE_URL: file });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/first bad seq 7\)/);
    expect(cli.stdout).toMatch(/seq 7 \[chain\] HASH_MISMATCH/);
    expect(cli.stderr).toMatch(/FAIL: the ledger does not verify \(first bad seq 7\)/);
  });

  it("a deleted middle row of ledger_log is named at its seq", () => {
    const { db, file } = tamperedCopy((sql) => {
      sql.exec("delete from ledger_log where seq = 8");
    });
    const result = verifyLedger(db);
    expect(firstBadSeq(result)).toBe(8);
    expect(result.problems[0]).toMatchObject({
      seq: 8,
      check: "chain",
      message: expect.stringMatching(/^SEQ_OUT_OF_ORDER: expected seq 8, found 9/),
    });
    const cli = runTsx("scripts/ledger-verify.ts", [], { DATABASE_URL: file });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/seq 8 \[chain\] SEQ_OUT_OF_ORDER/);
  });

  describe("a cut-off tail (log, journal rows and totals all made consistent)", () => {
    const truncate = (sql: Database.Database) => {
      const doomed = "(select id from journal_entries where seq > 12)";
      sql.exec(
        `delete from ledger_log where seq > 12; delete from journal_postings where entry_id in ${doomed}; delete
          from journal_entries where seq > 12;`,
      );
      recomputeTotals(sql);
    };

    it("passes when no checkpoint is supplied: the chain alone cannot show it", () => {
      const { db, file } = tamperedCopy(truncate);
      expect(verifyLedger(db)).toMatchObject({ ok: true, count: 12, problems: [] });
      const cli = runTsx("scripts/ledger-verify.ts", [], { DATABASE_URL: file });
      expect(cli.status).toBe(0);
      expect(cli.stdout).toMatch(/Head seq: {2}12\n/);
    });

    it("is caught at the first missing seq by a checkpoint stored at the last export", () => {
      const { db } = tamperedCopy(truncate, { checkpoint: true });
      const result = verifyLedger(db);
      expect(firstBadSeq(result)).toBe(13);
      expect(result.problems[0]).toMatchObject({
        seq: 13,
        check: "chain",
        message: expect.stringMatching(/^CHECKPOINT_BEYOND_END: checkpoint at seq 15 is beyond the end/),
      });
    });

    it("is caught by a head received independently when the stored checkpoints were deleted too", () => {
      const { file } = tamperedCopy(
        (sql) => {
          truncate(sql);
          sql.exec("delete from ledger_checkpoints");
        },
        { checkpoint: true },
      );
      expect(runTsx("scripts/ledger-verify.ts", [], { DATABASE_URL: file }).status).toBe(0);
      const cli = runTsx("scripts/ledger-verify.ts", ["--expect-head", `${head.seq}:${head.hash}`], {
        DATABASE_URL: file,
      });
      expect(cli.status).toBe(1);
      expect(cli.stdout).toMatch(/first bad seq 13\)/);
      expect(cli.stdout).toMatch(/seq 13 \[chain\] CHECKPOINT_BEYOND_END: expected head 15:/);
      const byHashOnly = runTsx("scripts/ledger-verify.ts", ["--expect-head", head.hash], { DATABASE_URL: file });
      expect(byHashOnly.status).toBe(1);
      expect(byHashOnly.stdout).toMatch(/seq 13 \[chain\] EXPECTED_HEAD_MISSING/);
    });
  });

  describe("a tail rewritten from seq 8 with every hash recomputed", () => {
    const rewrite = (sql: Database.Database) => {
      const rows = sql
        .prepare("select seq, prev_hash as prevHash, payload from ledger_log where seq >= 8 order by seq")
        .all() as { seq: number; prevHash: string; payload: string }[];
      let prevHash = rows[0]!.prevHash;
      for (const row of rows) {
        const payload =
          row.seq === 8
            ? row.payload.replace('"reason":"@Bank account closed"', '"reason":"Paid in cash instead"')
            : row.payload;
        const hash = chainHash(prevHash, payload);
        sql
          .prepare("update ledger_log set prev_hash = ?, payload = ?, hash = ? where seq = ?")
          .run(prevHash, payload, hash, row.seq);
        prevHash = hash;
      }
      sql.prepare("update journal_entries set reason = 'Paid in cash instead' where seq = 8").run();
    };

    it("passes with no checkpoint, and is caught by a stored checkpoint or an independently received head", () => {
      const quiet = tamperedCopy(rewrite);
      expect(quiet.db.$client.prepare("select reason from journal_entries where seq = 8").get()).toEqual({
        reason: "Paid in cash instead",
      });
      expect(verifyLedger(quiet.db)).toMatchObject({ ok: true, count: 15 });

      const checked = tamperedCopy(rewrite, { checkpoint: true });
      const result = verifyLedger(checked.db);
      expect(firstBadSeq(result)).toBe(15);
      expect(result.problems[0]).toMatchObject({
        seq: 15,
        check: "chain",
        message: expect.stringMatching(/^CHECKPOINT_MISMATCH/),
      });

      const cli = runTsx("scripts/ledger-verify.ts", ["--expect-head", `${head.seq}:${head.hash}`], {
        DATABASE_URL: quiet.file,
      });
      expect(cli.status).toBe(1);
      expect(cli.stdout).toMatch(/seq 15 \[chain\] CHECKPOINT_MISMATCH/);
    });
  });

  it("refuses to export an audit pack of a ledger that does not verify, and leaves nothing behind", () => {
    const { db } = tamperedCopy((sql) => {
      sql.exec("delete from ledger_log where seq = 8");
    });
    const dir = path.join(tempDir(), "pack");
    let error: unknown;
    try {
      exportAuditPack(dir, { actor: FINANCE, reason: "tampered" }, db);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuditPackError);
    expect(error).toMatchObject({ seq: 8, code: "SEQ_OUT_OF_ORDER" });
    expect(fs.existsSync(dir)).toBe(false);
    expect(db.$client.prepare("select count(*) as n from ledger_checkpoints").get()).toEqual({ n: 0 });
  });
});

describe("an audit pack exported from the untouched ledger", () => {
  let pack: string;
  beforeAll(() => {
    const copy = openDatabase(copyDatabase(t.db, path.join(tempDir(), "export.db")));
    opened.push(copy);
    pack = path.join(tempDir(), "pack");
    exportAuditPack(pack, { actor: FINANCE, reason: "tamper tests" }, copy);
  });

  /** Changes one file of a copy of the pack and, like a careful forger, updates the manifest to match. */
  function forged(name: string, change: (text: string) => string, fixManifest = true): string {
    const copy = copyPack(pack);
    const before = readPackFile(copy, name);
    const after = change(before);
    expect(after).not.toBe(before);
    fs.writeFileSync(path.join(copy, name), after);
    if (fixManifest) {
      const manifest = JSON.parse(readPackFile(copy, "manifest.json"));
      const entry = manifest.files.find((f: { name: string }) => f.name === name);
      entry.sha256 = createHash("sha256").update(after, "utf8").digest("hex");
      entry.bytes = Buffer.byteLength(after, "utf8");
      fs.writeFileSync(path.join(copy, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    return copy;
  }

  it("passes node scripts/verify-audit-pack.mjs, also against the head received independently", () => {
    const plain = runVerifier(pack);
    expect(plain.stderr).toBe("");
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/entries:\s+15\n/);
    expect(runVerifier(pack, "--expect-head", `${head.seq}:${head.hash}`).status).toBe(0);
  });

  it("fails, naming the seq, when one amount in postings.csv is changed", () => {
    // seq 13 is the £250 commitment from the hillside budget: two lines of 25000 pence.
    const copy = forged("postings.csv", (text) =>
      text.replace(/^(13,[^,]+,1,AVAILABLE:hillside,AVAILABLE,D,)25000,250\.00\r$/m, "$120000,200.00\r"),
    );
    const result = runVerifier(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^FAIL seq 13: postings.csv line 1 column pence is "20000", the payload says "25000"/,
    );
  });

  it("fails, naming the seq, when one amount in ledger_log.jsonl is changed", () => {
    const copy = forged("ledger_log.jsonl", (text) => {
      const lines = text.split("\n");
      lines[6] = lines[6]!.replaceAll('\\"pence\\":100000', '\\"pence\\":90000');
      return lines.join("\n");
    });
    const result = runVerifier(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAIL seq 7: hash does not match prev_hash and payload/);
  });

  it("fails on the file when the manifest was not brought up to date", () => {
    const copy = forged("postings.csv", (text) => text.replace(",25000,250.00\r", ",20000,200.00\r"), false);
    const result = runVerifier(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAIL postings.csv: SHA-256 does not match the manifest/);
  });
});
