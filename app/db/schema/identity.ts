/**
 * People and their sessions. A user is one person with one email address; what they may do comes
 * from their role grants (a councillor's grants name the ward), and group membership comes from
 * `group_members` (see community.ts). The session table has the shape lucia v3 expects.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { communityGroups } from "./community";
import { wards } from "./council";

export const ROLES = ["resident", "councillor", "finance", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    postcode: text("postcode"),
    dateOfBirth: text("date_of_birth"),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    disabledAt: text("disabled_at"),
    /** When the holder of `email` opened a link mailed to it; until then the account can do nothing. */
    emailVerifiedAt: text("email_verified_at"),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    /** Milliseconds since the epoch: when the session began and when it was last used (for timeouts). */
    createdAt: integer("created_at").notNull().default(0),
    lastSeenAt: integer("last_seen_at").notNull().default(0),
    /** A short summary of the browser that signed in ("Firefox on Windows"), shown on the account page. */
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * A role held by a user. `ward_id` is set for councillor grants (one row per ward) and null
 * otherwise, so "councillor of ward X" is a single indexed lookup.
 */
export const roleGrants = sqliteTable(
  "role_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    wardId: integer("ward_id").references(() => wards.id),
    grantedAt: text("granted_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    uniqueIndex("role_grants_unique_global")
      .on(t.userId, t.role)
      .where(sql`ward_id is null`),
    uniqueIndex("role_grants_unique_ward")
      .on(t.userId, t.role, t.wardId)
      .where(sql`ward_id is not null`),
    index("role_grants_ward_idx").on(t.wardId, t.role),
  ],
);

/** reset: choose a new password; invite: set the first password of an invited account; verify: confirm the address. */
export const TOKEN_PURPOSES = ["reset", "invite", "verify"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/**
 * One-time tokens for password reset and account invitations. Only the SHA-256 of the token is
 * stored; the token itself goes out by mail. `used_at` makes a token single-use.
 */
export const passwordTokens = sqliteTable(
  "password_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: TOKEN_PURPOSES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [uniqueIndex("password_tokens_hash_unique").on(t.tokenHash)],
);

/** Failed sign-ins, by account (lower-cased email) and by client address, for rate limiting. */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("sign_in_failures_email_idx").on(t.email, t.at), index("sign_in_failures_ip_idx").on(t.ip, t.at)],
);

/**
 * Requests counted for rate limiting (registration, forgotten password, a new confirmation link):
 * `key` is a keyed hash of the email address or of the client address, never either in clear.
 */
export const rateLimitHits = sqliteTable(
  "rate_limit_hits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("rate_limit_hits_bucket_key_idx").on(t.bucket, t.key, t.at)],
);

export const INVITATION_KINDS = ["role", "group"] as const;

/**
 * An offer of roles (from an administrator) or of group membership (from a group's lead contact) to
 * an email address. Nothing is granted until the holder of that verified address accepts it; the
 * token goes out by mail and only its SHA-256 is kept.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: INVITATION_KINDS }).notNull(),
    email: text("email").notNull(),
    /** The name the inviter gave, offered as the name of a new account. */
    name: text("name").notNull(),
    roles: text("roles", { mode: "json" }).$type<Role[]>().notNull().default(sql`'[]'`),
    councillorWardIds: text("councillor_ward_ids", { mode: "json" }).$type<number[]>().notNull().default(sql`'[]'`),
    groupId: integer("group_id").references(() => communityGroups.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    invitedById: text("invited_by_id").references(() => users.id, { onDelete: "set null" }),
    invitedByName: text("invited_by_name").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    acceptedAt: text("accepted_at"),
    acceptedById: text("accepted_by_id").references(() => users.id, { onDelete: "set null" }),
    cancelledAt: text("cancelled_at"),
    cancelledById: text("cancelled_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_unique").on(t.tokenHash),
    index("invitations_email_idx").on(t.email),
    index("invitations_group_idx").on(t.groupId),
  ],
);
