/**
 * Transparency Code: register of grants to voluntary, community and social enterprise (VCSE)
 * organisations (ledger reference §3b).
 *
 * One line per award with a positive net committed amount (COMMIT net of DECOMMIT and of reversals;
 * an award withdrawn in full leaves the register). Grants to individuals are not grants to VCSE
 * organisations and are left out. The Grant Identifier is the 360Giving one, so the two files join.
 */
import { formatAmount, formatOptionalUkDate, formatUkDate, guardText } from "./format";
import { grantIdentifier, registrationNumber } from "./identifiers";
import { recipientKindOf, type AwardSourceRow, type Publisher } from "./sources";

/**
 * The register's columns. The first eight are the Transparency Code's grant fields, named as the Code
 * names them in every language; the grant identifier, scheme, ward and ward code are Wardfund's own,
 * headed in the reader's language (see VCSE_OWN_COLUMN_KEYS).
 */
export const VCSE_COLUMNS = [
  "Date Awarded",
  "Grant Period Start",
  "Grant Period End",
  "Department",
  "Beneficiary",
  "Beneficiary Registration Number",
  "Purpose",
  "Amount Awarded",
  "Grant Identifier",
  "Scheme",
  "Ward",
  "Ward Code",
] as const;

/** Wardfund's own register columns, each with its catalogue key for the heading in the reader's language. */
export const VCSE_OWN_COLUMN_KEYS: Readonly<Partial<Record<(typeof VCSE_COLUMNS)[number], string>>> = {
  "Grant Identifier": "finance:csv.grantIdentifier",
  Scheme: "finance:csv.scheme",
  Ward: "finance:csv.ward",
  "Ward Code": "finance:csv.wardCode",
};

/** True when the award belongs in the VCSE register. */
export function isVcseAward(row: AwardSourceRow): boolean {
  return row.awardedPence > 0 && recipientKindOf(row.recipient.organisationType) === "organisation";
}

/** One register record, in `VCSE_COLUMNS` order. */
export function vcseRecord(publisher: Publisher, row: AwardSourceRow): string[] {
  const id = row.grant.id;
  return [
    formatUkDate(row.awardDate, `award date of ${id}`),
    formatOptionalUkDate(row.plannedStart, `planned start of ${id}`),
    formatOptionalUkDate(row.plannedEnd, `planned end of ${id}`),
    guardText(row.fund.department),
    guardText(row.recipient.name),
    guardText(registrationNumber(row.recipient)),
    guardText(row.grant.summary),
    formatAmount(row.awardedPence),
    grantIdentifier(publisher.prefix, id),
    guardText(row.fund.name),
    guardText(row.ward?.name ?? ""),
    guardText(row.ward?.gssCode ?? ""),
  ];
}

/** Register records for the VCSE awards, lazily, in the order given. */
export function* vcseRows(publisher: Publisher, rows: Iterable<AwardSourceRow>): Generator<string[]> {
  for (const row of rows) if (isVcseAward(row)) yield vcseRecord(publisher, row);
}
