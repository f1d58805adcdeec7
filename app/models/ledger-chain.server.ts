/**
 * Verifies the hash chain stored in ledger_log: `verifyLogChain(client, options)` gives exactly the
 * verdict of the core's `verifyChain` over every log row in seq order, in a fraction of the time.
 * Run it inside a read transaction (it opens one of its own otherwise), so every read on `client`
 * sees the same snapshot. Long chains are split into ranges checked by worker threads running the
 * loop in ledger-chain-scan.server.mjs. The fast path only ever accepts; anything it cannot vouch for
 * goes to `verifyChain`, which names the first bad seq.
 *
 * What the fast path checks and why that is enough: docs/decisions/001-ledger-chain-verification.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type Database from "better-sqlite3";
import {
  CHAIN_HASH_RULE,
  GENESIS_HEAD,
  GENESIS_PREV_HASH,
  isFinancialYearOfDate,
  PAYLOAD_V1_PLAIN_LAYOUT,
  payloadV1SeqReader,
  verifyChain,
  type ChainHead,
  type ChainVerification,
  type LogRow,
  type VerifyChainOptions,
} from "~/core/ledger";
import {
  NEXT_RANGE,
  REPLIES_POSTED,
  SCAN_PROTOCOL,
  scanLogRange,
  type ScanReply,
  type ScanWorkerData,
} from "./ledger-chain-scan.server.mjs";

/**
 * Below this many rows one thread is about as quick: a worker takes some 50-150 ms to start, and
 * runs its first range two to three times slower than the next while its code is compiled.
 */
export const PARALLEL_FROM = 100_000;
/**
 * Rows per range: some 25 ms of work on a free core, so that when the last range is claimed the
 * others wait little for it; the cost per range (one indexed read, one message) is far smaller.
 */
const RANGE_ROWS = 8_192;
/** At most this many worker threads beside the calling thread. */
const MAX_WORKERS = 3;
/**
 * Where the worker's file is: beside this module in the source tree (tsx, vitest); beside
 * build/index.js in the Remix server bundle, where `npm run build` copies it.
 */
const WORKER_FILE = new URL("./ledger-chain-scan.server.mjs", import.meta.url);

/** How the rows are shared out; the defaults suit production, tests make them small. */
export interface LogChainScanOptions {
  /** Chains with at least this many rows are checked by worker threads too (default PARALLEL_FROM). */
  parallelFrom?: number;
  /** Worker threads beside the calling thread (default: one per core beyond the first, at most 3). */
  workers?: number;
  /** Rows per range (default 8,192). */
  rangeRows?: number;
  /**
   * For `fastLogChainVerdict` only: the caller's open transaction has written nothing, so the
   * worker threads' connections see the same rows. `verifyLogChain` works this out itself.
   */
  committedSnapshot?: boolean;
  /** False leaves the ranges to the workers unless they fall silent (tests use it; default true). */
  callerChecks?: boolean;
  /** When given, counts the ranges each side checked (tests and the benchmark report it). */
  tally?: { caller: number; workers: number };
}

/** Every log row in seq order, column by column: what the core verifier reads. */
export function* logRows(client: Database.Database): Generator<LogRow> {
  const statement = client.prepare("select seq, prev_hash as prevHash, hash, payload from ledger_log order by seq");
  for (const row of statement.iterate()) yield row as LogRow;
}

function defaultWorkers(): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(MAX_WORKERS, cores - 1));
}

/** The database file worker threads can open, or null (in-memory, temporary, a URI, not found). */
function databaseFile(client: Database.Database): string | null {
  const name = client.name;
  if (client.memory || !name || name === ":memory:" || name.startsWith("file:")) return null;
  const file = path.resolve(name);
  return fs.existsSync(file) ? file : null;
}

function workerFile(): URL | null {
  try {
    return fs.existsSync(WORKER_FILE) ? WORKER_FILE : null;
  } catch {
    return null;
  }
}

/**
 * Ranges 1..last checked by the calling thread and `workerCount` worker threads; the hash of row
 * `last` when every range passes and meets its neighbours, else null.
 */
function scanInParallel(
  client: Database.Database,
  file: string,
  entry: URL,
  last: number,
  checkpoints: Map<number, string>,
  payloadSeqOf: (payload: string) => number,
  workerCount: number,
  scan: LogChainScanOptions & { rangeRows: number },
): string | null {
  const { rangeRows, tally } = scan;
  const froms: number[] = [];
  const tos: number[] = [];
  for (let from = 1; from <= last; from += rangeRows) {
    froms.push(from);
    tos.push(Math.min(from + rangeRows - 1, last));
  }
  const ranges = froms.length;
  // The stored hash at the end of every range, read in the caller's snapshot.
  const hashAt = client.prepare("select hash from ledger_log where seq = ?").pluck();
  const ends: string[] = [];
  for (const to of tos) {
    const hash = hashAt.get(to);
    if (typeof hash !== "string") return null;
    ends.push(hash);
  }
  const starts = [GENESIS_PREV_HASH, ...ends.slice(0, -1)];

  const control = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  const stopWorkers = () => {
    Atomics.store(control, NEXT_RANGE, ranges);
    for (const worker of workers) void worker.terminate().catch(() => undefined);
    for (const port of ports) port.close();
  };
  for (let i = 0; i < workerCount; i++) {
    const { port1, port2 } = new MessageChannel();
    const data: ScanWorkerData = {
      ledgerChainScan: SCAN_PROTOCOL,
      file,
      rule: CHAIN_HASH_RULE,
      froms,
      tos,
      starts,
      checkpoints,
      plainLayout: PAYLOAD_V1_PLAIN_LAYOUT,
      control,
      port: port2,
    };
    try {
      const worker = new Worker(entry, { workerData: data, transferList: [port2], execArgv: [] });
      worker.on("error", () => undefined); // its ranges are then checked here
      worker.unref();
      workers.push(worker);
      ports.push(port1);
    } catch {
      port1.close();
      break;
    }
  }

  const unchecked = new Set(froms.keys());
  const fyChecked = new Map<string, boolean>();
  const sound = (reply: ScanReply): boolean => {
    if (!unchecked.has(reply.range) || reply.end === null || reply.end !== ends[reply.range]) return false;
    for (const date of reply.dates) {
      let ok = fyChecked.get(date);
      if (ok === undefined) fyChecked.set(date, (ok = isFinancialYearOfDate(date.slice(0, 10), date.slice(10))));
      if (!ok) return false;
    }
    for (let i = 0; i < reply.deferred.length; i += 2) {
      const seq = reply.deferred[i];
      const payload = reply.deferred[i + 1];
      if (typeof seq !== "number" || typeof payload !== "string" || payloadSeqOf(payload) !== seq) return false;
    }
    return true;
  };
  /** Takes every reply posted so far; false when one of them does not pass. */
  const collect = (): boolean => {
    for (const port of ports) {
      for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
        const reply = message.message as ScanReply;
        if (!sound(reply)) return false;
        unchecked.delete(reply.range);
        if (tally) tally.workers += 1;
      }
    }
    return true;
  };
  const scanHere = (range: number): boolean => {
    const end = scanLogRange(
      client,
      CHAIN_HASH_RULE,
      froms[range]!,
      tos[range]!,
      starts[range]!,
      payloadSeqOf,
      checkpoints,
    );
    if (end === null || end !== ends[range]) return false;
    unchecked.delete(range);
    if (tally) tally.caller += 1;
    return true;
  };

  // As on the workers' connections: the ranges read each page once, so a small cache is quicker
  // than filling a large one. The caller's setting is put back at the end (a scan this long would
  // have pushed everything else out of its cache in any case).
  const cacheSize = client.pragma("cache_size", { simple: true }) as number;
  client.pragma("cache_size = 100");
  try {
    let slowest = 0;
    while (scan.callerChecks !== false) {
      const range = Atomics.add(control, NEXT_RANGE, 1);
      if (range >= ranges) break;
      const started = performance.now();
      if (!scanHere(range) || !collect()) return null;
      slowest = Math.max(slowest, performance.now() - started);
    }
    // Every range is claimed (or left to the workers); wait for their replies. A worker that falls
    // silent for much longer than a range takes here (it died, or its core is busy) has its ranges
    // checked here.
    const patience = scan.callerChecks === false ? 30_000 : Math.max(2_000, 10 * slowest);
    let progressAt = performance.now();
    while (unchecked.size > 0) {
      const posted = Atomics.load(control, REPLIES_POSTED);
      const before = unchecked.size;
      if (!collect()) return null;
      if (unchecked.size === 0) break;
      const now = performance.now();
      if (unchecked.size < before) progressAt = now;
      if (now - progressAt > patience) {
        stopWorkers();
        for (const range of [...unchecked]) if (!scanHere(range)) return null;
        break;
      }
      Atomics.wait(control, REPLIES_POSTED, posted, 50);
    }
    return ends[ranges - 1]!;
  } finally {
    stopWorkers();
    client.pragma(`cache_size = ${Number(cacheSize)}`);
  }
}

/**
 * The verdict when every row passes the fast checks, or null when `verifyChain` must decide
 * (exported for its tests). Call it inside a read transaction on `client`.
 */
export function fastLogChainVerdict(
  client: Database.Database,
  options: VerifyChainOptions,
  scan: LogChainScanOptions = {},
): ChainVerification | null {
  // Two queries, each answered from the b-tree without a scan (together, one would scan). The
  // loop below finds every seq in between, or gives up.
  const first = client.prepare("select min(seq) from ledger_log").pluck().get() as number | null;
  const last = (client.prepare("select max(seq) from ledger_log").pluck().get() as number | null) ?? 0;
  if (first !== null && (first !== 1 || last < 1)) return null;

  const checkpoints = new Map<number, string>();
  for (const checkpoint of options.checkpoints ?? []) checkpoints.set(checkpoint.seq, checkpoint.hash);
  for (const seq of checkpoints.keys()) if (seq < 0 || seq > last) return null;
  if (checkpoints.has(0) && checkpoints.get(0) !== GENESIS_PREV_HASH) return null;

  const payloadSeqOf = payloadV1SeqReader();
  let hash: string | null = GENESIS_PREV_HASH;
  if (last > 0) {
    const workerCount = Math.max(0, Math.floor(scan.workers ?? defaultWorkers()));
    const rangeRows = Math.max(1, Math.floor(scan.rangeRows ?? RANGE_ROWS));
    const file =
      scan.committedSnapshot === true &&
      workerCount > 0 &&
      last >= (scan.parallelFrom ?? PARALLEL_FROM) &&
      last > rangeRows
        ? databaseFile(client)
        : null;
    const entry = file === null ? null : workerFile();
    hash =
      file !== null && entry !== null
        ? scanInParallel(client, file, entry, last, checkpoints, payloadSeqOf, workerCount, { ...scan, rangeRows })
        : scanLogRange(client, CHAIN_HASH_RULE, 1, last, GENESIS_PREV_HASH, payloadSeqOf, checkpoints);
  }
  if (hash === null) return null;
  const head: ChainHead = last === 0 ? GENESIS_HEAD : { seq: last, hash };
  const expected = options.expectedHead;
  if (expected && (expected.seq !== head.seq || expected.hash !== head.hash)) return null;
  return { ok: true, head, count: head.seq };
}

/**
 * The chain of ledger_log against the given checkpoints and expected head: the same verdict as
 * `verifyChain(logRows(client), options)`, reached by the fast path when the chain is sound.
 * Inside a transaction of the caller's, pass `committedSnapshot: true` only if that transaction
 * has written nothing; then long chains are checked by worker threads too.
 */
export function verifyLogChain(
  client: Database.Database,
  options: VerifyChainOptions = {},
  scan: LogChainScanOptions = {},
): ChainVerification {
  const committedSnapshot = !client.inTransaction || scan.committedSnapshot === true;
  return client
    .transaction(
      () =>
        fastLogChainVerdict(client, options, { ...scan, committedSnapshot }) ?? verifyChain(logRows(client), options),
    )
    .deferred();
}
