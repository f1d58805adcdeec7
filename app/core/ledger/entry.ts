/**
 * The shape of a journal entry, before and after it is sealed into the chain.
 *
 * An `EntryDraft` is what the template builders produce: the entry type, its postings and the
 * few fields the templates care about. The storage layer adds an `EntryHeader` (sequence number,
 * id, dates, actor, approval, idempotency hash) when it seals the entry; together they are a
 * `LedgerEntry`, which maps one-to-one onto canonical payload v1.
 *
 * Postings are listed in line order: line_no = array index + 1. Amounts are positive integer
 * pence; `dc` says which side. Text (memo, reason, external_ref) is NFC-normalised by the builders
 * before it is stored, so the database row and the hashed payload hold the same characters.
 */
import type { AccountKey, DebitOrCredit } from "./accounts";
import type { FinancialYear, IsoDate } from "./financial-year";
import type { Pence } from "../money/pence";

export const ENTRY_TYPES = [
  "BUDGET_SET",
  "BUDGET_ADJUST",
  "VIREMENT",
  "EARMARK",
  "RELEASE",
  "COMMIT",
  "DECOMMIT",
  "PAY_REQUEST",
  "PAY_CONFIRM",
  "PAY_FAILED",
  "CLAWBACK_RAISE",
  "CLAWBACK_RECEIVED",
  "CLAWBACK_WRITE_OFF",
  "LAPSE",
  "CARRY_FORWARD",
  "REVERSAL",
] as const;

export type EntryType = (typeof ENTRY_TYPES)[number];

export function isEntryType(value: unknown): value is EntryType {
  return typeof value === "string" && (ENTRY_TYPES as readonly string[]).includes(value);
}

export interface Posting {
  account: AccountKey;
  dc: DebitOrCredit;
  pence: Pence;
}

export interface EntryDraft {
  type: EntryType;
  /** In line order; line_no = index + 1. */
  postings: readonly Posting[];
  /** Entry id of the original, on a REVERSAL only. */
  reverses: string | null;
  /** Entry id of the reservation (EARMARK or PAY_REQUEST) this entry resolves. */
  resolves: string | null;
  /** Why: required on REVERSAL, BUDGET_ADJUST, VIREMENT, DECOMMIT, PAY_FAILED and the clawbacks. */
  reason: string | null;
  /** Outside reference: payment ref (PAY_CONFIRM), debtor invoice (CLAWBACK_RAISE), budget resolution. */
  externalRef: string | null;
  memo: string | null;
}

/** Fields the storage layer assigns when it seals an entry into the chain. */
export interface EntryHeader {
  /** Identifies the ledger (one per council); the same on every entry. */
  ledger: string;
  /** 1-based position in the hash chain. */
  seq: number;
  entryId: string;
  /** Europe/London calendar date that decides the financial year and period. */
  effectiveDate: IsoDate;
  /** UTC instant written `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  recordedAt: string;
  /** Pseudonymous actor id (personal details live in an erasable table). */
  actor: string;
  /** Approval record id, when the entry needs one. */
  approval: string | null;
  /** SHA-256 (hex) of the idempotency key. */
  idempotencyKeySha256: string;
}

/** A sealed entry: draft plus header, with `fy` derived from `effectiveDate`. */
export interface LedgerEntry extends EntryDraft, EntryHeader {
  fy: FinancialYear;
}

/** Longest texts we accept; a limit on everything keeps rows and exports bounded. */
export const TEXT_LIMITS = { memo: 1000, reason: 500, externalRef: 100 } as const;

/** Most postings one entry may have (a joint award across many budgets still fits). */
export const MAX_POSTINGS_PER_ENTRY = 100;

const ENTITY_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** Entry ids, actor ids and approval ids: 1–128 characters from A–Z a–z 0–9 . _ - */
export function isEntityId(value: unknown): value is string {
  return typeof value === "string" && ENTITY_ID_PATTERN.test(value);
}

/** NFC-normalises optional text; empty text becomes null so "missing" has one spelling. */
export function normaliseText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const normalised = text.normalize("NFC");
  return normalised === "" ? null : normalised;
}

/** Sum of the debit lines, which for a balanced entry is its amount. */
export function entryAmountPence(postings: readonly Posting[]): Pence {
  return postings.filter((p) => p.dc === "D").reduce((sum, p) => sum + p.pence, 0);
}
