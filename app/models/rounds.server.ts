/**
 * Participatory budgeting rounds: setting a round up (its fund and single pot budget), moving it
 * through its phases (by hand or when a date passes), reviewing its bids, fixing the ballot order,
 * the public gallery, and the delivery status of the winners. The pure rules are in core/rounds.
 */
import { attachmentsDir } from "~/models/bids.server";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, asc, desc, eq, inArray, isNull, like, sql } from "drizzle-orm";
import { checkDuty } from "~/core/access/duties";
import { transition, type BidStatus } from "~/core/bids/status";
import { budgetSet, financialYearOf, financialYearStart, londonDateOf } from "~/core/ledger";
import {
  ballotOrderFromSeed,
  checkPhaseMove,
  inCostBand,
  isWinningStatus,
  manualBallotOrder,
  nextPhase,
  phaseDueByDate,
  phaseIndex,
  PHASE_LABELS,
  potIsLocked,
  roundDateErrors,
  rulesAreLocked,
  type DeliveryStatus,
} from "~/core/rounds";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  attachments,
  bids,
  bidWards,
  budgets,
  communityGroups,
  funds,
  pbBallots,
  pbCounts,
  pbParticipation,
  pbProjects,
  pbRounds,
  pbRoundWards,
  users,
  wards,
  type RoundPhase,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { LedgerRefusal, postEntry } from "~/models/ledger.server";
import type { Principal } from "~/utils/auth.server";

export type CountingRule = "greedy" | "mes";
export type TieBreakRule = "project-id" | "lowest-cost" | "ballot-order";

export interface RoundInput {
  name: string;
  description: string;
  /** The wards of the area; empty means every ward of the council. */
  wardIds: number[];
  potPence: number;
  minBidPence: number;
  maxBidPence: number;
  bidsOpenAt: string;
  bidsCloseAt: string;
  votingOpensAt: string;
  votingClosesAt: string;
  resultsAt: string | null;
  maxRanked: number;
  minVoterAge: number;
  countingRule: CountingRule;
  tieBreak: TieBreakRule;
}

/** A request the round's rules refuse, with the form field it concerns. */
export class RoundRefusal extends Error {
  constructor(
    message: string,
    readonly field = "form",
  ) {
    super(message);
  }
}

export type RoundRow = typeof pbRounds.$inferSelect;

const nowIso = (now: Date = new Date()) => now.toISOString();

export function getRound(roundId: number, database: Db = db()): RoundRow | undefined {
  return database.select().from(pbRounds).where(eq(pbRounds.id, roundId)).get();
}

function requireRound(tx: Db, roundId: number): RoundRow {
  const round = getRound(roundId, tx);
  if (!round) throw new RoundRefusal("There is no such round.");
  return round;
}

export function potBudgetId(fundId: string): string {
  return `${fundId}-POT`;
}

function inputErrors(input: RoundInput): Record<string, string> {
  const errors: Record<string, string> = { ...roundDateErrors(input) };
  if (input.maxBidPence < input.minBidPence) errors.maxBid = "The largest bid must be at least the smallest bid";
  else if (input.maxBidPence > input.potPence) errors.maxBid = "The largest bid cannot be more than the pot";
  return errors;
}

function firstError(errors: Record<string, string>): RoundRefusal | null {
  const [field, message] = Object.entries(errors)[0] ?? [];
  return field && message ? new RoundRefusal(message, field) : null;
}

function fundIdFor(tx: Db, fy: string): string {
  const base = `PB-${fy.replace("/", "-")}`;
  const taken = new Set(tx.select({ id: funds.id }).from(funds).where(like(funds.id, `${base}-%`)).all().map((f) => f.id));
  let n = taken.size + 1;
  while (taken.has(`${base}-${String(n).padStart(2, "0")}`)) n += 1;
  return `${base}-${String(n).padStart(2, "0")}`;
}

function areaWardIds(tx: Db, wardIds: readonly number[]): number[] {
  const all = tx.select({ id: wards.id }).from(wards).orderBy(asc(wards.id)).all().map((w) => w.id);
  if (wardIds.length === 0) return all;
  const unknown = wardIds.filter((id) => !all.includes(id));
  if (unknown.length > 0) throw new RoundRefusal("Choose wards of this council.", "wardIds");
  return [...new Set(wardIds)].sort((a, b) => a - b);
}

/** Creates the round in draft with its fund (kind pb-round) and its single pot budget; returns the round id. */
export function createRound(user: Actor, input: RoundInput, database: Db = db()): number {
  const refusal = firstError(inputErrors(input));
  if (refusal) throw refusal;
  return writeTransaction((tx) => {
    const fy = financialYearOf(londonDateOf(new Date(input.votingClosesAt)));
    const fundId = fundIdFor(tx, fy);
    const area = areaWardIds(tx, input.wardIds);
    tx.insert(funds)
      .values({
        id: fundId,
        kind: "pb-round",
        name: input.name,
        fy,
        potPence: input.potPence,
        minGrantPence: input.minBidPence,
        maxGrantPence: input.maxBidPence,
        criteria: input.description,
        opensOn: londonDateOf(new Date(input.bidsOpenAt)),
        closesOn: londonDateOf(new Date(input.bidsCloseAt)),
        createdBy: user.id,
      })
      .run();
    tx.insert(budgets).values({ id: potBudgetId(fundId), fundId, wardId: null, name: `${input.name}: pot` }).run();
    const round = tx
      .insert(pbRounds)
      .values({
        fundId,
        name: input.name,
        description: input.description,
        potPence: input.potPence,
        minBidPence: input.minBidPence,
        maxBidPence: input.maxBidPence,
        phase: "draft",
        bidsOpenAt: input.bidsOpenAt,
        bidsCloseAt: input.bidsCloseAt,
        votingOpensAt: input.votingOpensAt,
        votingClosesAt: input.votingClosesAt,
        resultsAt: input.resultsAt,
        maxRanked: input.maxRanked,
        minVoterAge: input.minVoterAge,
        countingRule: input.countingRule,
        tieBreak: input.tieBreak,
        createdBy: user.id,
      })
      .returning({ id: pbRounds.id })
      .get();
    for (const wardId of area) tx.insert(pbRoundWards).values({ roundId: round.id, wardId }).run();
    recordAudit(tx, { actor: user, action: "round.created", entityType: "pb_round", entityId: round.id, after: { ...input, wardIds: area, fundId } });
    return round.id;
  }, database);
}

/**
 * Changes a round's settings. The pot is fixed once the round opens (it is in the ledger); the
 * rules voters vote under are fixed once voting opens. Both are refused here, not only on the page.
 */
export function updateRound(user: Actor, roundId: number, input: RoundInput, database: Db = db()): void {
  writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    const before = roundInput(tx, round);
    const locked = rulesAreLocked(round.phase);
    const changed = (Object.keys(input) as (keyof RoundInput)[]).filter((k) => JSON.stringify(input[k]) !== JSON.stringify(before[k]));
    const lockedFields: (keyof RoundInput)[] = ["potPence", "minBidPence", "maxBidPence", "wardIds", "maxRanked", "minVoterAge", "countingRule", "tieBreak", "votingOpensAt", "votingClosesAt", "bidsOpenAt", "bidsCloseAt"];
    if (locked) {
      const blocked = changed.filter((k) => lockedFields.includes(k));
      if (blocked.length > 0) {
        throw new RoundRefusal(`The rules of this round were fixed when voting opened (${round.rulesLockedAt?.slice(0, 10) ?? "already"}), so they cannot be changed now. Only the name, description and results date can still be edited.`);
      }
    }
    if (potIsLocked(round.phase) && input.potPence !== round.potPence) {
      throw new RoundRefusal("The pot was put into the ledger when the round opened, so it cannot be changed here.", "pot");
    }
    const refusal = firstError(inputErrors(input));
    if (refusal) throw refusal;
    if (changed.length === 0) return;
    const area = areaWardIds(tx, input.wardIds);
    tx.update(pbRounds)
      .set({
        name: input.name,
        description: input.description,
        potPence: input.potPence,
        minBidPence: input.minBidPence,
        maxBidPence: input.maxBidPence,
        bidsOpenAt: input.bidsOpenAt,
        bidsCloseAt: input.bidsCloseAt,
        votingOpensAt: input.votingOpensAt,
        votingClosesAt: input.votingClosesAt,
        resultsAt: input.resultsAt,
        maxRanked: input.maxRanked,
        minVoterAge: input.minVoterAge,
        countingRule: input.countingRule,
        tieBreak: input.tieBreak,
      })
      .where(eq(pbRounds.id, roundId))
      .run();
    tx.update(funds)
      .set({ name: input.name, potPence: input.potPence, minGrantPence: input.minBidPence, maxGrantPence: input.maxBidPence, criteria: input.description })
      .where(eq(funds.id, round.fundId))
      .run();
    if (changed.includes("wardIds")) {
      tx.delete(pbRoundWards).where(eq(pbRoundWards.roundId, roundId)).run();
      for (const wardId of area) tx.insert(pbRoundWards).values({ roundId, wardId }).run();
    }
    const pick = (v: RoundInput) => Object.fromEntries(changed.map((k) => [k, v[k]]));
    recordAudit(tx, { actor: user, action: "round.updated", entityType: "pb_round", entityId: roundId, before: pick(before), after: pick(input) });
  }, database);
}

function roundWardIds(tx: Db, roundId: number): number[] {
  return tx.select({ wardId: pbRoundWards.wardId }).from(pbRoundWards).where(eq(pbRoundWards.roundId, roundId)).orderBy(asc(pbRoundWards.wardId)).all().map((r) => r.wardId);
}

function roundInput(tx: Db, round: RoundRow): RoundInput {
  const area = roundWardIds(tx, round.id);
  const all = tx.select({ n: sql<number>`count(*)` }).from(wards).get()!.n;
  return {
    name: round.name,
    description: round.description,
    wardIds: area.length === all ? [] : area,
    potPence: round.potPence,
    minBidPence: round.minBidPence,
    maxBidPence: round.maxBidPence,
    bidsOpenAt: round.bidsOpenAt,
    bidsCloseAt: round.bidsCloseAt,
    votingOpensAt: round.votingOpensAt,
    votingClosesAt: round.votingClosesAt,
    resultsAt: round.resultsAt,
    maxRanked: round.maxRanked,
    minVoterAge: round.minVoterAge,
    countingRule: round.countingRule,
    tieBreak: round.tieBreak,
  };
}

// ---------------------------------------------------------------------------------------------
// Phases

function ledgerActorFor(tx: Db, round: RoundRow, actor: Actor | null): Actor {
  if (actor) return actor;
  const creator = tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, round.createdBy)).get();
  return creator ?? { id: round.createdBy, name: "Round set-up" };
}

/** Opening: the pot goes into the ledger (BUDGET_SET: Dr FUNDING, Cr AVAILABLE of the pot budget). */
function postPot(tx: Db, round: RoundRow, actor: Actor | null, now: Date) {
  const fund = tx.select().from(funds).where(eq(funds.id, round.fundId)).get()!;
  const today = londonDateOf(now);
  const start = financialYearStart(fund.fy);
  postEntry(
    {
      draft: budgetSet({
        scheme: fund.id,
        fy: fund.fy,
        allocations: [{ budgetId: potBudgetId(fund.id), pence: round.potPence }],
        memo: `${round.name}: participatory budgeting pot`,
      }),
      idempotencyKey: `pb-round-${round.id}-budget-set`,
      actor: ledgerActorFor(tx, round, actor),
      effectiveDate: today < start ? start : today,
      now,
    },
    tx,
  );
}

/** Projects that go on the ballot: eligible, not merged, and still eligible as bids. */
function ballotCandidates(tx: Db, roundId: number) {
  return tx
    .select({ bidId: pbProjects.bidId, ballotPosition: pbProjects.ballotPosition, status: bids.status })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .where(and(eq(pbProjects.roundId, roundId), eq(pbProjects.eligibility, "eligible"), isNull(pbProjects.mergedIntoBidId), inArray(bids.status, ["eligible", "on-ballot"])))
    .all();
}

/** Whether the fixed ballot positions are exactly 1..n over the projects that will be on the ballot. */
function ballotOrderIsFixed(candidates: { ballotPosition: number | null }[]): boolean {
  const positions = candidates.map((c) => c.ballotPosition).filter((p): p is number => p !== null).sort((a, b) => a - b);
  return positions.length === candidates.length && positions.every((p, i) => p === i + 1);
}

function writeBallotOrder(tx: Db, roundId: number, order: readonly number[]) {
  tx.update(pbProjects).set({ ballotPosition: null }).where(eq(pbProjects.roundId, roundId)).run();
  order.forEach((bidId, i) => tx.update(pbProjects).set({ ballotPosition: i + 1 }).where(eq(pbProjects.bidId, bidId)).run());
}

function randomBallotOrder(tx: Db, round: RoundRow, actor: Actor | null, reason: string, seed: string = randomBytes(16).toString("hex")) {
  const order = ballotOrderFromSeed(ballotCandidates(tx, round.id).map((c) => c.bidId), seed);
  writeBallotOrder(tx, round.id, order);
  tx.update(pbRounds).set({ ballotOrderSeed: seed }).where(eq(pbRounds.id, round.id)).run();
  recordAudit(tx, { actor, action: "round.ballot-order-fixed", entityType: "pb_round", entityId: round.id, reason, after: { method: "random", seed, order } });
}

function openVoting(tx: Db, round: RoundRow, actor: Actor | null, now: Date) {
  syncRoundProjects(tx, round);
  const pending = tx
    .select({ n: sql<number>`count(*)` })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .where(and(eq(pbProjects.roundId, round.id), eq(pbProjects.eligibility, "pending"), isNull(pbProjects.mergedIntoBidId), sql`${bids.status} <> 'withdrawn'`))
    .get()!.n;
  if (pending > 0) throw new RoundRefusal(`${pending} ${pending === 1 ? "bid still needs" : "bids still need"} to be reviewed before voting can open.`);
  const candidates = ballotCandidates(tx, round.id);
  if (candidates.length < 2) throw new RoundRefusal("Voting needs at least two eligible projects on the ballot.");
  if (!ballotOrderIsFixed(candidates)) randomBallotOrder(tx, round, actor, "Ballot order fixed as voting opened");
  for (const candidate of candidates) {
    if (candidate.status === "on-ballot") continue;
    const move = transition("pb-round", candidate.status, "put-on-ballot");
    if (!move.ok) throw new RoundRefusal(move.reason);
    tx.update(bids).set({ status: move.to, updatedAt: nowIso(now) }).where(eq(bids.id, candidate.bidId)).run();
  }
  tx.update(pbRounds).set({ rulesLockedAt: nowIso(now) }).where(eq(pbRounds.id, round.id)).run();
}

/**
 * Moves a round to `phase`, which must be the very next one, with what the move entails: opening
 * posts the pot to the ledger; opening voting needs every bid reviewed and two eligible projects,
 * fixes the ballot order (when not fixed yet), puts the projects on the ballot and locks the
 * rules. Recorded in the audit trail. Call inside a write transaction; `actor` null means the
 * move happened because its date passed. Throws RoundRefusal when the move is not allowed.
 */
export function setRoundPhase(tx: Db, roundId: number, phase: RoundPhase, actor: Actor | null, reason: string, now: Date = new Date()): void {
  const round = requireRound(tx, roundId);
  const move = checkPhaseMove(round.phase, phase);
  if (!move.ok) throw new RoundRefusal(move.reason);
  if (phase === "accepting-bids") postPot(tx, round, actor, now);
  if (phase === "voting") openVoting(tx, round, actor, now);
  tx.update(pbRounds).set({ phase }).where(eq(pbRounds.id, roundId)).run();
  recordAudit(tx, { actor, action: "round.phase-changed", entityType: "pb_round", entityId: roundId, reason, before: { phase: round.phase }, after: { phase } });
}

/** An administrator's "move to the next phase", with a reason. Returns the new phase. */
export function moveRoundToNextPhase(user: Actor, roundId: number, reason: string, database: Db = db(), now: Date = new Date()): RoundPhase {
  if (reason.trim().length < 3) throw new RoundRefusal("Give a reason for moving the round on.", "reason");
  return writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    const next = nextPhase(round.phase);
    if (!next) throw new RoundRefusal("The round is closed; it has no further phase.");
    if (phaseIndex(next) > phaseIndex("counting")) throw new RoundRefusal("Results are published from the count page.");
    setRoundPhase(tx, roundId, next, user, reason.trim(), now);
    return next;
  }, database);
}

export interface PhaseMoveDone {
  roundId: number;
  from: RoundPhase;
  to: RoundPhase;
}

/**
 * Moves every round whose phase date has passed (bids open, bids close, voting opens, voting
 * closes), step by step, each step in its own transaction. A step the round is not ready for
 * (voting with bids still unreviewed) is left for an administrator. Cheap when nothing is due.
 */
export function advanceRoundPhases(now: Date = new Date(), database: Db = db()): PhaseMoveDone[] {
  const at = nowIso(now);
  const due = database
    .select()
    .from(pbRounds)
    .where(inArray(pbRounds.phase, ["draft", "accepting-bids", "reviewing", "voting"]))
    .all()
    .filter((r) => phaseDueByDate(r.phase, r, at) !== null);
  const done: PhaseMoveDone[] = [];
  for (const candidate of due) {
    for (;;) {
      const round = getRound(candidate.id, database)!;
      const to = phaseDueByDate(round.phase, round, at);
      if (!to) break;
      try {
        writeTransaction((tx) => setRoundPhase(tx, round.id, to, null, `The date for "${PHASE_LABELS[to]}" passed`, now), database);
        done.push({ roundId: round.id, from: round.phase, to });
      } catch (error) {
        // Not ready (voting with bids unreviewed) or refused by the ledger (a closed year): left for an administrator.
        if (error instanceof RoundRefusal || error instanceof LedgerRefusal) break;
        throw error;
      }
    }
  }
  return done;
}

/** Why the round cannot move by date right now (shown to administrators), or null. */
export function phaseHold(round: RoundRow, now: Date = new Date()): string | null {
  if (round.phase !== "reviewing" || round.votingOpensAt > nowIso(now)) return null;
  return "Voting was due to open, but it waits until every bid is reviewed and at least two projects are eligible.";
}

// ---------------------------------------------------------------------------------------------
// Lists

function areaLabel(tx: Db, roundId: number): { wardNames: string[]; allWards: boolean } {
  const rows = tx.select({ name: wards.name }).from(pbRoundWards).innerJoin(wards, eq(wards.id, pbRoundWards.wardId)).where(eq(pbRoundWards.roundId, roundId)).orderBy(asc(wards.name)).all();
  const all = tx.select({ n: sql<number>`count(*)` }).from(wards).get()!.n;
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
  const round = getRound(roundId, database);
  if (!round) return null;
  const input = roundInput(database, round);
  const counts = database
    .select({ eligibility: pbProjects.eligibility, n: sql<number>`count(*)` })
    .from(pbProjects)
    .where(eq(pbProjects.roundId, roundId))
    .groupBy(pbProjects.eligibility)
    .all();
  return { round, input, ...areaLabel(database, roundId), projectCounts: Object.fromEntries(counts.map((c) => [c.eligibility, c.n])) as Record<string, number> };
}

// ---------------------------------------------------------------------------------------------
// Review

const REVIEWABLE_STATUSES: BidStatus[] = ["submitted", "eligible", "ineligible", "on-ballot", "won", "not-won", "offer-accepted", "paid", "monitoring-due", "closed"];

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

function wardsOfBids(tx: Db, bidIds: number[]): Map<number, { id: number; name: string }[]> {
  const map = new Map<number, { id: number; name: string }[]>();
  if (bidIds.length === 0) return map;
  const rows = tx.select({ bidId: bidWards.bidId, id: wards.id, name: wards.name }).from(bidWards).innerJoin(wards, eq(wards.id, bidWards.wardId)).where(inArray(bidWards.bidId, bidIds)).orderBy(asc(wards.name)).all();
  for (const r of rows) map.set(r.bidId, [...(map.get(r.bidId) ?? []), { id: r.id, name: r.name }]);
  return map;
}

/** The round's bids with their review, for the review page (creates missing project rows first). */
export function listReviewProjects(roundId: number, database: Db = db()) {
  const round = getRound(roundId, database);
  if (!round) return null;
  writeTransaction((tx) => syncRoundProjects(tx, round), database);
  const rows = database
    .select({
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      summary: bids.summary,
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
  const wardMap = wardsOfBids(database, rows.map((r) => r.bidId));
  return { round, projects: rows.map((r) => ({ ...r, wards: (wardMap.get(r.bidId) ?? []).map((w) => w.name) })) };
}

function projectOf(tx: Db, roundId: number, bidId: number) {
  const row = tx
    .select({ project: pbProjects, bid: bids })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .where(and(eq(pbProjects.roundId, roundId), eq(pbProjects.bidId, bidId)))
    .get();
  if (!row) throw new RoundRefusal("That bid is not part of this round.");
  return row;
}

function assertMayReview(tx: Db, user: Principal, bid: typeof bids.$inferSelect) {
  const wardIds = tx.select({ wardId: bidWards.wardId }).from(bidWards).where(eq(bidWards.bidId, bid.id)).all().map((w) => w.wardId);
  const duty = checkDuty("review-bid", user, { groupId: bid.groupId, wardIds });
  if (!duty.allowed) throw new RoundRefusal(duty.reason);
}

function assertReviewOpen(round: RoundRow) {
  if (round.phase !== "accepting-bids" && round.phase !== "reviewing") {
    throw new RoundRefusal(round.phase === "draft" ? "The round has not opened yet." : "Bids can no longer be reviewed: voting has opened.");
  }
}

/** Marks a bid eligible or ineligible (a reason is required for ineligible; it is published). */
export function reviewProject(user: Principal, roundId: number, bidId: number, decision: "eligible" | "ineligible", reason: string, database: Db = db(), now: Date = new Date()): void {
  const text = reason.trim();
  if (decision === "ineligible" && text.length < 5) throw new RoundRefusal("Give the reason the bid is ineligible; it is published.", "reason");
  writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    assertReviewOpen(round);
    syncRoundProjects(tx, round);
    const { project, bid } = projectOf(tx, roundId, bidId);
    assertMayReview(tx, user, bid);
    if (project.mergedIntoBidId !== null) throw new RoundRefusal("This bid was merged into another; review that one instead.");
    let status = bid.status;
    if (bid.status !== decision) {
      const move = transition("pb-round", bid.status, decision === "eligible" ? "mark-eligible" : "mark-ineligible");
      if (!move.ok) throw new RoundRefusal(move.reason);
      status = move.to;
    }
    const at = nowIso(now);
    tx.update(bids).set({ status, updatedAt: at }).where(eq(bids.id, bidId)).run();
    tx.update(pbProjects)
      .set({ eligibility: decision, eligibilityReason: text || null, reviewedBy: user.id, reviewedAt: at, ...(decision === "ineligible" ? { ballotPosition: null } : {}) })
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
export function mergeProject(user: Principal, roundId: number, bidId: number, intoBidId: number, reason: string, database: Db = db(), now: Date = new Date()): void {
  const text = reason.trim();
  if (text.length < 5) throw new RoundRefusal("Give the reason for merging; it is published.", "reason");
  if (bidId === intoBidId) throw new RoundRefusal("A bid cannot be merged into itself.", "intoBidId");
  writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    assertReviewOpen(round);
    syncRoundProjects(tx, round);
    const merged = projectOf(tx, roundId, bidId);
    const into = projectOf(tx, roundId, intoBidId);
    assertMayReview(tx, user, merged.bid);
    assertMayReview(tx, user, into.bid);
    if (merged.project.mergedIntoBidId !== null) throw new RoundRefusal("This bid is already merged into another.");
    if (into.project.mergedIntoBidId !== null) throw new RoundRefusal("Choose a bid that has not itself been merged.", "intoBidId");
    if (into.project.eligibility === "ineligible") throw new RoundRefusal("Choose an eligible bid to merge into.", "intoBidId");
    tx.update(pbProjects)
      .set({ mergedIntoBidId: intoBidId, eligibilityReason: text, reviewedBy: user.id, reviewedAt: nowIso(now), ballotPosition: null })
      .where(eq(pbProjects.bidId, bidId))
      .run();
    // Bids merged into this one follow it.
    tx.update(pbProjects).set({ mergedIntoBidId: intoBidId }).where(eq(pbProjects.mergedIntoBidId, bidId)).run();
    recordAudit(tx, { actor: user, action: "round.bid-merged", entityType: "bid", entityId: bidId, reason: text, after: { mergedIntoBidId: intoBidId, roundId } });
  }, database);
}

/** `seed` is for reproducing a known order (the demo); left out, a fresh random seed is made. */
export type BallotOrderRequest = { method: "random"; seed?: string } | { method: "manual"; positions: Map<number, string> };

/**
 * Fixes the ballot order of the eligible projects: at random from a seed made here with crypto
 * and recorded (round and audit trail), or by hand. Returns field errors for bad positions.
 */
export function fixBallotOrder(user: Principal, roundId: number, request: BallotOrderRequest, database: Db = db()): { ok: true; order: number[] } | { ok: false; errors: Record<number, string> } {
  return writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    assertReviewOpen(round);
    syncRoundProjects(tx, round);
    if (request.method === "random") {
      randomBallotOrder(tx, round, user, "Ballot order drawn at random", request.seed);
      return { ok: true as const, order: ballotCandidates(tx, roundId).sort((a, b) => a.ballotPosition! - b.ballotPosition!).map((c) => c.bidId) };
    }
    const candidates = new Set(ballotCandidates(tx, roundId).map((c) => c.bidId));
    const positions = new Map([...request.positions].filter(([bidId]) => candidates.has(bidId)));
    for (const bidId of candidates) if (!positions.has(bidId)) positions.set(bidId, "");
    const result = manualBallotOrder(positions);
    if (!result.ok) return result;
    writeBallotOrder(tx, roundId, result.order);
    tx.update(pbRounds).set({ ballotOrderSeed: null }).where(eq(pbRounds.id, roundId)).run();
    recordAudit(tx, { actor: user, action: "round.ballot-order-fixed", entityType: "pb_round", entityId: roundId, after: { method: "manual", order: result.order } });
    return result;
  }, database);
}

/** Sets the public delivery status of a winning project, with a note (published). */
export function setDeliveryStatus(user: Actor, roundId: number, bidId: number, status: DeliveryStatus, note: string, database: Db = db(), now: Date = new Date()): void {
  writeTransaction((tx) => {
    const { project, bid } = projectOf(tx, roundId, bidId);
    if (!isWinningStatus(bid.status)) throw new RoundRefusal("Only winning projects have a delivery status.");
    tx.update(pbProjects)
      .set({ deliveryStatus: status, deliveryNote: note.trim() || null, deliveryUpdatedAt: nowIso(now) })
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

// ---------------------------------------------------------------------------------------------
// Public pages: nothing here names a person (group names only).

export function resultsArePublished(round: RoundRow, database: Db = db()): boolean {
  if (!["results", "delivery", "closed"].includes(round.phase)) return false;
  const count = database.select({ status: pbCounts.status }).from(pbCounts).where(eq(pbCounts.roundId, round.id)).get();
  return count?.status === "ratified" || count?.status === "released";
}

/** How many have voted: participation rows and paper ballots (every ballot is one of the two). */
export function roundTurnout(roundId: number, database: Db = db()): number {
  const ballots = database.select({ n: sql<number>`count(*)` }).from(pbBallots).where(eq(pbBallots.roundId, roundId)).get()!.n;
  const people = database.select({ n: sql<number>`count(*)` }).from(pbParticipation).where(eq(pbParticipation.roundId, roundId)).get()!.n;
  return Math.max(ballots, people);
}

/** Photo types served publicly (never SVG, which can carry script). */
const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];

/** Bid files live where the bid form stores them (ATTACHMENTS_DIR). */
const uploadsDir = () => attachmentsDir();

function firstImages(tx: Db, bidIds: number[]): Map<number, string> {
  const map = new Map<number, string>();
  if (bidIds.length === 0) return map;
  const rows = tx
    .select({ bidId: attachments.bidId, id: attachments.id, storageKey: attachments.storageKey })
    .from(attachments)
    .where(and(inArray(attachments.bidId, bidIds), eq(attachments.purpose, "bid"), isNull(attachments.removedAt), inArray(attachments.contentType, PHOTO_TYPES)))
    .orderBy(asc(attachments.uploadedAt), asc(attachments.id))
    .all();
  for (const r of rows) if (!map.has(r.bidId) && fs.existsSync(path.join(uploadsDir(), path.basename(r.storageKey)))) map.set(r.bidId, r.id);
  return map;
}

export interface GalleryFilters {
  wardId: number | null;
  band: string | null;
}

function isOnBallotPhase(phase: RoundPhase) {
  return phaseIndex(phase) >= phaseIndex("voting");
}

/** The public gallery of a round: projects (on the ballot once voting opens), filters, and published reviews. */
export function roundGallery(roundId: number, filters: GalleryFilters, database: Db = db()) {
  const round = getRound(roundId, database);
  if (!round || round.phase === "draft") return null;
  const onBallot = isOnBallotPhase(round.phase);
  const rows = database
    .select({
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      summary: bids.summary,
      amountPence: bids.amountPence,
      status: bids.status,
      groupName: communityGroups.name,
      eligibility: pbProjects.eligibility,
      eligibilityReason: pbProjects.eligibilityReason,
      mergedIntoBidId: pbProjects.mergedIntoBidId,
      ballotPosition: pbProjects.ballotPosition,
      deliveryStatus: pbProjects.deliveryStatus,
    })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .where(and(eq(pbProjects.roundId, roundId), sql`${bids.status} <> 'withdrawn'`))
    .orderBy(sql`${pbProjects.ballotPosition} is null`, asc(pbProjects.ballotPosition), asc(bids.id))
    .all();
  const wardMap = wardsOfBids(database, rows.map((r) => r.bidId));
  const withWards = rows.map((r) => ({ ...r, amountPence: r.amountPence ?? 0, wards: wardMap.get(r.bidId) ?? [] }));
  const shown = withWards.filter((r) =>
    onBallot ? r.ballotPosition !== null && r.eligibility === "eligible" && r.mergedIntoBidId === null : r.eligibility !== "ineligible" && r.mergedIntoBidId === null,
  );
  const images = onBallot ? firstImages(database, shown.map((r) => r.bidId)) : new Map<number, string>();
  const titles = new Map(withWards.map((r) => [r.bidId, r.title]));
  const projects = shown
    .filter((r) => filters.wardId === null || r.wards.some((w) => w.id === filters.wardId))
    .filter((r) => inCostBand(r.amountPence, filters.band))
    .map((r) => ({
      bidId: r.bidId,
      reference: r.reference,
      title: r.title,
      summary: r.summary,
      amountPence: r.amountPence,
      groupName: r.groupName,
      wards: r.wards.map((w) => w.name),
      ballotPosition: onBallot ? r.ballotPosition : null,
      hasImage: images.has(r.bidId),
      won: isWinningStatus(r.status),
    }));
  const notOnBallot = withWards
    .filter((r) => r.eligibility === "ineligible" || r.mergedIntoBidId !== null)
    .map((r) => ({
      bidId: r.bidId,
      reference: r.reference,
      title: r.title,
      groupName: r.groupName,
      reason: r.eligibilityReason ?? "",
      mergedInto: r.mergedIntoBidId !== null ? { bidId: r.mergedIntoBidId, title: titles.get(r.mergedIntoBidId) ?? "" } : null,
    }));
  const area = areaLabel(database, roundId);
  const areaWards = database.select({ id: wards.id, name: wards.name }).from(pbRoundWards).innerJoin(wards, eq(wards.id, pbRoundWards.wardId)).where(eq(pbRoundWards.roundId, roundId)).orderBy(asc(wards.name)).all();
  return {
    round: {
      id: round.id,
      name: round.name,
      description: round.description,
      phase: round.phase,
      potPence: round.potPence,
      maxRanked: round.maxRanked,
      minVoterAge: round.minVoterAge,
      bidsOpenAt: round.bidsOpenAt,
      bidsCloseAt: round.bidsCloseAt,
      votingOpensAt: round.votingOpensAt,
      votingClosesAt: round.votingClosesAt,
      resultsAt: round.resultsAt,
      ...area,
    },
    onBallot,
    totalProjects: shown.length,
    projects,
    notOnBallot,
    wardOptions: areaWards,
    turnout: onBallot ? roundTurnout(roundId, database) : null,
    resultsPublished: resultsArePublished(round, database),
  };
}

/** One project of a round for its public page, or null when it is not shown publicly. */
export function publicProject(roundId: number, bidId: number, database: Db = db()) {
  const round = getRound(roundId, database);
  if (!round || round.phase === "draft") return null;
  const row = database
    .select({
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      summary: bids.summary,
      description: bids.description,
      amountPence: bids.amountPence,
      beneficiaries: bids.beneficiaries,
      beneficiaryCount: bids.beneficiaryCount,
      status: bids.status,
      groupName: communityGroups.name,
      eligibility: pbProjects.eligibility,
      eligibilityReason: pbProjects.eligibilityReason,
      mergedIntoBidId: pbProjects.mergedIntoBidId,
      ballotPosition: pbProjects.ballotPosition,
      deliveryStatus: pbProjects.deliveryStatus,
      deliveryNote: pbProjects.deliveryNote,
      deliveryUpdatedAt: pbProjects.deliveryUpdatedAt,
    })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .where(and(eq(pbProjects.roundId, roundId), eq(pbProjects.bidId, bidId), sql`${bids.status} <> 'withdrawn'`))
    .get();
  if (!row) return null;
  const onBallot = isOnBallotPhase(round.phase) && row.ballotPosition !== null && row.eligibility === "eligible" && row.mergedIntoBidId === null;
  const image = onBallot ? firstImages(database, [bidId]).has(bidId) : false;
  const mergedInto = row.mergedIntoBidId !== null ? database.select({ bidId: bids.id, title: bids.title }).from(bids).where(eq(bids.id, row.mergedIntoBidId)).get() ?? null : null;
  const won = isWinningStatus(row.status);
  return {
    round: { id: round.id, name: round.name, phase: round.phase },
    project: {
      bidId: row.bidId,
      reference: row.reference,
      title: row.title,
      summary: row.summary,
      description: row.description,
      amountPence: row.amountPence ?? 0,
      beneficiaries: row.beneficiaries,
      beneficiaryCount: row.beneficiaryCount,
      groupName: row.groupName,
      wards: (wardsOfBids(database, [bidId]).get(bidId) ?? []).map((w) => w.name),
      eligibility: row.eligibility,
      eligibilityReason: row.eligibility === "ineligible" || row.mergedIntoBidId !== null ? row.eligibilityReason : null,
      mergedInto,
      ballotPosition: onBallot ? row.ballotPosition : null,
      onBallot,
      hasImage: image,
      won,
      delivery: won ? { status: row.deliveryStatus ?? "Not started", note: row.deliveryNote, updatedAt: row.deliveryUpdatedAt } : null,
    },
    resultsPublished: resultsArePublished(round, database),
  };
}

/** The first image of a project on the ballot, for the public photo route; null otherwise. */
export function publicProjectImage(roundId: number, bidId: number, database: Db = db()): { contentType: string; bytes: Buffer } | null {
  const found = publicProject(roundId, bidId, database);
  if (!found?.project.onBallot) return null;
  const id = firstImages(database, [bidId]).get(bidId);
  if (!id) return null;
  const file = database.select().from(attachments).where(eq(attachments.id, id)).get()!;
  return { contentType: file.contentType, bytes: fs.readFileSync(path.join(uploadsDir(), path.basename(file.storageKey))) };
}
