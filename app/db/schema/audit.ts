/**
 * The audit trail: who did what, when, to which record, with a before/after summary.
 *
 * Append-only: UPDATE and DELETE are refused by triggers (drizzle/0001_append_only_triggers.sql).
 * No foreign keys on purpose: history must outlive the rows it describes. Rows are written in the
 * same transaction as the change they record. Read in (at, id) order so rows written in the same
 * millisecond still come out in a fixed order.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    actorUserId: text("actor_user_id"),
    actorName: text("actor_name"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    reason: text("reason"),
    before: text("before"),
    after: text("after"),
  },
  (t) => [
    index("audit_events_entity_idx").on(t.entityType, t.entityId),
    index("audit_events_at_idx").on(t.at, t.id),
    index("audit_events_actor_idx").on(t.actorUserId),
  ],
);
