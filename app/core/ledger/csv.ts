/**
 * CSV writing for the audit pack, following the export conventions (ledger reference §3.0):
 * RFC 4180 quoting, UTF-8, CRLF line ends, exactly one header row, an optional UTF-8 byte order
 * mark for Excel.
 *
 * Formula injection: descriptive text cells go through the one guard every CSV of the app uses,
 * `guardText` in core/exports/format.ts (a leading single quote before =, +, -, @, tab, CR or a
 * single quote, undone exactly by `unguardText`). Amount and id columns are never altered.
 */

export const CSV_LINE_END = "\r\n";
export const UTF8_BOM = "\uFEFF";

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted (with doubled quotes) only when it contains a comma, quote, CR or LF. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record with its CRLF line end. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + CSV_LINE_END;
}
