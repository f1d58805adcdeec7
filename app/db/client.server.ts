/**
 * The database: one better-sqlite3 handle per process, wrapped by Drizzle.
 *
 * Pragmas are set explicitly on open (WAL, synchronous=FULL so a committed payment survives power
 * loss, foreign keys, a 5 s busy timeout). Writes that read then write go through `writeTransaction`,
 * which runs BEGIN IMMEDIATE with a synchronous callback: nothing may be awaited inside it.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { isStorageFailure, StorageUnavailable } from "../utils/storage.server";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDatabase(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return drizzle(sqlite, { schema }) as Db;
}

/** The folder of generated migrations: `drizzle/` at the project root. */
export function migrationsFolder(): string {
  const candidates = [
    path.resolve(process.cwd(), "drizzle"),
    path.resolve(process.env.WARDFUND_ROOT ?? ".", "drizzle"),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "meta", "_journal.json")));
  if (!found) throw new Error(`No migrations found (looked in ${candidates.join(", ")})`);
  return found;
}

export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

declare global {
  // Survives module reloads in development so one process keeps one handle.
  var __wardfundDb: Db | undefined;
}

export function db(): Db {
  if (!globalThis.__wardfundDb) {
    const file = process.env.DATABASE_URL ?? "./data/wardfund.db";
    globalThis.__wardfundDb = openDatabase(file);
  }
  return globalThis.__wardfundDb;
}

/**
 * Runs `work` inside BEGIN IMMEDIATE … COMMIT. The callback must be synchronous: better-sqlite3
 * throws if it returns a promise, which is what we want.
 */
export function writeTransaction<T>(work: (tx: Db) => T, database: Db = db()): T {
  const run = database.$client.transaction(() => work(database));
  try {
    return run.immediate();
  } catch (error) {
    // A full or failing disk answers 503 "not recorded" rather than a generic error (utils/storage.server.ts).
    throw isStorageFailure(error) ? new StorageUnavailable(error) : error;
  }
}
