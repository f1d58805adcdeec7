/**
 * One-time voting codes: made in batches (only their hashes are stored), cancelled one at a time
 * or by batch, and checked when a voter types one (wrong tries limited per client address and round).
 */
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gte, isNull, sql } from "drizzle-orm";
import { base32FromBytes, CODE_LENGTH, normaliseVotingCode } from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { auditEvents, pbCodeBatches, pbVoteCodes, users, voteCodeFailures } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { findRound } from "~/models/rounds/queries.server";
import { isUniqueViolation, voteRefusal } from "~/models/voting/refusals.server";
import { env } from "~/utils/env.server";
import { constantTimeEqual, hmacHex, sha256Hex } from "~/utils/tokens.server";

/**
 * Wrong-code attempts allowed per client address and round in the window before further tries from
 * it are refused. High enough for a venue where many people share one address and some mistype.
 */
export const CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND = 50;
/** The audit action of a burst of wrong codes from one address. */
export const CODE_BURST_ALERT = "pb.code-failure-burst";
export const CODE_FAILURE_WINDOW_MINUTES = 15;
export const MAX_CODES_PER_BATCH = 5000;

export function hashVotingCode(code: string): string {
  return sha256Hex(`wardfund-vote-code:${code}`);
}

/** The hash of a code as typed, or a refusal when it is not the shape of a code. */
export function codeHashOrRefuse(codeInput: string): string {
  const code = normaliseVotingCode(codeInput);
  if (!code) throw voteRefusal("That code does not work for this round.", "bad-code");
  return hashVotingCode(code);
}

function newVotingCode(): string {
  return base32FromBytes(randomBytes(CODE_LENGTH), CODE_LENGTH);
}

function codeByHash(database: Db, hash: string) {
  return database.select().from(pbVoteCodes).where(eq(pbVoteCodes.codeHash, hash)).get();
}

/**
 * Creates a batch of `count` codes for a round. Only their hashes are stored; the plain codes are
 * returned once, to be printed or downloaded, and cannot be shown again.
 */
export function generateCodeBatch(
  actor: Actor,
  roundId: number,
  label: string,
  size: number,
  database: Db = db(),
): { batchId: number; codes: string[] } {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_CODES_PER_BATCH) {
    throw new RangeError(`A batch holds 1 to ${MAX_CODES_PER_BATCH} codes`);
  }
  return writeTransaction((tx) => {
    if (!findRound(roundId, tx)) throw voteRefusal("There is no such round.", "not-found");
    const batch = tx
      .insert(pbCodeBatches)
      .values({ roundId, label, size, createdBy: actor.id, createdAt: new Date().toISOString() })
      .returning({ id: pbCodeBatches.id })
      .get();
    const insert = tx
      .insert(pbVoteCodes)
      .values({ roundId, batchId: batch.id, codeHash: sql.placeholder("codeHash") })
      .prepare();
    const codes: string[] = [];
    while (codes.length < size) {
      const code = newVotingCode();
      try {
        insert.run({ codeHash: hashVotingCode(code) });
        codes.push(code);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // a repeat of an existing code (1 in 2^60): draw again
      }
    }
    recordAudit(tx, {
      actor,
      action: "pb.codes-generated",
      entityType: "pb_round",
      entityId: roundId,
      after: { batchId: batch.id, label, size },
    });
    return { batchId: batch.id, codes };
  }, database);
}

export interface CodeBatchSummary {
  id: number;
  label: string;
  size: number;
  used: number;
  revoked: number;
  createdAt: string;
  createdBy: string;
}

export function listCodeBatches(roundId: number, database: Db = db()): CodeBatchSummary[] {
  return database
    .select({
      id: pbCodeBatches.id,
      label: pbCodeBatches.label,
      size: pbCodeBatches.size,
      createdAt: pbCodeBatches.createdAt,
      createdBy: sql<string>`coalesce(${users.name}, '')`,
      used: count(pbVoteCodes.usedOn),
      revoked: count(pbVoteCodes.revokedAt),
    })
    .from(pbCodeBatches)
    .leftJoin(users, eq(users.id, pbCodeBatches.createdBy))
    .leftJoin(pbVoteCodes, eq(pbVoteCodes.batchId, pbCodeBatches.id))
    .where(eq(pbCodeBatches.roundId, roundId))
    .groupBy(pbCodeBatches.id)
    .orderBy(asc(pbCodeBatches.id))
    .all();
}

/** Cancels one unused code of the round. Returns the catalogue key of the message for the officer. */
export function revokeCode(
  actor: Actor,
  roundId: number,
  codeInput: string,
  reason: string,
  database: Db = db(),
): string {
  const code = normaliseVotingCode(codeInput);
  if (!code) throw voteRefusal("admin:refusal.codeFormat", "bad-code");
  return writeTransaction((tx) => {
    const row = codeByHash(tx, hashVotingCode(code));
    if (!row || row.roundId !== roundId) throw voteRefusal("admin:refusal.codeNotInRound", "bad-code");
    if (row.revokedAt) throw voteRefusal("admin:refusal.codeAlreadyCancelled", "bad-code");
    if (row.usedOn) throw voteRefusal("admin:refusal.codeUsed", "bad-code");
    tx.update(pbVoteCodes)
      .set({ revokedAt: new Date().toISOString(), revokedBy: actor.id })
      .where(eq(pbVoteCodes.id, row.id))
      .run();
    recordAudit(tx, {
      actor,
      action: "pb.code-revoked",
      entityType: "pb_round",
      entityId: roundId,
      reason,
      after: { codeId: row.id },
    });
    return "admin:codes.codeCancelled";
  }, database);
}

/** Cancels every unused code of a batch. Returns how many were cancelled. */
export function revokeCodeBatch(
  actor: Actor,
  roundId: number,
  batchId: number,
  reason: string,
  database: Db = db(),
): number {
  return writeTransaction((tx) => {
    const batch = tx
      .select()
      .from(pbCodeBatches)
      .where(and(eq(pbCodeBatches.id, batchId), eq(pbCodeBatches.roundId, roundId)))
      .get();
    if (!batch) throw voteRefusal("admin:refusal.noBatch", "not-found");
    const changes = tx
      .update(pbVoteCodes)
      .set({ revokedAt: new Date().toISOString(), revokedBy: actor.id })
      .where(and(eq(pbVoteCodes.batchId, batchId), isNull(pbVoteCodes.usedOn), isNull(pbVoteCodes.revokedAt)))
      .run().changes;
    recordAudit(tx, {
      actor,
      action: "pb.code-batch-revoked",
      entityType: "pb_round",
      entityId: roundId,
      reason,
      after: { batchId, revoked: changes },
    });
    return changes;
  }, database);
}

function codeFailuresSince(ipHash: string, roundId: number, since: number, database: Db): number {
  return (
    database
      .select({ n: count() })
      .from(voteCodeFailures)
      .where(
        and(eq(voteCodeFailures.ip, ipHash), eq(voteCodeFailures.roundId, roundId), gte(voteCodeFailures.at, since)),
      )
      .get()?.n ?? 0
  );
}

/**
 * Records a wrong code from an address. When the address's failures for the round reach the limit
 * (a burst), an alert goes into the audit trail, once per burst: not again while an alert for the
 * same address and round is younger than the window.
 */
function recordCodeFailure(ipHash: string, roundId: number, now: number, database: Db): void {
  writeTransaction((tx) => {
    tx.insert(voteCodeFailures).values({ ip: ipHash, roundId, at: now }).run();
    const since = now - CODE_FAILURE_WINDOW_MINUTES * 60_000;
    if (codeFailuresSince(ipHash, roundId, since, tx) < CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND) return;
    const alerted = tx
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.entityType, "pb_round"),
          eq(auditEvents.entityId, String(roundId)),
          eq(auditEvents.action, CODE_BURST_ALERT),
          gte(auditEvents.at, new Date(since).toISOString()),
          sql`json_extract(${auditEvents.after}, '$.address') = ${ipHash}`,
        ),
      )
      .limit(1)
      .get();
    if (alerted) return;
    recordAudit(tx, {
      actor: null,
      action: CODE_BURST_ALERT,
      entityType: "pb_round",
      entityId: roundId,
      reason:
        `${CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND} wrong voting codes from one address within ` +
        `${CODE_FAILURE_WINDOW_MINUTES} minutes; further tries from it for this round are refused until they age out`,
      after: { address: ipHash, failures: CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND },
    });
  }, database);
}

/**
 * Checks a code a voter typed, before showing them the ballot. A well-formed unused code of the
 * round is accepted even from an address with failures (a venue's shared Wi-Fi, where others have
 * mistyped theirs). Wrong codes count per client address (kept only as a keyed hash) and round; at
 * the limit (far above what mistyping gives) the address is refused for the round until its
 * failures age out, valid codes included, so guessing stops, and the burst is audited.
 * Returns the canonical code.
 */
export function checkVotingCode(
  roundId: number,
  input: string,
  ipAddress: string,
  now = Date.now(),
  database: Db = db(),
): string {
  const ipHash = hmacHex(env().SESSION_SECRET, `vote-code:${ipAddress}`);
  const since = now - CODE_FAILURE_WINDOW_MINUTES * 60_000;
  if (codeFailuresSince(ipHash, roundId, since, database) >= CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND) {
    throw voteRefusal(
      `Too many codes that did not work were tried from here. Wait ${CODE_FAILURE_WINDOW_MINUTES} minutes and try ` +
        `again, or ask for help.`,
      "rate-limited",
    );
  }
  const code = normaliseVotingCode(input);
  const row = code ? codeByHash(database, hashVotingCode(code)) : undefined;
  const fail = (message: string): never => {
    recordCodeFailure(ipHash, roundId, now, database);
    throw voteRefusal(message, "bad-code");
  };
  if (!code) return fail("Enter the code as printed: 12 letters and numbers, for example 7K3M-9QXA-2BHD.");
  if (!row || !constantTimeEqual(row.codeHash, hashVotingCode(code)) || row.roundId !== roundId) {
    return fail("That code does not work for this round. Check it and try again.");
  }
  if (row.revokedAt) throw voteRefusal("That code has been cancelled. Ask the council for a new one.", "bad-code");
  if (row.usedOn) throw voteRefusal("That code has already been used to vote in this round.", "already-voted");
  return code;
}

/**
 * A voting code of the round for a check at a decision-day event, read inside the issuing
 * transaction: the code's row when it is of the round, not cancelled and not used; else a refusal.
 */
export function unusedCodeOfRound(tx: Db, roundId: number, code: string): { id: number } {
  const row = codeByHash(tx, hashVotingCode(code));
  if (!row || row.roundId !== roundId) throw voteRefusal("That code does not work for this round.", "bad-code");
  if (row.revokedAt) throw voteRefusal("That code has been cancelled. Ask the council for a new one.", "bad-code");
  if (row.usedOn) throw voteRefusal("That code has already been used to vote in this round.", "already-voted");
  return { id: row.id };
}

/**
 * Spends a code inside a cast's transaction exactly as an online code vote does (the day it was
 * used, only if still unused and not cancelled). False when it was spent or cancelled meanwhile.
 */
export function spendVotingCode(tx: Db, codeId: number, now: Date): boolean {
  return (
    tx
      .update(pbVoteCodes)
      .set({ usedOn: now.toISOString().slice(0, 10) })
      .where(and(eq(pbVoteCodes.id, codeId), isNull(pbVoteCodes.usedOn), isNull(pbVoteCodes.revokedAt)))
      .run().changes === 1
  );
}
