/**
 * Identifiers in the publication files (ledger reference §3c; 360Giving identifier guidance).
 *
 * - Grant identifiers are `360G-{prefix}-{grant id}`. Our grant ids already carry scheme, year and
 *   sequence (`WB-2026-27-G001`), so `360G-GB-LAE-EBK-WB-2026-27-G001`. Only letters, digits, ".",
 *   "_" and "-" are allowed: never "/" or "\" or spaces, which break links.
 * - Recipient organisations use the org-id.guide list: `GB-CHC-` (England and Wales charities),
 *   `GB-SC-` (Scotland), `GB-NIC-` (Northern Ireland), `GB-COH-` (Companies House, 8 characters,
 *   leading zeros kept). A charity number wins over a company number for a charitable company.
 *   A group with neither gets `360G-{prefix}-ORG-{group id}`.
 * - Individuals get `360G-{prefix}-IND-{id}`; their names are never published.
 * - A ward's ONS GSS code is published with the 360Giving geoCodeType `WD`.
 */
import { isWardGssCode } from "../places/gss";
import { ExportDataError } from "./format";

const SAFE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** True when `prefix` can sit after `360G-` in an identifier. */
export function isThreeSixtyGivingPrefix(prefix: string): boolean {
  return SAFE_ID.test(prefix) && !prefix.startsWith("-") && !prefix.endsWith("-");
}

function requirePrefix(prefix: string): string {
  if (!isThreeSixtyGivingPrefix(prefix))
    throw new ExportDataError(`not a usable 360Giving prefix: ${JSON.stringify(prefix)}`);
  return prefix;
}

function requireSafe(value: string, label: string): string {
  if (typeof value !== "string" || !SAFE_ID.test(value)) {
    throw new ExportDataError(
      `${label} must be 1-100 characters from A-Z a-z 0-9 . _ - to go in an identifier, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * The publisher prefix when none has been registered with 360Giving: the council's own org id
 * (e.g. `GB-LAE-EBK`), which is unique to the council and stable.
 */
export function defaultThreeSixtyGivingPrefix(orgIdentifier: string): string {
  return requirePrefix(orgIdentifier.trim());
}

/** `360G-{prefix}-{grant id}`. */
export function grantIdentifier(prefix: string, grantId: string): string {
  return `360G-${requirePrefix(prefix)}-${requireSafe(grantId, "grant id")}`;
}

/** `360G-{prefix}-ORG-{group id}` for a group with no charity or company number. */
export function unregisteredOrgIdentifier(prefix: string, groupId: number | string): string {
  return `360G-${requirePrefix(prefix)}-ORG-${requireSafe(String(groupId), "group id")}`;
}

/** `360G-{prefix}-IND-{id}` for a grant to an individual. */
export function individualIdentifier(prefix: string, recipientId: number | string): string {
  return `360G-${requirePrefix(prefix)}-IND-${requireSafe(String(recipientId), "recipient id")}`;
}

export type CharityRegister = "GB-CHC" | "GB-SC" | "GB-NIC";

export interface CharityNumber {
  register: CharityRegister;
  /** The number as published in the bare "Charity Number" column. */
  number: string;
  /** The part that goes into the org id (E&W subsidiary suffixes such as "-1" dropped). */
  idPart: string;
}

/**
 * Reads a charity number as typed: `1123456` or `1123456-1` (England and Wales), `SC012345`
 * (Scotland), `NIC100002` or `NI100002` (Northern Ireland). Spaces are ignored. Returns null for
 * anything else, which then falls back to the company number or the unregistered-group id.
 */
export function parseCharityNumber(raw: string | null | undefined): CharityNumber | null {
  if (!raw) return null;
  const text = raw.replace(/\s+/g, "").toUpperCase();
  if (text === "") return null;
  let match = /^SC(\d{6})$/.exec(text);
  if (match) return { register: "GB-SC", number: text, idPart: text };
  match = /^NIC?(\d{5,6})$/.exec(text);
  if (match) return { register: "GB-NIC", number: `NIC${match[1]}`, idPart: match[1]! };
  match = /^(\d{6,8})(-\d{1,3})?$/.exec(text);
  if (match) return { register: "GB-CHC", number: text, idPart: match[1]! };
  return null;
}

/**
 * A Companies House number as 8 characters: `01234567`, `SC123456`, `NI012345`, `OC301234`.
 * All-digit numbers typed without their leading zeros (a spreadsheet's doing) are padded back to
 * 8 digits. Returns null for anything that is not a company number.
 */
export function normaliseCompanyNumber(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.replace(/\s+/g, "").toUpperCase();
  if (/^\d{1,8}$/.test(text)) return /^0+$/.test(text) ? null : text.padStart(8, "0");
  if (/^[A-Z]{2}\d{6}$/.test(text)) return text;
  return null;
}

export interface RegisteredNumbers {
  charityNumber: string | null;
  companyNumber: string | null;
}

/** The bare numbers for the "Charity Number" / "Company Number" columns, normalised. */
export function registeredNumbers(raw: {
  charityNumber: string | null;
  companyNumber: string | null;
}): RegisteredNumbers {
  return {
    charityNumber: parseCharityNumber(raw.charityNumber)?.number ?? null,
    companyNumber: normaliseCompanyNumber(raw.companyNumber),
  };
}

/** True when the organisation is on a public register (charity or company). */
export function isRegistered(raw: { charityNumber: string | null; companyNumber: string | null }): boolean {
  const numbers = registeredNumbers(raw);
  return numbers.charityNumber !== null || numbers.companyNumber !== null;
}

/**
 * The single registration number for the Transparency Code files: charity number if there is one,
 * otherwise company number, otherwise blank.
 */
export function registrationNumber(raw: { charityNumber: string | null; companyNumber: string | null }): string {
  const numbers = registeredNumbers(raw);
  return numbers.charityNumber ?? numbers.companyNumber ?? "";
}

/** The org-id for a recipient organisation. */
export function recipientOrgIdentifier(
  prefix: string,
  recipient: { id: number | string; charityNumber: string | null; companyNumber: string | null },
): string {
  const charity = parseCharityNumber(recipient.charityNumber);
  if (charity) return `${charity.register}-${charity.idPart}`;
  const company = normaliseCompanyNumber(recipient.companyNumber);
  if (company) return `GB-COH-${company}`;
  return unregisteredOrgIdentifier(prefix, recipient.id);
}

/** The 360Giving geoCodeType for a GSS code: `WD` for an electoral ward, blank when unknown. */
export function geoCodeTypeOf(gssCode: string | null | undefined): string {
  return gssCode && isWardGssCode(gssCode) ? "WD" : "";
}
