/**
 * A round's phases: moving it on by hand or when a date passes, with what each move entails (the
 * pot into the ledger when it opens; the ballot fixed and the rules locked when voting opens).
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { transition } from "~/core/bids/status";
import { budgetSet, financialYearStart, londonDateOf } from "~/core/ledger";
import {
  checkPhaseMove,
  nextPhase,
  phaseDatesSetByHand,
  phaseDueByDate,
  phaseIndex,
  PHASE_LABELS,
  type RoundDates,
} from "~/core/rounds";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { bids, funds, pbProjects, pbRounds, users, type RoundPhase } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { LedgerRefusal, postEntry } from "~/models/ledger.server";
import {
  ballotCandidates,
  ballotOrderIsFixed,
  randomBallotOrder,
  syncRoundProjects,
} from "~/models/rounds/ballot-order.server";
import { findRound, potBudgetId, requireRound, type RoundRow } from "~/models/rounds/queries.server";
import { requireBallotKey } from "~/models/voting/ballot-key.server";
import { Refusal } from "~/utils/refusal";

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

function openVoting(tx: Db, round: RoundRow, actor: Actor | null, now: Date) {
  syncRoundProjects(tx, round);
  const pending = tx
    .select({ n: sql<number>`count(*)` })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .where(
      and(
        eq(pbProjects.roundId, round.id),
        eq(pbProjects.eligibility, "pending"),
        isNull(pbProjects.mergedIntoBidId),
        sql`${bids.status} <> 'withdrawn'`,
      ),
    )
    .get()!.n;
  if (pending > 0) throw new Refusal("admin:refusal.bidsPending");
  const candidates = ballotCandidates(tx, round.id);
  if (candidates.length < 2) throw new Refusal("admin:refusal.twoEligible");
  requireBallotKey(tx, round.id);
  if (!ballotOrderIsFixed(candidates)) randomBallotOrder(tx, round, actor, "Ballot order fixed as voting opened");
  for (const candidate of candidates) {
    if (candidate.status === "on-ballot") continue;
    const move = transition("pb-round", candidate.status, "put-on-ballot");
    if (!move.ok) throw new Refusal(move.reason);
    tx.update(bids).set({ status: move.to, updatedAt: now.toISOString() }).where(eq(bids.id, candidate.bidId)).run();
  }
  tx.update(pbRounds).set({ rulesLockedAt: now.toISOString() }).where(eq(pbRounds.id, round.id)).run();
}

/** The round's fund opens and closes for bids on the London dates of the round's bid dates. */
function syncFundDates(tx: Db, round: RoundRow, changes: Partial<RoundDates>) {
  const set: { opensOn?: string; closesOn?: string } = {};
  if (changes.bidsOpenAt) set.opensOn = londonDateOf(new Date(changes.bidsOpenAt));
  if (changes.bidsCloseAt) set.closesOn = londonDateOf(new Date(changes.bidsCloseAt));
  if (Object.keys(set).length > 0) tx.update(funds).set(set).where(eq(funds.id, round.fundId)).run();
}

/**
 * Moves a round to `phase`, which must be the very next one, with what the move entails: opening
 * posts the pot to the ledger; opening voting needs every bid reviewed and two eligible projects,
 * fixes the ballot order (when not fixed yet), puts the projects on the ballot and locks the
 * rules. A move by hand sets the phase's date to now (opening early or closing early), so the
 * shown dates and the vote follow what really happened. Recorded in the audit trail. Call inside a
 * write transaction; `actor` null means the move happened because its date passed. Throws a
 * Refusal when the move is not allowed.
 */
export function setRoundPhase(
  tx: Db,
  roundId: number,
  phase: RoundPhase,
  actor: Actor | null,
  reason: string,
  now: Date = new Date(),
): void {
  const round = requireRound(roundId, tx);
  const move = checkPhaseMove(round.phase, phase);
  if (!move.ok) throw new Refusal(move.reason);
  const dates = actor ? phaseDatesSetByHand(phase, round, now.toISOString()) : { ok: true as const, changes: {} };
  if (!dates.ok) throw new Refusal(dates.reason);
  if (phase === "accepting-bids") postPot(tx, round, actor, now);
  if (phase === "voting") openVoting(tx, round, actor, now);
  tx.update(pbRounds)
    .set({ phase, ...dates.changes })
    .where(eq(pbRounds.id, roundId))
    .run();
  syncFundDates(tx, round, dates.changes);
  const before: Partial<RoundDates> = Object.fromEntries(
    Object.keys(dates.changes).map((k) => [k, round[k as keyof RoundDates]]),
  );
  recordAudit(tx, {
    actor,
    action: "round.phase-changed",
    entityType: "pb_round",
    entityId: roundId,
    reason,
    before: { phase: round.phase, ...before },
    after: { phase, ...dates.changes },
  });
}

/** An administrator's "move to the next phase", with a reason. Returns the new phase. */
export function moveRoundToNextPhase(
  user: Actor,
  roundId: number,
  reason: string,
  database: Db = db(),
  now: Date = new Date(),
): RoundPhase {
  if (reason.trim().length < 3) throw new Refusal("admin:refusal.reasonRequired", { field: "reason" });
  return writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    const next = nextPhase(round.phase);
    if (!next) throw new Refusal("admin:refusal.roundClosed");
    if (phaseIndex(next) > phaseIndex("counting")) throw new Refusal("admin:refusal.resultsFromCount");
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
  const at = now.toISOString();
  const due = database
    .select()
    .from(pbRounds)
    .where(inArray(pbRounds.phase, ["draft", "accepting-bids", "reviewing", "voting"]))
    .all()
    .filter((r) => phaseDueByDate(r.phase, r, at) !== null);
  const done: PhaseMoveDone[] = [];
  for (const candidate of due) {
    for (;;) {
      const round = findRound(candidate.id, database)!;
      const to = phaseDueByDate(round.phase, round, at);
      if (!to) break;
      try {
        writeTransaction(
          (tx) => setRoundPhase(tx, round.id, to, null, `The date for "${PHASE_LABELS[to]}" passed`, now),
          database,
        );
        done.push({ roundId: round.id, from: round.phase, to });
      } catch (error) {
        // Not ready (voting with bids unreviewed) or refused by the ledger (a closed year): left for an administrator.
        if (error instanceof Refusal || error instanceof LedgerRefusal) break;
        throw error;
      }
    }
  }
  return done;
}

/** Why the round cannot move by date right now (shown to administrators), as a catalogue key, or null. */
export function phaseHold(round: RoundRow, now: Date = new Date()): string | null {
  if (round.phase !== "reviewing" || round.votingOpensAt > now.toISOString()) return null;
  if (!round.ballotPublicKey) return "admin:hold.ballotKey";
  return "admin:hold.review";
}
