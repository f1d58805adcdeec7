/**
 * Moves PB rounds on when a phase date has passed: `npx tsx scripts/round-phases.ts` (run it from
 * cron every few minutes; the pages also do it when they load). Prints each move.
 */
import { openLedgerDatabase } from "./ledger-database";
import { advanceRoundPhases } from "../app/models/rounds/phases.server";

const opened = openLedgerDatabase();
if ("error" in opened) {
  console.error(opened.error);
  process.exit(2);
}
globalThis.__wardfundDb = opened.database;
const moves = advanceRoundPhases(new Date(), opened.database);
for (const move of moves) console.log(`round ${move.roundId}: ${move.from} -> ${move.to}`);
if (moves.length === 0) console.log("No round is due to move.");
opened.database.$client.close();
