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
    createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    sentAt: text("sent_at"),
    transport: text("transport", { enum: ["outbox", "smtp"] }).notNull(),
    error: text("error"),
  },
  (t) => [index("outbox_created_idx").on(t.createdAt)],
);
