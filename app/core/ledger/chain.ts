/**
 * The hash chain over canonical payloads.
 *
 * Hash rule (CGL-v1):
 *   hash_n = lowercase hex SHA-256( "CGL-v1\n" + prev_hash_hex + "\n" + payload_utf8 )
 * with prev_hash of seq 1 = 64 zeros (the genesis value), and seq running 1, 2, 3, … with no gaps.
 * The payload is hashed exactly as stored; the verifier never rebuilds it from other rows.
 *
 * A chain on its own only proves it is internally consistent: anyone who can write the database
 * can delete its tail or recompute every hash. Checkpoints (seq and hash copied somewhere outside
 * the app: an email to the S151 officer, a committee paper) are what catch that, so
 * `verifyChain` takes them as an option and reports a checkpoint beyond the end as truncation.
 */
import { LedgerError, issue } from "./errors";
import { isSha256Hex, sha256Hex } from "./hash";
import type { EntryDraft, EntryHeader, LedgerEntry } from "./entry";
import { entryOfPayloadV1, parsePayloadV1, payloadV1Of, serialisePayloadV1, type PayloadV1 } from "./payload";
import { payloadV1SeqReader } from "./payload-scan";

export const CHAIN_HASH_RULE = "CGL-v1";
export const GENESIS_PREV_HASH = "0".repeat(64);

/** One line of the ledger log: what the chain stores per entry. */
export interface LogRow {
  seq: number;
  prevHash: string;
  hash: string;
  /** The canonical payload text, exactly as hashed. */
  payload: string;
}

/** A position in the chain: the last seq and its hash. The empty chain's head is (0, 64 zeros). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_PREV_HASH });

const HASH_PREFIX = `${CHAIN_HASH_RULE}\n`;

/** The CGL-v1 hash of a payload given the previous hash. */
export function chainHash(prevHash: string, payload: string): string {
  if (!isSha256Hex(prevHash)) throw new LedgerError([issue("CHAIN_BROKEN", "prev hash must be 64 lowercase hex")]);
  return sha256Hex(HASH_PREFIX + prevHash + "\n" + payload);
}

/** The log row that appends `payload` after `head`. The payload's own seq must be head.seq + 1. */
export function appendToChain(head: ChainHead, payload: string): LogRow {
  const parsed = parsePayloadV1(payload);
  const seq = head.seq + 1;
  if (parsed.seq !== seq)
    throw new LedgerError([issue("CHAIN_BROKEN", `payload seq ${parsed.seq} does not follow head seq ${head.seq}`)]);
  return { seq, prevHash: head.hash, hash: chainHash(head.hash, payload), payload };
}

/**
 * Seals a validated draft after `head`: assigns seq = head.seq + 1, builds and serialises payload
 * v1, and links it. Returns the entry (as the payload describes it) and its log row. The caller
 * stores both in one transaction; the row's payload is the text to keep byte for byte.
 */
export function sealEntry(
  draft: EntryDraft,
  header: Omit<EntryHeader, "seq">,
  head: ChainHead,
): { entry: LedgerEntry; row: LogRow } {
  const payload = serialisePayloadV1(payloadV1Of({ ...draft, ...header, seq: head.seq + 1 }));
  const row = appendToChain(head, payload);
  return { entry: entryOfPayloadV1(parsePayloadV1(payload)), row };
}

export function headOf(row: LogRow): ChainHead {
  return { seq: row.seq, hash: row.hash };
}

export type ChainFailureCode =
  | "SEQ_OUT_OF_ORDER"
  | "PREV_HASH_MISMATCH"
  | "HASH_MISMATCH"
  | "PAYLOAD_INVALID"
  | "PAYLOAD_SEQ_MISMATCH"
  | "CHECKPOINT_MISMATCH"
  | "CHECKPOINT_BEYOND_END"
  | "HEAD_MISMATCH";

export type ChainVerification =
  { ok: true; head: ChainHead; count: number } | { ok: false; seq: number; code: ChainFailureCode; reason: string };

export interface VerifyChainOptions {
  /** Heads recorded independently; each must match the log at its seq, and lie within it. */
  checkpoints?: readonly ChainHead[];
  /** The head the log must end at exactly (e.g. from the export manifest). */
  expectedHead?: ChainHead;
}

function failure(seq: number, code: ChainFailureCode, reason: string): ChainVerification {
  return { ok: false, seq, code, reason };
}

/**
 * One row against the head before it. `prevHash` is that head's hash: the genesis value or a digest
 * this run computed, so it is 64 lowercase hex and the row's prev_hash, once equal to it, needs no
 * format check of its own. The payload is read by the fast reader first; only a payload the reader
 * cannot vouch for goes through `parsePayloadV1`, which gives the verdict and its reason.
 */
function checkRow(
  row: LogRow,
  expectedSeq: number,
  prevHash: string,
  payloadSeqOf: (text: string) => number,
): ChainVerification | null {
  if (row.seq !== expectedSeq)
    return failure(expectedSeq, "SEQ_OUT_OF_ORDER", `expected seq ${expectedSeq}, found ${row.seq}`);
  if (row.prevHash !== prevHash)
    return failure(row.seq, "PREV_HASH_MISMATCH", `prev_hash does not equal the hash of seq ${row.seq - 1}`);
  if (sha256Hex(HASH_PREFIX + prevHash + "\n" + row.payload) !== row.hash)
    return failure(row.seq, "HASH_MISMATCH", "hash does not match prev_hash and payload");
  let payloadSeq = payloadSeqOf(row.payload);
  if (payloadSeq === 0) {
    let payload: PayloadV1;
    try {
      payload = parsePayloadV1(row.payload);
    } catch (error) {
      return failure(row.seq, "PAYLOAD_INVALID", error instanceof Error ? error.message : "payload is invalid");
    }
    payloadSeq = payload.seq;
  }
  if (payloadSeq !== row.seq) return failure(row.seq, "PAYLOAD_SEQ_MISMATCH", `payload says seq ${payloadSeq}`);
  return null;
}

/**
 * Verifies rows in order: seq 1..N contiguous, each prev_hash links to the previous hash, each
 * hash recomputes from prev_hash and the stored payload, each payload is canonical v1 with its own
 * seq. Then checkpoints and the expected head. Returns the first bad seq and why.
 */
export function verifyChain(rows: Iterable<LogRow>, options: VerifyChainOptions = {}): ChainVerification {
  const checkpoints = new Map<number, string>();
  for (const checkpoint of options.checkpoints ?? []) checkpoints.set(checkpoint.seq, checkpoint.hash);
  const payloadSeqOf = payloadV1SeqReader();
  let lastSeq = 0;
  let lastHash = GENESIS_PREV_HASH;
  for (const row of rows) {
    const problem = checkRow(row, lastSeq + 1, lastHash, payloadSeqOf);
    if (problem) return problem;
    if (checkpoints.size > 0) {
      const checkpointHash = checkpoints.get(row.seq);
      if (checkpointHash !== undefined && checkpointHash !== row.hash) {
        return failure(row.seq, "CHECKPOINT_MISMATCH", `hash differs from the checkpoint at seq ${row.seq}`);
      }
    }
    lastSeq = row.seq;
    lastHash = row.hash;
  }
  const head: ChainHead = lastSeq === 0 ? GENESIS_HEAD : { seq: lastSeq, hash: lastHash };
  const beyond = [...checkpoints.keys()].filter((seq) => seq > head.seq).sort((a, b) => a - b)[0];
  if (beyond !== undefined) {
    return failure(
      head.seq + 1,
      "CHECKPOINT_BEYOND_END",
      `checkpoint at seq ${beyond} is beyond the end of the log (seq ${head.seq}): the log was truncated`,
    );
  }
  if (checkpoints.get(0) !== undefined && checkpoints.get(0) !== GENESIS_PREV_HASH) {
    return failure(0, "CHECKPOINT_MISMATCH", "checkpoint at seq 0 must be the genesis hash");
  }
  const expected = options.expectedHead;
  if (expected && (expected.seq !== head.seq || expected.hash !== head.hash)) {
    const seq = expected.seq > head.seq ? head.seq + 1 : expected.seq < head.seq ? expected.seq + 1 : head.seq;
    return failure(
      seq,
      "HEAD_MISMATCH",
      `log ends at seq ${head.seq} ${head.hash}, expected seq ${expected.seq} ${expected.hash}`,
    );
  }
  return { ok: true, head, count: head.seq };
}
