/**
 * Receipts: a random id given to each online voter, kept in `pb_receipts` apart from the ballots.
 * A receipt proves that the voter's ballot was included in the count (the published receipt list),
 * never what it ranked: nothing published or stored pairs a receipt with a ranking.
 */
import { and, asc, eq } from "drizzle-orm";
import { base32FromBytes, groupInFours, normaliseReceipt, RECEIPT_LENGTH } from "~/core/voting";
import { db, type Db } from "~/db/client.server";
import { pbReceipts } from "~/db/schema";
import { findRound } from "~/models/rounds/queries.server";
import { pooledRandomBytes } from "~/utils/random-pool.server";

/** A new random id: 20 random Crockford base32 characters (100 bits). Receipts and plain ballot ids. */
export function newBallotId(): string {
  return base32FromBytes(pooledRandomBytes(RECEIPT_LENGTH), RECEIPT_LENGTH);
}

export function formatReceipt(id: string): string {
  return groupInFours(id);
}

/** `published`: the result is out, so the receipt is in the published receipt list. No date, ever. */
export type ReceiptStatus = { found: false } | { found: true; published: boolean };

const PUBLISHED_PHASES = ["results", "delivery", "closed"];

/** Whether a receipt was issued in the round (so its ballot is in the ballot box). Reads only; writes nothing. */
export function receiptStatus(roundId: number, input: string, database: Db = db()): ReceiptStatus | null {
  const id = normaliseReceipt(input);
  if (!id) return null;
  const row = database
    .select({ receipt: pbReceipts.receipt })
    .from(pbReceipts)
    .where(and(eq(pbReceipts.roundId, roundId), eq(pbReceipts.receipt, id)))
    .get();
  if (!row) return { found: false };
  const round = findRound(roundId, database);
  return { found: true, published: Boolean(round && PUBLISHED_PHASES.includes(round.phase)) };
}

/** Every receipt of a round, sorted as text: the published receipt list. */
export function roundReceipts(roundId: number, database: Db = db()): string[] {
  return database
    .select({ receipt: pbReceipts.receipt })
    .from(pbReceipts)
    .where(eq(pbReceipts.roundId, roundId))
    .orderBy(asc(pbReceipts.receipt))
    .all()
    .map((r) => r.receipt);
}
