/**
 * 360Giving Data Standard: awards as one-grant-per-row CSV and as a JSON grants package (ledger
 * reference §3c).
 *
 * Column titles are the standard's exact titles, in the order of its grants template. Every row
 * fills the ten required fields: Identifier, Title, Description, Currency, Amount Awarded, Award
 * Date, the recipient's identifier and name, and the funder's identifier and name. A grant has a
 * recipient organisation or a recipient individual, never both.
 *
 * Privacy: an individual's name is "Redacted personal data", and no postcode or ward is published
 * for them. An organisation's postcode is published only when it is on a public register (charity
 * or company), because an unregistered group's address is often a volunteer's home.
 *
 * "Last modified" is the latest change to the grant or to any ledger entry on it, so it moves
 * whenever the grant's status changes (paid, clawed back, withdrawn).
 */
import type { Pence } from "../money/pence";
import { formatAmount, formatDateTime, formatIsoDate, formatOptionalIsoDate, guardText, poundsNumber } from "./format";
import {
  geoCodeTypeOf,
  grantIdentifier,
  individualIdentifier,
  isRegistered,
  recipientOrgIdentifier,
  registeredNumbers,
} from "./identifiers";
import { fromOpenCall, recipientKindOf, REDACTED, type AwardSourceRow, type Publisher } from "./sources";

export const CURRENCY = "GBP";
export const OPEN_GOVERNMENT_LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

export const THREE_SIXTY_GIVING_COLUMNS = [
  "Identifier",
  "Title",
  "Description",
  "Currency",
  "Amount Applied For",
  "Amount Awarded",
  "Amount Disbursed",
  "Award Date",
  "Planned Dates:Start Date",
  "Planned Dates:End Date",
  "Recipient Org:Identifier",
  "Recipient Org:Name",
  "Recipient Org:Charity Number",
  "Recipient Org:Company Number",
  "Recipient Org:Postal Code",
  "Recipient Ind:Identifier",
  "Recipient Ind:Name",
  "Beneficiary Location:Name",
  "Beneficiary Location:Country Code",
  "Beneficiary Location:Geographic Code",
  "Beneficiary Location:Geographic Code Type",
  "Funding Org:Identifier",
  "Funding Org:Name",
  "Funding Org:Department",
  "Grant Programme:Code",
  "Grant Programme:Title",
  "From an open call?",
  "Last modified",
] as const;

export type ThreeSixtyGivingColumn = (typeof THREE_SIXTY_GIVING_COLUMNS)[number];

/** The ten fields every grant must have (for a grant to an individual, the Recipient Ind pair). */
export const THREE_SIXTY_GIVING_REQUIRED: readonly ThreeSixtyGivingColumn[] = [
  "Identifier",
  "Title",
  "Description",
  "Currency",
  "Amount Awarded",
  "Award Date",
  "Recipient Org:Identifier",
  "Recipient Org:Name",
  "Funding Org:Identifier",
  "Funding Org:Name",
];

/** Awards that are published: anything still awarded (a fully withdrawn award is left out). */
export function isPublishedAward(row: AwardSourceRow): boolean {
  return row.awardedPence > 0;
}

interface Organization {
  id: string;
  name: string;
  charityNumber?: string;
  companyNumber?: string;
  postalCode?: string;
  department?: string;
}

interface Location {
  name: string;
  countryCode: string;
  geoCode?: string;
  geoCodeType?: string;
}

/** A grant in the 360Giving JSON schema's shape (only the properties we publish). */
export interface ThreeSixtyGivingGrant {
  id: string;
  title: string;
  description: string;
  currency: string;
  amountAppliedFor?: number;
  amountAwarded: number;
  amountDisbursed: number;
  awardDate: string;
  plannedDates?: { startDate?: string; endDate?: string }[];
  recipientOrganization?: Organization[];
  recipientIndividual?: { id: string; name: string };
  beneficiaryLocation?: Location[];
  fundingOrganization: Organization[];
  grantProgramme: { code: string; title: string }[];
  fromOpenCall: "Yes" | "No";
  dateModified: string;
}

/** The facts both forms share, checked and formatted once (unguarded text). */
function awardFacts(publisher: Publisher, row: AwardSourceRow) {
  const id = row.grant.id;
  const individual = recipientKindOf(row.recipient.organisationType) === "individual";
  const numbers = registeredNumbers(row.recipient);
  const ward = individual ? null : row.ward;
  return {
    identifier: grantIdentifier(publisher.prefix, id),
    awardDate: formatIsoDate(row.awardDate, `award date of ${id}`),
    plannedStart: formatOptionalIsoDate(row.plannedStart, `planned start of ${id}`),
    plannedEnd: formatOptionalIsoDate(row.plannedEnd, `planned end of ${id}`),
    lastModified: formatDateTime(row.lastModified, `last modified of ${id}`),
    individual,
    recipientId: individual
      ? individualIdentifier(publisher.prefix, row.recipient.id)
      : recipientOrgIdentifier(publisher.prefix, row.recipient),
    recipientName: individual ? REDACTED : row.recipient.name,
    charityNumber: individual ? "" : (numbers.charityNumber ?? ""),
    companyNumber: individual ? "" : (numbers.companyNumber ?? ""),
    postalCode: !individual && isRegistered(row.recipient) ? (row.recipient.postcode ?? "").trim() : "",
    ward,
    geoCodeType: geoCodeTypeOf(ward?.gssCode),
  };
}

function amountOrBlank(pence: Pence | null): string {
  return pence === null ? "" : formatAmount(pence);
}

/** One CSV record, in `THREE_SIXTY_GIVING_COLUMNS` order. */
export function threeSixtyGivingRecord(publisher: Publisher, row: AwardSourceRow): string[] {
  const f = awardFacts(publisher, row);
  const org = !f.individual;
  return [
    f.identifier,
    guardText(row.grant.title),
    guardText(row.grant.summary),
    CURRENCY,
    amountOrBlank(row.appliedForPence),
    formatAmount(row.awardedPence),
    formatAmount(row.disbursedPence),
    f.awardDate,
    f.plannedStart,
    f.plannedEnd,
    org ? f.recipientId : "",
    org ? guardText(f.recipientName) : "",
    guardText(f.charityNumber),
    guardText(f.companyNumber),
    guardText(f.postalCode),
    org ? "" : f.recipientId,
    org ? "" : f.recipientName,
    guardText(f.ward?.name ?? ""),
    f.ward ? "GB" : "",
    guardText(f.ward?.gssCode ?? ""),
    f.geoCodeType,
    guardText(publisher.orgIdentifier),
    guardText(publisher.name),
    guardText(row.fund.department),
    guardText(row.fund.id),
    guardText(row.fund.name),
    fromOpenCall(row.fund),
    f.lastModified,
  ];
}

/** CSV records for the published awards, lazily, in the order given. */
export function* threeSixtyGivingRows(publisher: Publisher, rows: Iterable<AwardSourceRow>): Generator<string[]> {
  for (const row of rows) if (isPublishedAward(row)) yield threeSixtyGivingRecord(publisher, row);
}

/** One grant object for the JSON package. JSON is not opened by spreadsheets, so no formula guard. */
export function threeSixtyGivingGrant(publisher: Publisher, row: AwardSourceRow): ThreeSixtyGivingGrant {
  const f = awardFacts(publisher, row);
  const plannedDates =
    f.plannedStart || f.plannedEnd
      ? [
          {
            ...(f.plannedStart ? { startDate: f.plannedStart } : {}),
            ...(f.plannedEnd ? { endDate: f.plannedEnd } : {}),
          },
        ]
      : undefined;
  const recipient: Pick<ThreeSixtyGivingGrant, "recipientOrganization" | "recipientIndividual"> = f.individual
    ? { recipientIndividual: { id: f.recipientId, name: f.recipientName } }
    : {
        recipientOrganization: [
          {
            id: f.recipientId,
            name: f.recipientName,
            ...(f.charityNumber ? { charityNumber: f.charityNumber } : {}),
            ...(f.companyNumber ? { companyNumber: f.companyNumber } : {}),
            ...(f.postalCode ? { postalCode: f.postalCode } : {}),
          },
        ],
      };
  const location = f.ward
    ? [
        {
          name: f.ward.name,
          countryCode: "GB",
          geoCode: f.ward.gssCode,
          ...(f.geoCodeType ? { geoCodeType: f.geoCodeType } : {}),
        },
      ]
    : undefined;
  // Properties in the schema's order, so the file reads naturally.
  return {
    id: f.identifier,
    title: row.grant.title,
    description: row.grant.summary,
    currency: CURRENCY,
    ...(row.appliedForPence === null ? {} : { amountAppliedFor: poundsNumber(row.appliedForPence) }),
    amountAwarded: poundsNumber(row.awardedPence),
    amountDisbursed: poundsNumber(row.disbursedPence),
    awardDate: f.awardDate,
    ...(plannedDates ? { plannedDates } : {}),
    ...recipient,
    ...(location ? { beneficiaryLocation: location } : {}),
    fundingOrganization: [{ id: publisher.orgIdentifier, name: publisher.name, department: row.fund.department }],
    grantProgramme: [{ code: row.fund.id, title: row.fund.name }],
    fromOpenCall: fromOpenCall(row.fund),
    dateModified: f.lastModified,
  };
}

/** Package metadata written before the grants. */
export interface PackageMetadata {
  /** When the file was made, an ISO 8601 UTC instant. */
  modified: string;
}

export interface ThreeSixtyGivingPackage {
  license: string;
  publisher: { identifier: string; name: string };
  modified: string;
  grants: ThreeSixtyGivingGrant[];
}

function packageHead(publisher: Publisher, metadata: PackageMetadata): Omit<ThreeSixtyGivingPackage, "grants"> {
  return {
    license: OPEN_GOVERNMENT_LICENCE,
    publisher: { identifier: publisher.orgIdentifier, name: publisher.name },
    modified: formatDateTime(metadata.modified, "package modified"),
  };
}

/** The whole package as one object (for small sets and tests). */
export function threeSixtyGivingPackage(
  publisher: Publisher,
  rows: Iterable<AwardSourceRow>,
  metadata: PackageMetadata,
): ThreeSixtyGivingPackage {
  const grants: ThreeSixtyGivingGrant[] = [];
  for (const row of rows) if (isPublishedAward(row)) grants.push(threeSixtyGivingGrant(publisher, row));
  return { ...packageHead(publisher, metadata), grants };
}

/**
 * The same package as JSON text in pieces, one grant at a time, so a file of any size is written
 * in constant memory. Joined, the pieces parse to exactly `threeSixtyGivingPackage(...)`.
 */
export function* threeSixtyGivingPackageChunks(
  publisher: Publisher,
  rows: Iterable<AwardSourceRow>,
  metadata: PackageMetadata,
): Generator<string> {
  const head = JSON.stringify(packageHead(publisher, metadata));
  yield `${head.slice(0, -1)},"grants":[`;
  let first = true;
  for (const row of rows) {
    if (!isPublishedAward(row)) continue;
    yield `${first ? "\n" : ",\n"}${JSON.stringify(threeSixtyGivingGrant(publisher, row))}`;
    first = false;
  }
  yield `${first ? "" : "\n"}]}\n`;
}
