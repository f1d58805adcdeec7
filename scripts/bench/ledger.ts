/**
 * Benchmark of the ledger: `npm run bench:ledger`.
 *
 * 1. Append: entries posted one by one through `postEntry` into a fresh, migrated temp database
 *    (WAL, synchronous=FULL, so every acknowledged entry is a durable commit). Each grant gets a
 *    COMMIT (with an approval), a PAY_REQUEST and a PAY_CONFIRM: every rule, the idempotency
 *    lookup, the seal trigger and the audit event run for each entry. Reported as entries per
 *    second over APPEND_ENTRIES entries.
 * 2. A 1,000,000-entry ledger is built quickly (not timed as a target): payloads are laid out as
 *    canonical JSON text directly and chained with the CGL-v1 hash, and the rows go in through
 *    plain prepared statements in large transactions, with every trigger in place (the seal trigger
 *    checks seq, prev_hash and balance for each row; the posting trigger keeps the totals and
 *    the CHECK refuses any overspend). The pattern per grant is BUDGET_SET, COMMIT, PAY_REQUEST,
 *    PAY_CONFIRM, across 100 budgets and 1,000 grants.
 * 3. Verify: `verifyLogChain` (what `verifyLedger` and `npm run ledger:verify` use) over the
 *    1,000,000 log rows, called on a fresh read-only connection so that it opens its own read
 *    transaction (target < 3 s). Every row is checked in full: seq order, prev_hash link, SHA-256
 *    recomputed over the stored payload, payload canonical v1 with its own seq, as in production.
 *    It reads each row as one string built by SQLite (hash + hash input) and checks payloads with
 *    the core's one-pass recogniser, falling back to the core's `verifyChain` for the exact verdict
 *    on anything it cannot vouch for. A chain this long is split into ranges of 8,192 rows that
 *    the calling thread and worker threads (one per core beyond the first, at most three) check
 *    side by side; the figure is wall-clock time from the call to its verdict, starting the
 *    workers included, so it depends on how many cores are free: the line printed gives the load
 *    average at the time and how many ranges each side checked. The time of the full
 *    `verifyLedger` (chain, journal rows against payloads, cached totals, trial balance,
 *    conservation; it reads every log row again on one thread for the row comparison) is printed
 *    on its own line; set BENCH_FULL_VERIFY=0 to skip it.
 * 4. Export: `writeLedgerCsv` (one row per posting, 21 columns, written directly with RFC 4180
 *    quoting: the bytes csv-stringify would give) of exactly 1,000,000 posting rows (entries seq
 *    1..500,000) to a file stream with a 1 MB buffer, read from one snapshot on its own connection,
 *    in a child process so that the build above does not count towards its memory: the child
 *    reports its wall time and its peak RSS (VmHWM, the whole process including Node itself,
 *    cross-checked by polling `process.memoryUsage().rss`). Targets < 10 s and < 250 MB.
 *
 * The last line printed is one JSON object with the four figures. BENCH_ENTRIES (default
 * 1000000) and APPEND_ENTRIES (default 1500) scale the run down for a quick look; BENCH_KEEP=1 keeps
 * the temporary databases.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import {
  commit,
  GENESIS_PREV_HASH,
  chainHash,
  parsePayloadV1,
  payConfirm,
  payRequest,
  budgetSet,
} from "../../app/core/ledger";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/client.server";
import { verifyLogChain } from "../../app/models/ledger-chain.server";
import { writeLedgerCsv } from "../../app/models/ledger-csv.server";
import { LEDGER_ID, postEntry } from "../../app/models/ledger.server";
import { verifyLedger } from "../../app/models/ledger-verify.server";
import { addApproval, addFund, addGrant, FINANCE } from "../../tests/support/ledger-world";

const SCRIPT = fileURLToPath(import.meta.url);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const APPEND_ENTRIES = Number(process.env.APPEND_ENTRIES ?? 1_500);
const EXPORT_ROWS = Math.min(1_000_000, ENTRIES * 2);
const BUDGETS = 100;
const GRANTS = 1_000;
const FY = "2026/27";
const FUND = "BENCH";

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const ms = (start: number) => Math.round(performance.now() - start);
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

function freshDatabase(dir: string, name: string): Db {
  const database = openDatabase(path.join(dir, name));
  migrateDatabase(database);
  return database;
}

// ---------------------------------------------------------------------------------------------
// 1. Appending through postEntry

function benchAppend(dir: string): { entries: number; perSecond: number; ms: number } {
  const database = freshDatabase(dir, "append.db");
  globalThis.__wardfundDb = database;
  const grantCount = Math.ceil(APPEND_ENTRIES / 3);
  const [budgetId] = addFund(database, { id: FUND, fy: FY, budgetIds: ["B-append"] }) as [string];
  postEntry(
    {
      draft: budgetSet({ scheme: FUND, fy: FY, allocations: [{ budgetId, pence: grantCount * 10_000 }] }),
      idempotencyKey: "budget",
      actor: FINANCE,
      effectiveDate: "2026-04-01",
    },
    database,
  );
  const grants = Array.from({ length: grantCount }, (_, i) => {
    const grantId = addGrant(database, { id: `G-${i}`, fundId: FUND, pence: 10_000 });
    return { grantId, approvalId: addApproval(database, { entryType: "COMMIT", grantId, amountPence: 10_000 }) };
  });
  const payer = { id: "finance-2", name: "Second Officer" };
  let posted = 0;
  const start = performance.now();
  for (const { grantId, approvalId } of grants) {
    if (posted >= APPEND_ENTRIES) break;
    postEntry(
      {
        draft: commit({ grantId, sources: [{ budgetId, pence: 10_000 }] }),
        idempotencyKey: `c-${grantId}`,
        actor: FINANCE,
        effectiveDate: "2026-06-01",
        approvalId,
      },
      database,
    );
    posted += 1;
    if (posted >= APPEND_ENTRIES) break;
    const request = postEntry(
      {
        draft: payRequest({ grantId, pence: 10_000 }),
        idempotencyKey: `r-${grantId}`,
        actor: FINANCE,
        effectiveDate: "2026-06-02",
      },
      database,
    );
    posted += 1;
    if (posted >= APPEND_ENTRIES) break;
    postEntry(
      {
        draft: payConfirm({ grantId, payRequestEntryId: request.entryId, pence: 10_000, paymentRef: `AP-${grantId}` }),
        idempotencyKey: `p-${grantId}`,
        actor: payer,
        effectiveDate: "2026-06-03",
      },
      database,
    );
    posted += 1;
  }
  const elapsed = performance.now() - start;
  const verified = verifyLedger(database);
  if (!verified.ok)
    throw new Error(`the appended ledger does not verify: ${JSON.stringify(verified.problems.slice(0, 3))}`);
  database.$client.close();
  globalThis.__wardfundDb = undefined;
  return { entries: posted, perSecond: Math.round(posted / (elapsed / 1000)), ms: Math.round(elapsed) };
}

// ---------------------------------------------------------------------------------------------
// 2. Building a large ledger quickly

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const DAY_MS = 86_400_000;
const FY_START = Date.UTC(2026, 3, 1);
const RECORDED_START = Date.UTC(2026, 3, 1, 8, 0, 0);

interface Sealed {
  seq: number;
  id: string;
  type: string;
  date: string;
  recordedAt: string;
  keySha: string;
  approval: string | null;
  resolves: string | null;
  externalRef: string | null;
  debit: string;
  credit: string;
  pence: number;
  payload: string;
}

const jsonOrNull = (value: string | null) => (value === null ? "null" : JSON.stringify(value));

/** Canonical payload v1 text, keys in code-unit order (checked against the core parser below). */
function payloadText(e: Omit<Sealed, "payload">): string {
  return (
    `{"actor":"${FINANCE.id}","approval":${jsonOrNull(e.approval)},"effective_date":"${e.date}","entry_id":"${e.id}",` +
    `"external_ref":${jsonOrNull(e.externalRef)},"fy":"${FY}","idempotency_key_sha256":"${e.keySha}","ledger":"${LEDGER_ID}","memo":null,` +
    `"postings":[{"account":"${e.debit}","dc":"D","pence":${e.pence}},{"account":"${e.credit}","dc":"C","pence":${e.pence}}],` +
    `"reason":null,"recorded_at":"${e.recordedAt}","resolves":${jsonOrNull(e.resolves)},"reverses":null,"seq":${e.seq},"type":"${e.type}","v":1}`
  );
}

function entryAt(seq: number, approvalId: string): Omit<Sealed, "payload"> {
  const cycle = Math.floor((seq - 1) / 4);
  const step = (seq - 1) % 4;
  const grant = `G-${cycle % GRANTS}`;
  const budget = `AVAILABLE:B-${cycle % BUDGETS}`;
  const pence = 1_000 + (cycle % 97) * 13;
  const layout = [
    { type: "BUDGET_SET", debit: `FUNDING:${FUND}:${FY}`, credit: budget },
    { type: "COMMIT", debit: budget, credit: `COMMITTED:${grant}` },
    { type: "PAY_REQUEST", debit: `COMMITTED:${grant}`, credit: `PAYABLE:${grant}` },
    { type: "PAY_CONFIRM", debit: `PAYABLE:${grant}`, credit: `PAID:${grant}` },
  ][step]!;
  const key = `bench-${seq}`;
  return {
    seq,
    id: `e${seq}`,
    type: layout.type,
    date: new Date(FY_START + Math.floor(((seq - 1) * 365) / ENTRIES) * DAY_MS).toISOString().slice(0, 10),
    recordedAt: new Date(RECORDED_START + seq * 1_000).toISOString(),
    keySha: sha256(key),
    approval: layout.type === "COMMIT" ? approvalId : null,
    resolves: layout.type === "PAY_CONFIRM" ? `e${seq - 1}` : null,
    externalRef: layout.type === "PAY_CONFIRM" ? `AP-${seq}` : null,
    debit: layout.debit,
    credit: layout.credit,
    pence,
  };
}

function buildLargeLedger(dir: string): { file: string; ms: number } {
  const start = performance.now();
  const file = path.join(dir, "large.db");
  const database = freshDatabase(dir, "large.db");
  const budgetIds = addFund(database, {
    id: FUND,
    fy: FY,
    budgetIds: Array.from({ length: BUDGETS }, (_, i) => `B-${i}`),
  });
  for (let g = 0; g < GRANTS; g++) addGrant(database, { id: `G-${g}`, fundId: FUND });
  const approvalId = addApproval(database, { entryType: "COMMIT", amountPence: 1_000_000 });
  const client = database.$client;
  client.pragma("synchronous = OFF");
  client.pragma("cache_size = -262144");
  const insertAccount = client.prepare(
    "insert into ledger_accounts (key, kind, fund_id, budget_id, grant_id, fy, non_negative) values (?, ?, ?, ?, ?, " +
      "?, ?) returning id",
  );
  const accountIds = new Map<string, number>();
  // The same identity columns postEntry would give them: fund for scheme and budget accounts,
  // grant for grant accounts, fy for scheme-year accounts.
  const account = (key: string, kind: string, scope: { fund?: string; budget?: string; grant?: string; fy?: string }) =>
    accountIds.set(
      key,
      (
        insertAccount.get(
          key,
          kind,
          scope.fund ?? null,
          scope.budget ?? null,
          scope.grant ?? null,
          scope.fy ?? null,
          kind === "FUNDING" ? 0 : 1,
        ) as { id: number }
      ).id,
    );
  account(`FUNDING:${FUND}:${FY}`, "FUNDING", { fund: FUND, fy: FY });
  for (const budgetId of budgetIds) account(`AVAILABLE:${budgetId}`, "AVAILABLE", { fund: FUND, budget: budgetId });
  for (let g = 0; g < GRANTS; g++)
    for (const kind of ["COMMITTED", "PAYABLE", "PAID"]) account(`${kind}:G-${g}`, kind, { grant: `G-${g}` });

  const insertEntry = client.prepare(
    `insert into journal_entries (id, seq, idempotency_key, request_sha256, type, fy, effective_date, recorded_at,
      actor_id, approval_id, reverses_id, resolves_id, reason, external_ref, memo)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, null, ?, null)`,
  );
  const insertPosting = client.prepare(
    "insert into journal_postings (entry_id, line_no, account_id, dc, amount_pence) values (?, ?, ?, ?, ?)",
  );
  const insertLog = client.prepare(
    "insert into ledger_log (seq, entry_id, prev_hash, payload, hash) values (?, ?, ?, ?, ?)",
  );
  let prevHash = GENESIS_PREV_HASH;
  const CHUNK = 50_000;
  for (let from = 1; from <= ENTRIES; from += CHUNK) {
    client
      .transaction(() => {
        for (let seq = from; seq < Math.min(from + CHUNK, ENTRIES + 1); seq++) {
          const e = entryAt(seq, approvalId);
          const payload = payloadText(e);
          if (seq <= 8) parsePayloadV1(payload); // the layout above is canonical v1
          const hash = chainHash(prevHash, payload);
          insertEntry.run(
            e.id,
            seq,
            `bench-${seq}`,
            e.keySha,
            e.type,
            FY,
            e.date,
            e.recordedAt,
            FINANCE.id,
            e.approval,
            e.resolves,
            e.externalRef,
          );
          insertPosting.run(e.id, 1, accountIds.get(e.debit)!, "D", e.pence);
          insertPosting.run(e.id, 2, accountIds.get(e.credit)!, "C", e.pence);
          insertLog.run(seq, e.id, prevHash, payload, hash);
          prevHash = hash;
        }
      })
      .immediate();
  }
  client.pragma("wal_checkpoint(TRUNCATE)");
  client.close();
  return { file, ms: ms(start) };
}

// ---------------------------------------------------------------------------------------------
// 3. Verifying

function benchVerify(file: string): {
  chainMs: number;
  count: number;
  load: string;
  tally: { caller: number; workers: number };
} {
  const client = new Database(file, { readonly: true });
  const tally = { caller: 0, workers: 0 };
  const load = os.loadavg()[0]!.toFixed(1);
  const start = performance.now();
  const result = verifyLogChain(client, {}, { tally });
  const chainMs = ms(start);
  client.close();
  if (!result.ok) throw new Error(`the built chain does not verify: ${JSON.stringify(result)}`);
  return { chainMs, count: result.count, load, tally };
}

/**
 * Where verification time goes (printed, not a target): reading the rows alone, and the chain
 * links alone (seq order, prev_hash, SHA-256 recomputed), without parsing the payloads, each on
 * one thread, column by column.
 */
function verifyBreakdown(file: string): { readMs: number; linksMs: number } {
  const client = new Database(file, { readonly: true });
  const statement = client.prepare("select seq, prev_hash, hash, payload from ledger_log order by seq").raw(true);
  let start = performance.now();
  let count = 0;
  for (const _row of statement.iterate()) count += 1;
  const readMs = ms(start);
  start = performance.now();
  let prev = GENESIS_PREV_HASH;
  let expected = 1;
  for (const [seq, prevHash, hash, payload] of statement.iterate() as IterableIterator<
    [number, string, string, string]
  >) {
    if (seq !== expected || prevHash !== prev || chainHash(prev, payload) !== hash)
      throw new Error(`chain broken at seq ${seq}`);
    prev = hash;
    expected += 1;
  }
  const linksMs = ms(start);
  client.close();
  if (count !== expected - 1) throw new Error("row count changed");
  return { readMs, linksMs };
}

function benchFullVerify(file: string): { ms: number; ok: boolean } {
  const database = openDatabase(file);
  const start = performance.now();
  const result = verifyLedger(database);
  const elapsed = ms(start);
  database.$client.close();
  if (!result.ok) throw new Error(`verifyLedger found problems: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return { ms: elapsed, ok: result.ok };
}

// ---------------------------------------------------------------------------------------------
// 4. Exporting, in a child process

interface ExportFigures {
  rows: number;
  bytes: number;
  ms: number;
  peakRssMb: number;
  polledRssMb: number;
}

/**
 * This process's own peak RSS. On Linux that is VmHWM in /proc/self/status: `resourceUsage().maxRSS`
 * would not do, because the kernel carries the parent's RSS at fork into a child's maxRSS, so the
 * benchmark's own 1M-row build would show up in the exporter's figure.
 */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function exportChild(file: string, out: string): Promise<void> {
  let polled = process.memoryUsage().rss;
  const timer = setInterval(() => (polled = Math.max(polled, process.memoryUsage().rss)), 25);
  const database = openDatabase(file);
  const start = performance.now();
  const { rows } = await writeLedgerCsv(
    fs.createWriteStream(out, { highWaterMark: 1 << 20 }),
    { toSeq: EXPORT_ROWS / 2 },
    { database },
  );
  const elapsed = ms(start);
  clearInterval(timer);
  polled = Math.max(polled, process.memoryUsage().rss);
  database.$client.close();
  const figures: ExportFigures = {
    rows,
    bytes: fs.statSync(out).size,
    ms: elapsed,
    peakRssMb: peakRssMb(),
    polledRssMb: mb(polled),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function benchExport(file: string, out: string): Promise<ExportFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, "--export-child", file, out], {
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`export child exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()!) as ExportFigures);
    });
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-bench-ledger-"));
  try {
    console.log(
      `Ledger benchmark in ${dir} (node ${process.version}, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")})`,
    );

    const append = benchAppend(dir);
    console.log(
      `append: ${append.entries} entries through postEntry in ${append.ms} ms = ${append.perSecond} entries/s ` +
        `(synchronous=FULL, one durable commit each)`,
    );
    gc();

    const built = buildLargeLedger(dir);
    console.log(
      `build: ${ENTRIES} sealed entries (${ENTRIES * 2} postings) inserted in ${built.ms} ms, file ` +
        `${mb(fs.statSync(built.file).size)} MB (not a target)`,
    );
    gc();

    const verified = benchVerify(built.file);
    console.log(
      `verify: verifyLogChain over ${verified.count} log rows in ${verified.chainMs} ms (target < 3000); ` +
        `ranges checked by the calling thread ${verified.tally.caller}, by worker threads ` +
        `${verified.tally.workers}; load average ${verified.load}`,
    );
    gc();

    const breakdown = verifyBreakdown(built.file);
    console.log(
      `verify, for comparison (one thread, rows read column by column): reading the rows alone ${breakdown.readMs} ` +
        `ms; ` +
        `seq, prev_hash and SHA-256 links alone (no payload parsing) ${breakdown.linksMs} ms`,
    );
    gc();

    if (process.env.BENCH_FULL_VERIFY !== "0") {
      const full = benchFullVerify(built.file);
      console.log(
        `verify: full verifyLedger (chain, rows vs payloads, totals, trial balance, conservation) in ${full.ms} ms`,
      );
      gc();
    }

    const exported = await benchExport(built.file, path.join(dir, "ledger.csv"));
    console.log(
      `export: ${exported.rows} posting rows (${mb(exported.bytes)} MB of CSV) in ${exported.ms} ms (target < ` +
        `10000), ` +
        `peak RSS of the exporting process ${exported.peakRssMb} MB (polled ${exported.polledRssMb} MB; target < 250)`,
    );

    console.log(
      JSON.stringify({
        append_entries_per_s: append.perSecond,
        verify_1m_ms: verified.chainMs,
        export_1m_csv_ms: exported.ms,
        export_peak_rss_mb: exported.peakRssMb,
      }),
    );
  } finally {
    if (process.env.BENCH_KEEP === "1") console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--export-child") {
  await exportChild(process.argv[3]!, process.argv[4]!);
} else {
  await main();
}
