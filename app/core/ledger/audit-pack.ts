/**
 * Builders for the audit pack: the files an auditor verifies without the app.
 *
 *   ledger_log.jsonl   one JSON object per line: seq, prev_hash, hash, payload (the exact string)
 *   entries.csv        one row per entry, every payload field plus derived period and amount
 *   postings.csv       one row per posting
 *   trial_balance.csv  one row per account, recomputed from the payloads' postings
 *   checkpoints.csv    heads recorded at exports and period closes
 *   VERIFY.md          the verification procedure (app/core/ledger/VERIFY.md, copied as is)
 *   manifest.json      SHA-256 and size of each file above, the head, the generator
 *
 * Everything here is pure and string-producing. The line generators take any iterable of log
 * rows, so an exporter can stream rows from a read transaction and hash as it writes; the in-memory
 * `buildAuditPack` is for tests and small ledgers. Empty text fields and nulls are both written as
 * an empty cell. The format is described for auditors in VERIFY.md; a change here is a change
 * there and in scripts/verify-audit-pack.mjs.
 */
import { accountKindOf, normalSideOf } from "./accounts";
import { foldPostings, trialBalance, type TrialBalance } from "./balances";
import { CHAIN_HASH_RULE, GENESIS_HEAD, type ChainHead, type LogRow } from "./chain";
import { UTF8_BOM, csvLine } from "./csv";
import { guardText } from "../exports/format";
import { entryAmountPence } from "./entry";
import { periodOf } from "./financial-year";
import { sha256Hex } from "./hash";
import { PAYLOAD_VERSION, parsePayloadV1, type PayloadV1 } from "./payload";
import { formatPenceAsDecimal } from "../money/format";

export const AUDIT_PACK_FORMAT = "wardfund-audit-pack";
export const AUDIT_PACK_FORMAT_VERSION = 1;

export const AUDIT_PACK_FILES = {
  log: "ledger_log.jsonl",
  entries: "entries.csv",
  postings: "postings.csv",
  trialBalance: "trial_balance.csv",
  checkpoints: "checkpoints.csv",
  verify: "VERIFY.md",
  manifest: "manifest.json",
} as const;

export const ENTRIES_CSV_COLUMNS = [
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
  "reason",
  "external_ref",
  "memo",
  "idempotency_key_sha256",
  "posting_count",
  "amount_pence",
  "amount",
  "hash",
] as const;

export const POSTINGS_CSV_COLUMNS = [
  "seq",
  "entry_id",
  "line_no",
  "account",
  "account_kind",
  "dc",
  "pence",
  "amount",
] as const;

export const TRIAL_BALANCE_CSV_COLUMNS = [
  "account",
  "account_kind",
  "normal_side",
  "debits_pence",
  "credits_pence",
  "net_pence",
  "balance_pence",
  "balance",
] as const;

export const CHECKPOINTS_CSV_COLUMNS = ["seq", "hash", "created_at", "reason"] as const;

/** A head recorded outside the chain: at an export, a month end or a period close. */
export interface Checkpoint extends ChainHead {
  /** UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  createdAt: string;
  reason: string;
}

export interface CsvOptions {
  /** Start the file with a UTF-8 byte order mark (the "Excel-friendly" option). Default false. */
  bom?: boolean;
}

const text = (value: string | null) => guardText(value);
const plain = (value: string | null) => value ?? "";

function* csvLines(
  header: readonly string[],
  records: Iterable<readonly string[]>,
  options: CsvOptions,
): Generator<string> {
  yield (options.bom ? UTF8_BOM : "") + csvLine(header);
  for (const record of records) yield csvLine(record);
}

/** One ledger_log.jsonl line (with its "\n"): keys seq, prev_hash, hash, payload in that order. */
export function ledgerLogLine(row: LogRow): string {
  return `{"seq":${row.seq},"prev_hash":${JSON.stringify(row.prevHash)},"hash":${JSON.stringify(row.hash)},"payload":${JSON.stringify(row.payload)}}\n`;
}

export function* ledgerLogLines(rows: Iterable<LogRow>): Generator<string> {
  for (const row of rows) yield ledgerLogLine(row);
}

/** The entries.csv cells for one log row, in ENTRIES_CSV_COLUMNS order. */
export function entryCsvRecord(row: LogRow, payload: PayloadV1 = parsePayloadV1(row.payload)): string[] {
  const amountPence = entryAmountPence(payload.postings);
  return [
    String(payload.seq),
    payload.entry_id,
    payload.type,
    payload.fy,
    String(periodOf(payload.effective_date)),
    payload.effective_date,
    payload.recorded_at,
    payload.actor,
    plain(payload.approval),
    plain(payload.reverses),
    plain(payload.resolves),
    text(payload.reason),
    text(payload.external_ref),
    text(payload.memo),
    payload.idempotency_key_sha256,
    String(payload.postings.length),
    String(amountPence),
    formatPenceAsDecimal(amountPence),
    row.hash,
  ];
}

/** The postings.csv cells for one log row: one record per posting, in line order. */
export function postingCsvRecords(row: LogRow, payload: PayloadV1 = parsePayloadV1(row.payload)): string[][] {
  return payload.postings.map((posting, index) => [
    String(payload.seq),
    payload.entry_id,
    String(index + 1),
    posting.account,
    accountKindOf(posting.account),
    posting.dc,
    String(posting.pence),
    formatPenceAsDecimal(posting.pence),
  ]);
}

export function* entriesCsvLines(rows: Iterable<LogRow>, options: CsvOptions = {}): Generator<string> {
  yield* csvLines(
    ENTRIES_CSV_COLUMNS,
    (function* () {
      for (const row of rows) yield entryCsvRecord(row);
    })(),
    options,
  );
}

export function* postingsCsvLines(rows: Iterable<LogRow>, options: CsvOptions = {}): Generator<string> {
  yield* csvLines(
    POSTINGS_CSV_COLUMNS,
    (function* () {
      for (const row of rows) yield* postingCsvRecords(row);
    })(),
    options,
  );
}

/** The trial balance recomputed from the payloads' postings (never from cached totals). */
export function trialBalanceOfLog(rows: Iterable<LogRow>): TrialBalance {
  const totals = foldPostings([]);
  for (const row of rows) foldPostings(parsePayloadV1(row.payload).postings, totals);
  return trialBalance(totals);
}

export function* trialBalanceCsvLines(balance: TrialBalance, options: CsvOptions = {}): Generator<string> {
  yield* csvLines(
    TRIAL_BALANCE_CSV_COLUMNS,
    balance.rows.map((row) => [
      row.account,
      row.kind,
      normalSideOf(row.kind),
      String(row.debitsPence),
      String(row.creditsPence),
      String(row.netPence),
      String(row.balancePence),
      formatPenceAsDecimal(row.balancePence),
    ]),
    options,
  );
}

export function* checkpointsCsvLines(checkpoints: Iterable<Checkpoint>, options: CsvOptions = {}): Generator<string> {
  const records = [...checkpoints]
    .sort((a, b) => a.seq - b.seq)
    .map((c) => [String(c.seq), c.hash, c.createdAt, text(c.reason)]);
  yield* csvLines(CHECKPOINTS_CSV_COLUMNS, records, options);
}

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** Size and SHA-256 of a file's text, encoded as UTF-8. */
export function describeFile(name: string, content: string): ManifestFile {
  return { name, bytes: new TextEncoder().encode(content).length, sha256: sha256Hex(content) };
}

export interface ManifestInput {
  ledger: string;
  head: ChainHead;
  /** Application name and version, e.g. "wardfund 0.1.0". */
  generator: string;
  /** UTC instant the pack was made, `YYYY-MM-DDTHH:mm:ss.sssZ` (the caller owns the clock). */
  generatedAt: string;
  files: readonly ManifestFile[];
}

/** manifest.json text: fixed key order, two-space indent, trailing newline. */
export function buildManifest(input: ManifestInput): string {
  const manifest = {
    format: AUDIT_PACK_FORMAT,
    format_version: AUDIT_PACK_FORMAT_VERSION,
    generator: input.generator,
    generated_at: input.generatedAt,
    ledger: input.ledger,
    hash_rule: CHAIN_HASH_RULE,
    payload_version: PAYLOAD_VERSION,
    entry_count: input.head.seq,
    head: { seq: input.head.seq, hash: input.head.hash },
    files: input.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export interface AuditPackInput {
  ledger: string;
  /** The whole log, seq 1..N in order. */
  rows: readonly LogRow[];
  checkpoints: readonly Checkpoint[];
  generator: string;
  generatedAt: string;
  /** The text of app/core/ledger/VERIFY.md. */
  verifyMarkdown: string;
  csv?: CsvOptions;
}

export interface AuditPackFile {
  name: string;
  content: string;
}

/** Every file of the pack, manifest last, as strings. */
export function buildAuditPack(input: AuditPackInput): AuditPackFile[] {
  const csv = input.csv ?? {};
  const join = (lines: Iterable<string>) => [...lines].join("");
  const files: AuditPackFile[] = [
    { name: AUDIT_PACK_FILES.log, content: join(ledgerLogLines(input.rows)) },
    { name: AUDIT_PACK_FILES.entries, content: join(entriesCsvLines(input.rows, csv)) },
    { name: AUDIT_PACK_FILES.postings, content: join(postingsCsvLines(input.rows, csv)) },
    { name: AUDIT_PACK_FILES.trialBalance, content: join(trialBalanceCsvLines(trialBalanceOfLog(input.rows), csv)) },
    { name: AUDIT_PACK_FILES.checkpoints, content: join(checkpointsCsvLines(input.checkpoints, csv)) },
    { name: AUDIT_PACK_FILES.verify, content: input.verifyMarkdown },
  ];
  const last = input.rows[input.rows.length - 1];
  const head = last ? { seq: last.seq, hash: last.hash } : GENESIS_HEAD;
  const manifest = buildManifest({
    ledger: input.ledger,
    head,
    generator: input.generator,
    generatedAt: input.generatedAt,
    files: files.map((f) => describeFile(f.name, f.content)),
  });
  return [...files, { name: AUDIT_PACK_FILES.manifest, content: manifest }];
}
