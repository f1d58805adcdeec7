/**
 * One database set-up at a time: `db:migrate`, `db:setup` and `council:init` hold an exclusive
 * SQLite lock on a small file beside the database while they migrate (and seed), so a second one
 * started at the same moment waits for the first and then finds the work done, rather than failing
 * half way through the same migration. The operating system releases the lock if a holder dies.
 */
import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";

const WAIT_MS = 5 * 60_000;

export async function withSetupLock<T>(databaseFile: string, work: () => Promise<T> | T): Promise<T> {
  if (databaseFile === ":memory:") return work();
  const lockFile = `${path.resolve(databaseFile)}.setup-lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const lock = new Database(lockFile, { timeout: WAIT_MS });
  try {
    lock.exec("BEGIN EXCLUSIVE");
    try {
      return await work();
    } finally {
      lock.exec("COMMIT");
    }
  } finally {
    lock.close();
  }
}
