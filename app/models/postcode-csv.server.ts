/**
 * Imports an ONS Postcode Directory CSV as it streams in: csv-parse's streaming parser reads the
 * records (quotes, BOM, CRLF), the pure reader in core/places decides what is a good row, and the
 * council's own rows are upserted in batched write transactions. Between batches the import yields
 * to the event loop, so casts and page loads carry on while a national file (about 2.7 million rows,
 * of which a council keeps a few thousand) goes through in constant memory: nothing is held but the
 * current batch, the postcodes kept so far, and the first problems.
 *
 * Rows for wards outside the council are counted, not reported one by one. A parser error (a stray
 * quote, a binary file) stops the import with a `PostcodeFileError` naming the line; the batches
 * before it stay imported (upserts, so importing the corrected file again is safe).
 */
import { parse, CsvError } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { findColumns, readPostcodeRecords, type DirectoryReadResult, type RowProblem } from "~/core/places/postcode-directory";
import { isWardGssCode, normaliseGssCode } from "~/core/places/gss";
import { normalisePostcode } from "~/core/places/postcode";
import { recordAudit, type Actor } from "~/models/audit.server";

export const IMPORT_BATCH_ROWS = 2000;
export const PROBLEMS_KEPT = 200;

/** The file cannot be read as CSV; `line` is the line of the file where reading stopped. */
export class PostcodeFileError extends Error {
  constructor(
    readonly line: number,
    problem: string,
    readonly importedBefore = 0,
  ) {
    super(`Line ${line.toLocaleString("en-GB")}: ${problem}`);
  }
}

export interface PostcodeImportProgress {
  fileName: string;
  startedAt: string;
  /** Data rows read so far (the header not counted). */
  rowsRead: number;
  imported: number;
  done: boolean;
}

export interface PostcodeImportSummary {
  imported: number;
  replaced: number;
  /** Rows for wards of other councils, skipped without a problem each. */
  otherWards: number;
  problemCount: number;
  /** The first PROBLEMS_KEPT problems. */
  problems: RowProblem[];
}

export interface PostcodeImportOptions {
  batchRows?: number;
  onProgress?: (progress: PostcodeImportProgress) => void;
  database?: Db;
}

let current: PostcodeImportProgress | null = null;

/** The import running in this process, if any, for the progress shown on /admin/postcodes. */
export function currentPostcodeImport(): PostcodeImportProgress | null {
  return current;
}

export class ImportRunningError extends Error {
  constructor() {
    super("Another postcode import is running; wait for it to finish.");
  }
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case "INVALID_OPENING_QUOTE":
      return 'a field has a double quote (") inside it; quote the whole field and double the quote ("")';
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is never closed; the file may be cut short";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a quoted field has text after its closing quote";
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
      return "the row has a different number of fields from the header";
    case "CSV_MAX_RECORD_SIZE":
      return "a row is far too long; is this a CSV file?";
    default:
      return `the file is not valid CSV (${error.message})`;
  }
}

/**
 * Streams `input` (the uploaded file's bytes) into the postcode table, keeping the rows of
 * `knownWardCodes`. Throws `PostcodeFileError` for a file that is not CSV text, a
 * `MissingColumnError` for a header without `pcds` or `osward`, and `ImportRunningError` while
 * another import runs.
 */
export async function importPostcodeCsv(
  actor: Actor,
  fileName: string,
  input: AsyncIterable<Uint8Array | string>,
  knownWardCodes: ReadonlySet<string>,
  options: PostcodeImportOptions = {},
): Promise<PostcodeImportSummary> {
  if (current && !current.done) throw new ImportRunningError();
  const database = options.database ?? db();
  const batchRows = options.batchRows ?? IMPORT_BATCH_ROWS;
  const progress: PostcodeImportProgress = { fileName, startedAt: new Date().toISOString(), rowsRead: 0, imported: 0, done: false };
  current = progress;
  const client = database.$client;
  const existing = client.prepare("select ward_gss_code from postcodes where postcode = ?").pluck();
  const upsert = client.prepare(
    "insert into postcodes (postcode, ward_gss_code) values (?, ?) on conflict(postcode) do update set ward_gss_code = excluded.ward_gss_code",
  );
  const summary: PostcodeImportSummary = { imported: 0, replaced: 0, otherWards: 0, problemCount: 0, problems: [] };
  const seen = new Map<string, number>();
  let batch: { postcode: string; wardGssCode: string }[] = [];
  const writeBatch = () => {
    const rows = batch;
    batch = [];
    writeTransaction(() => {
      for (const row of rows) {
        const before = existing.get(row.postcode) as string | undefined;
        if (before !== undefined && before !== row.wardGssCode) summary.replaced += 1;
        upsert.run(row.postcode, row.wardGssCode);
      }
    }, database);
    summary.imported += rows.length;
    progress.imported = summary.imported;
    options.onProgress?.({ ...progress });
  };
  const problem = (line: number, message: string) => {
    summary.problemCount += 1;
    if (summary.problems.length < PROBLEMS_KEPT) summary.problems.push({ line, message });
  };

  const parser = parse({
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: 64 * 1024,
  });
  const feeding = feed(input, parser);
  let columns: { pcds: number; osward: number } | null = null;
  let line = 1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      line = info.lines;
      if (columns === null) {
        columns = findColumns(record);
        continue;
      }
      progress.rowsRead += 1;
      const rawWard = record[columns.osward] ?? "";
      const ward = normaliseGssCode(rawWard);
      if (isWardGssCode(ward) && !knownWardCodes.has(ward)) {
        summary.otherWards += 1;
      } else {
        const rawPostcode = record[columns.pcds] ?? "";
        const postcode = normalisePostcode(rawPostcode);
        if (!postcode) problem(line, `"${rawPostcode}" is not a UK postcode`);
        else if (!isWardGssCode(ward)) problem(line, `"${rawWard}" is not a ward GSS code`);
        else if (seen.has(postcode)) problem(line, `${postcode} already appears on line ${seen.get(postcode)}`);
        else {
          seen.set(postcode, line);
          batch.push({ postcode, wardGssCode: ward });
        }
      }
      if (progress.rowsRead % batchRows === 0) {
        if (batch.length > 0) writeBatch();
        else options.onProgress?.({ ...progress });
        await yieldToEventLoop();
      }
    }
    await feeding;
    if (columns === null) throw new PostcodeFileError(1, "the file is empty");
    if (batch.length > 0) writeBatch();
    else options.onProgress?.({ ...progress });
    writeTransaction(
      (tx) =>
        recordAudit(tx, {
          actor,
          action: "postcodes.imported",
          entityType: "postcodes",
          entityId: fileName,
          after: { imported: summary.imported, replaced: summary.replaced, otherWards: summary.otherWards, badRows: summary.problemCount },
        }),
      database,
    );
    return summary;
  } catch (error) {
    parser.destroy();
    await feeding.catch(() => undefined);
    if (error instanceof CsvError) {
      const at = (error as CsvError & { lines?: number }).lines ?? line;
      throw new PostcodeFileError(at, csvProblem(error), summary.imported);
    }
    if (error instanceof NotTextError) throw new PostcodeFileError(error.line, error.message, summary.imported);
    throw error;
  } finally {
    progress.done = true;
    if (current === progress) current = null;
  }
}

class NotTextError extends Error {
  constructor(readonly line: number) {
    super("the file is not CSV text (it holds binary data); export the directory as CSV");
  }
}

function drainedOrClosed(parser: ReturnType<typeof parse>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      parser.off("drain", done);
      parser.off("close", done);
      resolve();
    };
    parser.on("drain", done);
    parser.on("close", done);
  });
}

/** Writes the input into the parser with back-pressure; refuses binary data (a NUL byte). */
async function feed(input: AsyncIterable<Uint8Array | string>, parser: ReturnType<typeof parse>): Promise<void> {
  let lines = 1;
  try {
    for await (const chunk of input) {
      if (parser.destroyed) return;
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const nul = bytes.indexOf(0);
      if (nul >= 0) {
        for (let i = bytes.indexOf(10); i >= 0 && i < nul; i = bytes.indexOf(10, i + 1)) lines++;
        throw new NotTextError(lines);
      }
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
      if (!parser.write(bytes)) await drainedOrClosed(parser);
    }
    parser.end();
  } catch (error) {
    parser.destroy(error as Error);
    throw error;
  }
}

/**
 * Reads a whole CSV text at once (small files, tests): the rows and problems, nothing written. A
 * parser error becomes a `PostcodeFileError` naming the line.
 */
export function readPostcodeCsv(text: string, knownWardCodes: ReadonlySet<string>): DirectoryReadResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseSync(text, {
      bom: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) throw new PostcodeFileError((error as CsvError & { lines?: number }).lines ?? 1, csvProblem(error));
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, message: "The file is empty." }] };
  return readPostcodeRecords(
    body.map(({ record, info }) => ({ line: info.lines, fields: record })),
    findColumns(header.record),
    knownWardCodes,
  );
}

/** Postcodes starting with `prefix` (normalised: upper case, one space), with their wards, for the admin search. */
export function searchPostcodes(prefix: string, limit = 50, database: Db = db()) {
  const cleaned = prefix.toUpperCase().replace(/\s+/g, " ").trim();
  const compact = cleaned.replace(/ /g, "");
  return database.$client
    .prepare(
      `select p.postcode as postcode, p.ward_gss_code as wardGssCode, w.name as wardName
         from postcodes p left join wards w on w.gss_code = p.ward_gss_code
        where p.postcode >= ? and p.postcode < ? or replace(p.postcode, ' ', '') = ?
        order by p.postcode limit ?`,
    )
    .all(cleaned, `${cleaned}\uffff`, compact, limit) as { postcode: string; wardGssCode: string; wardName: string | null }[];
}
