/**
 * Decision-day events: a round's voting in a hall, on enrolled kiosk devices, with a live turnout
 * board for the projector.
 *
 * - `pb_events`: the event (place, times, officers present) and the long random address of its board.
 * - `pb_event_devices`: a device enrolled for one event. While pending it has a one-time enrolment
 *   link and a short confirmation code shown on the officer's page (both as SHA-256 only, except the
 *   short code, which the officer's page shows until the device confirms it and is then erased);
 *   once confirmed it holds the SHA-256 of the kiosk's device token (the token itself lives only in
 *   the device's signed cookie).
 * - `pb_register_event_claims`: a register row claimed at an event by the ballot issued on it.
 * - `pb_event_issues`: one ballot issued to one kiosk after an officer checked the voter. It records
 *   how the voter was checked and whether the ballot was cast, never which ballot: the ballot itself
 *   goes to `pb_ballots` with nothing that links it to the issue.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./identity";
import { pbRounds, pbVoteCodes } from "./rounds";
import { pbRegisterRows } from "./voting";

export const pbEvents = sqliteTable(
  "pb_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    name: text("name").notNull(),
    place: text("place").notNull(),
    startsAt: text("starts_at").notNull(),
    endsAt: text("ends_at").notNull(),
    /** The officers present, as the officer wrote them (one name a line). */
    officers: text("officers").notNull().default(""),
    /** The board's address is /board/<boardToken>: 32 random bytes, base64url. Shows turnout only. */
    boardToken: text("board_token").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("pb_events_board_token_unique").on(t.boardToken),
    index("pb_events_round_idx").on(t.roundId),
    check("pb_events_times", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const DEVICE_STATES = ["pending", "enrolled", "revoked"] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const pbEventDevices = sqliteTable(
  "pb_event_devices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: integer("event_id")
      .notNull()
      .references(() => pbEvents.id),
    label: text("label").notNull(),
    state: text("state", { enum: DEVICE_STATES }).notNull().default("pending"),
    /** SHA-256 of the one-time enrolment link's token (pending devices only). */
    linkTokenHash: text("link_token_hash"),
    /** The short code the device must type, shown on the officer's page until confirmed; then null. */
    confirmCode: text("confirm_code"),
    confirmFailures: integer("confirm_failures").notNull().default(0),
    linkExpiresAt: text("link_expires_at"),
    /** SHA-256 of the device token held in the kiosk's signed cookie (enrolled devices only). */
    deviceTokenHash: text("device_token_hash"),
    enrolledAt: text("enrolled_at"),
    revokedAt: text("revoked_at"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("pb_event_devices_event_idx").on(t.eventId),
    uniqueIndex("pb_event_devices_link_unique").on(t.linkTokenHash),
    uniqueIndex("pb_event_devices_token_unique").on(t.deviceTokenHash),
  ],
);

export const VOTER_CHECKS = ["declared", "register", "code"] as const;
export type VoterCheck = (typeof VOTER_CHECKS)[number];
export const ISSUE_STATES = ["issued", "cast", "cancelled"] as const;
/** Where the ballot was issued: on the officer's own page, or at the kiosk with the officer's PIN. */
export const ISSUE_ROUTES = ["officer-page", "kiosk-pin"] as const;

export const pbEventIssues = sqliteTable(
  "pb_event_issues",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: integer("event_id")
      .notNull()
      .references(() => pbEvents.id),
    deviceId: integer("device_id")
      .notNull()
      .references(() => pbEventDevices.id),
    /** How the officer checked the voter: a declared postcode and age, a register match, or a voting code. */
    voterCheck: text("voter_check", { enum: VOTER_CHECKS }).notNull(),
    /**
     * The voter's one-time code when the check was a code: reserved by the open issue, spent (as an
     * online code vote spends it) in the cast's transaction. Which code, never which ballot.
     */
    codeId: integer("code_id").references(() => pbVoteCodes.id),
    issuedVia: text("issued_via", { enum: ISSUE_ROUTES }).notNull().default("officer-page"),
    state: text("state", { enum: ISSUE_STATES }).notNull().default("issued"),
    issuedBy: text("issued_by")
      .notNull()
      .references(() => users.id),
    issuedAt: text("issued_at").notNull(),
    closedAt: text("closed_at"),
  },
  (t) => [
    index("pb_event_issues_event_idx").on(t.eventId, t.state),
    /** At most one open ballot per kiosk. */
    uniqueIndex("pb_event_issues_one_open")
      .on(t.deviceId)
      .where(sql`${t.state} = 'issued'`),
    /** A voting code is held by at most one open ballot: two kiosks given the same code, one wins. */
    uniqueIndex("pb_event_issues_one_open_per_code")
      .on(t.codeId)
      .where(sql`${t.state} = 'issued' and ${t.codeId} is not null`),
  ],
);

/**
 * An officer's PIN for one event, to issue a ballot at a kiosk: argon2id-hashed (the account
 * password's parameters), shown once when set. Five wrong tries in a row lock it until the officer
 * sets a new one; setting a new one revokes the old. At most one live PIN per officer and event.
 */
export const pbEventOfficerPins = sqliteTable(
  "pb_event_officer_pins",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: integer("event_id")
      .notNull()
      .references(() => pbEvents.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    pinHash: text("pin_hash").notNull(),
    /** Wrong tries since the last right one. */
    failures: integer("failures").notNull().default(0),
    lockedAt: text("locked_at"),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    uniqueIndex("pb_event_officer_pins_live")
      .on(t.eventId, t.userId)
      .where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * A register row claimed at an event: the officer found the voter on the register and issued a
 * ballot on that row. The row is the primary key, so a row is claimed once, whichever kiosk or
 * officer asks first; a row matched online (`pb_register_matches`) is refused here and the other
 * way round. Deleted with the issue's cancellation (the voter did not vote); kept once it is cast.
 */
export const pbRegisterEventClaims = sqliteTable(
  "pb_register_event_claims",
  {
    rowId: integer("row_id")
      .primaryKey()
      .references(() => pbRegisterRows.id),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    eventId: integer("event_id")
      .notNull()
      .references(() => pbEvents.id),
    issueId: integer("issue_id")
      .notNull()
      .references(() => pbEventIssues.id),
    claimedAt: text("claimed_at").notNull(),
  },
  (t) => [uniqueIndex("pb_register_event_claims_issue_unique").on(t.issueId)],
);
