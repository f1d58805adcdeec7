/**
 * Officers' kiosk PINs: an officer at a decision-day event issues a ballot at a waiting kiosk by
 * choosing their name there and typing their PIN with the voter's check, instead of from their phone.
 *
 * - A PIN belongs to one officer and one event: eight digits drawn by the server, shown once, kept
 *   only as an argon2id hash (the account password's hashing). Setting a new one revokes the old;
 *   the officer (or another administrator) can revoke it.
 * - Five wrong tries in a row lock the PIN until a new one is set; each kiosk may send ten wrong PINs
 *   in fifteen minutes (`rate_limit_hits`, keyed by a keyed hash of the device) before it refuses
 *   more, so a kiosk left alone cannot be used to guess. Wrong tries, locks, and ballots issued with
 *   a PIN are in the audit trail; the PIN and the voter's details never are.
 * - A ballot issued with a PIN is issued exactly as from the officer's page (`issueInTransaction`),
 *   in the officer's name, and only while the officer is still an administrator.
 */
import { randomInt } from "node:crypto";
import { and, asc, count, eq, gte, isNull, sql } from "drizzle-orm";
import {
  KIOSK_PIN_TRIES_PER_WINDOW,
  KIOSK_PIN_WINDOW_MINUTES,
  MAX_PIN_FAILURES,
  OFFICER_PIN_LENGTH,
} from "~/core/events/codes";
import { messageKey } from "~/core/messages/message-key";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { inGroupCommit } from "~/db/group-commit.server";
import { pbEventOfficerPins, pbEvents, rateLimitHits, users } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { hashPassword, hasRole, loadPrincipal, verifyPassword } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { Refusal } from "~/utils/refusal";
import { hmacHex } from "~/utils/tokens.server";
import {
  checkVoterCode,
  issueInTransaction,
  notifyKiosk,
  recordRegisterMiss,
  type VoterCheckInput,
} from "./events.server";

const PIN_BUCKET = "kiosk-pin";
const WRONG_PIN = "events:errors.pinWrong";
const LOCKED = "events:errors.pinLocked";

function newPin(): string {
  return Array.from({ length: OFFICER_PIN_LENGTH }, () => String(randomInt(10))).join("");
}

/** Digits only: "1234 5678" reads as "12345678"; anything else is not a PIN. */
export function tidyPin(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${OFFICER_PIN_LENGTH}}$`).test(digits) ? digits : null;
}

function livePin(tx: Db, eventId: number, pinId: number) {
  return tx
    .select()
    .from(pbEventOfficerPins)
    .where(
      and(
        eq(pbEventOfficerPins.id, pinId),
        eq(pbEventOfficerPins.eventId, eventId),
        isNull(pbEventOfficerPins.revokedAt),
      ),
    )
    .get();
}

/**
 * Sets a new PIN for the officer at the event (revoking any earlier one) and returns it: the only
 * time it is shown.
 */
export async function setOfficerPin(
  actor: Actor,
  eventId: number,
  now = new Date(),
  database: Db = db(),
): Promise<string> {
  const pin = newPin();
  const pinHash = await hashPassword(pin);
  writeTransaction((tx) => {
    if (!tx.select({ id: pbEvents.id }).from(pbEvents).where(eq(pbEvents.id, eventId)).get())
      throw new Refusal("events:refusal.noEvent", { status: 404 });
    const replaced = tx
      .update(pbEventOfficerPins)
      .set({ revokedAt: now.toISOString() })
      .where(
        and(
          eq(pbEventOfficerPins.eventId, eventId),
          eq(pbEventOfficerPins.userId, actor.id),
          isNull(pbEventOfficerPins.revokedAt),
        ),
      )
      .run().changes;
    tx.insert(pbEventOfficerPins).values({ eventId, userId: actor.id, pinHash, createdAt: now.toISOString() }).run();
    recordAudit(tx, {
      actor,
      action: "pb-event.pin-set",
      entityType: "pb_event",
      entityId: eventId,
      after: { officer: actor.id, replaced: replaced > 0 },
    });
  }, database);
  return pin;
}

/** Revokes a PIN of the event (any administrator may: a lost or overheard PIN). */
export function revokeOfficerPin(actor: Actor, eventId: number, pinId: number, now = new Date(), database = db()) {
  writeTransaction((tx) => {
    const row = livePin(tx, eventId, pinId);
    if (!row) throw new Refusal("events:refusal.pinAlreadyRevoked", { status: 409 });
    tx.update(pbEventOfficerPins).set({ revokedAt: now.toISOString() }).where(eq(pbEventOfficerPins.id, pinId)).run();
    recordAudit(tx, {
      actor,
      action: "pb-event.pin-revoked",
      entityType: "pb_event",
      entityId: eventId,
      after: { officer: row.userId },
    });
  }, database);
}

/** The event's live PINs, with their officers' names, for the event page and the kiosk's list. */
export function listOfficerPins(eventId: number, database: Db = db()) {
  return database
    .select({
      id: pbEventOfficerPins.id,
      userId: pbEventOfficerPins.userId,
      name: users.name,
      locked: sql<boolean>`${pbEventOfficerPins.lockedAt} is not null`.mapWith(Boolean),
      createdAt: pbEventOfficerPins.createdAt,
    })
    .from(pbEventOfficerPins)
    .innerJoin(users, eq(users.id, pbEventOfficerPins.userId))
    .where(and(eq(pbEventOfficerPins.eventId, eventId), isNull(pbEventOfficerPins.revokedAt)))
    .orderBy(asc(users.name))
    .all();
}

function deviceKey(deviceId: number): string {
  return hmacHex(env().SESSION_SECRET, `kiosk-pin:${deviceId}`);
}

function wrongPinsAtKiosk(tx: Db, deviceId: number, now: Date): number {
  const since = now.getTime() - KIOSK_PIN_WINDOW_MINUTES * 60_000;
  return (
    tx
      .select({ n: count() })
      .from(rateLimitHits)
      .where(
        and(
          eq(rateLimitHits.bucket, PIN_BUCKET),
          eq(rateLimitHits.key, deviceKey(deviceId)),
          gte(rateLimitHits.at, since),
        ),
      )
      .get()?.n ?? 0
  );
}

export interface PinIssueRequest {
  /** The PIN chosen on the kiosk (by its officer's name). */
  pinId: number;
  pin: string;
  check: VoterCheckInput;
  /** The kiosk's address, for the voting code's wrong-try limit. */
  clientAddress: string;
}

/**
 * Issues a ballot to this kiosk with an officer's PIN typed at it. The PIN is checked first (a wrong
 * one counts against the PIN and the kiosk, and reveals nothing about the voter's check); then the
 * voter's check, then the issue, as from the officer's page. Returns the issue's id.
 */
export async function issueWithPin(
  device: { id: number; eventId: number },
  request: PinIssueRequest,
  now = new Date(),
  database: Db = db(),
): Promise<number> {
  const pin = tidyPin(request.pin);
  if (!pin) throw new Refusal(messageKey("events:refusal.pinLength", { length: OFFICER_PIN_LENGTH }), { field: "pin" });
  const before = writeTransaction((tx) => {
    if (wrongPinsAtKiosk(tx, device.id, now) >= KIOSK_PIN_TRIES_PER_WINDOW)
      throw new Refusal(messageKey("events:errors.tooMany", { minutes: KIOSK_PIN_WINDOW_MINUTES }), {
        status: 429,
        code: "rate-limited",
      });
    const row = livePin(tx, device.eventId, request.pinId);
    if (!row) throw new Refusal("events:refusal.chooseName", { field: "pinId" });
    if (row.lockedAt) throw new Refusal(LOCKED, { field: "pin", status: 403, code: "locked" });
    return row;
  }, database);
  const right = await verifyPassword(before.pinHash, pin);
  if (!right) {
    const locked = writeTransaction((tx) => {
      tx.insert(rateLimitHits)
        .values({ bucket: PIN_BUCKET, key: deviceKey(device.id), at: now.getTime() })
        .run();
      const row = tx
        .update(pbEventOfficerPins)
        .set({ failures: sql`${pbEventOfficerPins.failures} + 1` })
        .where(and(eq(pbEventOfficerPins.id, before.id), isNull(pbEventOfficerPins.revokedAt)))
        .returning({ failures: pbEventOfficerPins.failures, lockedAt: pbEventOfficerPins.lockedAt })
        .get();
      const lockNow = row !== undefined && row.lockedAt === null && row.failures >= MAX_PIN_FAILURES;
      if (lockNow)
        tx.update(pbEventOfficerPins)
          .set({ lockedAt: now.toISOString() })
          .where(eq(pbEventOfficerPins.id, before.id))
          .run();
      recordAudit(tx, {
        actor: null,
        action: lockNow ? "pb-event.pin-locked" : "pb-event.pin-wrong",
        entityType: "pb_event",
        entityId: device.eventId,
        after: { officer: before.userId, deviceId: device.id, failures: row?.failures ?? null },
      });
      return lockNow;
    }, database);
    throw new Refusal(locked ? LOCKED : WRONG_PIN, { field: "pin", status: 403, code: locked ? "locked" : "wrong" });
  }
  const event = database.select().from(pbEvents).where(eq(pbEvents.id, device.eventId)).get();
  if (!event) throw new Refusal("events:refusal.noEvent", { status: 404 });
  // The voter's code is checked as online (with its wrong-try limit per address) only once the PIN is right.
  if (request.check.check === "code")
    checkVoterCode(event.roundId, request.check.code, request.clientAddress, now, database);
  // In the group commit with the kiosks' casts (see `issueBallotInGroup`).
  let officerActor: Actor | null = null;
  const issue = inGroupCommit((tx) => {
    const row = livePin(tx, device.eventId, request.pinId);
    if (!row || row.id !== before.id) throw new Refusal("events:refusal.pinRevokedNow", { field: "pin", status: 403 });
    if (row.lockedAt) throw new Refusal(LOCKED, { field: "pin", status: 403, code: "locked" });
    const officer = loadPrincipal(row.userId, tx);
    if (!officer || !hasRole(officer, "admin"))
      throw new Refusal("events:refusal.officerGone", { field: "pinId", status: 403 });
    const actor = { id: officer.id, name: officer.name };
    officerActor = actor;
    const issueId = issueInTransaction(tx, actor, device.eventId, device.id, request.check, now, "kiosk-pin");
    if (row.failures > 0)
      tx.update(pbEventOfficerPins).set({ failures: 0 }).where(eq(pbEventOfficerPins.id, row.id)).run();
    recordAudit(tx, {
      actor,
      action: "pb-event.ballot-issued-with-pin",
      entityType: "pb_event",
      entityId: device.eventId,
      after: { deviceId: device.id, check: request.check.check },
    });
    return issueId;
  }, database);
  let id: number;
  try {
    id = await issue;
  } catch (error) {
    recordRegisterMiss(error, officerActor, device.eventId, device.id, now, database);
    throw error;
  }
  notifyKiosk(device.id);
  return id;
}
