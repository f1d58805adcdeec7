/**
 * Spending periods finance has published: from then on the period's Transparency Code spend file,
 * its 360Giving files and a readable summary are on the public spending page, as the ledger stood at
 * the checkpoint written when it was published. Publishing again pins a later checkpoint; the latest
 * row of a period is the one shown. Each publication is also an audit event.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./identity";

export const publishedSpendingPeriods = sqliteTable(
  "published_spending_periods",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The financial year, "2026/27". */
    fy: text("fy").notNull(),
    checkpointSeq: integer("checkpoint_seq").notNull(),
    checkpointHash: text("checkpoint_hash").notNull(),
    /** Payments at or above this go in the Transparency Code spend file. */
    thresholdPence: integer("threshold_pence").notNull(),
    publishedBy: text("published_by")
      .notNull()
      .references(() => users.id),
    publishedAt: text("published_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index("published_spending_periods_fy_idx").on(t.fy, t.id)],
);
