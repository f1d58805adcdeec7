/**
 * Local Government Transparency Code 2015: expenditure over £500 (ledger reference §3a).
 *
 * One line per confirmed payment (PAY_CONFIRM) whose size exceeds the threshold, plus a negative
 * line for each reversal of a confirmed payment. A reversal line passes the threshold exactly when
 * its payment does, so the two always appear together. Clawback receipts are income and never
 * appear. Grants are outside the scope of VAT (§6), so irrecoverable VAT is 0.00.
 */
import type { Pence } from "../money/pence";
import { ExportDataError, formatAmount, formatUkDate, guardText } from "./format";
import { registrationNumber } from "./identifiers";
import { recipientKindOf, REDACTED, serviceArea, type Publisher, type SpendSourceRow } from "./sources";

/**
 * The spend file's columns. Every one but the last is a field of the Local Government Transparency
 * Code 2015, named exactly as the Code and the sector's published files name it, in every language,
 * so tools that read spend files across councils find them. "Ledger Entry Ref" is Wardfund's own,
 * and is headed in the reader's language (see SPEND_OWN_COLUMN_KEYS).
 */
export const SPEND_COLUMNS = [
  "Body Name",
  "Body",
  "Payment Date",
  "Transaction Number",
  "Department",
  "Service / Expense Area",
  "Beneficiary",
  "Beneficiary Registration Number",
  "Summary of Purpose",
  "Amount",
  "Irrecoverable VAT",
  "Merchant / Procurement Category",
  "Expense Type",
  "Expense Code",
  "Capital / Revenue",
  "VCSE Grant (Y/N)",
  "Ledger Entry Ref",
] as const;

/** Wardfund's own spend-file columns, each with its catalogue key for the heading in the reader's language. */
export const SPEND_OWN_COLUMN_KEYS: Readonly<Partial<Record<(typeof SPEND_COLUMNS)[number], string>>> = {
  "Ledger Entry Ref": "finance:csv.ledgerEntryRef",
};

/** The Code's threshold: items over £500. */
export const DEFAULT_SPEND_THRESHOLD_PENCE: Pence = 50_000;

export const GRANT_CATEGORY_ORGANISATION = "Grants to voluntary organisations";
export const GRANT_CATEGORY_INDIVIDUAL = "Grants to individuals";
export const GRANT_EXPENSE_TYPE = "Grants and subscriptions";

export interface SpendOptions {
  /** Lines are included when the payment is larger than this. Default £500. */
  thresholdPence?: Pence;
}

/** True when a payment of `pence` is over the threshold. */
export function exceedsThreshold(pence: Pence, thresholdPence: Pence): boolean {
  return Math.abs(pence) > thresholdPence;
}

/** `{entry id}#{seq}`: links a line back to the ledger and the audit pack. */
export function ledgerEntryRef(entryId: string, seq: number): string {
  return `${entryId}#${seq}`;
}

/** One spend-file record, in `SPEND_COLUMNS` order. */
export function spendRecord(publisher: Publisher, row: SpendSourceRow): string[] {
  if (!(Number.isSafeInteger(row.pence) && row.pence > 0)) {
    throw new ExportDataError(`payment ${row.entryId} must have a positive amount, got ${String(row.pence)}`);
  }
  const individual = recipientKindOf(row.recipient.organisationType) === "individual";
  const purpose = row.reversal ? `Reversal of payment: ${row.grant.summary}` : row.grant.summary;
  return [
    guardText(publisher.name),
    guardText(publisher.orgIdentifier),
    formatUkDate(row.paymentDate, `payment date of ${row.entryId}`),
    guardText(row.paymentRef),
    guardText(row.fund.department),
    guardText(serviceArea(row.fund, row.ward)),
    individual ? REDACTED : guardText(row.recipient.name),
    individual ? "" : guardText(registrationNumber(row.recipient)),
    guardText(purpose),
    formatAmount(row.reversal ? -row.pence : row.pence),
    formatAmount(0),
    individual ? GRANT_CATEGORY_INDIVIDUAL : GRANT_CATEGORY_ORGANISATION,
    GRANT_EXPENSE_TYPE,
    "",
    "Revenue",
    individual ? "N" : "Y",
    ledgerEntryRef(row.entryId, row.seq),
  ];
}

/** Spend-file records for the rows over the threshold, lazily, in the order given. */
export function* spendRows(
  publisher: Publisher,
  rows: Iterable<SpendSourceRow>,
  options: SpendOptions = {},
): Generator<string[]> {
  const threshold = options.thresholdPence ?? DEFAULT_SPEND_THRESHOLD_PENCE;
  if (!(Number.isSafeInteger(threshold) && threshold >= 0))
    throw new ExportDataError(`threshold must be whole pence, 0 or more, got ${String(threshold)}`);
  for (const row of rows) {
    if (exceedsThreshold(row.pence, threshold)) yield spendRecord(publisher, row);
  }
}
