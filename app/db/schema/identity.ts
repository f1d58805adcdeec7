/**
 * People and their sessions. A user is one person with one email address; what they may do comes
 * from their role grants (a councillor's grants name the ward), and group membership comes from
 * `group_members` (see community.ts). The session table has the shape lucia v3 expects.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
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
    /** The language the person's mail is written in ("en" or "cy"). */
    language: text("language").notNull().default("en"),
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
    purpose: text("purpose", { enum: ["reset", "invite"] }).notNull(),
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
