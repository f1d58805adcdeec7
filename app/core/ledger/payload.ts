/**
 * Canonical payload v1: the exact text that is hashed into the chain and stored beside it.
 *
 * A JSON object with a fixed set of keys, all always present (explicit null when a value is
 * missing), serialised with canonical JSON (canonical-json.ts):
 *   v                       1
 *   ledger                  ledger id (the same on every entry)
 *   seq                     1-based chain position
 *   entry_id                entry id
 *   type                    entry type, e.g. "COMMIT"
 *   fy                      financial year of effective_date, e.g. "2025/26"
 *   effective_date          "YYYY-MM-DD", Europe/London calendar date
 *   recorded_at             "YYYY-MM-DDTHH:mm:ss.sssZ", UTC
 *   actor                   pseudonymous actor id
 *   approval                approval record id or null
 *   reverses                entry id or null
 *   resolves                entry id or null
 *   reason                  text or null
 *   external_ref            text or null (payment reference, debtor invoice, budget resolution)
 *   idempotency_key_sha256  64 lowercase hex
 *   memo                    text (NFC) or null
 *   postings                [{account, dc, pence}] in line order (line_no = position + 1)
 * Only strings, integers and null appear; no floats or booleans; enums are strings.
 *
 * `reason` and `external_ref` extend the field list of the design note (§2 item 15): the templates
 * require them (a reversal's reason, a payment's finance reference), so they belong under the hash.
 */
import { parseAccountKey, type DebitOrCredit } from "./accounts";
import { canonicalJson } from "./canonical-json";
import { isEntityId, isEntryType, type EntryDraft, type EntryHeader, type EntryType, type LedgerEntry } from "./entry";
import { LedgerError, issue, type LedgerIssue } from "./errors";
import { financialYearOf, isIsoDate, isRecordedAt } from "./financial-year";
import { isSha256Hex, sha256Hex } from "./hash";

export const PAYLOAD_VERSION = 1;

export const PAYLOAD_V1_KEYS = [
  "actor",
  "approval",
  "effective_date",
  "entry_id",
  "external_ref",
  "fy",
  "idempotency_key_sha256",
  "ledger",
  "memo",
  "postings",
  "reason",
  "recorded_at",
  "resolves",
  "reverses",
  "seq",
  "type",
  "v",
] as const;

export interface PayloadPostingV1 {
  account: string;
  dc: DebitOrCredit;
  pence: number;
}

export interface PayloadV1 {
  v: 1;
  ledger: string;
  seq: number;
  entry_id: string;
  type: EntryType;
  fy: string;
  effective_date: string;
  recorded_at: string;
  actor: string;
  approval: string | null;
  reverses: string | null;
  resolves: string | null;
  reason: string | null;
  external_ref: string | null;
  idempotency_key_sha256: string;
  memo: string | null;
  postings: PayloadPostingV1[];
}

/** SHA-256 (hex) of an idempotency key, as stored in the payload and the entries table. */
export function idempotencyKeySha256(idempotencyKey: string): string {
  return sha256Hex(idempotencyKey);
}

/**
 * The payload object for a sealed entry. `fy` is derived from `effectiveDate` (left empty when the
 * date is not a real date, so `checkPayloadV1` reports it as a typed error rather than a throw).
 */
export function payloadV1Of(entry: EntryDraft & EntryHeader): PayloadV1 {
  return {
    v: PAYLOAD_VERSION,
    ledger: entry.ledger,
    seq: entry.seq,
    entry_id: entry.entryId,
    type: entry.type,
    fy: isIsoDate(entry.effectiveDate) ? financialYearOf(entry.effectiveDate) : "",
    effective_date: entry.effectiveDate,
    recorded_at: entry.recordedAt,
    actor: entry.actor,
    approval: entry.approval,
    reverses: entry.reverses,
    resolves: entry.resolves,
    reason: entry.reason,
    external_ref: entry.externalRef,
    idempotency_key_sha256: entry.idempotencyKeySha256,
    memo: entry.memo,
    postings: entry.postings.map((p) => ({ account: p.account, dc: p.dc, pence: p.pence })),
  };
}

/** The entry a payload describes (the inverse of `payloadV1Of`). */
export function entryOfPayloadV1(payload: PayloadV1): LedgerEntry {
  return {
    ledger: payload.ledger,
    seq: payload.seq,
    entryId: payload.entry_id,
    type: payload.type,
    fy: payload.fy,
    effectiveDate: payload.effective_date,
    recordedAt: payload.recorded_at,
    actor: payload.actor,
    approval: payload.approval,
    reverses: payload.reverses,
    resolves: payload.resolves,
    reason: payload.reason,
    externalRef: payload.external_ref,
    idempotencyKeySha256: payload.idempotency_key_sha256,
    memo: payload.memo,
    postings: payload.postings.map((p) => ({ account: p.account, dc: p.dc, pence: p.pence })),
  };
}

const isText = (value: unknown): value is string => typeof value === "string";
const isTextOrNull = (value: unknown) => value === null || isText(value);
const isIdOrNull = (value: unknown) => value === null || isEntityId(value);

/** Every way a value departs from payload v1; an empty list means it is a well-formed payload. */
export function checkPayloadV1(value: unknown): LedgerIssue[] {
  const bad = (message: string) => issue("INVALID_PAYLOAD", message);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [bad("payload is not an object")];
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join(",") !== [...PAYLOAD_V1_KEYS].join(","))
    return [bad(`payload keys must be exactly ${PAYLOAD_V1_KEYS.join(", ")}`)];
  const issues: LedgerIssue[] = [];
  const expect = (ok: boolean, message: string) => ok || issues.push(bad(message));
  expect(record.v === PAYLOAD_VERSION, "v must be 1");
  expect(isText(record.ledger) && record.ledger.length > 0, "ledger must be text");
  expect(Number.isSafeInteger(record.seq) && (record.seq as number) >= 1, "seq must be a positive integer");
  expect(isEntityId(record.entry_id), "entry_id is not a valid id");
  expect(isEntryType(record.type), "type is not an entry type");
  expect(isIsoDate(record.effective_date), "effective_date must be YYYY-MM-DD");
  expect(
    isIsoDate(record.effective_date) && record.fy === financialYearOf(record.effective_date as string),
    "fy must be the financial year of effective_date",
  );
  expect(isRecordedAt(record.recorded_at), "recorded_at must be YYYY-MM-DDTHH:mm:ss.sssZ");
  expect(isEntityId(record.actor), "actor is not a valid id");
  for (const key of ["approval", "reverses", "resolves"] as const)
    expect(isIdOrNull(record[key]), `${key} must be an id or null`);
  for (const key of ["reason", "external_ref", "memo"] as const)
    expect(isTextOrNull(record[key]), `${key} must be text or null`);
  expect(isSha256Hex(record.idempotency_key_sha256), "idempotency_key_sha256 must be 64 lowercase hex");
  issues.push(...checkPayloadPostings(record.postings));
  return issues;
}

function checkPayloadPostings(postings: unknown): LedgerIssue[] {
  if (!Array.isArray(postings)) return [issue("INVALID_PAYLOAD", "postings must be a list")];
  return postings.flatMap((posting: unknown, index) => {
    const ok =
      typeof posting === "object" &&
      posting !== null &&
      Object.keys(posting).sort().join(",") === "account,dc,pence" &&
      parseAccountKey((posting as PayloadPostingV1).account) !== null &&
      ((posting as PayloadPostingV1).dc === "D" || (posting as PayloadPostingV1).dc === "C") &&
      Number.isSafeInteger((posting as PayloadPostingV1).pence) &&
      (posting as PayloadPostingV1).pence > 0;
    return ok
      ? []
      : [issue("INVALID_PAYLOAD", `posting ${index + 1} must be {account, dc, pence} with positive pence`, index + 1)];
  });
}

/** Serialises a payload to its canonical text, after checking its shape. */
export function serialisePayloadV1(payload: PayloadV1): string {
  const issues = checkPayloadV1(payload);
  if (issues.length > 0) throw new LedgerError(issues);
  return canonicalJson(payload as unknown as Parameters<typeof canonicalJson>[0]);
}

/**
 * Parses stored payload text. It must be well-formed payload v1 and already canonical: the text
 * must equal the canonical serialisation of what it parses to, byte for byte.
 */
export function parsePayloadV1(text: string): PayloadV1 {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LedgerError([issue("INVALID_PAYLOAD", "payload is not JSON")]);
  }
  const issues = checkPayloadV1(value);
  if (issues.length > 0) throw new LedgerError(issues);
  if (canonicalJson(value as Parameters<typeof canonicalJson>[0]) !== text) {
    throw new LedgerError([issue("INVALID_PAYLOAD", "payload is not in canonical form")]);
  }
  return value as PayloadV1;
}
