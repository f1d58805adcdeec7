/**
 * Demo data: the finished PB round of the demo council, closed, counted and ratified, so its
 * results page and the ledger's EARMARK → COMMIT entries are there to see. Called with the id of a
 * round whose ballots are in (phase voting or counting); does nothing to a round already counted.
 */
import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { users } from "~/db/schema";
import { closeVoting, countRound, findCount, ratifyCount } from "~/models/counts.server";
import { findRound } from "~/models/rounds/queries.server";

function actorByEmail(database: Db, email: string) {
  const user = database.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email)).get();
  if (!user) throw new Error(`seedDemoCount needs the demo account ${email}`);
  return user;
}

function actorById(database: Db, id: string) {
  const user = database.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, id)).get();
  if (!user) throw new Error(`seedDemoCount: no user ${id}`);
  return user;
}

/**
 * Closes (if still voting), counts and ratifies round `roundId`. `countedBy` and `ratifiedBy` are
 * user ids of two different administrators (defaults: admin@ and admin2@eastbrook.example).
 */
export function seedDemoCount(
  database: Db,
  roundId: number,
  countedBy?: string,
  ratifiedBy?: string,
  now = new Date(),
): void {
  const round = findRound(roundId, database);
  if (!round) throw new Error(`seedDemoCount: no round ${roundId}`);
  if (findCount(roundId, database)) return;
  const counter = countedBy ? actorById(database, countedBy) : actorByEmail(database, "admin@eastbrook.example");
  const ratifier = ratifiedBy ? actorById(database, ratifiedBy) : actorByEmail(database, "admin2@eastbrook.example");
  if (round.phase === "voting") closeVoting(counter, roundId, "Voting closed for the demo", now, database);
  countRound(counter, roundId, now, database);
  ratifyCount(
    ratifier,
    roundId,
    { noInterestDeclared: true, note: "Ratified at the demo council's cabinet meeting" },
    now,
    database,
  );
}
