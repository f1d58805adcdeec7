/**
 * Reviewing a round's bids: eligible or not (with a published reason), merging duplicates, fixing
 * the ballot order, and the public delivery status of the winners.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { checkDuty } from "~/core/access/duties";
import { transition } from "~/core/bids/status";
import { isWinningStatus, manualBallotOrder, type DeliveryStatus } from "~/core/rounds";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { bids, bidWards, communityGroups, pbProjects, pbRounds, users } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import {
  ballotCandidates,
  randomBallotOrder,
  syncRoundProjects,
  writeBallotOrder,
} from "~/models/rounds/ballot-order.server";
import { findRound, requireRound, wardsOfBids, type RoundRow } from "~/models/rounds/queries.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

/** The round's bids with their review, for the review page (creates missing project rows first). */
export function listReviewProjects(roundId: number, database: Db = db()) {
  const round = findRound(roundId, database);
  if (!round) return null;
  writeTransaction((tx) => syncRoundProjects(tx, round), database);
  const rows = database
    .select({
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      titleCy: bids.titleCy,
      summary: bids.summary,
      summaryCy: bids.summaryCy,
      amountPence: bids.amountPence,
      status: bids.status,
      groupId: bids.groupId,
      groupName: communityGroups.name,
      eligibility: pbProjects.eligibility,
      eligibilityReason: pbProjects.eligibilityReason,
      reviewedAt: pbProjects.reviewedAt,
      reviewerName: users.name,
      mergedIntoBidId: pbProjects.mergedIntoBidId,
      ballotPosition: pbProjects.ballotPosition,
      deliveryStatus: pbProjects.deliveryStatus,
      deliveryNote: pbProjects.deliveryNote,
    })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .leftJoin(users, eq(users.id, pbProjects.reviewedBy))
    .where(eq(pbProjects.roundId, roundId))
    .orderBy(sql`${pbProjects.ballotPosition} is null`, asc(pbProjects.ballotPosition), asc(bids.id))
    .all();
  const wardMap = wardsOfBids(
    database,
    rows.map((r) => r.bidId),
  );
  return { round, projects: rows.map((r) => ({ ...r, wards: (wardMap.get(r.bidId) ?? []).map((w) => w.name) })) };
}

function projectOf(tx: Db, roundId: number, bidId: number) {
  const row = tx
    .select({ project: pbProjects, bid: bids })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .where(and(eq(pbProjects.roundId, roundId), eq(pbProjects.bidId, bidId)))
    .get();
  if (!row) throw new Refusal("admin:refusal.bidNotInRound");
  return row;
}

function assertMayReview(tx: Db, user: Principal, bid: typeof bids.$inferSelect) {
  const wardIds = tx
    .select({ wardId: bidWards.wardId })
    .from(bidWards)
    .where(eq(bidWards.bidId, bid.id))
    .all()
    .map((w) => w.wardId);
  const duty = checkDuty("review-bid", user, { groupId: bid.groupId, wardIds });
  if (!duty.allowed) throw new Refusal(duty.reason);
}

function assertReviewOpen(round: RoundRow) {
  if (round.phase !== "accepting-bids" && round.phase !== "reviewing") {
    throw new Refusal(round.phase === "draft" ? "admin:refusal.roundNotOpen" : "admin:refusal.reviewClosed");
  }
}

/** Marks a bid eligible or ineligible (a reason is required for ineligible; it is published). */
export function reviewProject(
  user: Principal,
  roundId: number,
  bidId: number,
  decision: "eligible" | "ineligible",
  reason: string,
  database: Db = db(),
  now: Date = new Date(),
): void {
  const text = reason.trim();
  if (decision === "ineligible" && text.length < 5)
    throw new Refusal("admin:refusal.ineligibleReason", { field: "reason" });
  writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    assertReviewOpen(round);
    syncRoundProjects(tx, round);
    const { project, bid } = projectOf(tx, roundId, bidId);
    assertMayReview(tx, user, bid);
    if (project.mergedIntoBidId !== null) throw new Refusal("admin:refusal.reviewMerged");
    let status = bid.status;
    if (bid.status !== decision) {
      const move = transition("pb-round", bid.status, decision === "eligible" ? "mark-eligible" : "mark-ineligible");
      if (!move.ok) throw new Refusal(move.reason);
      status = move.to;
    }
    const at = now.toISOString();
    tx.update(bids).set({ status, updatedAt: at }).where(eq(bids.id, bidId)).run();
    tx.update(pbProjects)
      .set({
        eligibility: decision,
        eligibilityReason: text || null,
        reviewedBy: user.id,
        reviewedAt: at,
        ...(decision === "ineligible" ? { ballotPosition: null } : {}),
      })
      .where(eq(pbProjects.bidId, bidId))
      .run();
    recordAudit(tx, {
      actor: user,
      action: decision === "eligible" ? "round.bid-eligible" : "round.bid-ineligible",
      entityType: "bid",
      entityId: bidId,
      reason: text || null,
      before: { eligibility: project.eligibility, status: bid.status },
      after: { eligibility: decision, status, roundId },
    });
  }, database);
}

/** Merges a duplicate bid into another of the round: the merged one leaves the ballot; the reason is published. */
export function mergeProject(
  user: Principal,
  roundId: number,
  bidId: number,
  intoBidId: number,
  reason: string,
  database: Db = db(),
  now: Date = new Date(),
): void {
  const text = reason.trim();
  if (text.length < 5) throw new Refusal("admin:refusal.mergeReason", { field: "reason" });
  if (bidId === intoBidId) throw new Refusal("admin:refusal.mergeSelf", { field: "intoBidId" });
  writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    assertReviewOpen(round);
    syncRoundProjects(tx, round);
    const merged = projectOf(tx, roundId, bidId);
    const into = projectOf(tx, roundId, intoBidId);
    assertMayReview(tx, user, merged.bid);
    assertMayReview(tx, user, into.bid);
    if (merged.project.mergedIntoBidId !== null) throw new Refusal("admin:refusal.alreadyMerged");
    if (into.project.mergedIntoBidId !== null) throw new Refusal("admin:refusal.intoMerged", { field: "intoBidId" });
    if (into.project.eligibility === "ineligible")
      throw new Refusal("admin:refusal.intoEligible", { field: "intoBidId" });
    tx.update(pbProjects)
      .set({
        mergedIntoBidId: intoBidId,
        eligibilityReason: text,
        reviewedBy: user.id,
        reviewedAt: now.toISOString(),
        ballotPosition: null,
      })
      .where(eq(pbProjects.bidId, bidId))
      .run();
    // Bids merged into this one follow it.
    tx.update(pbProjects).set({ mergedIntoBidId: intoBidId }).where(eq(pbProjects.mergedIntoBidId, bidId)).run();
    recordAudit(tx, {
      actor: user,
      action: "round.bid-merged",
      entityType: "bid",
      entityId: bidId,
      reason: text,
      after: { mergedIntoBidId: intoBidId, roundId },
    });
  }, database);
}

/** `seed` is for reproducing a known order (the demo); left out, a fresh random seed is made. */
export type BallotOrderRequest =
  { method: "random"; seed?: string } | { method: "manual"; positions: Map<number, string> };

/**
 * Fixes the ballot order of the eligible projects: at random from a seed made here with crypto
 * and recorded (round and audit trail), or by hand. Returns field errors for bad positions.
 */
export function fixBallotOrder(
  user: Principal,
  roundId: number,
  request: BallotOrderRequest,
  database: Db = db(),
): { ok: true; order: number[] } | { ok: false; errors: Record<number, string> } {
  return writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    assertReviewOpen(round);
    syncRoundProjects(tx, round);
    if (request.method === "random") {
      randomBallotOrder(tx, round, user, "Ballot order drawn at random", request.seed);
      return {
        ok: true as const,
        order: ballotCandidates(tx, roundId)
          .sort((a, b) => a.ballotPosition! - b.ballotPosition!)
          .map((c) => c.bidId),
      };
    }
    const candidates = new Set(ballotCandidates(tx, roundId).map((c) => c.bidId));
    const positions = new Map([...request.positions].filter(([bidId]) => candidates.has(bidId)));
    for (const bidId of candidates) if (!positions.has(bidId)) positions.set(bidId, "");
    const result = manualBallotOrder(positions);
    if (!result.ok) return result;
    writeBallotOrder(tx, roundId, result.order);
    tx.update(pbRounds).set({ ballotOrderSeed: null }).where(eq(pbRounds.id, roundId)).run();
    recordAudit(tx, {
      actor: user,
      action: "round.ballot-order-fixed",
      entityType: "pb_round",
      entityId: roundId,
      after: { method: "manual", order: result.order },
    });
    return result;
  }, database);
}

/** Sets the public delivery status of a winning project, with a note (published). */
export function setDeliveryStatus(
  user: Actor,
  roundId: number,
  bidId: number,
  status: DeliveryStatus,
  note: string,
  database: Db = db(),
  now: Date = new Date(),
): void {
  writeTransaction((tx) => {
    const { project, bid } = projectOf(tx, roundId, bidId);
    if (!isWinningStatus(bid.status)) throw new Refusal("admin:refusal.deliveryWinners");
    tx.update(pbProjects)
      .set({ deliveryStatus: status, deliveryNote: note.trim() || null, deliveryUpdatedAt: now.toISOString() })
      .where(eq(pbProjects.bidId, bidId))
      .run();
    recordAudit(tx, {
      actor: user,
      action: "round.delivery-status-set",
      entityType: "bid",
      entityId: bidId,
      reason: note.trim() || null,
      before: { deliveryStatus: project.deliveryStatus },
      after: { deliveryStatus: status, roundId },
    });
  }, database);
}
