/** Applies the migrations in drizzle/ to DATABASE_URL (default ./data/wardfund.db). */
import { migrateDatabase, openDatabase } from "../app/db/client.server";
import { withSetupLock } from "./setup-lock";

const file = process.env.DATABASE_URL ?? "./data/wardfund.db";
try {
  await withSetupLock(file, () => {
    const database = openDatabase(file);
    try {
      migrateDatabase(database);
    } finally {
      database.$client.close();
    }
  });
  console.log(`Migrated ${file}`);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
