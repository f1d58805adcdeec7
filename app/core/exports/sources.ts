/**
 * The plain rows the exports are made from, as the data layer reads them, and the rules about
 * recipients that every export shares.
 *
 * Personal data: a grant to an individual (including a sole trader) never publishes the person's
 * name, registration number or postcode. Their name is shown as "Redacted personal data", the
 * convention on council spend pages (ledger reference §3.0), and they are not VCSE organisations.
 */
import type { Pence } from "../money/pence";

export const REDACTED = "Redacted personal data";

/** Organisation types that mean a private person rather than an organisation. */
export const INDIVIDUAL_RECIPIENT_TYPES: readonly string[] = ["individual", "sole-trader"];

export type RecipientKind = "organisation" | "individual";

export function recipientKindOf(organisationType: string): RecipientKind {
  return INDIVIDUAL_RECIPIENT_TYPES.includes(organisationType) ? "individual" : "organisation";
}

/** The council publishing the files. */
export interface Publisher {
  /** Council name, e.g. "Eastbrook Borough Council". */
  name: string;
  /** The council's org id, e.g. "GB-LAE-EBK". */
  orgIdentifier: string;
  /** The 360Giving prefix that goes after "360G-" in grant and local org identifiers. */
  prefix: string;
}

export interface RecipientSource {
  id: number;
  name: string;
  organisationType: string;
  charityNumber: string | null;
  companyNumber: string | null;
  postcode: string | null;
}

export interface FundSource {
  /** e.g. "WB-2026-27". */
  id: string;
  kind: string;
  /** e.g. "Councillor Ward Budgets 2026/27". */
  name: string;
  department: string;
}

export interface WardSource {
  name: string;
  gssCode: string;
}

export interface GrantSource {
  id: string;
  title: string;
  summary: string;
}

/**
 * One line of the spend file: a PAY_CONFIRM entry, or the REVERSAL of one (a negative line).
 * `pence` is the size of the payment, always positive; the sign comes from `reversal`.
 */
export interface SpendSourceRow {
  entryId: string;
  seq: number;
  reversal: boolean;
  /** The entry's effective date, `YYYY-MM-DD`. */
  paymentDate: string;
  /** The finance-system payment reference (for a reversal, the reversed payment's). */
  paymentRef: string | null;
  pence: Pence;
  grant: GrantSource;
  fund: FundSource;
  ward: WardSource | null;
  recipient: RecipientSource;
}

/** One award: a grant with its net committed amount (COMMIT net of DECOMMIT and reversals). */
export interface AwardSourceRow {
  grant: GrantSource;
  /** The first COMMIT's effective date, `YYYY-MM-DD`. */
  awardDate: string;
  awardedPence: Pence;
  appliedForPence: Pence | null;
  /** Confirmed payments less reversals of them and clawbacks received. */
  disbursedPence: Pence;
  plannedStart: string | null;
  plannedEnd: string | null;
  /** Latest change to the grant or any ledger entry on it, an ISO 8601 UTC instant. */
  lastModified: string;
  fund: FundSource;
  ward: WardSource | null;
  recipient: RecipientSource;
}

/** PB rounds and ward-budget schemes are both open to any eligible group. */
export function fromOpenCall(fund: FundSource): "Yes" | "No" {
  return fund.kind === "pb-round" || fund.kind === "ward-budget" ? "Yes" : "No";
}

/** "Ward Budgets - Riverside" for a ward's budget, otherwise the fund's name. */
export function serviceArea(fund: FundSource, ward: WardSource | null): string {
  return fund.kind === "ward-budget" && ward ? `Ward Budgets - ${ward.name}` : fund.name;
}
