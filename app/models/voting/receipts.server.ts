/** Ballot ids, which are also the voters' receipts, and checking a receipt against a round's ballots. */
import { and, eq } from "drizzle-orm";
import { base32FromBytes, groupInFours, normaliseReceipt, RECEIPT_LENGTH } from "~/core/voting";
import { db, type Db } from "~/db/client.server";
import { pbBallots } from "~/db/schema";
import { findRound } from "~/models/rounds/queries.server";
import { pooledRandomBytes } from "~/utils/random-pool.server";

/** A new ballot id: 20 random Crockford base32 characters (100 bits), which is also the receipt. */
export function newBallotId(): string {
  return base32FromBytes(pooledRandomBytes(RECEIPT_LENGTH), RECEIPT_LENGTH);
}

export function formatReceipt(id: string): string {
  return groupInFours(id);
}

export type ReceiptStatus = { found: false } | { found: true; published: boolean; castOn: string };

const PUBLISHED_PHASES = ["results", "delivery", "closed"];

/** Whether a receipt code is among the round's ballots. Says nothing else about the ballot. */
export function receiptStatus(roundId: number, input: string, database: Db = db()): ReceiptStatus | null {
  const id = normaliseReceipt(input);
  if (!id) return null;
  const row = database
    .select({ castOn: pbBallots.castOn })
    .from(pbBallots)
    .where(and(eq(pbBallots.id, id), eq(pbBallots.roundId, roundId)))
    .get();
  if (!row) return { found: false };
  const round = findRound(roundId, database);
  return { found: true, published: Boolean(round && PUBLISHED_PHASES.includes(round.phase)), castOn: row.castOn };
}
