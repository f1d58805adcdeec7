/** Lists of rounds: for administrators (with their settings) and for the public. */
import { asc, desc, eq, sql } from "drizzle-orm";
import { db, type Db } from "~/db/client.server";
import { pbRounds, pbRoundWards, wards } from "~/db/schema";
import { findRound } from "~/models/rounds/queries.server";
import { roundInput } from "~/models/rounds/setup.server";

export function areaLabel(tx: Db, roundId: number): { wardNames: string[]; allWards: boolean } {
  const rows = tx
    .select({ name: wards.name })
    .from(pbRoundWards)
    .innerJoin(wards, eq(wards.id, pbRoundWards.wardId))
    .where(eq(pbRoundWards.roundId, roundId))
    .orderBy(asc(wards.name))
    .all();
  const all = tx
    .select({ n: sql<number>`count(*)` })
    .from(wards)
    .get()!.n;
  return { wardNames: rows.map((r) => r.name), allWards: rows.length === all };
}

export function listRounds(database: Db = db()) {
  return database
    .select()
    .from(pbRounds)
    .orderBy(desc(pbRounds.votingOpensAt), desc(pbRounds.id))
    .all()
    .map((r) => ({ ...r, ...areaLabel(database, r.id) }));
}

/** Rounds the public sees: every round that has opened. */
export function listPublicRounds(database: Db = db()) {
  return listRounds(database)
    .filter((r) => r.phase !== "draft")
    .map((r) => ({
      id: r.id,
      name: r.name,
      nameCy: r.nameCy,
      phase: r.phase,
      potPence: r.potPence,
      wardNames: r.wardNames,
      allWards: r.allWards,
      bidsOpenAt: r.bidsOpenAt,
      bidsCloseAt: r.bidsCloseAt,
      votingOpensAt: r.votingOpensAt,
      votingClosesAt: r.votingClosesAt,
      resultsAt: r.resultsAt,
    }));
}

/** A round with its area and the values its settings form shows, for administrators. */
export function roundForAdmin(roundId: number, database: Db = db()) {
  const round = findRound(roundId, database);
  if (!round) return null;
  const input = roundInput(database, round);
  return { round, input, ...areaLabel(database, roundId) };
}
