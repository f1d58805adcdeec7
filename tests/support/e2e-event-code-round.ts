/**
 * For the decision-day PIN and code e2e spec: adds a PB round open for voting whose voters are
 * checked by one-time codes (with its ballot key), and a batch of codes for it; prints the round
 * and the plain codes as JSON.
 * Usage: npx tsx tests/support/e2e-event-code-round.ts tests/.tmp/e2e.db
 */
import { eq } from "drizzle-orm";
import { openDatabase } from "~/db/client.server";
import { pbRounds, users } from "~/db/schema";
import { generateCodeBatch } from "~/models/voting/codes.server";
import { createVotingRound } from "../factories";

const file = process.argv[2];
if (!file) throw new Error("give the database file");
const database = openDatabase(file);
globalThis.__wardfundDb = database;
const round = createVotingRound(database, { name: "Eastbrook Decides: the code round", projects: 4, maxRanked: 3 });
database.update(pbRounds).set({ voterRule: "codes" }).where(eq(pbRounds.id, round.roundId)).run();
const admin = database.select().from(users).where(eq(users.email, "admin@eastbrook.example")).get()!;
const { codes } = generateCodeBatch({ id: admin.id, name: admin.name }, round.roundId, "Hall", 5, database);
process.stdout.write(`${JSON.stringify({ roundId: round.roundId, titles: round.titles, codes })}\n`);
database.$client.close();
