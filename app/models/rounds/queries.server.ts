/**
 * The reads every part of a PB round shares: the round itself, its area, the projects on its
 * ballot (by the one rule in core/rounds/ballot.ts) and the name of its pot budget.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { BidStatus } from "~/core/bids/status";
import { ballotInOrder } from "~/core/rounds";
import { db, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { bids, bidWards, pbProjects, pbRounds, pbRoundWards, wards } from "~/db/schema";
import { Refusal } from "~/utils/refusal";

export type RoundRow = typeof pbRounds.$inferSelect;

/** The ledger budget that holds a round's pot. */
export function potBudgetId(fundId: string): string {
  return `${fundId}-POT`;
}

function prepareRoundQueries(database: Db) {
  return {
    round: database
      .select()
      .from(pbRounds)
      .where(eq(pbRounds.id, sql.placeholder("roundId")))
      .prepare(),
    projects: database
      .select({
        bidId: pbProjects.bidId,
        reference: bids.reference,
        title: bids.title,
        titleCy: bids.titleCy,
        summary: bids.summary,
        summaryCy: bids.summaryCy,
        amountPence: bids.amountPence,
        groupId: bids.groupId,
        status: bids.status,
        eligibility: pbProjects.eligibility,
        mergedIntoBidId: pbProjects.mergedIntoBidId,
        ballotPosition: pbProjects.ballotPosition,
      })
      .from(pbProjects)
      .innerJoin(bids, eq(bids.id, pbProjects.bidId))
      .where(eq(pbProjects.roundId, sql.placeholder("roundId")))
      .prepare(),
    wardIds: database
      .select({ wardId: pbRoundWards.wardId })
      .from(pbRoundWards)
      .where(eq(pbRoundWards.roundId, sql.placeholder("roundId")))
      .orderBy(asc(pbRoundWards.wardId))
      .prepare(),
  };
}

/** The round queries, built and prepared once per connection (the vote page runs them on every request). */
const roundQueries = preparedPerConnection(prepareRoundQueries);

export function findRound(roundId: number, database: Db = db()): RoundRow | null {
  return roundQueries(database).round.get({ roundId }) ?? null;
}

/** The wards of the round's area, by id. */
export function roundWardIds(roundId: number, database: Db = db()): number[] {
  return roundQueries(database)
    .wardIds.all({ roundId })
    .map((r) => r.wardId);
}

export interface BallotProject {
  bidId: number;
  reference: string;
  title: string;
  titleCy: string | null;
  summary: string;
  summaryCy: string | null;
  amountPence: number | null;
  groupId: number;
  status: BidStatus;
  ballotPosition: number;
}

/** The projects on the round's ballot, in ballot order. */
export function projectsOnBallot(roundId: number, database: Db = db()): BallotProject[] {
  return ballotInOrder(roundQueries(database).projects.all({ roundId })).map(
    ({ eligibility: _e, mergedIntoBidId: _m, ...project }) => project,
  );
}

/** The wards of each bid, by name. */
export function wardsOfBids(database: Db, bidIds: number[]): Map<number, { id: number; name: string }[]> {
  const map = new Map<number, { id: number; name: string }[]>();
  if (bidIds.length === 0) return map;
  const rows = database
    .select({ bidId: bidWards.bidId, id: wards.id, name: wards.name })
    .from(bidWards)
    .innerJoin(wards, eq(wards.id, bidWards.wardId))
    .where(inArray(bidWards.bidId, bidIds))
    .orderBy(asc(wards.name))
    .all();
  for (const r of rows) map.set(r.bidId, [...(map.get(r.bidId) ?? []), { id: r.id, name: r.name }]);
  return map;
}

/** The round, or a refusal when there is none. */
export function requireRound(roundId: number, database: Db = db()): RoundRow {
  const round = findRound(roundId, database);
  if (!round) throw new Refusal("admin:refusal.noRound");
  return round;
}
