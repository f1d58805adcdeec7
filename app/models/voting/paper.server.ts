/**
 * Paper ballots, double keyed: a first officer keys in a batch, a second re-keys it without seeing
 * the first keying, and the batch's ballots count once the two agree or every difference is
 * resolved against the papers.
 */
import { asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { messageKey } from "~/core/messages/message-key";
import {
  compareKeyings,
  parseKeying,
  resolvedBallots,
  type KeyingMismatch,
  type KeyingParse,
  type Resolution,
} from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { pbBallots, pbCounts, pbPaperBatches, users } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { findRound, projectsOnBallot } from "~/models/rounds/queries.server";
import { newBallotId } from "~/models/voting/receipts.server";
import { Refusal } from "~/utils/refusal";

/** A refusal of the paper pages: shown beside the keyed-in ballots (or the field named). */
function paperRefusal(message: string, field = "form"): Refusal {
  return new Refusal(message, { field, status: 400 });
}

export interface PaperBatchView {
  id: number;
  roundId: number;
  label: string;
  status: "entered" | "checked" | "mismatch" | "accepted";
  enteredBy: string;
  enteredByName: string;
  enteredAt: string;
  checkedBy: string | null;
  checkedByName: string | null;
  ballots: number;
  mismatches: KeyingMismatch[];
  acceptedAt: string | null;
}

function positionMaps(roundId: number, database: Db) {
  const projects = projectsOnBallot(roundId, database);
  return {
    positionToBidId: new Map(projects.map((p) => [p.ballotPosition, p.bidId])),
    bidIdToPosition: new Map(projects.map((p) => [p.bidId, p.ballotPosition])),
    projects,
  };
}

export function paperBatchPositions(roundId: number, database: Db = db()) {
  return positionMaps(roundId, database);
}

/**
 * A keying that cannot be read, as one message for the reader: its first problem, and how many
 * more lines have one.
 */
function keyingMessage(parsed: Exclude<KeyingParse, { ok: true }>, where: "line" | "ballot", number?: number): string {
  const first = parsed.errors[0];
  if (!first) return messageKey("rounds:paper.noBallots");
  return messageKey(first.problem.key, {
    ...first.problem.values,
    where,
    number: number ?? first.line,
    more: parsed.errors.length - 1,
  });
}

function keyingOrRefuse(roundId: number, text: string, database: Db): number[][] {
  const round = findRound(roundId, database);
  if (!round) throw paperRefusal("admin:refusal.noRound");
  const parsed = parseKeying(text, positionMaps(roundId, database).positionToBidId, round.maxRanked);
  if (!parsed.ok) throw paperRefusal(keyingMessage(parsed, "line"), "ballots");
  return parsed.ballots;
}

function assertPaperPhase(roundId: number, database: Db): void {
  const round = findRound(roundId, database);
  if (!round) throw paperRefusal("admin:refusal.noRound");
  if (round.phase !== "voting" && round.phase !== "counting") throw paperRefusal("admin:paper.onlyWhileVoting");
  // Nothing enters after the count (the database refuses it too: see the 0018 migration's triggers).
  if (database.select({ id: pbCounts.id }).from(pbCounts).where(eq(pbCounts.roundId, roundId)).get())
    throw paperRefusal("rounds:paper.counted");
}

/** The first officer keys in a batch. Nothing counts until a second officer has re-keyed it. */
export function enterPaperBatch(
  actor: Actor,
  roundId: number,
  label: string,
  text: string,
  database: Db = db(),
): number {
  return writeTransaction((tx) => {
    assertPaperPhase(roundId, tx);
    const ballots = keyingOrRefuse(roundId, text, tx);
    const row = tx
      .insert(pbPaperBatches)
      .values({
        roundId,
        label,
        firstKeying: JSON.stringify(ballots),
        enteredBy: actor.id,
        enteredAt: new Date().toISOString(),
      })
      .returning({ id: pbPaperBatches.id })
      .get();
    recordAudit(tx, {
      actor,
      action: "pb.paper-batch-entered",
      entityType: "pb_round",
      entityId: roundId,
      after: { batchId: row.id, label, ballots: ballots.length },
    });
    return row.id;
  }, database);
}

/** Writes an accepted batch's ballots (random ids, no time) and records how many it added. */
function insertPaperBallots(tx: Db, batchId: number, roundId: number, ballots: number[][]): void {
  const insert = tx
    .insert(pbBallots)
    .values({ id: sql.placeholder("id"), roundId, ranking: sql.placeholder("ranking") })
    .prepare();
  for (const ranking of ballots) insert.run({ id: newBallotId(), ranking: JSON.stringify(ranking) });
  tx.update(pbPaperBatches).set({ ballotsAccepted: ballots.length }).where(eq(pbPaperBatches.id, batchId)).run();
}

/**
 * The second officer re-keys the batch without seeing the first keying. When the keyings agree
 * the ballots count at once; otherwise the batch waits for the mismatches to be resolved.
 */
export function rekeyPaperBatch(
  actor: Actor,
  batchId: number,
  text: string,
  database: Db = db(),
): { accepted: boolean; mismatches: number } {
  return writeTransaction((tx) => {
    const batch = tx.select().from(pbPaperBatches).where(eq(pbPaperBatches.id, batchId)).get();
    if (!batch) throw paperRefusal("rounds:paper.noBatch");
    if (batch.status !== "entered") throw paperRefusal("rounds:paper.alreadyChecked");
    if (batch.enteredBy === actor.id) throw paperRefusal("rounds:paper.otherOfficer");
    assertPaperPhase(batch.roundId, tx);
    const second = keyingOrRefuse(batch.roundId, text, tx);
    const first = JSON.parse(batch.firstKeying) as number[][];
    const mismatches = compareKeyings(first, second);
    const now = new Date().toISOString();
    const accepted = mismatches.length === 0;
    tx.update(pbPaperBatches)
      .set({
        secondKeying: JSON.stringify(second),
        checkedBy: actor.id,
        checkedAt: now,
        status: accepted ? "accepted" : "mismatch",
        acceptedAt: accepted ? now : null,
      })
      .where(eq(pbPaperBatches.id, batchId))
      .run();
    if (accepted) insertPaperBallots(tx, batchId, batch.roundId, first);
    recordAudit(tx, {
      actor,
      action: accepted ? "pb.paper-batch-accepted" : "pb.paper-batch-mismatch",
      entityType: "pb_round",
      entityId: batch.roundId,
      after: { batchId, ballots: first.length, mismatches: mismatches.length },
    });
    return { accepted, mismatches: mismatches.length };
  }, database);
}

/**
 * The second officer resolves every mismatch, looking at the paper: for each, the positions the
 * ballot really shows, or "void" when it is not a valid ballot. The batch then counts.
 */
export function resolvePaperBatch(
  actor: Actor,
  batchId: number,
  answers: Record<number, string>,
  note: string,
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    const batch = tx.select().from(pbPaperBatches).where(eq(pbPaperBatches.id, batchId)).get();
    if (!batch) throw paperRefusal("rounds:paper.noBatch");
    if (batch.status !== "mismatch") throw paperRefusal("rounds:paper.noDifferences");
    if (batch.checkedBy !== actor.id) throw paperRefusal("rounds:paper.resolverOnly");
    assertPaperPhase(batch.roundId, tx);
    const round = findRound(batch.roundId, tx)!;
    const { positionToBidId } = positionMaps(batch.roundId, tx);
    const first = JSON.parse(batch.firstKeying) as number[][];
    const second = JSON.parse(batch.secondKeying ?? "[]") as number[][];
    const resolutions: Resolution[] = [];
    for (const m of compareKeyings(first, second)) {
      const text = (answers[m.index] ?? "").trim();
      const field = `resolve-${m.index}`;
      const number = m.index + 1;
      if (text === "") throw paperRefusal(messageKey("rounds:paper.resolveEmpty", { number }), field);
      if (text.toLowerCase() === "void") {
        resolutions.push({ index: m.index, ranking: null });
        continue;
      }
      const parsed = parseKeying(text, positionToBidId, round.maxRanked);
      if (!parsed.ok)
        throw paperRefusal(keyingMessage({ ...parsed, errors: parsed.errors.slice(0, 1) }, "ballot", number), field);
      if (parsed.ballots.length !== 1) throw paperRefusal(messageKey("rounds:paper.resolveOne", { number }), field);
      resolutions.push({ index: m.index, ranking: parsed.ballots[0]! });
    }
    const ballots = resolvedBallots(first, second, resolutions);
    const now = new Date().toISOString();
    tx.update(pbPaperBatches)
      .set({
        status: "accepted",
        acceptedAt: now,
        resolutions: JSON.stringify(resolutions.map((r) => ({ ...r, resolvedBy: actor.id, note }))),
      })
      .where(eq(pbPaperBatches.id, batchId))
      .run();
    insertPaperBallots(tx, batchId, batch.roundId, ballots);
    recordAudit(tx, {
      actor,
      action: "pb.paper-batch-resolved",
      entityType: "pb_round",
      entityId: batch.roundId,
      reason: note || null,
      after: { batchId, resolved: resolutions.length, ballots: ballots.length },
    });
  }, database);
}

const checkers = alias(users, "checkers");

export function paperBatch(
  batchId: number,
  database: Db = db(),
): (PaperBatchView & { firstKeying: number[][]; secondKeying: number[][] | null }) | null {
  const found = database
    .select({ batch: pbPaperBatches, enteredByName: users.name, checkedByName: checkers.name })
    .from(pbPaperBatches)
    .innerJoin(users, eq(users.id, pbPaperBatches.enteredBy))
    .leftJoin(checkers, eq(checkers.id, pbPaperBatches.checkedBy))
    .where(eq(pbPaperBatches.id, batchId))
    .get();
  if (!found) return null;
  const { batch, enteredByName, checkedByName } = found;
  const first = JSON.parse(batch.firstKeying) as number[][];
  const second = batch.secondKeying ? (JSON.parse(batch.secondKeying) as number[][]) : null;
  return {
    id: batch.id,
    roundId: batch.roundId,
    label: batch.label,
    status: batch.status,
    enteredBy: batch.enteredBy,
    enteredByName,
    enteredAt: batch.enteredAt,
    checkedBy: batch.checkedBy,
    checkedByName,
    ballots: first.length,
    mismatches: second && batch.status === "mismatch" ? compareKeyings(first, second) : [],
    acceptedAt: batch.acceptedAt,
    firstKeying: first,
    secondKeying: second,
  };
}

export function listPaperBatches(roundId: number, database: Db = db()): PaperBatchView[] {
  const ids = database
    .select({ id: pbPaperBatches.id })
    .from(pbPaperBatches)
    .where(eq(pbPaperBatches.roundId, roundId))
    .orderBy(asc(pbPaperBatches.id))
    .all();
  return ids.map(({ id }) => {
    const { firstKeying: _f, secondKeying: _s, ...view } = paperBatch(id, database)!;
    return view;
  });
}
