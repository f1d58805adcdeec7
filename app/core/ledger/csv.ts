/**
 * CSV writing for the audit pack, following the export conventions (ledger reference §3.0):
 * RFC 4180 quoting, UTF-8, CRLF line ends, exactly one header row, an optional UTF-8 byte order
 * mark for Excel.
 *
 * Formula injection: a descriptive text cell that starts with =, +, @, tab or CR gets a leading
 * apostrophe so a spreadsheet shows it as text. A cell that already starts with an apostrophe gets
 * one too, so the rule can be undone exactly (strip one leading apostrophe), which the audit-pack
 * verifier relies on to compare cells with payloads. Amount and id columns are never altered.
 */

export const CSV_LINE_END = "\r\n";
export const UTF8_BOM = "\uFEFF";

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+@\t\r']/;

/** One field, quoted (with doubled quotes) only when it contains a comma, quote, CR or LF. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record with its CRLF line end. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + CSV_LINE_END;
}

/** Prefixes an apostrophe to descriptive text a spreadsheet could read as a formula. */
export function protectFormulaText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes `protectFormulaText`. */
export function unprotectFormulaText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
