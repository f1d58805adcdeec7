/**
 * Small tables the vote needs beside the shared round tables: wrong one-time-code attempts (for
 * rate limiting, by keyed hash of the client address) and the equality-monitoring tokens already
 * used (by hash of the token's random nonce, which is recorded nowhere else).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const voteCodeFailures = sqliteTable(
  "vote_code_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ip: text("ip").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("vote_code_failures_ip_idx").on(t.ip, t.at)],
);

export const equalityTokenUses = sqliteTable("equality_token_uses", {
  nonceHash: text("nonce_hash").primaryKey(),
});
