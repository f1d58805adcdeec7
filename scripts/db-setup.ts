/**
 * Migrates DATABASE_URL and, when it holds no council yet, seeds the demo council and prints the
 * demo sign-ins. Safe to run on every start.
 */
import { migrateDatabase, openDatabase } from "../app/db/client.server";
import { DEMO_PASSWORD, isSeeded, seedDemoCouncil } from "./seed/council";

const file = process.env.DATABASE_URL ?? "./data/wardfund.db";
const database = openDatabase(file);
globalThis.__wardfundDb = database;
migrateDatabase(database);
if (isSeeded(database)) {
  console.log(`Database ${file} is up to date.`);
} else {
  let votingCodes: { codes: string[]; roundId: number } | null = null;
  const signIns = await seedDemoCouncil(database, { onVotingCodes: (codes, roundId) => (votingCodes = { codes, roundId }) });
  console.log(`Seeded the demo council into ${file}.`);
  console.log(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD}):`);
  for (const s of signIns) console.log(`  ${s.role.padEnd(48)} ${s.email.padEnd(34)} home ${s.home}`);
  const demoCodes = votingCodes as { codes: string[]; roundId: number } | null;
  if (demoCodes) {
    console.log(`\nOne-time voting codes for the round in voting (enter one at /rounds/${demoCodes.roundId}/code):`);
    for (const code of demoCodes.codes) console.log(`  ${code}`);
  }
  console.log("");
}
database.$client.close();
