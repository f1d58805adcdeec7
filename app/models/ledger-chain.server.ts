/**
 * Verifies the hash chain stored in ledger_log: `verifyLogChain(client, options)` gives exactly
 * the verdict of the core's `verifyChain` over every log row in seq order, in a fraction of the
 * time. Run it inside a read transaction (it opens one of its own otherwise), so every read below
 * sees the same snapshot.
 *
 * Where the time goes in a million-row chain is per row and per column: better-sqlite3's cost of
 * handing a row to JavaScript, one SHA-256 call, and the payload check. So the fast path:
 * - asks SQLite once whether seq runs 1..N with no gap (seq is the table's integer key, so count,
 *   min and max settle it);
 * - reads each row as one string, built by SQLite:
 *     hash (64 characters long, else the row is not vouched for) + "CGL-v1\n" + prev_hash + "\n" + payload
 *   in batches, so the text after the first 64 characters is exactly the CGL-v1 hash input and
 *   is hashed as it stands, with no copying in JavaScript. The first 64 characters must then equal
 *   the digest, so they are lowercase hex, and being 64 characters the column holds nothing else;
 * - checks per row: the stored hash equals the SHA-256 of that input; the input's prev_hash is the
 *   previous row's hash, followed by the line feed; the payload (everything after that line feed)
 *   is canonical v1 with the row's seq (`payloadV1SeqReader`); stored checkpoints match.
 *
 * Why the one string cannot hide an edit: the prev_hash found at its fixed place is 64 hex
 * characters followed by a line feed. A stored prev_hash shorter than 64 characters would put a
 * line feed inside those 64; a longer one would leave a line feed inside the payload part, and
 * canonical JSON never holds a raw line feed. So a row that passes has exactly that prev_hash and
 * exactly that payload.
 *
 * The fast path only ever accepts. Anything it cannot vouch for (a gap in seq, a mismatch, a
 * payload the reader leaves to the full parser, a checkpoint beyond the end, an expected head that
 * differs) sends the whole chain to `verifyChain` over the rows read column by column, which finds
 * the first bad seq and says why. A broken chain therefore costs one slow pass more, and a sound one
 * is never judged by anything but the checks above.
 */
import type Database from "better-sqlite3";
import {
  CHAIN_HASH_RULE,
  GENESIS_HEAD,
  GENESIS_PREV_HASH,
  payloadV1SeqReader,
  sha256Hex,
  verifyChain,
  type ChainHead,
  type ChainVerification,
  type LogRow,
  type VerifyChainOptions,
} from "~/core/ledger";

/** Rows per read: large enough that per-call costs vanish, small enough to keep memory flat. */
const BATCH_ROWS = 2048;
const HASH_LENGTH = 64;
/** Where the parts sit in a row string: hash, then "CGL-v1\n", prev_hash, "\n", payload. */
const INPUT_AT = HASH_LENGTH;
const PREV_AT = INPUT_AT + CHAIN_HASH_RULE.length + 1;
const PAYLOAD_AT = PREV_AT + HASH_LENGTH + 1;
const LINE_FEED = 0x0a;

/** Every log row in seq order, column by column: what the core verifier reads. */
export function* logRows(client: Database.Database): Generator<LogRow> {
  const statement = client.prepare("select seq, prev_hash as prevHash, hash, payload from ledger_log order by seq");
  for (const row of statement.iterate()) yield row as LogRow;
}

/** The verdict when every row passes the fast checks, or null when `verifyChain` must decide (exported for its tests). */
export function fastLogChainVerdict(client: Database.Database, options: VerifyChainOptions): ChainVerification | null {
  // Three queries, each answered from the b-tree without a scan (together, one would scan).
  const count = client.prepare("select count(*) from ledger_log").pluck().get() as number;
  const first = client.prepare("select coalesce(min(seq), 0) from ledger_log").pluck().get() as number;
  const last = client.prepare("select coalesce(max(seq), 0) from ledger_log").pluck().get() as number;
  if (count !== last || (count > 0 && first !== 1)) return null;

  const checkpoints = new Map<number, string>();
  for (const checkpoint of options.checkpoints ?? []) checkpoints.set(checkpoint.seq, checkpoint.hash);
  for (const seq of checkpoints.keys()) if (seq < 0 || seq > last) return null;
  if (checkpoints.has(0) && checkpoints.get(0) !== GENESIS_PREV_HASH) return null;

  const batch = client
    .prepare(
      `select case when length(hash) = ${HASH_LENGTH} then hash else null end
              || '${CHAIN_HASH_RULE}' || char(10) || prev_hash || char(10) || payload
         from ledger_log where seq > ? order by seq limit ${BATCH_ROWS}`,
    )
    .pluck();
  const payloadSeqOf = payloadV1SeqReader();
  let seq = 0;
  let hash = GENESIS_PREV_HASH;
  while (seq < last) {
    const rows = batch.all(seq) as (string | null)[];
    if (rows.length === 0) return null;
    for (const row of rows) {
      seq += 1;
      if (typeof row !== "string") return null;
      const stored = row.slice(0, HASH_LENGTH);
      if (
        sha256Hex(row.slice(INPUT_AT)) !== stored ||
        row.indexOf(hash, PREV_AT) !== PREV_AT ||
        row.charCodeAt(PAYLOAD_AT - 1) !== LINE_FEED ||
        payloadSeqOf(row.slice(PAYLOAD_AT)) !== seq
      ) {
        return null;
      }
      if (checkpoints.size > 0 && checkpoints.has(seq) && checkpoints.get(seq) !== stored) return null;
      hash = stored;
    }
  }
  const head: ChainHead = seq === 0 ? GENESIS_HEAD : { seq, hash };
  const expected = options.expectedHead;
  if (expected && (expected.seq !== head.seq || expected.hash !== head.hash)) return null;
  return { ok: true, head, count: head.seq };
}

/**
 * The chain of ledger_log against the given checkpoints and expected head: the same verdict as
 * `verifyChain(logRows(client), options)`, reached by the fast path when the chain is sound.
 */
export function verifyLogChain(client: Database.Database, options: VerifyChainOptions = {}): ChainVerification {
  return client.transaction(() => fastLogChainVerdict(client, options) ?? verifyChain(logRows(client), options)).deferred();
}
