/**
 * The postcode and date of birth an account votes with (under the `account` rule). A resident sees
 * and corrects them until they have voted in any round; after that only an officer can, giving a
 * reason. Every change is in the audit trail.
 */
import { eq } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { pbParticipation, postcodes, users, wards } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { Refusal } from "~/utils/refusal";

export interface VoterDetails {
  postcode: string | null;
  dateOfBirth: string | null;
  wardName: string | null;
  /** Whether the account has voted in any round (then only an officer can change the details). */
  hasVoted: boolean;
}

function hasVotedIn(tx: Db, userId: string): boolean {
  const row = tx
    .select({ id: pbParticipation.id })
    .from(pbParticipation)
    .where(eq(pbParticipation.userId, userId))
    .limit(1)
    .get();
  return row !== undefined;
}

export function voterDetailsOf(userId: string, database: Db = db()): VoterDetails | null {
  const row = database
    .select({ postcode: users.postcode, dateOfBirth: users.dateOfBirth, wardName: wards.name })
    .from(users)
    .leftJoin(postcodes, eq(postcodes.postcode, users.postcode))
    .leftJoin(wards, eq(wards.gssCode, postcodes.wardGssCode))
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  return { ...row, hasVoted: hasVotedIn(database, userId) };
}

export const VOTED_DETAILS_LOCKED =
  "You have voted, so your postcode and date of birth can no longer be changed here. If they are wrong, " +
  "contact the council: an officer can correct them.";

function saveDetails(
  tx: Db,
  actor: Actor,
  userId: string,
  details: { postcode: string; dateOfBirth: string },
  action: string,
  reason?: string,
): void {
  const before = tx
    .select({ postcode: users.postcode, dateOfBirth: users.dateOfBirth })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!before) throw Refusal.notFound("There is no such account.");
  if (before.postcode === details.postcode && before.dateOfBirth === details.dateOfBirth) return;
  tx.update(users).set(details).where(eq(users.id, userId)).run();
  recordAudit(tx, { actor, action, entityType: "user", entityId: userId, reason, before, after: details });
}

/** A resident corrects their own details; refused once they have voted (checked in the same transaction). */
export function correctOwnVoterDetails(
  actor: Actor,
  details: { postcode: string; dateOfBirth: string },
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    if (hasVotedIn(tx, actor.id)) throw new Refusal(VOTED_DETAILS_LOCKED, { status: 409 });
    saveDetails(tx, actor, actor.id, details, "account.voter-details");
  }, database);
}

/** An officer corrects a resident's details, with a reason, whether or not they have voted. */
export function officerCorrectVoterDetails(
  officer: Actor,
  userId: string,
  details: { postcode: string; dateOfBirth: string },
  reason: string,
  database: Db = db(),
): void {
  writeTransaction(
    (tx) => saveDetails(tx, officer, userId, details, "account.voter-details-corrected", reason),
    database,
  );
}
