/**
 * Cell formatting shared by the publication exports (ledger reference §3.0).
 *
 * - Dates: the Transparency Code files use `dd/mm/yyyy`; 360Giving needs `YYYY-MM-DD` for dates and
 *   a full date-time for "Last modified". Inputs are the app's stored forms (`YYYY-MM-DD` calendar
 *   dates, ISO 8601 UTC instants); they are reshaped as text, never through `Date`, so no time zone
 *   can shift a day.
 * - Amounts: plain numbers with 2 decimal places, a leading "-" when negative, no "£" and no
 *   thousands separators. Amount cells are never touched by the formula guard.
 * - Formula guard (`guardText`, shared by every CSV the app writes, the ledger CSV and the audit
 *   pack included): a descriptive text cell that a spreadsheet would read as a formula gets a
 *   leading single quote. This applies to text that people typed (names, titles, summaries,
 *   references), not to amounts or to values the app generates.
 */
import { formatPenceAsDecimal } from "../money/format";
import { isPence, type Pence } from "../money/pence";

/** Data that cannot be written into a publication file (a malformed date, a bad identifier). */
export class ExportDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportDataError";
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]00:?00)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function readDate(value: string, label: string): { year: string; month: string; day: string } {
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  if (!match) throw new ExportDataError(`${label} is not a YYYY-MM-DD date: ${JSON.stringify(value)}`);
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(Number(year), m)) {
    throw new ExportDataError(`${label} is not a real calendar date: ${JSON.stringify(value)}`);
  }
  return { year, month, day };
}

/** `2026-07-14` → `14/07/2026` (Transparency Code files). */
export function formatUkDate(isoDate: string, label = "date"): string {
  const { year, month, day } = readDate(isoDate, label);
  return `${day}/${month}/${year}`;
}

/** Checks and returns a `YYYY-MM-DD` date (360Giving dates). */
export function formatIsoDate(isoDate: string, label = "date"): string {
  const { year, month, day } = readDate(isoDate, label);
  return `${year}-${month}-${day}`;
}

/** An optional date: blank when there is none. */
export function formatOptionalIsoDate(isoDate: string | null | undefined, label = "date"): string {
  return isoDate ? formatIsoDate(isoDate, label) : "";
}

export function formatOptionalUkDate(isoDate: string | null | undefined, label = "date"): string {
  return isoDate ? formatUkDate(isoDate, label) : "";
}

/**
 * A stored UTC instant (`2026-07-14T09:30:00.123Z`, or SQLite's `2026-07-14 09:30:00`) as a full
 * date-time to the second: `2026-07-14T09:30:00Z`. Instants without an offset are UTC, as every
 * timestamp the app stores is.
 */
export function formatDateTime(instant: string, label = "date-time"): string {
  const match = typeof instant === "string" ? ISO_INSTANT.exec(instant.trim()) : null;
  if (!match) throw new ExportDataError(`${label} is not an ISO 8601 UTC date-time: ${JSON.stringify(instant)}`);
  const [, year, month, day, hour, minute, second] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  readDate(`${year}-${month}-${day}`, label);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? "0") > 59) {
    throw new ExportDataError(`${label} has an impossible time: ${JSON.stringify(instant)}`);
  }
  return `${year}-${month}-${day}T${hour}:${minute}:${second ?? "00"}Z`;
}

/** The later of two date-times (both formatted by `formatDateTime`, so text order is time order). */
export function laterDateTime(a: string, b: string | null | undefined): string {
  const first = formatDateTime(a);
  if (!b) return first;
  const second = formatDateTime(b);
  return second > first ? second : first;
}

/** `150050` → `"1500.50"`, `-85000` → `"-850.00"`. Amount cells only; never formula-guarded. */
export function formatAmount(pence: Pence): string {
  if (!isPence(pence)) throw new ExportDataError(`amount is not whole pence: ${String(pence)}`);
  return formatPenceAsDecimal(pence);
}

/**
 * Pence as a JSON number of pounds (`150050` → `1500.5`). Every amount below 2^53 pence divided
 * by 100 prints as its exact 2-decimal-place value.
 */
export function poundsNumber(pence: Pence): number {
  return Number(formatAmount(pence));
}

/**
 * The one formula guard for every CSV the app writes (OWASP "CSV injection"): a text cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in front, so a
 * spreadsheet shows it as text instead of running it. A cell that already starts with a single
 * quote gets one too, so the guard can be undone exactly by `unguardText` (remove one leading
 * quote): the audit-pack verifier compares guarded cells with the hashed payloads that way.
 * Amount cells are never passed here, so negative amounts stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r']/;

/** Prefixes a single quote to text a spreadsheet could run as a formula (null is a blank cell). */
export function guardText(text: string | null | undefined): string {
  if (text === null || text === undefined) return "";
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes `guardText` exactly: `unguardText(guardText(t)) === t` for every text. */
export function unguardText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
