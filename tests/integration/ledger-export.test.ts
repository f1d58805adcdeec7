/**
 * Exports from the live database: the audit pack (`exportAuditPack`, `npm run ledger:export`) and
 * the ledger CSV download (`streamLedgerCsv` / `writeLedgerCsv`).
 *
 * The pack is checked with the standalone verifier exactly as an auditor runs it, including while
 * another process keeps posting (each pack is one snapshot, and the checkpoint recorded for it is
 * the pack's own head). The CSV is parsed back with csv-parse and reconciled line by line with the
 * pack's postings.csv; its formula guard, byte order mark, filters, snapshot and connection
 * handling are checked on their own.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetSet } from "~/core/ledger";
import { migrateDatabase, openDatabase, type Db } from "~/db/client.server";
import {
  AuditPackError,
  auditPackFiles,
  auditPackStreams,
  exportAuditPack,
  exportAuditPackToTempDir,
} from "~/models/audit-pack.server";
import {
  LEDGER_CSV_COLUMNS,
  LedgerCsvFilterError,
  checkLedgerCsvFilters,
  ledgerCsvFileName,
  ledgerCsvFiltersFromSearchParams,
  streamLedgerCsv,
  writeLedgerCsv,
  type LedgerCsvFilters,
} from "~/models/ledger-csv.server";
import { postEntry } from "~/models/ledger.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addFund, FINANCE } from "../support/ledger-world";
import { populateLedger } from "../support/ledger-scenario";
import {
  copyDatabase,
  exited,
  forkTsx,
  readPackFile,
  removeTempDirs,
  runNpm,
  runTsx,
  runVerifier,
  tempDir,
} from "../support/ledger-tools";

let t: TestDatabase;
const opened: Db[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  populateLedger(t.db);
});
afterAll(() => {
  for (const database of opened) database.$client.close();
  t.close();
  removeTempDirs();
});

/** A fresh copy of the populated ledger, so each export starts from the same checkpoints. */
function populatedCopy(): Db {
  const copy = openDatabase(copyDatabase(t.db, path.join(tempDir(), "copy.db")));
  opened.push(copy);
  return copy;
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const lastRow = (database: Db) =>
  database.$client.prepare("select seq, hash from ledger_log order by seq desc limit 1").get() as {
    seq: number;
    hash: string;
  };

function csvRecords(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

describe("exportAuditPack", () => {
  it("writes a pack the standalone verifier accepts, with the export's own checkpoint and an audit event", () => {
    const database = populatedCopy();
    const dir = path.join(tempDir(), "pack");
    const now = new Date("2027-04-02T09:30:00.000Z");
    const result = exportAuditPack(dir, { actor: FINANCE, reason: "Year-end internal audit", now }, database);

    const head = lastRow(database);
    expect(result).toMatchObject({ dir, head, entryCount: 15, packName: "wardfund-audit-pack-2027-04-02-seq-15" });
    expect(result.files.map((f) => f.name)).toEqual([
      "ledger_log.jsonl",
      "entries.csv",
      "postings.csv",
      "trial_balance.csv",
      "checkpoints.csv",
      "VERIFY.md",
      "manifest.json",
    ]);
    for (const file of result.files)
      expect({ name: file.name, sha256: sha256(file.path), bytes: fs.statSync(file.path).size }).toEqual({
        name: file.name,
        sha256: file.sha256,
        bytes: file.bytes,
      });
    expect(auditPackFiles(dir)).toEqual(result.files.map((f) => ({ name: f.name, path: f.path })));

    const verdict = runVerifier(dir, "--expect-head", `${head.seq}:${head.hash}`);
    expect(verdict.stderr).toBe("");
    expect(verdict.status).toBe(0);
    expect(verdict.stdout).toMatch(/checkpoints: 1 matched/);

    const manifest = JSON.parse(readPackFile(dir, "manifest.json"));
    expect(manifest).toMatchObject({
      ledger: "wardfund",
      head,
      entry_count: 15,
      generated_at: "2027-04-02T09:30:00.000Z",
      generator: expect.stringMatching(/^wardfund /),
    });
    expect(readPackFile(dir, "VERIFY.md")).toBe(fs.readFileSync("app/core/ledger/VERIFY.md", "utf8"));
    const checkpoint = {
      seq: head.seq,
      hash: head.hash,
      createdAt: "2027-04-02T09:30:00.000Z",
      reason: "audit pack export: Year-end internal audit",
    };
    expect(result.checkpoint).toEqual(checkpoint);
    expect(csvRecords(readPackFile(dir, "checkpoints.csv"))).toEqual([
      ["seq", "hash", "created_at", "reason"],
      [String(head.seq), head.hash, checkpoint.createdAt, checkpoint.reason],
    ]);
    expect(
      database.$client
        .prepare("select seq, hash, created_at as createdAt, reason, actor_id as actorId from ledger_checkpoints")
        .all(),
    ).toEqual([{ ...checkpoint, actorId: FINANCE.id }]);

    const audit = database.$client
      .prepare(
        "select actor_user_id as actor, actor_name as name, action, entity_id as entity, reason, after from " +
          "audit_events where action = 'ledger.audit-pack-exported'",
      )
      .all() as {
      after: string;
    }[];
    expect(audit).toEqual([
      {
        actor: FINANCE.id,
        name: FINANCE.name,
        action: "ledger.audit-pack-exported",
        entity: "wardfund",
        reason: "Year-end internal audit",
        after: expect.any(String),
      },
    ]);
    expect(JSON.parse(audit[0]!.after)).toEqual({
      head,
      entryCount: 15,
      manifestSha256: result.manifestSha256,
      checkpointCreatedAt: checkpoint.createdAt,
    });
    expect(result.manifestSha256).toBe(sha256(path.join(dir, "manifest.json")));
    expect(verifyLedger(database).ok).toBe(true);
  });

  it("guards descriptive text against spreadsheet formulas and keeps amounts as they are", () => {
    const dir = path.join(tempDir(), "pack");
    exportAuditPack(dir, { actor: FINANCE, reason: "formula check" }, populatedCopy());
    const [header, ...rows] = csvRecords(readPackFile(dir, "entries.csv"));
    const column = (name: string) => header!.indexOf(name);
    const bySeq = (seq: number) => rows.find((r) => r[0] === String(seq))!;
    expect(bySeq(3)[column("memo")]).toBe('\'=HYPERLINK("http://example.com")');
    expect(bySeq(4)[column("external_ref")]).toBe("'+AP-2026-118834");
    expect(bySeq(5)[column("memo")]).toBe("'\tPB round 2, project 7");
    expect(bySeq(8)[column("reason")]).toBe("'@Bank account closed");
    expect(bySeq(2)[column("memo")]).toBe('Riverside Allotment Society: "raised beds", phase 1\nCafé – garden');
    expect(bySeq(2)[column("amount")]).toBe("1000.00");
    expect(rows).toHaveLength(15);
  });

  it("lists earlier checkpoints too, and the next export still verifies", () => {
    const database = populatedCopy();
    const first = exportAuditPack(path.join(tempDir(), "pack"), { actor: FINANCE, reason: "first" }, database);
    postEntry(
      {
        draft: budgetSet({ scheme: "WB-2026", fy: "2026/27", allocations: [{ budgetId: "riverside", pence: 1_000 }] }),
        idempotencyKey: "after-first-export",
        actor: FINANCE,
        effectiveDate: "2027-03-02",
      },
      database,
    );
    const dir = path.join(tempDir(), "pack");
    const second = exportAuditPack(dir, { actor: FINANCE, reason: "second" }, database);
    expect(second.head.seq).toBe(first.head.seq + 1);
    const checkpoints = csvRecords(readPackFile(dir, "checkpoints.csv")).slice(1);
    expect(checkpoints.map((c) => [Number(c[0]), c[1], c[3]])).toEqual([
      [first.head.seq, first.head.hash, "audit pack export: first"],
      [second.head.seq, second.head.hash, "audit pack export: second"],
    ]);
    expect(runVerifier(dir, "--expect-head", `${first.head.seq}:${first.head.hash}`)).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/checkpoints: 2 matched/),
    });
  });

  it("writes Excel-friendly CSV files with a byte order mark that still verify", () => {
    const dir = path.join(tempDir(), "pack");
    exportAuditPack(dir, { actor: FINANCE, reason: "excel", bom: true }, populatedCopy());
    for (const name of ["entries.csv", "postings.csv", "trial_balance.csv", "checkpoints.csv"])
      expect(fs.readFileSync(path.join(dir, name)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(fs.readFileSync(path.join(dir, "ledger_log.jsonl")).subarray(0, 1).toString()).toBe("{");
    expect(runVerifier(dir).status).toBe(0);
  });

  it("exports an empty ledger (head seq 0) that verifies", async () => {
    const empty = await createTestDatabase();
    try {
      const dir = path.join(tempDir(), "pack");
      const result = exportAuditPack(dir, { actor: FINANCE, reason: "empty" }, empty.db);
      expect(result.head).toEqual({ seq: 0, hash: "0".repeat(64) });
      expect(readPackFile(dir, "ledger_log.jsonl")).toBe("");
      expect(runVerifier(dir)).toMatchObject({ status: 0, stdout: expect.stringMatching(/entries:\s+0\n/) });
    } finally {
      empty.close();
    }
  });

  it("never overwrites: a directory that already holds a pack is refused and left as it was", () => {
    const database = populatedCopy();
    const dir = path.join(tempDir(), "pack");
    exportAuditPack(dir, { actor: FINANCE, reason: "first" }, database);
    const before = fs.readFileSync(path.join(dir, "manifest.json"), "utf8");
    expect(() => exportAuditPack(dir, { actor: FINANCE, reason: "again" }, database)).toThrow(
      expect.objectContaining({ code: "DIRECTORY_NOT_EMPTY" }),
    );
    expect(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).toBe(before);
    expect(database.$client.prepare("select count(*) as n from ledger_checkpoints").get()).toEqual({ n: 1 });
    expect(() => exportAuditPack(path.join(tempDir(), "pack"), { actor: FINANCE, reason: "  " }, database)).toThrow(
      AuditPackError,
    );
  });

  it("exports into a temporary directory for a download, yields its files as streams, and cleans it up", async () => {
    const pack = exportAuditPackToTempDir({ actor: FINANCE, reason: "download" }, populatedCopy());
    expect(runVerifier(pack.dir).status).toBe(0);
    const streamed: { name: string; bytes: number; sha256: string }[] = [];
    for (const file of auditPackStreams(pack.dir)) {
      const hash = createHash("sha256");
      for await (const chunk of file.stream) hash.update(chunk as Buffer);
      streamed.push({ name: file.name, bytes: file.bytes, sha256: hash.digest("hex") });
    }
    expect(streamed).toEqual(pack.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })));
    pack.cleanup();
    expect(fs.existsSync(pack.dir)).toBe(false);
  });

  it(
    "takes one snapshot while another process keeps posting: every pack verifies and its checkpoint is its own " +
      "head",
    async () => {
      const database = populatedCopy();
      addFund(database, { id: "WB-live", fy: "2026/27", budgetIds: ["live-A", "live-B"] });
      const writer = forkTsx("tests/support/ledger-writer.ts", [
        database.$client.name,
        "WB-live",
        "live-A",
        "live-B",
        "0",
      ]);
      let acks = 0;
      let writerErrors = "";
      writer.stdout!.on(
        "data",
        (chunk: Buffer) =>
          (acks += chunk
            .toString()
            .split("\n")
            .filter((l) => l.startsWith("ACK")).length),
      );
      writer.stderr!.on("data", (chunk: Buffer) => (writerErrors += chunk.toString()));
      const waitForAcks = async (n: number) => {
        const target = acks + n;
        while (acks < target) {
          if (writer.exitCode !== null) throw new Error(`the writer stopped: ${writerErrors}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      try {
        const heads: number[] = [];
        for (const n of [5, 10, 15]) {
          await waitForAcks(n);
          const dir = path.join(tempDir(), "pack");
          const result = exportAuditPack(dir, { actor: FINANCE, reason: `live ${n}` }, database);
          const verdict = runVerifier(dir, "--expect-head", `${result.head.seq}:${result.head.hash}`);
          expect(verdict.stderr).toBe("");
          expect(verdict.status).toBe(0);
          const stored = database.$client
            .prepare("select seq, hash from ledger_checkpoints where reason = ?")
            .get(`audit pack export: live ${n}`);
          expect(stored).toEqual(result.head);
          expect(JSON.parse(readPackFile(dir, "manifest.json")).head).toEqual(result.head);
          heads.push(result.head.seq);
        }
        expect(heads[0]).toBeLessThan(heads[1]!);
        expect(heads[1]).toBeLessThan(heads[2]!);
      } finally {
        writer.kill("SIGTERM");
        await exited(writer);
      }
      expect(lastRow(database).seq).toBeGreaterThanOrEqual(15 + 30);
      expect(verifyLedger(database)).toMatchObject({ ok: true, problems: [] });
    },
  );
});

describe("npm run ledger:export", () => {
  it("explains its usage when --out is missing", () => {
    const result = runNpm("ledger:export", [], { DATABASE_URL: t.file });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--out DIR is required/);
    expect(result.stderr).toMatch(/usage: npm run ledger:export -- --out DIR/);
  });

  it("writes the pack into --out from DATABASE_URL and prints the head to send outside the app", () => {
    const copy = populatedCopy();
    const head = lastRow(copy);
    const dir = path.join(tempDir(), "cli-pack");
    const result = runTsx(
      "scripts/ledger-export.ts",
      ["--out", dir, "--reason", "Quarterly check", "--by", "Fiona Reid"],
      { DATABASE_URL: copy.$client.name },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Head:      ${head.seq}:${head.hash}`);
    expect(runVerifier(dir, "--expect-head", `${head.seq}:${head.hash}`).status).toBe(0);
    expect(
      copy.$client
        .prepare("select actor_name as name, reason from audit_events where action = 'ledger.audit-pack-exported'")
        .get(),
    ).toEqual({ name: "Fiona Reid", reason: "Quarterly check" });
    const missing = runTsx("scripts/ledger-export.ts", ["--out", path.join(tempDir(), "x")], {
      DATABASE_URL: path.join(tempDir(), "missing.db"),
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/No database at/);
  });
});

describe("the ledger CSV", () => {
  async function csvText(
    filters: LedgerCsvFilters = {},
    options: { bom?: boolean; database?: Db } = {},
  ): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of streamLedgerCsv(filters, { database: t.db, ...options })) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  }
  const postingCount = (where = "1") =>
    (
      t.db.$client
        .prepare(
          `select count(*) as n from journal_postings p join journal_entries e on e.id = p.entry_id where ${where}`,
        )
        .get() as { n: number }
    ).n;

  it(
    "has one header row and one row per posting, CRLF line ends, and reconciles with the audit pack's " +
      "postings.csv",
    async () => {
      const text = await csvText();
      expect(
        text.startsWith(
          "seq,entry_id,type,fy,period,effective_date,recorded_at,actor,approval,reverses,resolves,line_no,account,account_kind,dc,pence,debit,credit,reason,external_ref,memo\r\n",
        ),
      ).toBe(true);
      const [header, ...rows] = csvRecords(text);
      expect(header).toEqual([...LEDGER_CSV_COLUMNS]);
      expect(rows).toHaveLength(postingCount());

      const dir = path.join(tempDir(), "pack");
      exportAuditPack(dir, { actor: FINANCE, reason: "reconcile" }, populatedCopy());
      const packRows = csvRecords(readPackFile(dir, "postings.csv")).slice(1);
      const col = (name: (typeof LEDGER_CSV_COLUMNS)[number]) => LEDGER_CSV_COLUMNS.indexOf(name);
      expect(
        rows.map((r) => [
          r[col("seq")],
          r[col("entry_id")],
          r[col("line_no")],
          r[col("account")],
          r[col("account_kind")],
          r[col("dc")],
          r[col("pence")],
          r[col(r[col("dc")] === "D" ? "debit" : "credit")],
        ]),
      ).toEqual(packRows);
      for (const r of rows) expect(r[col(r[col("dc")] === "D" ? "credit" : "debit")]).toBe("");
      const seq2 = rows.filter((r) => r[0] === "2");
      expect(seq2.map((r) => [r[col("memo")], r[col("fy")], r[col("period")], r[col("type")]])).toEqual(
        Array(3).fill(['Riverside Allotment Society: "raised beds", phase 1\nCafé – garden', "2026/27", "2", "COMMIT"]),
      );
    },
  );

  it("guards reason, external_ref and memo against formulas and leaves ids and amounts alone", async () => {
    const rows = csvRecords(await csvText()).slice(1);
    const col = (name: (typeof LEDGER_CSV_COLUMNS)[number]) => LEDGER_CSV_COLUMNS.indexOf(name);
    const first = (seq: number) => rows.find((r) => r[0] === String(seq))!;
    expect(first(3)[col("memo")]).toBe('\'=HYPERLINK("http://example.com")');
    expect(first(4)[col("external_ref")]).toBe("'+AP-2026-118834");
    expect(first(5)[col("memo")]).toBe("'\tPB round 2, project 7");
    expect(first(8)[col("reason")]).toBe("'@Bank account closed");
    expect(first(11)[col("reason")]).toBe("'=SUM(A1:A9) pooled by agreement");
    expect(first(14)[col("reason")]).toBe("Award reduced: 'scope cut'");
    for (const r of rows) {
      expect(r[col("pence")]).toMatch(/^[1-9]\d*$/);
      expect(`${r[col("debit")]}${r[col("credit")]}`).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it("starts with a byte order mark only when asked", async () => {
    expect((await csvText({}, { bom: true })).charCodeAt(0)).toBe(0xfeff);
    expect((await csvText()).charCodeAt(0)).toBe("s".charCodeAt(0));
  });

  it("filters by year, dates, type, grant, budget and seq", async () => {
    const count = async (filters: LedgerCsvFilters) => csvRecords(await csvText(filters)).length - 1;
    expect(await count({ fy: "2026/27" })).toBe(postingCount());
    expect(await count({ fy: "2025/26" })).toBe(0);
    expect(await count({ types: ["PAY_REQUEST"] })).toBe(postingCount("e.type = 'PAY_REQUEST'"));
    expect(await count({ types: ["PAY_REQUEST", "PAY_CONFIRM"] })).toBe(6);
    expect(await count({ from: "2026-06-01", to: "2026-06-30" })).toBe(
      postingCount("e.effective_date between '2026-06-01' and '2026-06-30'"),
    );
    expect(await count({ fromSeq: 2, toSeq: 4 })).toBe(7);
    // Every line of each entry that touches the grant: the joint commitment's three lines included.
    const g42 = csvRecords(await csvText({ grantId: "g-42" })).slice(1);
    expect([...new Set(g42.map((r) => r[0]))]).toEqual(["2", "3", "4", "9", "10"]);
    expect(g42).toHaveLength(11);
    const hillside = csvRecords(await csvText({ budgetId: "hillside" })).slice(1);
    expect([...new Set(hillside.map((r) => r[0]))]).toEqual(["1", "2", "11", "12", "13", "14"]);
    expect(await count({ budgetId: "hillside", types: ["COMMIT"], fy: "2026/27" })).toBe(5);
  });

  it("refuses bad filters before reading anything, naming each field", () => {
    expect(() => streamLedgerCsv({ fy: "2026-27" })).toThrow(LedgerCsvFilterError);
    let error: LedgerCsvFilterError | undefined;
    try {
      checkLedgerCsvFilters({ from: "2026-02-30", types: ["NOPE"], grantId: "a:b", extra: 1 });
    } catch (caught) {
      error = caught as LedgerCsvFilterError;
    }
    expect(error?.issues.map((i) => i.field).sort()).toEqual(["filters", "from", "grantId", "types.0"]);
  });

  it("reads filters from a download URL", () => {
    const params = new URL(
      "https://wardfund.example/finance/ledger.csv?fy=2026/27&from=2026-04-01&type=COMMIT&type=PAY_CONFIRM&grant=g-42&fromSeq=3&to=",
    ).searchParams;
    const filters = ledgerCsvFiltersFromSearchParams(params);
    expect(filters).toEqual({
      fy: "2026/27",
      from: "2026-04-01",
      types: ["COMMIT", "PAY_CONFIRM"],
      grantId: "g-42",
      fromSeq: 3,
    });
    expect(ledgerCsvFileName(filters)).toBe("wardfund-ledger-2026-27-g-42-2026-04-01-to-end.csv");
    expect(() => ledgerCsvFiltersFromSearchParams(new URLSearchParams("toSeq=0"))).toThrow(/toSeq/);
  });

  it("writes to a Writable and reports the number of rows", async () => {
    const file = path.join(tempDir(), "ledger.csv");
    const { rows } = await writeLedgerCsv(fs.createWriteStream(file), { types: ["COMMIT"] }, { database: t.db });
    expect(rows).toBe(postingCount("e.type = 'COMMIT'"));
    expect(csvRecords(fs.readFileSync(file, "utf8"))).toHaveLength(rows + 1);
  });

  describe("on a ledger longer than the stream's buffers", () => {
    let big: Db;
    beforeAll(() => {
      big = populatedCopy();
      addFund(big, { id: "WB-big", fy: "2026/27", budgetIds: ["big-A", "big-B"] });
      big.$client.pragma("wal_autocheckpoint = 0");
      for (let i = 0; i < 700; i++) {
        postEntry(
          {
            draft: budgetSet({
              scheme: "WB-big",
              fy: "2026/27",
              allocations: [
                { budgetId: "big-A", pence: 100 + i },
                { budgetId: "big-B", pence: 200 },
              ],
            }),
            idempotencyKey: `big-${i}`,
            actor: FINANCE,
            effectiveDate: "2026-05-01",
          },
          big,
        );
      }
    });
    /** How far a passive checkpoint gets: short of the end while a reader holds an older snapshot. */
    const checkpoint = () => {
      const [result] = big.$client.pragma("wal_checkpoint(PASSIVE)") as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      return result!;
    };

    it(
      "reads one snapshot: an entry posted mid-download is not in it, and the read is released at the " + "end",
      async () => {
        const before = (big.$client.prepare("select count(*) as n from journal_postings").get() as { n: number }).n;
        const stream = streamLedgerCsv({}, { database: big });
        const reading = stream[Symbol.asyncIterator]();
        const chunks: Buffer[] = [];
        const first = await reading.next();
        chunks.push(Buffer.from(first.value));
        postEntry(
          {
            draft: budgetSet({ scheme: "WB-big", fy: "2026/27", allocations: [{ budgetId: "big-A", pence: 1 }] }),
            idempotencyKey: "mid-download",
            actor: FINANCE,
            effectiveDate: "2026-05-02",
          },
          big,
        );
        const pinned = checkpoint();
        expect(pinned.checkpointed).toBeLessThan(pinned.log);
        for (let next = await reading.next(); !next.done; next = await reading.next())
          chunks.push(Buffer.from(next.value));
        expect(csvRecords(Buffer.concat(chunks).toString("utf8")).length - 1).toBe(before);
        await new Promise((resolve) => setImmediate(resolve));
        const released = checkpoint();
        expect(released.checkpointed).toBe(released.log);
      },
    );

    it("stops reading and closes its connection when the download is abandoned", async () => {
      const stream = streamLedgerCsv({}, { database: big });
      const reading = stream[Symbol.asyncIterator]();
      await reading.next();
      postEntry(
        {
          draft: budgetSet({ scheme: "WB-big", fy: "2026/27", allocations: [{ budgetId: "big-A", pence: 3 }] }),
          idempotencyKey: "during-abandon",
          actor: FINANCE,
          effectiveDate: "2026-05-02",
        },
        big,
      );
      const pinned = checkpoint();
      expect(pinned.checkpointed).toBeLessThan(pinned.log);
      await reading.return!();
      expect(stream.destroyed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const released = checkpoint();
      expect(released.checkpointed).toBe(released.log);
      // The shared connection was never left busy: it can still write.
      postEntry(
        {
          draft: budgetSet({ scheme: "WB-big", fy: "2026/27", allocations: [{ budgetId: "big-A", pence: 4 }] }),
          idempotencyKey: "after-abandon",
          actor: FINANCE,
          effectiveDate: "2026-05-02",
        },
        big,
      );
    });

    it("fails the Writable's pipeline when the destination fails, and still releases the read", async () => {
      const failing = new Writable({
        write(_chunk, _encoding, callback) {
          callback(new Error("disk full"));
        },
      });
      await expect(writeLedgerCsv(failing, {}, { database: big })).rejects.toThrow(/disk full/);
      await new Promise((resolve) => setTimeout(resolve, 10));
      postEntry(
        {
          draft: budgetSet({ scheme: "WB-big", fy: "2026/27", allocations: [{ budgetId: "big-A", pence: 5 }] }),
          idempotencyKey: "after-failure",
          actor: FINANCE,
          effectiveDate: "2026-05-02",
        },
        big,
      );
      const released = checkpoint();
      expect(released.checkpointed).toBe(released.log);
    });
  });

  it("works on an in-memory database (read up front in one transaction)", async () => {
    const memory = openDatabase(":memory:");
    migrateDatabase(memory);
    try {
      populateLedger(memory);
      const rows = csvRecords(await csvText({}, { database: memory })).slice(1);
      expect(rows).toHaveLength(
        (memory.$client.prepare("select count(*) as n from journal_postings").get() as { n: number }).n,
      );
    } finally {
      memory.$client.close();
    }
  });
});
