/**
 * Decision-day events: creating an event for a round, enrolling and revoking its kiosk devices,
 * and issuing one ballot at a time to a kiosk after an officer has checked the voter.
 *
 * Enrolment: the officer asks for a device; the officer's page shows a one-time link (15 minutes)
 * and a six-digit code. The device opens the link and types the code; on a match the device gets a
 * random device token (in its signed cookie; only the token's SHA-256 is stored) and the code is
 * erased. Five wrong codes void the link. A revoked device's token matches nothing.
 *
 * Issuing: an open issue is a ballot the kiosk may cast, one at a time per kiosk (a partial unique
 * index). The issue records how the voter was checked, never who they are, and is closed in the
 * cast's own transaction (`castKioskBallot`), so nothing is cast twice. A voter checked by their
 * one-time code holds it on the open issue (one open issue per code) and spends it in the cast's
 * transaction exactly as an online code vote does, so a code votes once, at the event or online.
 * A voter checked on the register has their register row claimed by the issue (by the reference on
 * their letter or polling card, or by postcode, date of birth and surname, hashed as online matching
 * hashes them), so a row votes once, at the event or online. Cancelling the issue releases the row.
 */
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import {
  acceptableBytes,
  confirmCodeFrom,
  ENROLMENT_LINK_MINUTES,
  EVENT_REGISTER_TRIES_PER_WINDOW,
  EVENT_REGISTER_WINDOW_MINUTES,
  eventChecksFor,
  MAX_CONFIRM_FAILURES,
  tidyCode,
} from "~/core/events/codes";
import { messageKey } from "~/core/messages/message-key";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { inGroupCommit } from "~/db/group-commit.server";
import { preparedPerConnection } from "~/db/prepared.server";
import {
  pbEventDevices,
  pbEventIssues,
  pbEvents,
  pbRegisterEventClaims,
  postcodes,
  rateLimitHits,
  wards,
  type VoterCheck,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { findRound, roundWardIds } from "~/models/rounds/queries.server";
import { castEventBallot } from "~/models/voting/cast.server";
import { checkVotingCode, spendVotingCode, unusedCodeOfRound } from "~/models/voting/codes.server";
import {
  findRegisterCandidates,
  isPrimaryKeyViolation,
  registerLookup,
  type RegisterMatchInput,
} from "~/models/voting/register.server";
import { isUniqueViolation } from "~/models/voting/refusals.server";
import { Refusal } from "~/utils/refusal";
import { env } from "~/utils/env.server";
import { constantTimeEqual, hmacHex, newToken, sha256Hex } from "~/utils/tokens.server";
import { notifyTurnout } from "./board.server";

export type EventRow = typeof pbEvents.$inferSelect;
export type DeviceRow = typeof pbEventDevices.$inferSelect;

export interface EventInput {
  name: string;
  place: string;
  startsAt: string;
  endsAt: string;
  officers: string;
}

export function createEvent(actor: Actor, roundId: number, input: EventInput, now = new Date(), database = db()) {
  return writeTransaction((tx) => {
    const round = findRound(roundId, tx);
    if (!round) throw new Refusal("events:refusal.noRound");
    if (["results", "delivery", "closed"].includes(round.phase)) throw new Refusal("events:refusal.resultPublished");
    if (input.endsAt <= input.startsAt) throw new Refusal("events:refusal.endsAfterStarts", { field: "endsAt" });
    const event = tx
      .insert(pbEvents)
      .values({ roundId, ...input, boardToken: newToken(), createdBy: actor.id, createdAt: now.toISOString() })
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      action: "pb-event.created",
      entityType: "pb_event",
      entityId: event.id,
      after: { roundId, ...input },
    });
    return event;
  }, database);
}

export function listEvents(roundId: number, database: Db = db()): EventRow[] {
  return database.select().from(pbEvents).where(eq(pbEvents.roundId, roundId)).orderBy(asc(pbEvents.startsAt)).all();
}

export function findEvent(roundId: number, eventId: number, database: Db = db()): EventRow | null {
  return eventQueries(database).eventOfRound.get({ eventId, roundId }) ?? null;
}

export function eventByBoardToken(token: string, database: Db = db()): EventRow | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return eventQueries(database).eventByBoardToken.get({ token }) ?? null;
}

export function listDevices(eventId: number, database: Db = db()) {
  return database
    .select()
    .from(pbEventDevices)
    .where(eq(pbEventDevices.eventId, eventId))
    .orderBy(asc(pbEventDevices.id))
    .all();
}

function newConfirmCode(): string {
  for (;;) {
    const bytes = randomBytes(6);
    if (acceptableBytes(bytes)) return confirmCodeFrom(bytes);
  }
}

/** Starts enrolling a device: returns the one-time link token (shown once, as a link) and the code. */
export function startEnrolment(
  actor: Actor,
  eventId: number,
  label: string,
  now = new Date(),
  database: Db = db(),
): { deviceId: number; linkToken: string; code: string } {
  return writeTransaction((tx) => {
    const event = tx.select().from(pbEvents).where(eq(pbEvents.id, eventId)).get();
    if (!event) throw new Refusal("events:refusal.noEvent");
    const linkToken = newToken();
    const code = newConfirmCode();
    const device = tx
      .insert(pbEventDevices)
      .values({
        eventId,
        label,
        linkTokenHash: sha256Hex(linkToken),
        confirmCode: code,
        linkExpiresAt: new Date(now.getTime() + ENROLMENT_LINK_MINUTES * 60_000).toISOString(),
        createdBy: actor.id,
        createdAt: now.toISOString(),
      })
      .returning({ id: pbEventDevices.id })
      .get();
    recordAudit(tx, {
      actor,
      action: "pb-event.device-enrolment-started",
      entityType: "pb_event",
      entityId: eventId,
      after: { deviceId: device.id, label },
    });
    return { deviceId: device.id, linkToken, code };
  }, database);
}

/** The pending device an enrolment link names, or null when the link is unknown, used or expired. */
export function pendingDeviceByLink(linkToken: string, now = new Date(), database: Db = db()) {
  const device = database
    .select()
    .from(pbEventDevices)
    .where(eq(pbEventDevices.linkTokenHash, sha256Hex(linkToken)))
    .get();
  if (!device || device.state !== "pending" || !device.linkExpiresAt) return null;
  if (device.linkExpiresAt <= now.toISOString()) return null;
  return device;
}

/**
 * The device confirms the code from the officer's screen. Returns the device token for its cookie.
 * A wrong code counts against the link; the fifth voids it.
 */
export function confirmEnrolment(
  linkToken: string,
  typedCode: string,
  now = new Date(),
  database: Db = db(),
): { deviceId: number; eventId: number; deviceToken: string } {
  // A wrong code is recorded (and so must commit) before it is refused.
  const outcome = writeTransaction((tx) => {
    const device = pendingDeviceByLink(linkToken, now, tx);
    if (!device || !device.confirmCode)
      throw new Refusal("kiosk:enrol.linkUsed", {
        status: 409,
      });
    if (!constantTimeEqual(tidyCode(typedCode), device.confirmCode)) {
      const failures = device.confirmFailures + 1;
      const voided = failures >= MAX_CONFIRM_FAILURES;
      tx.update(pbEventDevices)
        .set({
          confirmFailures: failures,
          ...(voided
            ? { state: "revoked" as const, linkTokenHash: null, confirmCode: null, revokedAt: now.toISOString() }
            : {}),
        })
        .where(eq(pbEventDevices.id, device.id))
        .run();
      return { wrong: true as const, voided };
    }
    const deviceToken = newToken();
    tx.update(pbEventDevices)
      .set({
        state: "enrolled",
        linkTokenHash: null,
        confirmCode: null,
        linkExpiresAt: null,
        deviceTokenHash: sha256Hex(deviceToken),
        enrolledAt: now.toISOString(),
      })
      .where(eq(pbEventDevices.id, device.id))
      .run();
    recordAudit(tx, {
      actor: null,
      action: "pb-event.device-enrolled",
      entityType: "pb_event",
      entityId: device.eventId,
      after: { deviceId: device.id, label: device.label },
    });
    return { wrong: false as const, deviceId: device.id, eventId: device.eventId, deviceToken };
  }, database);
  if (outcome.wrong)
    throw new Refusal(outcome.voided ? "kiosk:enrol.tooManyWrong" : "kiosk:enrol.wrongCode", {
      field: "code",
      status: outcome.voided ? 409 : 422,
    });
  return { deviceId: outcome.deviceId, eventId: outcome.eventId, deviceToken: outcome.deviceToken };
}

/**
 * The queries of the kiosk's and the officer's busiest requests (reading the device, issuing a
 * ballot, closing the issue at the cast), prepared once per connection.
 */
const eventQueries = preparedPerConnection((database: Db) => ({
  device: database
    .select({ device: pbEventDevices, event: pbEvents })
    .from(pbEventDevices)
    .innerJoin(pbEvents, eq(pbEvents.id, pbEventDevices.eventId))
    .where(eq(pbEventDevices.deviceTokenHash, sql.placeholder("hash")))
    .prepare(),
  eventById: database
    .select()
    .from(pbEvents)
    .where(eq(pbEvents.id, sql.placeholder("eventId")))
    .prepare(),
  eventOfRound: database
    .select()
    .from(pbEvents)
    .where(and(eq(pbEvents.id, sql.placeholder("eventId")), eq(pbEvents.roundId, sql.placeholder("roundId"))))
    .prepare(),
  eventByBoardToken: database
    .select()
    .from(pbEvents)
    .where(eq(pbEvents.boardToken, sql.placeholder("token")))
    .prepare(),
  deviceOfEvent: database
    .select()
    .from(pbEventDevices)
    .where(
      and(eq(pbEventDevices.id, sql.placeholder("deviceId")), eq(pbEventDevices.eventId, sql.placeholder("eventId"))),
    )
    .prepare(),
  wardOfPostcode: database
    .select({ wardId: wards.id })
    .from(postcodes)
    .innerJoin(wards, eq(wards.gssCode, postcodes.wardGssCode))
    .where(eq(postcodes.postcode, sql.placeholder("postcode")))
    .prepare(),
  openIssueOfDevice: database
    .select({ id: pbEventIssues.id })
    .from(pbEventIssues)
    .where(and(eq(pbEventIssues.deviceId, sql.placeholder("deviceId")), eq(pbEventIssues.state, "issued")))
    .prepare(),
  insertIssue: database
    .insert(pbEventIssues)
    .values({
      eventId: sql.placeholder("eventId"),
      deviceId: sql.placeholder("deviceId"),
      voterCheck: sql.placeholder("voterCheck"),
      codeId: sql.placeholder("codeId"),
      issuedVia: sql.placeholder("issuedVia"),
      issuedBy: sql.placeholder("issuedBy"),
      issuedAt: sql.placeholder("issuedAt"),
    })
    .returning({ id: pbEventIssues.id })
    .prepare(),
  closeIssueAsCast: database
    .update(pbEventIssues)
    .set({ state: "cast", closedAt: sql`${sql.placeholder("closedAt")}` })
    .where(
      and(
        eq(pbEventIssues.id, sql.placeholder("issueId")),
        eq(pbEventIssues.deviceId, sql.placeholder("deviceId")),
        eq(pbEventIssues.state, "issued"),
      ),
    )
    .returning({ codeId: pbEventIssues.codeId })
    .prepare(),
}));

/** The enrolled device holding this token, with its event and round; null for anything else. */
export function kioskDevice(deviceToken: string, database: Db = db()) {
  const row = eventQueries(database).device.get({ hash: sha256Hex(deviceToken) });
  if (!row || row.device.state !== "enrolled") return null;
  return row;
}

export function revokeDevice(actor: Actor, eventId: number, deviceId: number, now = new Date(), database = db()) {
  writeTransaction((tx) => {
    const device = tx
      .select()
      .from(pbEventDevices)
      .where(and(eq(pbEventDevices.id, deviceId), eq(pbEventDevices.eventId, eventId)))
      .get();
    if (!device) throw new Refusal("events:refusal.noDevice");
    if (device.state === "revoked") return;
    const open = tx
      .select({ id: pbEventIssues.id })
      .from(pbEventIssues)
      .where(and(eq(pbEventIssues.deviceId, deviceId), eq(pbEventIssues.state, "issued")))
      .all()
      .map((i) => i.id);
    if (open.length > 0) tx.delete(pbRegisterEventClaims).where(inArray(pbRegisterEventClaims.issueId, open)).run();
    tx.update(pbEventDevices)
      .set({ state: "revoked", linkTokenHash: null, confirmCode: null, revokedAt: now.toISOString() })
      .where(eq(pbEventDevices.id, deviceId))
      .run();
    tx.update(pbEventIssues)
      .set({ state: "cancelled", closedAt: now.toISOString() })
      .where(and(eq(pbEventIssues.deviceId, deviceId), eq(pbEventIssues.state, "issued")))
      .run();
    recordAudit(tx, {
      actor,
      action: "pb-event.device-revoked",
      entityType: "pb_event",
      entityId: eventId,
      before: { deviceId, state: device.state },
      after: { deviceId, state: "revoked" },
    });
  }, database);
}

export type VoterCheckInput =
  | { check: "declared"; postcode: string; ageConfirmed: boolean }
  /** What the officer typed from the voter's letter or polling card, or the voter's details. */
  | { check: "register"; register: RegisterMatchInput }
  /** The voter's one-time code as typed; the caller has already passed it through `checkVotingCode`. */
  | { check: "code"; code: string };

export type IssueRoute = "officer-page" | "kiosk-pin";

/** Whether a declared postcode is in the round's area (every ward when the round names none). */
function postcodeInArea(tx: Db, roundId: number, postcode: string): boolean {
  const row = eventQueries(tx).wardOfPostcode.get({ postcode });
  if (!row) return false;
  const area = roundWardIds(roundId, tx);
  return area.length === 0 || area.includes(row.wardId);
}

/**
 * Issues one ballot to an enrolled kiosk of the event, after the officer checked the voter as the
 * round requires: a declared postcode in the area and age, or a match on the register. Nothing
 * about the voter is stored: only which check was made.
 */
export function issueBallot(
  actor: Actor,
  eventId: number,
  deviceId: number,
  input: VoterCheckInput,
  now = new Date(),
  database: Db = db(),
  via: IssueRoute = "officer-page",
): number {
  let id: number;
  try {
    id = writeTransaction((tx) => issueInTransaction(tx, actor, eventId, deviceId, input, now, via), database);
  } catch (error) {
    recordRegisterMiss(error, actor, eventId, deviceId, now, database);
    throw error;
  }
  notifyKiosk(deviceId);
  return id;
}

/**
 * `issueBallot` in the group commit (app/db/group-commit.server.ts): during an event the officers'
 * issues and the kiosks' casts arrive together, and each separate commit would wait for the disk
 * on the event loop, holding up every kiosk's answer. Resolves with the issue's id once on disk.
 */
export async function issueBallotInGroup(
  actor: Actor,
  eventId: number,
  deviceId: number,
  input: VoterCheckInput,
  now = new Date(),
  database: Db = db(),
): Promise<number> {
  let id: number;
  try {
    id = await inGroupCommit(
      (tx) => issueInTransaction(tx, actor, eventId, deviceId, input, now, "officer-page"),
      database,
    );
  } catch (error) {
    recordRegisterMiss(error, actor, eventId, deviceId, now, database);
    throw error;
  }
  notifyKiosk(deviceId);
  return id;
}

const REGISTER_BUCKET = "event-register";
/** The refusals of a register check that count against the kiosk's limit. */
const REGISTER_MISSES = new Set(["register-not-found", "register-matched-online", "register-claimed"]);
const REGISTER_NOT_FOUND = "events:errors.registerNotFound";
const REGISTER_MATCHED_ONLINE = "events:errors.registerMatchedOnline";
const REGISTER_CLAIMED = "events:errors.registerClaimed";

function registerDeviceKey(deviceId: number): string {
  return hmacHex(env().SESSION_SECRET, `event-register:${deviceId}`);
}

function registerMissesAtKiosk(tx: Db, deviceId: number, now: Date): number {
  return (
    tx
      .select({ n: count() })
      .from(rateLimitHits)
      .where(
        and(
          eq(rateLimitHits.bucket, REGISTER_BUCKET),
          eq(rateLimitHits.key, registerDeviceKey(deviceId)),
          gte(rateLimitHits.at, now.getTime() - EVENT_REGISTER_WINDOW_MINUTES * 60_000),
        ),
      )
      .get()?.n ?? 0
  );
}

/** The form field a register refusal belongs beside: the reference, or the first of the voter's details. */
function registerField(input: RegisterMatchInput): string {
  return "reference" in input ? "registerReference" : "registerPostcode";
}

/**
 * A register check that found no free row counts against the kiosk (its own transaction, since the
 * issue's was rolled back) and is in the audit trail, with nothing of what was typed.
 */
export function recordRegisterMiss(
  error: unknown,
  actor: Actor | null,
  eventId: number,
  deviceId: number,
  now: Date,
  database: Db,
): void {
  if (!(error instanceof Refusal) || !REGISTER_MISSES.has(error.code ?? "")) return;
  writeTransaction((tx) => {
    tx.insert(rateLimitHits)
      .values({ bucket: REGISTER_BUCKET, key: registerDeviceKey(deviceId), at: now.getTime() })
      .run();
    recordAudit(tx, {
      actor,
      action: "pb-event.register-not-found",
      entityType: "pb_event",
      entityId: eventId,
      after: { deviceId },
    });
  }, database);
}

/** The free register row the officer's typed values name, or a refusal beside the field. */
function freeRegisterRow(tx: Db, roundId: number, deviceId: number, input: RegisterMatchInput, now: Date): number {
  const field = registerField(input);
  if (registerMissesAtKiosk(tx, deviceId, now) >= EVENT_REGISTER_TRIES_PER_WINDOW)
    throw new Refusal(messageKey("events:errors.registerTooMany", { minutes: EVENT_REGISTER_WINDOW_MINUTES }), {
      field,
      status: 429,
      code: "rate-limited",
    });
  const candidates = findRegisterCandidates(tx, roundId, registerLookup(roundId, input));
  const free = candidates.find((c) => !c.matchedOnline && !c.claimedAtEvent);
  if (free) return free.id;
  if (candidates.length === 0) throw new Refusal(REGISTER_NOT_FOUND, { field, code: "register-not-found" });
  if (candidates.some((c) => c.matchedOnline))
    throw new Refusal(REGISTER_MATCHED_ONLINE, { field, status: 409, code: "register-matched-online" });
  throw new Refusal(REGISTER_CLAIMED, { field, status: 409, code: "register-claimed" });
}

/**
 * The voter's one-time code checked as online code voting checks it, with its wrong-try limit per
 * client address and round; a refusal is put against the form's code field.
 */
export function checkVoterCode(
  roundId: number,
  code: string,
  clientAddress: string,
  now = new Date(),
  database: Db = db(),
): void {
  try {
    checkVotingCode(roundId, code, clientAddress, now.getTime(), database);
  } catch (error) {
    if (error instanceof Refusal)
      throw new Refusal(error.message, { field: "voterCode", status: error.status, code: error.code });
    throw error;
  }
}

/** The issuing itself, inside the caller's write transaction. Returns the issue's id. */
export function issueInTransaction(
  tx: Db,
  actor: Actor,
  eventId: number,
  deviceId: number,
  input: VoterCheckInput,
  now: Date,
  via: IssueRoute,
): number {
  const queries = eventQueries(tx);
  const event = queries.eventById.get({ eventId });
  if (!event) throw new Refusal("events:refusal.noEvent");
  const round = findRound(event.roundId, tx)!;
  if (round.phase !== "voting" || now.toISOString() >= round.votingClosesAt)
    throw new Refusal("events:refusal.votingNotOpen");
  const device = queries.deviceOfEvent.get({ deviceId, eventId });
  if (!device || device.state !== "enrolled") throw new Refusal("events:refusal.chooseKiosk", { field: "deviceId" });
  const allowed = eventChecksFor(round.voterRule);
  if (!allowed.includes(input.check))
    throw new Refusal(messageKey("events:refusal.wrongCheck", { rule: round.voterRule }), {
      field: "check",
      code: "wrong-check",
    });
  let codeId: number | null = null;
  let registerRowId: number | null = null;
  if (input.check === "declared") {
    if (!postcodeInArea(tx, event.roundId, input.postcode))
      throw new Refusal("events:refusal.postcodeOutside", { field: "postcode" });
    if (!input.ageConfirmed)
      throw new Refusal(messageKey("events:refusal.confirmAge", { age: round.minVoterAge }), { field: "ageConfirmed" });
  } else if (input.check === "register") {
    registerRowId = freeRegisterRow(tx, event.roundId, deviceId, input.register, now);
  } else {
    try {
      codeId = unusedCodeOfRound(tx, event.roundId, input.code).id;
    } catch (error) {
      if (error instanceof Refusal) throw new Refusal(error.message, { field: "voterCode", code: error.code });
      throw error;
    }
  }
  const open = queries.openIssueOfDevice.get({ deviceId });
  if (open)
    throw new Refusal(messageKey("events:refusal.kioskBusy", { kiosk: device.label }), {
      field: "deviceId",
    });
  try {
    const issue = queries.insertIssue.get({
      eventId,
      deviceId,
      voterCheck: input.check satisfies VoterCheck,
      codeId,
      issuedVia: via,
      issuedBy: actor.id,
      issuedAt: now.toISOString(),
    })!;
    if (registerRowId !== null) {
      tx.insert(pbRegisterEventClaims)
        .values({
          rowId: registerRowId,
          roundId: event.roundId,
          eventId,
          issueId: issue.id,
          claimedAt: now.toISOString(),
        })
        .run();
      recordAudit(tx, {
        actor,
        action: "pb-event.register-claimed",
        entityType: "pb_event",
        entityId: eventId,
        after: { rowId: registerRowId, issueId: issue.id, deviceId },
      });
    }
    return issue.id;
  } catch (error) {
    // The register row was claimed by another kiosk's ballot since we looked: one wins.
    if (registerRowId !== null && isPrimaryKeyViolation(error) && input.check === "register")
      throw new Refusal(REGISTER_CLAIMED, {
        field: registerField(input.register),
        status: 409,
        code: "register-taken",
      });
    // The code (or the kiosk) was taken by another open ballot since we looked: one wins.
    if (isUniqueViolation(error))
      throw new Refusal(codeId !== null ? "events:errors.codeTaken" : "events:refusal.kioskTaken", {
        field: codeId !== null ? "voterCode" : "deviceId",
        status: 409,
        code: "taken",
      });
    throw error;
  }
}

export function cancelIssue(actor: Actor, eventId: number, issueId: number, now = new Date(), database = db()) {
  writeTransaction((tx) => {
    const changed = tx
      .update(pbEventIssues)
      .set({ state: "cancelled", closedAt: now.toISOString() })
      .where(and(eq(pbEventIssues.id, issueId), eq(pbEventIssues.eventId, eventId), eq(pbEventIssues.state, "issued")))
      .run().changes;
    if (changed !== 1) throw new Refusal("events:refusal.issueGone");
    // The voter did not vote, so the register row they were found on is free again.
    const released = tx
      .delete(pbRegisterEventClaims)
      .where(eq(pbRegisterEventClaims.issueId, issueId))
      .returning({ rowId: pbRegisterEventClaims.rowId })
      .get();
    recordAudit(tx, {
      actor,
      action: "pb-event.issue-cancelled",
      entityType: "pb_event",
      entityId: eventId,
      after: { issueId, ...(released ? { releasedRowId: released.rowId } : {}) },
    });
  }, database);
}

/** The ballot waiting at a kiosk, if any. */
export function openIssue(deviceId: number, database: Db = db()): { id: number } | null {
  return (
    database
      .select({ id: pbEventIssues.id })
      .from(pbEventIssues)
      .where(and(eq(pbEventIssues.deviceId, deviceId), eq(pbEventIssues.state, "issued")))
      .get() ?? null
  );
}

export function issueState(issueId: number, deviceId: number, database: Db = db()) {
  return (
    database
      .select({ state: pbEventIssues.state })
      .from(pbEventIssues)
      .where(and(eq(pbEventIssues.id, issueId), eq(pbEventIssues.deviceId, deviceId)))
      .get()?.state ?? null
  );
}

/** The event's issues by state, and each kiosk's open issue, for the officer's page. */
export function eventActivity(eventId: number, database: Db = db()) {
  const counts = database
    .select({ state: pbEventIssues.state, n: sql<number>`count(*)` })
    .from(pbEventIssues)
    .where(eq(pbEventIssues.eventId, eventId))
    .groupBy(pbEventIssues.state)
    .all();
  const open = database
    .select({ id: pbEventIssues.id, deviceId: pbEventIssues.deviceId, issuedAt: pbEventIssues.issuedAt })
    .from(pbEventIssues)
    .where(and(eq(pbEventIssues.eventId, eventId), eq(pbEventIssues.state, "issued")))
    .orderBy(desc(pbEventIssues.id))
    .all();
  const of = (state: string) => counts.find((c) => c.state === state)?.n ?? 0;
  return { cast: of("cast"), cancelled: of("cancelled"), open };
}

export const ALREADY_CAST = "kiosk:cast.alreadyCast";
export const CODE_SPENT = "kiosk:cast.codeSpent";

/**
 * Casts the ballot issued to this kiosk: the issue is closed inside the cast's transaction, so a
 * retry (a double tap, a resend after a dropped connection) finds it cast and is refused. A voter's
 * code held by the issue is spent in the same transaction; if it was spent meanwhile (the voter
 * voted online with it), nothing is cast and the issue is cancelled, so the kiosk goes back to waiting.
 */
export async function castKioskBallot(
  device: { id: number; eventId: number },
  roundId: number,
  issueId: number,
  ranking: readonly number[],
  now = new Date(),
  database: Db = db(),
): Promise<string> {
  let receipt: string;
  try {
    receipt = await castEventBallot(
      roundId,
      device.eventId,
      ranking,
      (tx) => {
        const claimed = eventQueries(tx).closeIssueAsCast.get({
          issueId,
          deviceId: device.id,
          closedAt: now.toISOString(),
        });
        if (!claimed) throw new Refusal(ALREADY_CAST, { status: 409, code: "already-cast" });
        if (claimed.codeId !== null && !spendVotingCode(tx, claimed.codeId, now))
          throw new Refusal(CODE_SPENT, { status: 409, code: "code-spent" });
      },
      now,
      database,
    );
  } catch (error) {
    if (error instanceof Refusal && error.code === "code-spent")
      writeTransaction(
        (tx) =>
          tx
            .update(pbEventIssues)
            .set({ state: "cancelled", closedAt: now.toISOString() })
            .where(and(eq(pbEventIssues.id, issueId), eq(pbEventIssues.state, "issued")))
            .run(),
        database,
      );
    throw error;
  }
  notifyTurnout(roundId);
  return receipt;
}

/** Kiosks waiting for a ballot wake up when one is issued to them (see kiosk-wait in board.server). */
export function notifyKiosk(deviceId: number): void {
  kioskWaiters.get(deviceId)?.forEach((wake) => wake());
}

const kioskWaiters = new Map<number, Set<() => void>>();

/** Resolves when a ballot is issued to the kiosk, or after `ms`. */
export function waitForIssue(deviceId: number, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let set = kioskWaiters.get(deviceId);
    if (!set) kioskWaiters.set(deviceId, (set = new Set()));
    const done = () => {
      clearTimeout(timer);
      set!.delete(done);
      if (set!.size === 0) kioskWaiters.delete(deviceId);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}
