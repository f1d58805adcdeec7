/**
 * The projects of a round and the order of its ballot: the pb_projects row of each bid, the
 * candidates for the ballot (by the rule in core/rounds/ballot.ts), and fixing their order.
 */
import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { BidStatus } from "~/core/bids/status";
import { ballotOrderFromSeed, isBallotCandidate } from "~/core/rounds";
import { db, type Db } from "~/db/client.server";
import { bids, pbProjects, pbRounds } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import type { RoundRow } from "~/models/rounds/queries.server";

const REVIEWABLE_STATUSES: BidStatus[] = [
  "submitted",
  "eligible",
  "ineligible",
  "on-ballot",
  "won",
  "not-won",
  "offer-accepted",
  "paid",
  "monitoring-due",
  "closed",
];

/** Creates the pb_projects row of every submitted bid to the round's fund that has none yet. */
export function syncRoundProjects(tx: Db, round: RoundRow): void {
  const missing = tx
    .select({ id: bids.id })
    .from(bids)
    .leftJoin(pbProjects, eq(pbProjects.bidId, bids.id))
    .where(and(eq(bids.fundId, round.fundId), inArray(bids.status, REVIEWABLE_STATUSES), isNull(pbProjects.bidId)))
    .all();
  for (const bid of missing) tx.insert(pbProjects).values({ bidId: bid.id, roundId: round.id }).run();
}

/** Projects that go on the ballot when voting opens, with the positions fixed so far. */
export function ballotCandidates(
  tx: Db,
  roundId: number,
): { bidId: number; ballotPosition: number | null; status: BidStatus }[] {
  return tx
    .select({
      bidId: pbProjects.bidId,
      ballotPosition: pbProjects.ballotPosition,
      status: bids.status,
      eligibility: pbProjects.eligibility,
      mergedIntoBidId: pbProjects.mergedIntoBidId,
    })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .where(eq(pbProjects.roundId, roundId))
    .all()
    .filter(isBallotCandidate)
    .map(({ bidId, ballotPosition, status }) => ({ bidId, ballotPosition, status }));
}

/** Whether the fixed ballot positions are exactly 1..n over the projects that will be on the ballot. */
export function ballotOrderIsFixed(candidates: { ballotPosition: number | null }[]): boolean {
  const positions = candidates
    .map((c) => c.ballotPosition)
    .filter((p): p is number => p !== null)
    .sort((a, b) => a - b);
  return positions.length === candidates.length && positions.every((p, i) => p === i + 1);
}

export function writeBallotOrder(tx: Db, roundId: number, order: readonly number[]) {
  tx.update(pbProjects).set({ ballotPosition: null }).where(eq(pbProjects.roundId, roundId)).run();
  order.forEach((bidId, i) =>
    tx
      .update(pbProjects)
      .set({ ballotPosition: i + 1 })
      .where(eq(pbProjects.bidId, bidId))
      .run(),
  );
}

/** Draws the ballot order from `seed` (a fresh random one when left out) and records it. */
export function randomBallotOrder(
  tx: Db,
  round: RoundRow,
  actor: Actor | null,
  reason: string,
  seed: string = randomBytes(16).toString("hex"),
) {
  const order = ballotOrderFromSeed(
    ballotCandidates(tx, round.id).map((c) => c.bidId),
    seed,
  );
  writeBallotOrder(tx, round.id, order);
  tx.update(pbRounds).set({ ballotOrderSeed: seed }).where(eq(pbRounds.id, round.id)).run();
  recordAudit(tx, {
    actor,
    action: "round.ballot-order-fixed",
    entityType: "pb_round",
    entityId: round.id,
    reason,
    after: { method: "random", seed, order },
  });
}

/** How many projects a round's ballot holds (its candidates, before voting opens). */
export function ballotSize(roundId: number, database: Db = db()): number {
  return ballotCandidates(database, roundId).length;
}
