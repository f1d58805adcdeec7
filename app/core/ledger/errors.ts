/**
 * Typed ledger errors.
 *
 * Checks report `LedgerIssue`s (a stable `code` plus an English message for logs and officers);
 * functions that must stop throw one `LedgerError` carrying every issue found. Codes never change
 * meaning once released: the storage layer maps them to HTTP statuses and form messages.
 */

export const LEDGER_ERROR_CODES = [
  // entry shape (validateEntry)
  "UNKNOWN_ENTRY_TYPE",
  "TOO_FEW_POSTINGS",
  "TOO_MANY_POSTINGS",
  "INVALID_AMOUNT",
  "INVALID_DC",
  "INVALID_ACCOUNT",
  "ACCOUNT_REPEATED",
  "UNBALANCED",
  "POSTINGS_DO_NOT_FIT_TEMPLATE",
  "GRANT_MISMATCH",
  "REASON_REQUIRED",
  "EXTERNAL_REF_REQUIRED",
  "REVERSES_REQUIRED",
  "REVERSES_NOT_ALLOWED",
  "RESOLVES_REQUIRED",
  "RESOLVES_NOT_ALLOWED",
  "ORIGINAL_REQUIRED",
  "NOT_A_MIRROR",
  "INVALID_TEXT",
  "TEXT_TOO_LONG",
  "INVALID_ID",
  // business rules
  "APPROVAL_REQUIRED",
  "APPROVAL_DOES_NOT_MATCH",
  "APPROVAL_LIMIT_EXCEEDED",
  "APPROVER_IS_REQUESTER",
  "APPROVER_IS_PAYER",
  "PAYER_IS_REQUESTER",
  "INVALID_DATE",
  "YEAR_NOT_OPEN",
  "ORIGINAL_NOT_FOUND",
  "CANNOT_REVERSE_REVERSAL",
  "ALREADY_REVERSED",
  "RESOLVE_TARGET_NOT_FOUND",
  "RESOLVE_TARGET_WRONG_TYPE",
  "ALREADY_RESOLVED",
  "RESOLVE_AMOUNT_MISMATCH",
  "RESOLVE_GRANT_MISMATCH",
  "INSUFFICIENT_BALANCE",
  "DUPLICATE_ENTRY_ID",
  "IDEMPOTENCY_CONFLICT",
  "PREVIOUSLY_REJECTED",
  // serialisation and chain
  "NOT_CANONICAL_VALUE",
  "INVALID_PAYLOAD",
  "CHAIN_BROKEN",
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export interface LedgerIssue {
  code: LedgerErrorCode;
  message: string;
  /** 1-based posting line the issue is about, when there is one. */
  lineNo?: number;
}

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly issues: readonly LedgerIssue[];

  constructor(issues: readonly LedgerIssue[]) {
    const first = issues[0] ?? { code: "INVALID_PAYLOAD" as const, message: "unknown ledger error" };
    super(issues.map((issue) => `${issue.code}: ${issue.message}`).join("; "));
    this.name = "LedgerError";
    this.code = first.code;
    this.issues = issues.length > 0 ? issues : [first];
  }
}

export function issue(code: LedgerErrorCode, message: string, lineNo?: number): LedgerIssue {
  return lineNo === undefined ? { code, message } : { code, message, lineNo };
}

/** Throws a `LedgerError` when there is at least one issue. */
export function throwIfIssues(issues: readonly LedgerIssue[]): void {
  if (issues.length > 0) throw new LedgerError(issues);
}

export function isLedgerError(error: unknown): error is LedgerError {
  return error instanceof LedgerError;
}
