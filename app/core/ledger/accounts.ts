/**
 * Account kinds and account keys of the budget-control ledger.
 *
 * Money moves FUNDING → AVAILABLE → (EARMARKED) → COMMITTED → PAYABLE → PAID, with RECOVERABLE,
 * RETURNED and LAPSED for clawbacks and year end. FUNDING is the only debit-normal kind: it is
 * the unbounded source for one scheme and year. Every other kind is credit-normal and carries
 * NON_NEGATIVE: its credits minus debits may never drop below zero, which is what stops an
 * overspend (reservations count, because they have already moved money out of AVAILABLE).
 *
 * Keys are text with fixed shapes, so they read well in exports and never change:
 *   FUNDING:{scheme}:{fy}  RETURNED:{scheme}:{fy}  LAPSED:{scheme}:{fy}
 *   AVAILABLE:{budgetId}
 *   EARMARKED:{grantId}  COMMITTED:{grantId}  PAYABLE:{grantId}  PAID:{grantId}  RECOVERABLE:{grantId}
 * Identifiers (scheme, budget id, grant id) are 1–64 characters from A–Z a–z 0–9 . _ - so a key
 * splits unambiguously on ":"; fy is a label such as "2025/26".
 */
import { LedgerError, issue } from "./errors";
import { isFinancialYear, type FinancialYear } from "./financial-year";

export const ACCOUNT_KINDS = [
  "FUNDING",
  "AVAILABLE",
  "EARMARKED",
  "COMMITTED",
  "PAYABLE",
  "PAID",
  "RECOVERABLE",
  "RETURNED",
  "LAPSED",
] as const;

export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Debit or credit. Posting amounts are always positive; this says which side they go on. */
export type DebitOrCredit = "D" | "C";

/** An account key such as "AVAILABLE:ward-e05012345-2025". */
export type AccountKey = string;

/** Kinds keyed by scheme and financial year. */
export type SchemeYearKind = "FUNDING" | "RETURNED" | "LAPSED";
/** Kinds keyed by grant. */
export type GrantKind = "EARMARKED" | "COMMITTED" | "PAYABLE" | "PAID" | "RECOVERABLE";

export const SCHEME_YEAR_KINDS: readonly SchemeYearKind[] = ["FUNDING", "RETURNED", "LAPSED"];
export const GRANT_KINDS: readonly GrantKind[] = ["EARMARKED", "COMMITTED", "PAYABLE", "PAID", "RECOVERABLE"];

export type AccountRef =
  | { kind: SchemeYearKind; scheme: string; fy: FinancialYear }
  | { kind: "AVAILABLE"; budgetId: string }
  | { kind: GrantKind; grantId: string };

/** The side that increases an account's balance. */
export function normalSideOf(kind: AccountKind): DebitOrCredit {
  return kind === "FUNDING" ? "D" : "C";
}

/** True when the account's normal-side balance may never go below zero. */
export function isNonNegativeKind(kind: AccountKind): boolean {
  return kind !== "FUNDING";
}

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === "string" && (ACCOUNT_KINDS as readonly string[]).includes(value);
}

const IDENTIFIER_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** True for a scheme, budget or grant identifier that can sit inside an account key. */
export function isAccountIdentifier(value: unknown): value is string {
  return typeof value === "string" && IDENTIFIER_PATTERN.test(value);
}

function requireIdentifier(value: string, label: string): string {
  if (!isAccountIdentifier(value)) {
    throw new LedgerError([
      issue("INVALID_ACCOUNT", `${label} must be 1-64 characters from A-Z a-z 0-9 . _ -, got ${JSON.stringify(value)}`),
    ]);
  }
  return value;
}

function requireFinancialYear(fy: string): string {
  if (!isFinancialYear(fy))
    throw new LedgerError([issue("INVALID_ACCOUNT", `not a financial year label: ${JSON.stringify(fy)}`)]);
  return fy;
}

function schemeYearKey(kind: SchemeYearKind, scheme: string, fy: FinancialYear): AccountKey {
  return `${kind}:${requireIdentifier(scheme, "scheme")}:${requireFinancialYear(fy)}`;
}

function grantKey(kind: GrantKind, grantId: string): AccountKey {
  return `${kind}:${requireIdentifier(grantId, "grant id")}`;
}

export const fundingAccount = (scheme: string, fy: FinancialYear) => schemeYearKey("FUNDING", scheme, fy);
export const returnedAccount = (scheme: string, fy: FinancialYear) => schemeYearKey("RETURNED", scheme, fy);
export const lapsedAccount = (scheme: string, fy: FinancialYear) => schemeYearKey("LAPSED", scheme, fy);
export const availableAccount = (budgetId: string): AccountKey =>
  `AVAILABLE:${requireIdentifier(budgetId, "budget id")}`;
export const earmarkedAccount = (grantId: string) => grantKey("EARMARKED", grantId);
export const committedAccount = (grantId: string) => grantKey("COMMITTED", grantId);
export const payableAccount = (grantId: string) => grantKey("PAYABLE", grantId);
export const paidAccount = (grantId: string) => grantKey("PAID", grantId);
export const recoverableAccount = (grantId: string) => grantKey("RECOVERABLE", grantId);

/** Builds the key for a parsed account reference. */
export function accountKey(ref: AccountRef): AccountKey {
  switch (ref.kind) {
    case "FUNDING":
    case "RETURNED":
    case "LAPSED":
      return schemeYearKey(ref.kind, ref.scheme, ref.fy);
    case "AVAILABLE":
      return availableAccount(ref.budgetId);
    default:
      return grantKey(ref.kind, ref.grantId);
  }
}

/** Parses a key into its kind and identity fields, or returns null if it is not a valid key. */
export function parseAccountKey(key: unknown): AccountRef | null {
  if (typeof key !== "string") return null;
  const [kind, first, second, ...rest] = key.split(":");
  if (!isAccountKind(kind) || first === undefined || rest.length > 0 || !isAccountIdentifier(first)) return null;
  if (kind === "FUNDING" || kind === "RETURNED" || kind === "LAPSED") {
    return second !== undefined && isFinancialYear(second) ? { kind, scheme: first, fy: second } : null;
  }
  if (second !== undefined) return null;
  return kind === "AVAILABLE" ? { kind, budgetId: first } : { kind, grantId: first };
}

export function isAccountKey(value: unknown): value is AccountKey {
  return parseAccountKey(value) !== null;
}

/** The kind of a valid key; throws on anything else. */
export function accountKindOf(key: AccountKey): AccountKind {
  const ref = parseAccountKey(key);
  if (!ref) throw new LedgerError([issue("INVALID_ACCOUNT", `not an account key: ${JSON.stringify(key)}`)]);
  return ref.kind;
}

/** The grant an account belongs to, or null for FUNDING/AVAILABLE/RETURNED/LAPSED. */
export function grantIdOf(ref: AccountRef): string | null {
  return "grantId" in ref ? ref.grantId : null;
}
