/**
 * The outbox: every message the app sends is kept here. Without SMTP configured it is the only
 * place mail goes, and administrators read it at /admin/outbox (so the demo works with no server).
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    sentAt: text("sent_at"),
    transport: text("transport", { enum: ["outbox", "smtp"] }).notNull(),
    /** The last delivery error, kept after a later success is not possible (a sent message clears nothing). */
    error: text("error"),
    /** Delivery attempts made so far. */
    attempts: integer("attempts").notNull().default(0),
    lastAttemptAt: text("last_attempt_at"),
    /** When the worker may next try (also a short lease while one worker is sending it). */
    nextAttemptAt: text("next_attempt_at"),
    /** Set when the worker gave up after the last allowed attempt. */
    failedAt: text("failed_at"),
    /**
     * The body as the recipient receives it, when it holds a private link (a password reset or an
     * invitation): sealed with a key derived from SESSION_SECRET, and cleared once the message is
     * sent or given up on. `body` holds the same text with that link redacted.
     */
    sealedBody: text("sealed_body"),
    /** Set when the retention job replaced the body of a delivered message. */
    bodyRemovedAt: text("body_removed_at"),
  },
  (t) => [
    index("outbox_created_idx").on(t.createdAt),
    index("outbox_pending_idx").on(t.sentAt, t.failedAt, t.nextAttemptAt),
  ],
);

/** One row, rewritten by GET /healthz to prove the database accepts writes. */
export const healthChecks = sqliteTable("health_checks", {
  id: integer("id").primaryKey(),
  checkedAt: text("checked_at").notNull(),
});
