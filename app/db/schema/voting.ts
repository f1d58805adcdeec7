/**
 * Small tables the vote needs beside the shared round tables: wrong one-time-code attempts (for
 * rate limiting, by keyed hash of the client address) and the equality-monitoring tokens already
 * used (by hash of the token's random nonce, which is recorded nowhere else).
 */
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { wards } from "./council";
import { users } from "./identity";
import { pbRounds } from "./rounds";

export const voteCodeFailures = sqliteTable(
  "vote_code_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ip: text("ip").notNull(),
    at: integer("at").notNull(),
    /** The round the code was tried for (failures count per client address and round). */
    roundId: integer("round_id"),
  },
  (t) => [
    index("vote_code_failures_ip_idx").on(t.ip, t.at),
    index("vote_code_failures_ip_round_idx").on(t.ip, t.roundId, t.at),
  ],
);

export const equalityTokenUses = sqliteTable("equality_token_uses", {
  nonceHash: text("nonce_hash").primaryKey(),
});

/**
 * A round's residents' register, as the council uploaded it, kept only as keyed hashes
 * (app/models/voting/register.server.ts): of the reference printed on a letter or polling card,
 * and of postcode + date of birth + surname. The ward comes from the postcode at upload, for turnout.
 */
export const pbRegisterRows = sqliteTable(
  "pb_register_rows",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    referenceHash: text("reference_hash"),
    personHash: text("person_hash"),
    wardId: integer("ward_id").references(() => wards.id),
  },
  (t) => [
    uniqueIndex("pb_register_rows_reference_unique").on(t.roundId, t.referenceHash),
    index("pb_register_rows_person_idx").on(t.roundId, t.personHash),
    check("pb_register_rows_some_key", sql`${t.referenceHash} is not null or ${t.personHash} is not null`),
  ],
);

/**
 * Which account a register row serves. The row is the primary key, so each row serves one account;
 * (round, user) is unique, so an account matches one row per round. The cast reads this by that index.
 */
export const pbRegisterMatches = sqliteTable(
  "pb_register_matches",
  {
    rowId: integer("row_id")
      .primaryKey()
      .references(() => pbRegisterRows.id),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** Copied from the row, for turnout by ward. */
    wardId: integer("ward_id").references(() => wards.id),
    matchedBy: text("matched_by", { enum: ["reference", "person"] }).notNull(),
    matchedAt: text("matched_at").notNull(),
  },
  (t) => [uniqueIndex("pb_register_matches_user_unique").on(t.roundId, t.userId)],
);

/** Register match attempts that found no free row, per account and round, to limit guessing. */
export const pbRegisterFailures = sqliteTable(
  "pb_register_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id").notNull(),
    userId: text("user_id").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("pb_register_failures_user_idx").on(t.roundId, t.userId, t.at)],
);
