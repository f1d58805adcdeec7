/**
 * Turns an uploaded ONS Postcode Directory CSV into rows for `importPostcodes`. csv-parse does the
 * CSV (quotes, BOM, CRLF); the pure reader in core/places decides what is a good row.
 */
import { parse } from "csv-parse/sync";
import { findColumns, readPostcodeRecords, type DirectoryReadResult } from "~/core/places/postcode-directory";

export function readPostcodeCsv(text: string, knownWardCodes: ReadonlySet<string>): DirectoryReadResult {
  const records = parse(text, {
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, message: "The file is empty." }] };
  const columns = findColumns(header.record);
  return readPostcodeRecords(
    body.map(({ record, info }) => ({ line: info.lines, fields: record })),
    columns,
    knownWardCodes,
  );
}
