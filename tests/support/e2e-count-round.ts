/**
 * For the results e2e spec: adds a PB round whose voting has closed (with a few hundred ballots,
 * the online and code ones sealed to the round's ballot key) and a second administrator to the
 * e2e database, and prints the round as JSON with two officers' key shares and a receipt.
 * Usage: npx tsx tests/support/e2e-count-round.ts tests/.tmp/e2e.db
 */
import { eq } from "drizzle-orm";
import { openDatabase } from "~/db/client.server";
import { pbRounds } from "~/db/schema";
import { ballotKeyShares, createCountFixture, createSecondAdmin } from "../factories";

const file = process.argv[2];
if (!file) throw new Error("give the database file");
const database = openDatabase(file);
globalThis.__wardfundDb = database;
const fixture = createCountFixture(database, { ballots: 240, seed: 9, sealed: true });
const shares = await ballotKeyShares({ roundId: fixture.roundId, ballotPrivateKey: fixture.ballotPrivateKey! });
await createSecondAdmin(database);
const round = database.select({ name: pbRounds.name }).from(pbRounds).where(eq(pbRounds.id, fixture.roundId)).get()!;
process.stdout.write(
  `${JSON.stringify({ roundId: fixture.roundId, name: round.name, shares, receipt: fixture.receipts[0] })}\n`,
);
database.$client.close();
