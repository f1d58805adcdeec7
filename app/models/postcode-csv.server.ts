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
import { splitPlainLine } from "~/core/places/csv-line";
import { parse as parseSync } from "csv-parse/sync";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  findColumns,
  readPostcodeRecords,
  type DirectoryReadResult,
  type RowProblem,
} from "~/core/places/postcode-directory";
import { messageKey } from "~/core/messages/message-key";
import { isWardGssCode, normaliseGssCode } from "~/core/places/gss";
import { normalisePostcode } from "~/core/places/postcode";
import { recordAudit, type Actor } from "~/models/audit.server";

export const IMPORT_BATCH_ROWS = 2000;
export const PROBLEMS_KEPT = 200;

/**
 * The file cannot be read as CSV; `line` is the line of the file where reading stopped. The message
 * is a message key (rounds:postcodes.*) naming the line, shown in the reader's language.
 */
export class PostcodeFileError extends Error {
  constructor(
    readonly line: number,
    problem: string,
    readonly importedBefore = 0,
    values: Record<string, string> = {},
  ) {
    super(messageKey(problem, { ...values, line: line.toLocaleString("en-GB") }));
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

/** What the CSV parser could not read, as a `PostcodeFileError` at `line`. */
function csvFileError(error: CsvError, line: number, importedBefore = 0): PostcodeFileError {
  const key = (name: string) => new PostcodeFileError(line, `rounds:postcodes.csv.${name}`, importedBefore);
  switch (error.code) {
    case "INVALID_OPENING_QUOTE":
      return key("openingQuote");
    case "CSV_QUOTE_NOT_CLOSED":
      return key("quoteNotClosed");
    case "CSV_INVALID_CLOSING_QUOTE":
      return key("closingQuote");
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
      return key("fieldCount");
    case "CSV_MAX_RECORD_SIZE":
      return key("tooLong");
    default:
      return new PostcodeFileError(line, "rounds:postcodes.csv.invalid", importedBefore, { detail: error.message });
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
  const progress: PostcodeImportProgress = {
    fileName,
    startedAt: new Date().toISOString(),
    rowsRead: 0,
    imported: 0,
    done: false,
  };
  current = progress;
  const client = database.$client;
  const existing = client.prepare("select ward_gss_code from postcodes where postcode = ?").pluck();
  const upsert = client.prepare(
    "insert into postcodes (postcode, ward_gss_code) values (?, ?) on conflict(postcode) do update set " +
      "ward_gss_code = excluded.ward_gss_code",
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

  let columns: { pcds: number; osward: number } | null = null;
  let wantedFields = Infinity;
  let lastYield = performance.now();
  /** Takes one record; answers true when the import should yield to the event loop now. */
  const take = (fields: readonly string[], line: number): boolean => {
    if (columns === null) {
      columns = findColumns(fields as string[]);
      wantedFields = Math.max(columns.pcds, columns.osward) + 1;
      return false;
    }
    progress.rowsRead += 1;
    const rawWard = fields[columns.osward] ?? "";
    const ward = knownWardCodes.has(rawWard) ? rawWard : normaliseGssCode(rawWard);
    if (!knownWardCodes.has(ward) && isWardGssCode(ward)) {
      summary.otherWards += 1;
    } else {
      const rawPostcode = fields[columns.pcds] ?? "";
      const postcode = normalisePostcode(rawPostcode);
      if (!postcode) problem(line, messageKey("rounds:postcodes.notPostcode", { text: rawPostcode }));
      else if (!isWardGssCode(ward)) problem(line, messageKey("rounds:postcodes.notWardCode", { text: rawWard }));
      else if (seen.has(postcode))
        problem(line, messageKey("rounds:postcodes.repeated", { postcode, line: seen.get(postcode)! }));
      else {
        seen.set(postcode, line);
        batch.push({ postcode, wardGssCode: ward });
      }
    }
    if (progress.rowsRead % batchRows === 0) {
      if (batch.length > 0) {
        writeBatch();
        return true;
      }
      options.onProgress?.({ ...progress });
    }
    return (progress.rowsRead & 255) === 0 && performance.now() - lastYield > YIELD_AFTER_MS;
  };
  const pause = async () => {
    await yieldToEventLoop();
    lastYield = performance.now();
  };

  // The fast path reads plain lines itself: fields unquoted, or quoted whole on one line. The first
  // line it cannot read that way (a quote out of place, a quoted line break, a lone CR, an overlong
  // line) hands the rest of the file to csv-parse, which reads it or names the fault.
  const reader = input[Symbol.asyncIterator]();
  const decoder = new TextDecoder();
  const fields: string[] = [];
  let line = 1;
  let pending = "";
  let first = true;
  let handOver: string | null = null;
  try {
    for (;;) {
      const next = await reader.next();
      let text: string;
      if (next.done) {
        text = pending + decoder.decode();
      } else {
        const chunk = next.value;
        if (typeof chunk === "string") {
          const nul = chunk.indexOf("\0");
          if (nul >= 0) throw new NotTextError(line + countNewlines(chunk.slice(0, nul)));
          text = pending + decoder.decode() + chunk;
        } else {
          const nul = chunk.indexOf(0);
          if (nul >= 0) throw new NotTextError(line + countNewlines(decoder.decode(chunk.subarray(0, nul))));
          text = pending + decoder.decode(chunk, { stream: true });
        }
        if (first && text.length > 0) {
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
        }
      }
      const end = next.done ? text.length : text.lastIndexOf("\n") + 1;
      const loneCr = LONE_CR.exec(text);
      if (loneCr && (next.done || loneCr.index < text.length - 1)) {
        handOver = text;
        break;
      }
      let at = 0;
      while (at < end) {
        let stop = text.indexOf("\n", at);
        if (stop < 0 || stop >= end) stop = end;
        const lineEnd = stop > at && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
        if (lineEnd > at) {
          const wanted = columns === null ? Infinity : wantedFields;
          if (!splitPlainLine(text, at, lineEnd, fields, wanted)) {
            handOver = text.slice(at);
            break;
          }
          if (take(fields, line)) await pause();
        }
        line += 1;
        at = stop + 1;
      }
      if (handOver !== null || next.done) break;
      pending = text.slice(end);
      if (pending.length > MAX_LINE_CHARS) {
        handOver = pending;
        break;
      }
    }
    if (handOver !== null) await readWithCsvParse(handOver, reader, decoder, line, take, pause);
    if (columns === null) throw new PostcodeFileError(1, "rounds:postcodes.empty");
    if (batch.length > 0) writeBatch();
    else options.onProgress?.({ ...progress });
    writeTransaction(
      (tx) =>
        recordAudit(tx, {
          actor,
          action: "postcodes.imported",
          entityType: "postcodes",
          entityId: fileName,
          after: {
            imported: summary.imported,
            replaced: summary.replaced,
            otherWards: summary.otherWards,
            badRows: summary.problemCount,
          },
        }),
      database,
    );
    return summary;
  } catch (error) {
    await reader.return?.();
    if (error instanceof CsvError) {
      const at = (error as CsvError & { lines?: number }).lines ?? line;
      throw csvFileError(error, at, summary.imported);
    }
    if (error instanceof NotTextError)
      throw new PostcodeFileError(error.line, "rounds:postcodes.notText", summary.imported);
    throw error;
  } finally {
    progress.done = true;
    if (current === progress) current = null;
  }
}

/** The longest line the fast path holds before handing over (csv-parse's `max_record_size` then applies). */
const MAX_LINE_CHARS = 64 * 1024;
/** A CR not followed by LF: the file (or part of it) ends its lines with CR alone. */
const LONE_CR = /\r(?!\n)/;
/** How long the import runs between yields to the event loop. */
const YIELD_AFTER_MS = 2;

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Reads the rest of the file with csv-parse: `rest` (from the start of line `firstLine`) then what
 * is left of `reader`. Records are taken synchronously as they come, in runs, without a promise each.
 */
async function readWithCsvParse(
  rest: string,
  reader: AsyncIterator<Uint8Array | string>,
  decoder: TextDecoder,
  firstLine: number,
  take: (fields: readonly string[], line: number) => boolean,
  pause: () => Promise<void>,
): Promise<void> {
  const offset = firstLine - 1;
  const parser = parse({
    record_delimiter: ["\r\n", "\n", "\r"],
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_LINE_CHARS,
  });
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const rouse = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on("readable", rouse);
  parser.on("end", () => {
    ended = true;
    rouse();
  });
  parser.on("error", (error) => {
    failure ??= error;
    rouse();
  });
  const feeding = feed(rest, reader, decoder, parser, firstLine).catch((error: unknown) => {
    failure ??= error;
    rouse();
  });
  try {
    for (;;) {
      if (failure !== null) throw failure;
      let record: { record: string[]; info: { lines: number } } | null;
      let any = false;
      while (failure === null && (record = parser.read() as typeof record) !== null) {
        any = true;
        if (take(record.record, record.info.lines + offset)) await pause();
      }
      if (failure !== null) throw failure;
      if (any) continue;
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    await feeding;
    if (failure !== null) throw failure;
  } catch (error) {
    parser.destroy();
    await feeding;
    if (error instanceof CsvError) {
      const lines = (error as CsvError & { lines?: number }).lines;
      if (lines !== undefined) (error as CsvError & { lines?: number }).lines = lines + offset;
    }
    throw error;
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

/**
 * Writes `rest`, then what is left of `reader` (bytes through `decoder`, which may hold the start of
 * a character), into the parser with back-pressure; refuses binary data (a NUL byte).
 */
async function feed(
  rest: string,
  reader: AsyncIterator<Uint8Array | string>,
  decoder: TextDecoder,
  parser: ReturnType<typeof parse>,
  firstLine: number,
): Promise<void> {
  let lines = firstLine + countNewlines(rest);
  try {
    if (!parser.write(rest)) await drainedOrClosed(parser);
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      if (parser.destroyed) return;
      const chunk = next.value;
      const bytes =
        typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const nul = bytes.indexOf(0);
      if (nul >= 0) {
        for (let i = bytes.indexOf(10); i >= 0 && i < nul; i = bytes.indexOf(10, i + 1)) lines++;
        throw new NotTextError(lines);
      }
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
      const text = typeof chunk === "string" ? decoder.decode() + chunk : decoder.decode(bytes, { stream: true });
      if (!parser.write(text)) await drainedOrClosed(parser);
    }
    const last = decoder.decode();
    if (last) parser.write(last);
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
    if (error instanceof CsvError) throw csvFileError(error, (error as CsvError & { lines?: number }).lines ?? 1);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, message: "rounds:postcodes.emptyFile" }] };
  return readPostcodeRecords(
    body.map(({ record, info }) => ({ line: info.lines, fields: record })),
    findColumns(header.record),
    knownWardCodes,
  );
}

/**
 * Postcodes starting with `prefix` (normalised: upper case, one space), or every postcode of a ward
 * whose name starts with it (three letters or more), with their wards, for the admin search.
 */
export function searchPostcodes(prefix: string, limit = 50, database: Db = db()) {
  const cleaned = prefix.toUpperCase().replace(/\s+/g, " ").trim();
  const compact = cleaned.replace(/ /g, "");
  const wardCodes =
    cleaned.length >= 3
      ? (
          database.$client.prepare("select gss_code as code, upper(name) as name from wards").all() as {
            code: string;
            name: string;
          }[]
        )
          .filter((w) => w.name.startsWith(cleaned))
          .map((w) => w.code)
      : [];
  return database.$client
    .prepare(
      `select p.postcode as postcode, p.ward_gss_code as wardGssCode, w.name as wardName
         from postcodes p left join wards w on w.gss_code = p.ward_gss_code
        where p.postcode >= ? and p.postcode < ? or replace(p.postcode, ' ', '') = ?
           or p.ward_gss_code in (select value from json_each(?))
        order by p.postcode limit ?`,
    )
    .all(cleaned, `${cleaned}\uffff`, compact, JSON.stringify(wardCodes), limit) as {
    postcode: string;
    wardGssCode: string;
    wardName: string | null;
  }[];
}
