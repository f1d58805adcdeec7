/**
 * An online, consistent backup: `npm run db:backup -- FILE`.
 *
 * Copies DATABASE_URL to FILE with SQLite's backup API (better-sqlite3 `db.backup()`), safe while
 * the server is running; opens the copy and checks its ledger with the ledger verifier; then copies
 * the attachments directory (ATTACHMENTS_DIR, default data/attachments) to FILE.attachments/.
 *
 * Exit status: 0 when the copy was written and its ledger verifies, 1 when the copy's ledger does
 * not verify (the copy is kept for inspection, named FILE.unverified), 2 for bad arguments or a
 * missing database, 3 when the copy could not be written (a full or failing disk).
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../app/db/client.server";
import { verifyLedger } from "../app/models/ledger-verify.server";
import { attachmentsDir } from "../app/models/bids.server";
import { openLedgerDatabase } from "./ledger-database";

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target || target.startsWith("-")) {
    process.stderr.write("usage: npm run db:backup -- FILE\n");
    return 2;
  }
  if (fs.existsSync(target)) {
    process.stderr.write(`${target} already exists; back up to a new file.\n`);
    return 2;
  }
  const opened = openLedgerDatabase();
  if ("error" in opened) {
    process.stderr.write(`${opened.error}\n`);
    return 2;
  }
  const partial = `${target}.partial`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    await opened.database.$client.backup(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    process.stderr.write(`Backup failed: could not write ${target}: ${(error as Error).message}\n`);
    return 3;
  } finally {
    opened.database.$client.close();
  }

  const copy = openDatabase(partial);
  const verdict = verifyLedger(copy);
  copy.$client.pragma("journal_mode = DELETE");
  copy.$client.close();
  if (!verdict.ok) {
    fs.renameSync(partial, `${target}.unverified`);
    process.stderr.write(
      `The copy's ledger does not verify: ${verdict.problems.map((p) => JSON.stringify(p)).join("; ")}\n`,
    );
    return 1;
  }
  fs.renameSync(partial, target);

  const attachments = attachmentsDir();
  let copied = "no attachments directory";
  if (fs.existsSync(attachments)) {
    try {
      fs.cpSync(attachments, `${target}.attachments`, { recursive: true, errorOnExist: true, force: false });
      copied = `attachments copied to ${target}.attachments`;
    } catch (error) {
      process.stderr.write(`Backup failed: could not copy the attachments: ${(error as Error).message}\n`);
      return 3;
    }
  }
  process.stdout.write(
    `Backup written to ${target}; ${copied}.\nLedger verifies: ${verdict.count} entries, head ` +
      `${verdict.head.seq}:${verdict.head.hash}\n`,
  );
  return 0;
}

process.exitCode = await main();
