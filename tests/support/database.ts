/**
 * A real SQLite file per test file: created in a temporary folder, migrated from drizzle/, optionally
 * seeded with the demo council, and installed as the app's database handle for this worker.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase, type Db } from "~/db/client.server";
import { seedDemoCouncil } from "../../scripts/seed/council";

export interface TestDatabase {
  db: Db;
  file: string;
  close(): void;
}

/** `seed: true` seeds the whole demo council; `"people"` seeds it without its ledger history. */
export async function createTestDatabase(options: { seed?: boolean | "people" } = {}): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-test-"));
  const file = path.join(dir, "test.db");
  process.env.DATABASE_URL = file;
  // Files the demo writes (its progress-update photos) go beside the database unless a test chose a folder.
  process.env.ATTACHMENTS_DIR ??= path.join(dir, "attachments");
  const db = openDatabase(file);
  migrateDatabase(db);
  globalThis.__wardfundDb = db;
  if (options.seed) await seedDemoCouncil(db, { withLedger: options.seed === true });
  return {
    db,
    file,
    close() {
      db.$client.close();
      globalThis.__wardfundDb = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
