/**
 * Exports an audit pack of the live ledger: `npm run ledger:export -- --out DIR [options]`
 *
 *   --out DIR        where to write the pack (created if missing; must not already hold a pack)
 *   --reason TEXT    why it was exported, recorded on the checkpoint and in the audit trail
 *                    (default "command-line export")
 *   --by NAME        who is exporting, for the audit trail (default: the login name)
 *   --bom            start the CSV files with a UTF-8 byte order mark (Excel)
 *
 * The database is DATABASE_URL (default ./data/wardfund.db; it must exist). The pack holds
 * ledger_log.jsonl, entries.csv, postings.csv, trial_balance.csv, checkpoints.csv, VERIFY.md and
 * manifest.json; the export records a checkpoint of the exported head and an audit event. Send the
 * printed head to someone outside the app (the S151 officer, internal audit): it is what lets an
 * auditor detect a truncated or rewritten ledger later, with
 * `node scripts/verify-audit-pack.mjs --expect-head SEQ:HASH DIR`.
 *
 * Exit status: 0 on success, 1 when the ledger does not verify (nothing is written), 2 for bad
 * arguments, a missing database or an unusable directory, 3 when the pack or the checkpoint could
 * not be written because a disk is full or failing (nothing is kept; free space and run it again).
 */
import { openLedgerDatabase } from "./ledger-database";
import os from "node:os";
import { AuditPackError, exportAuditPack } from "../app/models/audit-pack.server";
import { isStorageFailure, StorageUnavailable } from "../app/utils/storage.server";

const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EFBIG: "a file grew too large for the device",
  EIO: "the device reported an input/output error",
  EROFS: "the device is read-only",
};

const USAGE = "usage: npm run ledger:export -- --out DIR [--reason TEXT] [--by NAME] [--bom]";

interface Options {
  out: string;
  reason: string;
  by: string;
  bom: boolean;
}

function loginName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

function parseArguments(argv: string[]): Options | { help: true } {
  const options: Partial<Options> = { reason: "command-line export", by: loginName(), bom: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "-h" || flag === "--help") return { help: true };
    else if (flag === "--out") options.out = value();
    else if (flag === "--reason") options.reason = value();
    else if (flag === "--by") options.by = value();
    else if (flag === "--bom") options.bom = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!options.out) throw new Error("--out DIR is required: the directory to write the audit pack into");
  return options as Options;
}

function main(): number {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ("help" in options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const opened = openLedgerDatabase();
  if ("error" in opened) {
    process.stderr.write(`${opened.error}\n`);
    return 2;
  }
  const { database } = opened;
  try {
    const result = exportAuditPack(
      options.out,
      { actor: { id: "command-line", name: options.by }, reason: options.reason, bom: options.bom },
      database,
    );
    const lines = [`Audit pack written to ${result.dir}`, ""];
    for (const f of result.files)
      lines.push(`  ${f.name.padEnd(18)} ${String(f.bytes).padStart(12)} bytes  sha256 ${f.sha256}`);
    lines.push(
      "",
      `Entries:   ${result.entryCount}`,
      `Head:      ${result.head.seq}:${result.head.hash}`,
      `Checkpoint recorded at ${result.checkpoint.createdAt} (${result.checkpoint.reason}).`,
      "",
      "Send the head above to someone outside the app. To verify the pack against it:",
      `  node scripts/verify-audit-pack.mjs --expect-head ${result.head.seq}:${result.head.hash} ${result.dir}`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AuditPackError) {
      process.stderr.write(`Export refused: ${error.message}\n`);
      return error.seq === null ? 2 : 1;
    }
    const code = (error as { code?: unknown }).code;
    if (
      error instanceof StorageUnavailable ||
      isStorageFailure(error) ||
      (typeof code === "string" && code in WRITE_FAILURES)
    ) {
      const why =
        typeof code === "string" && code in WRITE_FAILURES
          ? `${WRITE_FAILURES[code]} (${code})`
          : "the database could not record the checkpoint (its disk is full or failing)";
      process.stderr.write(
        `Export failed: could not write the audit pack to ${options.out}: ${why}.\nNothing was kept and no ` +
          `checkpoint was recorded. Free some space and run the export again.\n`,
      );
      return 3;
    }
    throw error;
  } finally {
    database.$client.close();
  }
}

process.exitCode = main();
