/**
 * Opens the ledger database named by DATABASE_URL for the ledger commands, or explains in one line
 * why it cannot (no file, or not migrated yet).
 */
import fs from "node:fs";
import { openDatabase, type Db } from "../app/db/client.server";

export function openLedgerDatabase(
  file = process.env.DATABASE_URL ?? "./data/wardfund.db",
): { database: Db; file: string } | { error: string } {
  if (file !== ":memory:" && !fs.existsSync(file))
    return { error: `No database at ${file} (set DATABASE_URL, or run npm run db:setup).` };
  const database = openDatabase(file);
  if (!database.$client.prepare("select 1 from sqlite_master where type = 'table' and name = 'ledger_log'").get()) {
    database.$client.close();
    return { error: `${file} has no ledger tables yet: run npm run db:migrate first.` };
  }
  return { database, file };
}
