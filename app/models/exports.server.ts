/**
 * The finance officer's publication exports: the Transparency Code spend file, the VCSE grants
 * register, and 360Giving as CSV and JSON. The columns and rules live in core/exports; this module
 * reads the plain rows and streams the files.
 *
 * Consistency: every export first writes a ledger checkpoint (and an audit event naming who
 * exported what), then reads only entries up to that checkpoint's `seq`. The ledger is append-only,
 * so the file always matches the published head hash, even if payments are posted while it streams.
 * All rows are read inside one read transaction.
 *
 * Memory: a file database is read through its own read-only connection, so a long download never
 * blocks the app's connection; rows are pulled from SQLite one at a time as the client reads, and
 * csv-stringify writes them out, so memory stays flat however big the file. (An in-memory database
 * cannot be opened twice, so there the rows are gathered in one transaction on the shared handle.)
 */
import { Readable, pipeline } from "node:stream";
import Database from "better-sqlite3";
import { stringify } from "csv-stringify";
import { z } from "zod";
import {
  defaultThreeSixtyGivingPrefix,
  DEFAULT_SPEND_THRESHOLD_PENCE,
  laterDateTime,
  SPEND_COLUMNS,
  SPEND_OWN_COLUMN_KEYS,
  spendRows,
  THREE_SIXTY_GIVING_COLUMNS,
  threeSixtyGivingPackageChunks,
  threeSixtyGivingRows,
  VCSE_COLUMNS,
  VCSE_OWN_COLUMN_KEYS,
  vcseRows,
  type AwardSourceRow,
  type Publisher,
  type SpendSourceRow,
} from "~/core/exports";
import { formatRecordedAt, isFinancialYear, londonDateOf, type FinancialYear } from "~/core/ledger";
import { tryParsePounds } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { DEFAULT_LANGUAGE, type Language } from "~/i18n";
import { recordAudit, type Actor } from "~/models/audit.server";
import { writeCheckpoint } from "~/models/ledger.server";
import { parseForm, type FormResult } from "~/utils/form";
import { Refusal } from "~/utils/refusal";
import { translatorFor } from "~/utils/translate";

export const EXPORT_KINDS = ["spend", "vcse-grants", "360giving-csv", "360giving-json"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

interface ExportFormat {
  /** The start of the file name, before the year and date. */
  name: string;
  extension: "csv" | "json";
  contentType: string;
}

export const EXPORT_FORMATS: Readonly<Record<ExportKind, ExportFormat>> = {
  spend: { name: "spend", extension: "csv", contentType: "text/csv; charset=utf-8" },
  "vcse-grants": { name: "vcse-grants", extension: "csv", contentType: "text/csv; charset=utf-8" },
  "360giving-csv": { name: "360giving-grants", extension: "csv", contentType: "text/csv; charset=utf-8" },
  "360giving-json": { name: "360giving-grants", extension: "json", contentType: "application/json" },
};

export interface ExportOptions {
  /** Start the CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8. Ignored for JSON. */
  bom: boolean;
  /** Spend file only: include payments over this many pence. Default 50,000 (£500). */
  thresholdPence: number;
  /** Only this financial year ("2026/27"): payments by entry year, awards by year of award. */
  fy: FinancialYear | null;
  /** Read ledger entries up to this seq (the export's checkpoint). Default: everything. */
  upToSeq?: number;
  /** The language of Wardfund's own CSV headings; the standards' column names stay as they are. */
  language?: Language;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
  bom: false,
  thresholdPence: DEFAULT_SPEND_THRESHOLD_PENCE,
  fy: null,
};

// ---------------------------------------------------------------------------------------------
// Options from the export forms

const TRUE_WORDS = ["on", "true", "1", "yes"];

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const baseOptions = {
  /** A checkbox: present and ticked means yes. */
  bom: z.preprocess(
    (value) => typeof value === "string" && TRUE_WORDS.includes(value.trim().toLowerCase()),
    z.boolean(),
  ),
  /** "2026/27" (or "2026-27"); blank for every year. */
  fy: z.preprocess(
    (value) => (typeof value === "string" ? blankToUndefined(value.trim().replace("-", "/")) : value),
    z
      .string()
      .refine((fy) => isFinancialYear(fy), "Choose a financial year such as 2026/27")
      .optional(),
  ),
};

/** £100 million: anything larger is a typo. */
const MAX_THRESHOLD_PENCE = 10_000_000_000;

const awardOptionsSchema = z
  .object(baseOptions)
  .transform((o): ExportOptions => ({ ...DEFAULT_EXPORT_OPTIONS, bom: o.bom, fy: o.fy ?? null }));

const spendOptionsSchema = z
  .object({
    ...baseOptions,
    /** The threshold in pounds as a person types it ("500", "250.00"). */
    threshold: z.preprocess(blankToUndefined, z.string().optional()),
    /** Or the threshold in whole pence. */
    thresholdPence: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ invalid_type_error: "Enter the threshold in whole pence" })
        .int("Enter the threshold in whole pence")
        .min(0, "Enter a threshold of £0 or more")
        .max(MAX_THRESHOLD_PENCE, "Enter a smaller threshold")
        .optional(),
    ),
  })
  .transform((o, ctx): ExportOptions => {
    let thresholdPence = o.thresholdPence ?? DEFAULT_SPEND_THRESHOLD_PENCE;
    if (o.threshold !== undefined) {
      const parsed = tryParsePounds(o.threshold);
      if (o.thresholdPence !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["threshold"],
          message: "Give the threshold once, in pounds or in pence",
        });
      } else if (!parsed.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["threshold"], message: parsed.error.userMessage });
      } else if (parsed.pence > MAX_THRESHOLD_PENCE) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["threshold"], message: "Enter a smaller threshold" });
      } else {
        thresholdPence = parsed.pence;
      }
    }
    return { bom: o.bom, fy: o.fy ?? null, thresholdPence };
  });

/**
 * Reads an export form: `bom` (checkbox), `fy` (optional "2026/27"), and for the spend file
 * `threshold` in pounds or `thresholdPence` (optional, default £500).
 */
export function parseExportForm(kind: ExportKind, formData: FormData): FormResult<ExportOptions> {
  return parseForm(kind === "spend" ? spendOptionsSchema : awardOptionsSchema, formData);
}

// ---------------------------------------------------------------------------------------------
// Reading the rows

type SqliteClient = Database.Database;

interface PublisherRow {
  name: string;
  orgIdentifier: string;
}

function readPublisher(client: SqliteClient): Publisher {
  const row = client
    .prepare("select name, org_identifier as orgIdentifier from council_settings where id = 1")
    .get() as PublisherRow | undefined;
  if (!row || row.name.trim() === "" || row.orgIdentifier.trim() === "") {
    throw Refusal.conflict(
      "Set the council's name and 360Giving organisation identifier in council settings before exporting.",
    );
  }
  return { name: row.name, orgIdentifier: row.orgIdentifier, prefix: defaultThreeSixtyGivingPrefix(row.orgIdentifier) };
}

interface RowScope {
  upToSeq: number;
  fy: FinancialYear | null;
}

/** Shared columns: the grant, its fund, its ward and the group it went to. */
const GRANT_COLUMNS = `
  g.id as grantId, g.title as grantTitle, g.summary as grantSummary,
  f.id as fundId, f.kind as fundKind, f.name as fundName, f.department as department,
  w.name as wardName, w.gss_code as wardGssCode,
  cg.id as groupId, cg.name as groupName, cg.organisation_type as organisationType,
  cg.charity_number as charityNumber, cg.company_number as companyNumber, cg.postcode as postcode`;

const GRANT_JOINS = `
  join funds f on f.id = g.fund_id
  join community_groups cg on cg.id = g.group_id
  left join wards w on w.id = g.ward_id`;

interface GrantColumns {
  grantId: string;
  grantTitle: string;
  grantSummary: string;
  fundId: string;
  fundKind: string;
  fundName: string;
  department: string;
  wardName: string | null;
  wardGssCode: string | null;
  groupId: number;
  groupName: string;
  organisationType: string;
  charityNumber: string | null;
  companyNumber: string | null;
  postcode: string | null;
}

function grantParts(row: GrantColumns): Pick<SpendSourceRow, "grant" | "fund" | "ward" | "recipient"> {
  return {
    grant: { id: row.grantId, title: row.grantTitle, summary: row.grantSummary },
    fund: { id: row.fundId, kind: row.fundKind, name: row.fundName, department: row.department },
    ward: row.wardName !== null && row.wardGssCode !== null ? { name: row.wardName, gssCode: row.wardGssCode } : null,
    recipient: {
      id: row.groupId,
      name: row.groupName,
      organisationType: row.organisationType,
      charityNumber: row.charityNumber,
      companyNumber: row.companyNumber,
      postcode: row.postcode,
    },
  };
}

/**
 * Confirmed payments (the PAID credit of each PAY_CONFIRM) and reversals of them (the PAID debit),
 * by payment date then seq. A reversal carries the reversed payment's finance-system reference.
 */
const SPEND_SQL = `
  select je.id as entryId, je.seq as seq, je.type as type, je.effective_date as paymentDate,
         coalesce(je.external_ref, orig.external_ref) as paymentRef,
         p.dc as dc, p.amount_pence as pence, ${GRANT_COLUMNS}
  from journal_entries je
  left join journal_entries orig on orig.id = je.reverses_id
  join journal_postings p on p.entry_id = je.id
  join ledger_accounts a on a.id = p.account_id and a.kind = 'PAID'
  join grants g on g.id = a.grant_id ${GRANT_JOINS}
  where je.seq <= @upToSeq
    and (je.type = 'PAY_CONFIRM' or (je.type = 'REVERSAL' and orig.type = 'PAY_CONFIRM'))
    and (@fy is null or je.fy = @fy)
  order by je.effective_date, je.seq`;

interface SpendSqlRow extends GrantColumns {
  entryId: string;
  seq: number;
  type: string;
  paymentDate: string;
  paymentRef: string | null;
  dc: "D" | "C";
  pence: number;
}

export function* spendSourceRows(client: SqliteClient, scope: RowScope): Generator<SpendSourceRow> {
  for (const row of client.prepare(SPEND_SQL).iterate(scope) as IterableIterator<SpendSqlRow>) {
    yield {
      entryId: row.entryId,
      seq: row.seq,
      reversal: row.type === "REVERSAL",
      paymentDate: row.paymentDate,
      paymentRef: row.paymentRef,
      pence: row.pence,
      ...grantParts(row),
    };
  }
}

/**
 * One row per grant with a COMMIT, by award date then grant id:
 * - awarded: COMMITTED credits of COMMIT entries less COMMITTED debits of DECOMMITs, each undone by
 *   its reversal (payment requests also move COMMITTED, so the account balance is not the award);
 * - disbursed: PAID credits of PAY_CONFIRMs less their reversals, less clawbacks received;
 * - the award date and year are the first COMMIT's;
 * - the latest recorded_at of any entry on the grant, for "Last modified".
 */
const AWARDS_SQL = `
  with lines as (
    select je.seq, je.type, je.effective_date as effectiveDate, je.fy, je.recorded_at as recordedAt,
           orig.type as origType, a.grant_id as grantId, a.kind, p.dc, p.amount_pence as pence
    from journal_entries je
    left join journal_entries orig on orig.id = je.reverses_id
    join journal_postings p on p.entry_id = je.id
    join ledger_accounts a on a.id = p.account_id
    where je.seq <= @upToSeq and a.grant_id is not null
  ),
  first_commit as (
    select grantId, effectiveDate as awardDate, fy as awardFy,
           row_number() over (partition by grantId order by seq) as n
    from lines where type = 'COMMIT' and kind = 'COMMITTED'
  ),
  totals as (
    select grantId,
      sum(case when kind = 'COMMITTED' and (type in ('COMMIT', 'DECOMMIT') or origType in ('COMMIT', 'DECOMMIT'))
               then (case dc when 'C' then pence else -pence end) else 0 end) as awardedPence,
      sum(case when kind = 'PAID' and (type = 'PAY_CONFIRM' or origType = 'PAY_CONFIRM')
                 then (case dc when 'C' then pence else -pence end)
               when kind = 'RECOVERABLE' and (type = 'CLAWBACK_RECEIVED' or origType = 'CLAWBACK_RECEIVED')
                 then (case dc when 'D' then -pence else pence end)
               else 0 end) as disbursedPence,
      max(recordedAt) as lastEntryAt
    from lines group by grantId
  )
  select fc.awardDate, t.awardedPence, t.disbursedPence, t.lastEntryAt,
         g.amount_requested_pence as appliedForPence, g.planned_start as plannedStart, g.planned_end as plannedEnd,
         g.updated_at as updatedAt, ${GRANT_COLUMNS}
  from first_commit fc
  join totals t on t.grantId = fc.grantId
  join grants g on g.id = fc.grantId ${GRANT_JOINS}
  where fc.n = 1 and (@fy is null or fc.awardFy = @fy)
  order by fc.awardDate, g.id`;

interface AwardSqlRow extends GrantColumns {
  awardDate: string;
  awardedPence: number;
  disbursedPence: number;
  lastEntryAt: string | null;
  appliedForPence: number | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  updatedAt: string;
}

export function* awardSourceRows(client: SqliteClient, scope: RowScope): Generator<AwardSourceRow> {
  for (const row of client.prepare(AWARDS_SQL).iterate(scope) as IterableIterator<AwardSqlRow>) {
    yield {
      awardDate: row.awardDate,
      awardedPence: row.awardedPence,
      appliedForPence: row.appliedForPence,
      disbursedPence: row.disbursedPence,
      plannedStart: row.plannedStart,
      plannedEnd: row.plannedEnd,
      lastModified: laterDateTime(row.updatedAt, row.lastEntryAt),
      ...grantParts(row),
    };
  }
}

/**
 * Runs `read` inside one read transaction and yields what it yields, lazily. A file database gets
 * its own read-only connection for the duration, closed when the rows run out, the reader stops
 * early, or anything fails.
 */
function* inReadTransaction<T>(database: Db, read: (client: SqliteClient) => Iterable<T>): Generator<T> {
  const shared = database.$client;
  if (shared.memory) {
    yield* shared.transaction(() => [...read(shared)])();
    return;
  }
  const reader = new Database(shared.name, { readonly: true, fileMustExist: true });
  try {
    reader.pragma("busy_timeout = 5000");
    reader.exec("begin");
    yield* read(reader);
    reader.exec("commit");
  } finally {
    if (reader.inTransaction) reader.exec("rollback");
    reader.close();
  }
}

function headSeq(client: SqliteClient): number {
  return (client.prepare("select coalesce(max(seq), 0) as seq from ledger_log").get() as { seq: number }).seq;
}

function scopeOf(client: SqliteClient, options: ExportOptions): RowScope {
  return { upToSeq: options.upToSeq ?? headSeq(client), fy: options.fy };
}

// ---------------------------------------------------------------------------------------------
// Streaming

const CSV_OPTIONS = { header: true, record_delimiter: "\r\n", quoted_match: /[\r\n]/ } as const;

/**
 * A CSV file's heading row: a standard's column names exactly as the standard defines them, and
 * Wardfund's own columns (those in `ownKeys`) in the reader's language.
 */
export function csvHeadings(
  columns: readonly string[],
  ownKeys: Readonly<Partial<Record<string, string>>>,
  language: Language = DEFAULT_LANGUAGE,
): string[] {
  const t = translatorFor(language);
  return columns.map((column) => {
    const key = ownKeys[column];
    return key ? t(key) : column;
  });
}

function csvStream(columns: readonly string[], records: Iterable<string[]>, bom: boolean): Readable {
  const source = Readable.from(records);
  const csv = stringify({ ...CSV_OPTIONS, columns: [...columns], bom });
  return pipeline(source, csv, () => {
    // Errors reach the consumer through `csv`; closing the source runs the reader's cleanup.
  });
}

/**
 * The export as a Node stream of bytes: CSV (RFC 4180, CRLF, one header row, optional BOM) or the
 * 360Giving JSON package. Rows are read lazily as the stream is consumed.
 */
export function streamExport(
  kind: ExportKind,
  options: Partial<ExportOptions> = {},
  database: Db = db(),
  now: Date = new Date(),
): Readable {
  const o: ExportOptions = { ...DEFAULT_EXPORT_OPTIONS, ...options };
  switch (kind) {
    case "spend":
      return csvStream(
        csvHeadings(SPEND_COLUMNS, SPEND_OWN_COLUMN_KEYS, o.language),
        inReadTransaction(database, function* (client) {
          const publisher = readPublisher(client);
          yield* spendRows(publisher, spendSourceRows(client, scopeOf(client, o)), {
            thresholdPence: o.thresholdPence,
          });
        }),
        o.bom,
      );
    case "vcse-grants":
      return csvStream(
        csvHeadings(VCSE_COLUMNS, VCSE_OWN_COLUMN_KEYS, o.language),
        inReadTransaction(database, function* (client) {
          const publisher = readPublisher(client);
          yield* vcseRows(publisher, awardSourceRows(client, scopeOf(client, o)));
        }),
        o.bom,
      );
    case "360giving-csv":
      return csvStream(
        THREE_SIXTY_GIVING_COLUMNS,
        inReadTransaction(database, function* (client) {
          const publisher = readPublisher(client);
          yield* threeSixtyGivingRows(publisher, awardSourceRows(client, scopeOf(client, o)));
        }),
        o.bom,
      );
    case "360giving-json":
      return Readable.from(
        inReadTransaction(database, function* (client) {
          const publisher = readPublisher(client);
          yield* threeSixtyGivingPackageChunks(publisher, awardSourceRows(client, scopeOf(client, o)), {
            modified: formatRecordedAt(now),
          });
        }),
        { objectMode: false },
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Recording and serving an export

export interface RecordedExport {
  kind: ExportKind;
  filename: string;
  contentType: string;
  checkpoint: { seq: number; hash: string; createdAt: string };
}

/** `spend-2026-27-2026-07-01.csv`, `360giving-grants-all-years-2026-07-01.json`. */
export function exportFilename(kind: ExportKind, options: Pick<ExportOptions, "fy">, today: string): string {
  const format = EXPORT_FORMATS[kind];
  const scope = options.fy ? options.fy.replace("/", "-") : "all-years";
  return `${format.name}-${scope}-${today}.${format.extension}`;
}

/**
 * Records an export in one write transaction: a checkpoint of the ledger head (so the file can be
 * checked against a published hash) and an audit event naming who exported what, with which
 * options. Refuses, writing nothing, when the council settings the files need are missing.
 */
export function recordExport(
  actor: Actor,
  kind: ExportKind,
  options: Partial<ExportOptions> = {},
  now: Date = new Date(),
  database: Db = db(),
): RecordedExport {
  const o: ExportOptions = { ...DEFAULT_EXPORT_OPTIONS, ...options };
  return writeTransaction((tx) => {
    readPublisher(tx.$client);
    const checkpoint = writeCheckpoint(tx, `export: ${kind}`, actor, now);
    const filename = exportFilename(kind, o, londonDateOf(now));
    recordAudit(tx, {
      actor,
      action: `export.${kind}`,
      entityType: "export",
      entityId: kind,
      after: {
        filename,
        fy: o.fy,
        bom: o.bom,
        ...(kind === "spend" ? { thresholdPence: o.thresholdPence } : {}),
        checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash },
      },
    });
    return { kind, filename, contentType: EXPORT_FORMATS[kind].contentType, checkpoint };
  }, database);
}

/**
 * Records the export, then opens the file up to the checkpoint just written. Throws a 409 Refusal
 * when the council settings an export needs are missing.
 */
export function openExport(
  actor: Actor,
  kind: ExportKind,
  options: ExportOptions,
  database: Db = db(),
): RecordedExport & { body: Readable } {
  const recorded = recordExport(actor, kind, options, new Date(), database);
  return { ...recorded, body: streamExport(kind, { ...options, upToSeq: recorded.checkpoint.seq }, database) };
}
