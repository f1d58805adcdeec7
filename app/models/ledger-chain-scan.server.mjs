// @ts-check
/**
 * The row loop of the fast chain check (`scanLogRange`), and the worker thread that runs it over
 * ranges of a long chain while the calling thread runs it over others. What the loop proves and how
 * the ranges are joined: docs/decisions/001-ledger-chain-verification.md. This file is the one home
 * of the loop, used by both.
 *
 * Plain JavaScript on purpose: Node starts a worker thread from this file as it stands, with no
 * TypeScript loader (neither tsx nor vitest reaches into worker threads), so the file imports
 * nothing but node: modules and better-sqlite3. What the loop needs from the ledger core is passed
 * in: the hash rule's name, and a payload check. On the calling thread that check is the core's
 * `payloadV1SeqReader`. A worker cannot load the core, so it gets the core's own pattern for plain
 * canonical v1 text (`PAYLOAD_V1_PLAIN_LAYOUT`, a RegExp, which survives structured cloning) and
 * decides nothing else: it reports every (effective_date, fy) pair it saw, and hands back every
 * payload the pattern does not match, for the calling thread to judge with the core.
 *
 * The calling thread's copy of this module and the worker's copy must be the same code; a worker
 * whose SCAN_PROTOCOL differs from the caller's claims no range (the caller then checks them all).
 * In the Remix server bundle this module is inlined into build/index.js, and `npm run build` copies
 * the file beside it, where ledger-chain.server.ts looks for the worker; when it is not found the
 * caller checks every range itself.
 */
import * as crypto from "node:crypto";
import { isMainThread, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

/** Bump whenever the loop, the worker's messages or its inputs change meaning. */
export const SCAN_PROTOCOL = 1;

/** Slots of the shared Int32Array: the next range to claim, and how many replies were posted. */
export const NEXT_RANGE = 0;
export const REPLIES_POSTED = 1;

/** Rows per read: large enough that per-call costs vanish, small enough to keep memory flat. */
const BATCH_ROWS = 2048;
const HASH_LENGTH = 64;
const LINE_FEED = 0x0a;

const oneShot = /** @type {{ hash?: (algorithm: string, data: string, encoding: "hex") => string }} */ (crypto).hash;
/** @type {(text: string) => string} */
const sha256Hex =
  typeof oneShot === "function"
    ? (text) => oneShot("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Checks log rows fromSeq..toSeq (fromSeq >= 1) given startHash, the hash of row fromSeq - 1 (the
 * genesis value for seq 1), and returns the hash of row toSeq when every row passes, or null when
 * any check fails or cannot be made. A startHash that is not a digest this or an earlier range
 * computed must be checked by the caller (see docs/decisions/001-ledger-chain-verification.md). Each row
 * is read as one string built by SQLite:
 *   hash (only when 64 characters long, else the row is NULL) + rule + "\n" + prev_hash + "\n" + payload
 * and must satisfy:
 * - every seq in the range is present: each read of a seq range returns as many rows as the range
 *   holds, and seq is the table's integer key (unique), so they are exactly those seqs, in order;
 * - SHA-256 of the text after the first 64 characters equals those 64 characters;
 * - the prev_hash in the text is the previous row's hash (startHash for the first row) followed by
 *   the line feed that ends it;
 * - `payloadSeqOf(payload, seq)` returns seq;
 * - the row's hash equals the checkpoint at its seq, where there is one.
 *
 * @param {import("better-sqlite3").Database} client
 * @param {string} rule the CGL hash rule's name, "CGL-v1"
 * @param {number} fromSeq
 * @param {number} toSeq
 * @param {string} startHash
 * @param {(payload: string, seq: number) => number} payloadSeqOf
 * @param {ReadonlyMap<number, string> | null} checkpoints
 * @returns {string | null}
 */
export function scanLogRange(client, rule, fromSeq, toSeq, startHash, payloadSeqOf, checkpoints) {
  const inputAt = HASH_LENGTH;
  const prevAt = inputAt + rule.length + 1;
  const payloadAt = prevAt + HASH_LENGTH + 1;
  const batch = client
    .prepare(
      `select case when length(hash) = ${HASH_LENGTH} then hash else null end
              || ? || char(10) || prev_hash || char(10) || payload
         from ledger_log where seq > ? and seq <= ? order by seq`,
    )
    .pluck();
  if (startHash.length !== HASH_LENGTH) return null;
  const withCheckpoints = checkpoints !== null && checkpoints.size > 0;
  let seq = fromSeq - 1;
  let hash = startHash;
  while (seq < toSeq) {
    const upTo = Math.min(seq + BATCH_ROWS, toSeq);
    const rows = /** @type {unknown[]} */ (batch.all(rule, seq, upTo));
    if (rows.length !== upTo - seq) return null;
    for (const row of rows) {
      seq += 1;
      if (typeof row !== "string") return null;
      const digest = sha256Hex(row.slice(inputAt));
      if (
        !row.startsWith(digest) ||
        row.indexOf(hash, prevAt) !== prevAt ||
        row.charCodeAt(payloadAt - 1) !== LINE_FEED ||
        payloadSeqOf(row.slice(payloadAt), seq) !== seq
      ) {
        return null;
      }
      if (withCheckpoints && checkpoints.has(seq) && checkpoints.get(seq) !== digest) return null;
      hash = digest;
    }
  }
  return hash;
}

/**
 * @typedef {object} ScanWorkerData
 * @property {number} ledgerChainScan SCAN_PROTOCOL of the caller
 * @property {string} file the database file
 * @property {string} rule
 * @property {number[]} froms first seq of each range
 * @property {number[]} tos last seq of each range
 * @property {string[]} starts the hash of the row before each range, as the caller read it
 * @property {Map<number, string>} checkpoints
 * @property {RegExp} plainLayout the core's PAYLOAD_V1_PLAIN_LAYOUT
 * @property {Int32Array} control shared: NEXT_RANGE and REPLIES_POSTED
 * @property {import("node:worker_threads").MessagePort} port where replies go
 */

/**
 * A reply for one range: `end` is the hash of its last row, or null when a check failed; `dates`
 * holds effective_date + fy of every payload the plain pattern matched (10 characters of date,
 * then the fy); `deferred` holds seq, payload, seq, payload... for every payload it did not match.
 * The range passes only if the caller finds `end` equal to the hash it read at the range's end,
 * every fy right for its date, and every deferred payload canonical v1 with its seq.
 *
 * @typedef {{ range: number, end: string | null, dates: string[], deferred: (number | string)[] }} ScanReply
 */

/** @param {ScanWorkerData} data */
function runWorker(data) {
  const { control, port } = data;
  if (data.ledgerChainScan !== SCAN_PROTOCOL) return;
  /** @type {import("better-sqlite3").Database} */
  let client;
  try {
    client = new Database(data.file, { readonly: true, fileMustExist: true });
    // Each page is read once, in order, so a cache is of no use; filling SQLite's default one
    // (16 MB here) costs a fresh connection some 100 ms over its first 100,000 rows.
    client.pragma("cache_size = 100");
    client.exec("begin");
  } catch {
    return; // no range claimed: the caller checks them all
  }
  const layout = data.plainLayout;
  for (;;) {
    const range = Atomics.add(control, NEXT_RANGE, 1);
    if (range >= data.froms.length) break;
    /** @type {ScanReply} */
    let reply;
    try {
      /** @type {Set<string>} */
      const dates = new Set();
      /** @type {(number | string)[]} */
      const deferred = [];
      /** @type {(payload: string, seq: number) => number} */
      const payloadSeqOf = (payload, seq) => {
        const match = layout.exec(payload);
        if (match === null) {
          deferred.push(seq, payload);
          return seq;
        }
        dates.add(`${match[1]}${match[2]}`);
        return Number(match[3]);
      };
      const end = scanLogRange(
        client,
        data.rule,
        /** @type {number} */ (data.froms[range]),
        /** @type {number} */ (data.tos[range]),
        /** @type {string} */ (data.starts[range]),
        payloadSeqOf,
        data.checkpoints,
      );
      reply = end === null ? { range, end, dates: [], deferred: [] } : { range, end, dates: [...dates], deferred };
    } catch {
      reply = { range, end: null, dates: [], deferred: [] };
    }
    try {
      port.postMessage(reply);
    } catch {
      port.postMessage({ range, end: null, dates: [], deferred: [] });
    }
    Atomics.add(control, REPLIES_POSTED, 1);
    Atomics.notify(control, REPLIES_POSTED);
  }
  try {
    client.exec("commit");
    client.close();
  } catch {
    // the thread is ending anyway
  }
  port.close();
}

if (!isMainThread && workerData !== null && typeof workerData === "object" && "ledgerChainScan" in workerData) {
  runWorker(/** @type {ScanWorkerData} */ (workerData));
}
