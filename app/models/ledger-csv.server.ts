/**
 * The ledger as one CSV download: one row per posting (journal line), in seq then line order, with
 * the entry's fields repeated on each of its lines (columns: LEDGER_CSV_COLUMNS). Read from the
 * payloads the hash chain covers, RFC 4180 with CRLF and an optional BOM, descriptive text guarded
 * against formula injection, streamed in ~64 KB chunks from one read transaction on a private
 * read-only connection.
 *
 * Columns, conventions, and why it streams this way: docs/decisions/003-ledger-csv-export.md.
 */
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import { z } from "zod";
import { guardText } from "~/core/exports";
import {
  CSV_LINE_END,
  ENTRY_TYPES,
  UTF8_BOM,
  csvField,
  isFinancialYear,
  isIsoDate,
  periodOf,
  type EntryType,
  type PayloadV1,
} from "~/core/ledger";
import { formatPenceAsDecimal } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { recordAudit, type Actor } from "~/models/audit.server";
import { writeCheckpoint } from "~/models/ledger.server";
import { Refusal } from "~/utils/refusal";

export const LEDGER_CSV_COLUMNS = [
  "seq",
  "entry_id",
  "type",
  "fy",
  "period",
  "effective_date",
  "recorded_at",
  "actor",
  "approval",
  "reverses",
  "resolves",
  "line_no",
  "account",
  "account_kind",
  "dc",
  "pence",
  "debit",
  "credit",
  "reason",
  "external_ref",
  "memo",
] as const;

/** Which entries to include. Every field is optional; an entry must match all that are given. */
export interface LedgerCsvFilters {
  /** Financial year label, e.g. "2026/27". */
  fy?: string;
  /** First and last effective date (inclusive), `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  types?: readonly EntryType[];
  /** Entries that post to any of this grant's accounts (all their lines are included). */
  grantId?: string;
  /** Entries that post to this budget's AVAILABLE account (all their lines are included). */
  budgetId?: string;
  /** First and last seq (inclusive). */
  fromSeq?: number;
  toSeq?: number;
}

export interface LedgerCsvOptions {
  /** Start with a UTF-8 byte order mark (the "Excel-friendly" option). Default false. */
  bom?: boolean;
  database?: Db;
}

const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 characters from A-Z a-z 0-9 . _ -");
const isoDate = z.string().refine(isIsoDate, "must be a YYYY-MM-DD date");
const seq = z.coerce.number().int().min(1);

const filtersSchema = z
  .object({
    fy: z.string().refine(isFinancialYear, "must be a financial year such as 2026/27").optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    types: z.array(z.enum(ENTRY_TYPES)).min(1).optional(),
    grantId: id.optional(),
    budgetId: id.optional(),
    fromSeq: seq.optional(),
    toSeq: seq.optional(),
  })
  .strict();

/** A 400 Refusal naming each bad filter, with the field it belongs to. */
export class LedgerCsvFilterError extends Refusal {
  constructor(readonly issues: readonly { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "), {
      status: 400,
      fieldErrors: Object.fromEntries(issues.map((i) => [i.field, i.message])),
      code: "bad-filters",
    });
  }
}

/** Checks filters (from code or a query string); throws LedgerCsvFilterError naming each bad field. */
export function checkLedgerCsvFilters(filters: unknown): LedgerCsvFilters {
  const parsed = filtersSchema.safeParse(filters ?? {});
  if (!parsed.success) {
    throw new LedgerCsvFilterError(
      parsed.error.issues.map((i) => ({ field: i.path.join(".") || "filters", message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * Filters from a download URL: `?fy=2026/27&from=2026-04-01&to=2026-06-30&type=COMMIT&type=PAY_CONFIRM
 * &grant=G-1&budget=B-1&fromSeq=1&toSeq=100`. Empty parameters are ignored.
 */
export function ledgerCsvFiltersFromSearchParams(params: URLSearchParams): LedgerCsvFilters {
  const one = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value : undefined;
  };
  const types = params
    .getAll("type")
    .map((t) => t.trim())
    .filter(Boolean);
  return checkLedgerCsvFilters({
    fy: one("fy"),
    from: one("from"),
    to: one("to"),
    types: types.length > 0 ? types : undefined,
    grantId: one("grant"),
    budgetId: one("budget"),
    fromSeq: one("fromSeq"),
    toSeq: one("toSeq"),
  });
}

/** A file name for the download, e.g. "wardfund-ledger-2026-27.csv". */
export function ledgerCsvFileName(filters: LedgerCsvFilters = {}): string {
  const parts = ["wardfund-ledger"];
  if (filters.fy) parts.push(filters.fy.replace("/", "-"));
  if (filters.grantId) parts.push(filters.grantId);
  if (filters.budgetId) parts.push(filters.budgetId);
  if (filters.from || filters.to) parts.push(`${filters.from ?? "start"}-to-${filters.to ?? "end"}`);
  return `${parts.join("-")}.csv`;
}

function query(filters: LedgerCsvFilters): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const entryWhere: string[] = [];
  const params: Record<string, string | number> = {};
  const add = (into: string[], condition: string, name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    into.push(condition);
    params[name] = value;
  };
  add(where, "l.seq >= @fromSeq", "fromSeq", filters.fromSeq);
  add(where, "l.seq <= @toSeq", "toSeq", filters.toSeq);
  // The other filters use the journal's indexed columns; a plain or seq-range export reads the log
  // alone, in rowid order.
  add(entryWhere, "e.fy = @fy", "fy", filters.fy);
  add(entryWhere, "e.effective_date >= @from", "from", filters.from);
  add(entryWhere, "e.effective_date <= @to", "to", filters.to);
  if (filters.types !== undefined) {
    entryWhere.push(`e.type in (${filters.types.map((_, i) => `@type${i}`).join(", ")})`);
    filters.types.forEach((type, i) => (params[`type${i}`] = type));
  }
  const touching = (column: string, name: string) =>
    `e.id in (select jp.entry_id from journal_postings jp join ledger_accounts la on la.id = jp.account_id where ` +
    `la.${column} = @${name})`;
  add(entryWhere, touching("grant_id", "grantId"), "grantId", filters.grantId);
  add(entryWhere, touching("budget_id", "budgetId"), "budgetId", filters.budgetId);
  if (entryWhere.length > 0)
    where.push(`l.entry_id in (select e.id from journal_entries e where ${entryWhere.join(" and ")})`);
  return {
    sql: `select l.payload from ledger_log l ${where.length > 0 ? `where ${where.join(" and ")}` : ""} order by l.seq`,
    params,
  };
}

/** The fields of payload v1 the CSV uses. */
type Payload = Omit<PayloadV1, "v" | "ledger" | "idempotency_key_sha256">;

/**
 * A value as text, the way csv-stringify casts it: text as it is, null and undefined as empty,
 * booleans as 1 or empty, objects as JSON. Only a payload edited behind the app's back holds
 * anything but text, numbers and null where the CSV reads it.
 */
function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "1" : "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const cell = (value: unknown) => csvField(cellText(value));

/** The CSV lines of one log row, one per posting with the entry's fields repeated, and their count. */
function lineMaker(): (payloadText: string) => { text: string; rows: number } {
  const periods = new Map<string, string>();
  const periodText = (date: string) => {
    let period = periods.get(date);
    if (period === undefined) periods.set(date, (period = String(periodOf(date))));
    return period;
  };
  const text = (value: string | null) => guardText(value);
  return (payloadText) => {
    const p = JSON.parse(payloadText) as Payload;
    const head =
      `${cell(p.seq)},${cell(p.entry_id)},${cell(p.type)},${cell(p.fy)},${cell(periodText(p.effective_date))},${cell(p.effective_date)},` +
      `${cell(p.recorded_at)},${cell(p.actor)},${cell(p.approval)},${cell(p.reverses)},${cell(p.resolves)},`;
    const tail = `,${cell(text(p.reason))},${cell(text(p.external_ref))},${cell(text(p.memo))}${CSV_LINE_END}`;
    let lines = "";
    for (let index = 0; index < p.postings.length; index++) {
      const posting = p.postings[index]!;
      const amount = cell(formatPenceAsDecimal(posting.pence));
      const kind = posting.account.slice(0, posting.account.indexOf(":"));
      lines +=
        `${head}${index + 1},${cell(posting.account)},${cell(kind)},${cell(posting.dc)},${cell(posting.pence)},` +
        `${posting.dc === "D" ? amount : ""},${posting.dc === "C" ? amount : ""}${tail}`;
    }
    return { text: lines, rows: p.postings.length };
  };
}

/**
 * The payloads of one snapshot. On a file database the read holds a private read-only connection
 * open until the generator finishes or is returned early; `finally` closes it.
 */
function* snapshotPayloads(database: Db, filters: LedgerCsvFilters): Generator<string> {
  const { sql, params } = query(filters);
  const shared = database.$client;
  let payloads: Iterable<string>;
  let reader: Database.Database | null = null;
  if (shared.memory) {
    payloads = shared.transaction(() => shared.prepare(sql).pluck().all(params) as string[]).deferred();
  } else {
    reader = new Database(shared.name, { readonly: true, fileMustExist: true });
    reader.pragma("busy_timeout = 5000");
    reader.exec("BEGIN");
    payloads = reader.prepare(sql).pluck().iterate(params) as IterableIterator<string>;
  }
  try {
    yield* payloads;
  } finally {
    reader?.close();
  }
}

const HEADER_LINE = LEDGER_CSV_COLUMNS.join(",") + CSV_LINE_END;
/** Characters of CSV per push: large enough that per-push costs vanish, small enough to stay flat. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A byte stream of the CSV. Each `read()` turns payloads into lines until a chunk of about
 * CHUNK_CHARS is ready and pushes it, going on only while the consumer wants more; backpressure is
 * the Readable's own (nothing is read until the consumer asks).
 */
function csvStream(filters: LedgerCsvFilters, options: LedgerCsvOptions, counter: { rows: number }): Readable {
  const checked = checkLedgerCsvFilters(filters);
  const database = options.database ?? db();
  const linesOf = lineMaker();
  let payloads: Generator<string> | null = null;
  return new Readable({
    read() {
      try {
        let chunk = "";
        if (payloads === null) {
          payloads = snapshotPayloads(database, checked);
          chunk = (options.bom ? UTF8_BOM : "") + HEADER_LINE;
        }
        for (;;) {
          const next = payloads.next();
          if (next.done) {
            if (chunk !== "") this.push(chunk);
            this.push(null);
            return;
          }
          const lines = linesOf(next.value);
          counter.rows += lines.rows;
          chunk += lines.text;
          if (chunk.length >= CHUNK_CHARS) {
            const more = this.push(chunk);
            chunk = "";
            if (!more) return;
          }
        }
      } catch (error) {
        this.destroy(error as Error);
      }
    },
    destroy(error, callback) {
      // Returning the generator runs its `finally`, which closes the private connection.
      payloads?.return(undefined as never);
      callback(error);
    },
  });
}

/**
 * The ledger CSV as a Node Readable of UTF-8 bytes. Filters are checked first (a bad filter
 * throws LedgerCsvFilterError before anything is read). Destroying the stream (for example when
 * the client disconnects) stops the read and closes its connection.
 */
export function streamLedgerCsv(filters: LedgerCsvFilters = {}, options: LedgerCsvOptions = {}): Readable {
  return csvStream(filters, options, { rows: 0 });
}

/** Writes the ledger CSV to `out` (which is ended), resolving with the number of posting rows. */
export async function writeLedgerCsv(
  out: Writable,
  filters: LedgerCsvFilters = {},
  options: LedgerCsvOptions = {},
): Promise<{ rows: number }> {
  const counter = { rows: 0 };
  await pipeline(csvStream(filters, options, counter), out);
  return { rows: counter.rows };
}

/**
 * A finance officer's download of the ledger CSV: checks the filters, writes a ledger checkpoint and
 * an audit event, then opens the file. Throws LedgerCsvFilterError for bad filters, before writing.
 */
export function openLedgerCsvExport(
  actor: Actor,
  filters: unknown,
  options: { bom?: boolean } = {},
  database: Db = db(),
): { filename: string; contentType: string; body: Readable } {
  const checked = checkLedgerCsvFilters(filters);
  writeTransaction((tx) => {
    const checkpoint = writeCheckpoint(tx, "export: ledger CSV", actor);
    recordAudit(tx, {
      actor,
      action: "export.ledger-csv",
      entityType: "export",
      entityId: "ledger-csv",
      after: { filters: checked, head: checkpoint },
    });
  }, database);
  return {
    filename: ledgerCsvFileName(checked),
    contentType: "text/csv; charset=utf-8",
    body: streamLedgerCsv(checked, { bom: options.bom, database }),
  };
}
