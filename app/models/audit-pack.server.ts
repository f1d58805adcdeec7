/**
 * The audit pack, exported from the live database into a directory (ledger reference §2 items
 * 18–20): ledger_log.jsonl, entries.csv, postings.csv, trial_balance.csv, checkpoints.csv,
 * VERIFY.md (copied from app/core/ledger/VERIFY.md) and manifest.json, in the format the pure
 * builders in app/core/ledger/audit-pack.ts define and `scripts/verify-audit-pack.mjs DIR` checks.
 *
 * How an export runs:
 * 1. One read transaction (better-sqlite3 `.deferred()`: under WAL a snapshot, so the log, its
 *    checkpoints and everything derived from them come from one instant while posting carries on).
 *    Log rows are read with `.iterate()` and written straight to the files; nothing holds the whole
 *    log. Each file's SHA-256 and size are computed from the bytes as they are written. Memory is
 *    bounded by the number of accounts (the trial balance) and checkpoints, never by entries.
 * 2. Every row is verified before it is written (`verifyChain`: seq, links, hashes, canonical
 *    payloads, the stored checkpoints). A ledger whose chain does not verify is not exported: the
 *    export fails with the first bad seq and removes what it wrote (run `npm run ledger:verify`).
 * 3. checkpoints.csv holds the snapshot's checkpoints **plus the checkpoint of this export**: the
 *    exported head (seq, hash), `created_at` = the pack's `generated_at`, reason
 *    "audit pack export: {reason}". The manifest's head is the same seq and hash. So the pack
 *    names its own head twice, and the standalone verifier accepts it as is.
 * 4. Only after every file is on disk, one write transaction records that checkpoint in
 *    ledger_checkpoints and an audit event (who exported, why, the head, the manifest's SHA-256).
 *    If it fails, the files are removed, so a pack on disk always has its checkpoint in the
 *    database. The checkpoint is inserted with the exported head rather than through
 *    `writeCheckpoint`, which records the head *current* at write time: entries posted after the
 *    snapshot must not move the checkpoint past the end of the pack, and a head is never
 *    checkpointed before its chain has been verified.
 *
 * The export is synchronous (better-sqlite3 transactions cannot await). It blocks the event loop
 * while it runs: milliseconds for a council-sized ledger, tens of seconds for millions of entries,
 * which is what the command line (`npm run ledger:export`) is for. A web route can call
 * `exportAuditPackToTempDir`, send the files (`result.files`, or `auditPackStreams(result.dir)`;
 * manifest last) as a tar or zip, then call `cleanup()`.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  AUDIT_PACK_FILES,
  buildManifest,
  checkpointsCsvLines,
  csvLine,
  entriesCsvLines,
  entryCsvRecord,
  foldPostings,
  formatRecordedAt,
  ledgerLogLine,
  parsePayloadV1,
  postingCsvRecords,
  postingsCsvLines,
  trialBalance,
  trialBalanceCsvLines,
  verifyChain,
  type AccountKey,
  type AccountTotals,
  type ChainHead,
  type Checkpoint,
  type CsvOptions,
  type LogRow,
  type ManifestFile,
} from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { ledgerCheckpoints } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { LEDGER_ID } from "~/models/ledger.server";

export interface AuditPackRequest {
  /** Who is exporting (recorded on the checkpoint and the audit event). */
  actor: Actor;
  /** Why, e.g. "Quarter 2 internal audit" (1–200 characters). */
  reason: string;
  /** The export instant (generated_at and the checkpoint's created_at); the caller may own the clock. */
  now?: Date;
  /** Start the CSV files with a UTF-8 byte order mark (Excel). Default false. */
  bom?: boolean;
}

export interface AuditPackFile {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
}

export interface AuditPackResult {
  dir: string;
  /** The exported head: the last seq and hash in the pack (seq 0 and 64 zeros for an empty ledger). */
  head: ChainHead;
  entryCount: number;
  /** The checkpoint written for this export (also the last row for its seq in checkpoints.csv). */
  checkpoint: Checkpoint;
  /** Every file of the pack, manifest.json last. */
  files: AuditPackFile[];
  manifestSha256: string;
  /** A name for an archive of the pack, e.g. "wardfund-audit-pack-2026-06-30-seq-1234". */
  packName: string;
}

/** An export that could not be made; `seq` is the first bad seq when the chain is at fault. */
export class AuditPackError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly seq: number | null = null,
  ) {
    super(message);
    this.name = "AuditPackError";
  }
}

const FLUSH_AT = 1 << 16;
const PACK_FILE_NAMES = Object.values(AUDIT_PACK_FILES);

/** A file written through a buffer, hashing exactly the bytes that reach the disk. */
class HashingFile {
  private readonly fd: number;
  private readonly hash = createHash("sha256");
  private parts: string[] = [];
  private pendingChars = 0;
  private closed = false;
  bytes = 0;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.fd = fs.openSync(path, "wx");
  }

  write(text: string): void {
    this.parts.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_AT) this.flush();
  }

  writeAll(lines: Iterable<string>): void {
    for (const line of lines) this.write(line);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(""), "utf8");
    this.parts = [];
    this.pendingChars = 0;
    this.hash.update(buffer);
    for (let offset = 0; offset < buffer.length;) offset += fs.writeSync(this.fd, buffer, offset);
    this.bytes += buffer.length;
  }

  close(): ManifestFile {
    this.flush();
    fs.closeSync(this.fd);
    this.closed = true;
    return { name: this.name, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  abandon(): void {
    if (!this.closed) fs.closeSync(this.fd);
    this.closed = true;
  }
}

function findProjectFile(relative: string): string {
  const roots = [process.env.WARDFUND_ROOT, process.cwd()].filter((r): r is string => Boolean(r));
  const candidates = roots.map((root) => path.resolve(root, relative));
  try {
    candidates.push(fileURLToPath(new URL(`../../${relative}`, import.meta.url)));
  } catch {
    // not running from the source tree
  }
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new AuditPackError(`${relative} not found (looked in ${candidates.join(", ")})`, "MISSING_FILE");
  return found;
}

function generatorName(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(findProjectFile("package.json"), "utf8")) as {
      name?: string;
      version?: string;
    };
    return `${pkg.name ?? "wardfund"} ${pkg.version ?? ""}`.trim();
  } catch {
    return "wardfund";
  }
}

function checkReason(reason: string): string {
  const text = (reason ?? "").normalize("NFC").trim();
  if (text === "" || text.length > 200 || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new AuditPackError("the export needs a reason of 1-200 characters on one line", "INVALID_REASON");
  }
  return text;
}

/** Creates `dir` if needed; refuses one that already holds any pack file (never overwrites). */
function prepareDirectory(dir: string): { created: boolean } {
  const existed = fs.existsSync(dir);
  if (existed && !fs.statSync(dir).isDirectory())
    throw new AuditPackError(`${dir} is not a directory`, "BAD_DIRECTORY");
  fs.mkdirSync(dir, { recursive: true });
  const clash = PACK_FILE_NAMES.find((name) => fs.existsSync(path.join(dir, name)));
  if (clash)
    throw new AuditPackError(
      `${path.join(dir, clash)} already exists; export into an empty directory`,
      "DIRECTORY_NOT_EMPTY",
    );
  return { created: !existed };
}

function* logRows(database: Db): Generator<LogRow> {
  const statement = database.$client.prepare(
    "select seq, prev_hash as prevHash, hash, payload from ledger_log order by seq",
  );
  yield* statement.iterate() as IterableIterator<LogRow>;
}

interface Snapshot {
  head: ChainHead;
  checkpoints: Checkpoint[];
  totals: Map<AccountKey, AccountTotals>;
}

/**
 * Streams the log of one snapshot into ledger_log.jsonl, entries.csv and postings.csv, each row
 * only after `verifyChain` has accepted it, and folds the postings into per-account totals.
 */
function streamSnapshot(database: Db, open: (name: string) => HashingFile, csv: CsvOptions): Snapshot {
  const client = database.$client;
  return client
    .transaction((): Snapshot => {
      const checkpoints = client
        .prepare("select seq, hash, created_at as createdAt, reason from ledger_checkpoints order by seq, id")
        .all() as Checkpoint[];
      const log = open(AUDIT_PACK_FILES.log);
      const entries = open(AUDIT_PACK_FILES.entries);
      const postings = open(AUDIT_PACK_FILES.postings);
      entries.writeAll(entriesCsvLines([], csv));
      postings.writeAll(postingsCsvLines([], csv));
      const totals = new Map<AccountKey, AccountTotals>();
      function* verifiedThenWritten(): Generator<LogRow> {
        for (const row of logRows(database)) {
          yield row; // verifyChain checks the row; if it fails, it stops here and nothing more is written
          const payload = parsePayloadV1(row.payload);
          log.write(ledgerLogLine(row));
          entries.write(csvLine(entryCsvRecord(row, payload)));
          for (const record of postingCsvRecords(row, payload)) postings.write(csvLine(record));
          foldPostings(payload.postings, totals);
        }
      }
      const chain = verifyChain(verifiedThenWritten(), { checkpoints });
      if (!chain.ok) {
        throw new AuditPackError(
          `the ledger does not verify at seq ${chain.seq} (${chain.code}: ${chain.reason}); nothing was exported`,
          chain.code,
          chain.seq,
        );
      }
      return { head: chain.head, checkpoints, totals };
    })
    .deferred();
}

/**
 * Writes an unpacked audit pack of the whole ledger into `dir` (created if missing; it must not
 * already hold pack files), then records the export's checkpoint and an audit event. Returns the
 * head, the checkpoint and the files (manifest last). Throws AuditPackError (files removed) when
 * the chain does not verify or the directory is unusable.
 */
export function exportAuditPack(dir: string, request: AuditPackRequest, database: Db = db()): AuditPackResult {
  const reason = checkReason(request.reason);
  const createdAt = formatRecordedAt(request.now ?? new Date());
  const csv: CsvOptions = { bom: request.bom ?? false };
  const target = path.resolve(dir);
  const { created } = prepareDirectory(target);
  const opened: HashingFile[] = [];
  const open = (name: string) => {
    const file = new HashingFile(name, path.join(target, name));
    opened.push(file);
    return file;
  };
  try {
    const snapshot = streamSnapshot(database, open, csv);
    const described: ManifestFile[] = opened.map((file) => file.close());

    const trial = open(AUDIT_PACK_FILES.trialBalance);
    trial.writeAll(trialBalanceCsvLines(trialBalance(snapshot.totals), csv));
    described.push(trial.close());

    const checkpoint: Checkpoint = {
      seq: snapshot.head.seq,
      hash: snapshot.head.hash,
      createdAt,
      reason: `audit pack export: ${reason}`,
    };
    const checkpoints = open(AUDIT_PACK_FILES.checkpoints);
    checkpoints.writeAll(checkpointsCsvLines([...snapshot.checkpoints, checkpoint], csv));
    described.push(checkpoints.close());

    const verify = open(AUDIT_PACK_FILES.verify);
    verify.write(fs.readFileSync(findProjectFile("app/core/ledger/VERIFY.md"), "utf8"));
    described.push(verify.close());

    const manifest = open(AUDIT_PACK_FILES.manifest);
    manifest.write(
      buildManifest({
        ledger: LEDGER_ID,
        head: snapshot.head,
        generator: generatorName(),
        generatedAt: createdAt,
        files: described,
      }),
    );
    const manifestFile = manifest.close();

    const files = [...described, manifestFile].map((f) => ({ ...f, path: path.join(target, f.name) }));
    writeTransaction((tx) => {
      if (snapshot.head.seq > 0) {
        const row = tx.$client.prepare("select hash from ledger_log where seq = ?").get(snapshot.head.seq) as
          { hash: string } | undefined;
        if (row?.hash !== snapshot.head.hash) {
          throw new AuditPackError(
            `seq ${snapshot.head.seq} changed while it was being exported`,
            "HEAD_CHANGED",
            snapshot.head.seq,
          );
        }
      }
      tx.insert(ledgerCheckpoints)
        .values({
          seq: checkpoint.seq,
          hash: checkpoint.hash,
          createdAt: checkpoint.createdAt,
          reason: checkpoint.reason,
          actorId: request.actor.id,
        })
        .run();
      recordAudit(tx, {
        actor: request.actor,
        action: "ledger.audit-pack-exported",
        entityType: "ledger",
        entityId: LEDGER_ID,
        reason,
        after: {
          head: snapshot.head,
          entryCount: snapshot.head.seq,
          manifestSha256: manifestFile.sha256,
          checkpointCreatedAt: createdAt,
        },
      });
    }, database);

    return {
      dir: target,
      head: snapshot.head,
      entryCount: snapshot.head.seq,
      checkpoint,
      files,
      manifestSha256: manifestFile.sha256,
      packName: `wardfund-audit-pack-${createdAt.slice(0, 10)}-seq-${snapshot.head.seq}`,
    };
  } catch (error) {
    for (const file of opened) {
      file.abandon();
      fs.rmSync(file.path, { force: true });
    }
    if (created) fs.rmSync(target, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Exports into a new temporary directory. Call `cleanup()` once the files have been sent.
 */
export function exportAuditPackToTempDir(
  request: AuditPackRequest,
  database: Db = db(),
): AuditPackResult & { cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-audit-pack-"));
  try {
    const result = exportAuditPack(dir, request, database);
    return { ...result, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The files of an unpacked pack as (name, path) pairs in manifest order, manifest.json last, for
 * an archive. Only names the manifest lists are returned, and only plain file names (no paths).
 */
export function auditPackFiles(dir: string): { name: string; path: string }[] {
  const manifestPath = path.join(dir, AUDIT_PACK_FILES.manifest);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { files?: { name?: unknown }[] };
  const names = (manifest.files ?? []).map((f) => f.name);
  const bad = names.find(
    (name) => typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name) || name === AUDIT_PACK_FILES.manifest,
  );
  if (bad !== undefined)
    throw new AuditPackError(`manifest lists a bad file name ${JSON.stringify(bad)}`, "BAD_MANIFEST");
  return [...(names as string[]), AUDIT_PACK_FILES.manifest].map((name) => ({ name, path: path.join(dir, name) }));
}

/**
 * The same files as streams, one at a time (each opened only when the previous one has been
 * taken), with their sizes for an archive header: `for (const f of auditPackStreams(dir)) …`.
 */
export function* auditPackStreams(dir: string): Generator<{ name: string; bytes: number; stream: fs.ReadStream }> {
  for (const file of auditPackFiles(dir)) {
    yield { name: file.name, bytes: fs.statSync(file.path).size, stream: fs.createReadStream(file.path) };
  }
}
