/**
 * For the decision-day e2e spec: adds two PB rounds open for voting with no ballots yet, one
 * counted by IRV and one by STV filling two places (each with its pot set in the ledger, so a
 * count can earmark the winners, and its ballot key), and a second administrator; prints the rounds
 * as JSON with two officers' key shares each. Each round's register holds the references E2E-0001 to
 * E2E-0040 (as keyed hashes, as an upload stores them), for the officer's register check at the event.
 * Usage: npx tsx tests/support/e2e-event-rounds.ts tests/.tmp/e2e.db
 */
import { eq } from "drizzle-orm";
import { openDatabase } from "~/db/client.server";
import { normaliseRegisterReference } from "~/core/voting";
import { pbRegisterRows, pbRounds } from "~/db/schema";
import { registerReferenceHash } from "~/models/voting/register.server";
import { ballotKeyShares, createCountFixture, createSecondAdmin } from "../factories";

const file = process.argv[2];
if (!file) throw new Error("give the database file");
const database = openDatabase(file);
globalThis.__wardfundDb = database;
const open = async (rule: "irv" | "stv", seats: number) => {
  const fixture = createCountFixture(database, {
    ballots: 0,
    countingRule: rule,
    seats,
    costs: [150000, 120000, 90000, 60000],
    potPence: 600000,
    sealed: true,
  });
  // Voting stays open for another day: the kiosks vote now, and closing it takes a reason.
  database
    .update(pbRounds)
    .set({ votingClosesAt: new Date(Date.now() + 86_400_000).toISOString() })
    .where(eq(pbRounds.id, fixture.roundId))
    .run();
  for (let i = 1; i <= 40; i++)
    database
      .insert(pbRegisterRows)
      .values({
        roundId: fixture.roundId,
        referenceHash: registerReferenceHash(
          fixture.roundId,
          normaliseRegisterReference(`E2E-${String(i).padStart(4, "0")}`)!,
        ),
      })
      .run();
  const round = database.select({ name: pbRounds.name }).from(pbRounds).where(eq(pbRounds.id, fixture.roundId)).get()!;
  const shares = await ballotKeyShares({ roundId: fixture.roundId, ballotPrivateKey: fixture.ballotPrivateKey! });
  return { roundId: fixture.roundId, name: round.name, shares };
};
const irv = await open("irv", 1);
const stv = await open("stv", 2);
await createSecondAdmin(database);
process.stdout.write(`${JSON.stringify({ irv, stv })}\n`);
database.$client.close();
