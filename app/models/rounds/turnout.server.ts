/**
 * A round's turnout: the ballots and participation rows are read here and counted by the pure
 * `turnoutOf` (app/core/results/turnout.ts). The only numbers shown before a count is published.
 */
import { and, eq, sql } from "drizzle-orm";
import {
  countedTurnoutOf,
  reconcileCount,
  turnoutOf,
  type CountReconciliation,
  type ParticipationCount,
  type Turnout,
} from "~/core/results/turnout";
import { db, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { pbBallots, pbPaperBatches, pbParticipation, pbRounds, pbSealedBallots, wards } from "~/db/schema";
import type { RoundRow } from "~/models/rounds/queries.server";

export type ParticipationByWard = { channel: ParticipationCount["channel"]; wardId: number | null; count: number };

/** The round's ballots, and its participation rows counted by channel and ward: reads every one. */
export interface ParticipationCounts {
  ballotCount: number;
  /** The round's voter rule, which names the route of its online ballots. */
  voterRule: RoundRow["voterRule"];
  rows: ParticipationByWard[];
}

export function participationCounts(roundId: number, database: Db = db()): ParticipationCounts {
  const count = (table: typeof pbBallots | typeof pbSealedBallots) =>
    database
      .select({ n: sql<number>`count(*)` })
      .from(table)
      .where(eq(table.roundId, roundId))
      .get()?.n ?? 0;
  // Sealed (online, not yet opened) and plain (opened, and paper) ballots: a ballot is in one or the other.
  const ballotCount = count(pbBallots) + count(pbSealedBallots);
  const rows = database
    .select({ channel: pbParticipation.channel, wardId: pbParticipation.wardId, count: sql<number>`count(*)` })
    .from(pbParticipation)
    .where(eq(pbParticipation.roundId, roundId))
    .groupBy(pbParticipation.channel, pbParticipation.wardId)
    .all();
  const voterRule =
    database.select({ rule: pbRounds.voterRule }).from(pbRounds).where(eq(pbRounds.id, roundId)).get()?.rule ??
    "account";
  return { ballotCount, voterRule, rows };
}

const wardNamesQuery = preparedPerConnection((database: Db) =>
  database.select({ id: wards.id, name: wards.name }).from(wards).prepare(),
);

/** The turnout of counts already read (kept by callers whose round takes no more ballots). */
export function turnoutFrom(counts: ParticipationCounts, database: Db = db()): Turnout {
  return turnoutOf(counts.ballotCount, namedRows(counts, database), counts.voterRule);
}

/** How many voted, by channel and ward. */
export function roundTurnout(roundId: number, database: Db = db()): Turnout {
  return turnoutFrom(participationCounts(roundId, database), database);
}

function namedRows(counts: ParticipationCounts, database: Db): ParticipationCount[] {
  const names = new Map(
    wardNamesQuery(database)
      .all()
      .map((w) => [w.id, w.name]),
  );
  return counts.rows.map((r) => ({
    channel: r.channel,
    wardName: r.wardId === null ? null : (names.get(r.wardId) ?? null),
    count: r.count,
  }));
}

/** The published turnout of a counted round: from the ballots counted (the ballot file), not the ballot box. */
export function countedTurnout(countedBallots: number, counts: ParticipationCounts, database: Db = db()): Turnout {
  return countedTurnoutOf(countedBallots, namedRows(counts, database), counts.voterRule);
}

/** Paper ballots added by the round's accepted batches. */
export function acceptedPaperBallots(roundId: number, database: Db = db()): number {
  return (
    database
      .select({ n: sql<number>`coalesce(sum(${pbPaperBatches.ballotsAccepted}), 0)` })
      .from(pbPaperBatches)
      .where(and(eq(pbPaperBatches.roundId, roundId), eq(pbPaperBatches.status, "accepted")))
      .get()?.n ?? 0
  );
}

/** Counted ballots against participation records and accepted paper, for officers before ratification. */
export function countReconciliation(roundId: number, countedBallots: number, database: Db = db()): CountReconciliation {
  const participation = participationCounts(roundId, database).rows.reduce((sum, r) => sum + r.count, 0);
  return reconcileCount(countedBallots, participation, acceptedPaperBallots(roundId, database));
}
