/**
 * Progress updates a funded group posts between the award and the final report, each checked by an
 * officer before it is published on the public project page, and the photos that go with them. An
 * update moves once, from awaiting-check to published or sent-back; a sent-back update keeps its
 * reason and the group posts a new one.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { DELIVERY_UPDATE_STATUSES } from "../../core/grants/delivery-updates";
import { bids } from "./bids";
import { users } from "./identity";

export { DELIVERY_UPDATE_STATUSES };

export const deliveryUpdates = sqliteTable(
  "delivery_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    body: text("body").notNull(),
    status: text("status", { enum: DELIVERY_UPDATE_STATUSES }).notNull().default("awaiting-check"),
    postedBy: text("posted_by")
      .notNull()
      .references(() => users.id),
    postedAt: text("posted_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    /** The officer who published it or sent it back, when, and (sent back only) why. */
    checkedBy: text("checked_by").references(() => users.id),
    checkedAt: text("checked_at"),
    sendBackReason: text("send_back_reason"),
  },
  (t) => [
    index("delivery_updates_bid_idx").on(t.bidId, t.status),
    index("delivery_updates_status_idx").on(t.status, t.postedAt),
    check("delivery_updates_status", sql`${t.status} in ('awaiting-check', 'published', 'sent-back')`),
    check(
      "delivery_updates_checked",
      sql`(${t.status} = 'awaiting-check') = (${t.checkedBy} is null and ${t.checkedAt} is null)`,
    ),
    check(
      "delivery_updates_reason",
      sql`(${t.status} = 'sent-back') = (${t.sendBackReason} is not null and length(${t.sendBackReason}) > 0)`,
    ),
  ],
);

export const deliveryUpdatePhotos = sqliteTable(
  "delivery_update_photos",
  {
    id: text("id").primaryKey(),
    updateId: integer("update_id")
      .notNull()
      .references(() => deliveryUpdates.id),
    /** Order within the update, from 1. */
    position: integer("position").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    /** What the photo shows, written by the poster for people who cannot see it. */
    altText: text("alt_text").notNull(),
  },
  (t) => [
    index("delivery_update_photos_update_idx").on(t.updateId, t.position),
    check("delivery_update_photos_size", sql`${t.sizeBytes} > 0`),
    check("delivery_update_photos_alt", sql`length(trim(${t.altText})) > 0`),
  ],
);
