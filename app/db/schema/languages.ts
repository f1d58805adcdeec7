/**
 * The pages every council must publish (accessibility statement, privacy notice, cookies), as an
 * administrator has edited them, one row per page and language; a page with no row shows the
 * default text in app/core/public-pages. And the record of closed accounts, which lets the audit
 * trail's redaction trigger tell a lawful erasure from tampering (drizzle migration 0019).
 */
import { sql } from "drizzle-orm";
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const PUBLIC_PAGE_SLUGS = ["accessibility", "privacy", "cookies"] as const;
export type PublicPageSlug = (typeof PUBLIC_PAGE_SLUGS)[number];

export const publicPages = sqliteTable(
  "public_pages",
  {
    slug: text("slug", { enum: PUBLIC_PAGE_SLUGS }).notNull(),
    language: text("language").notNull(),
    /** The page in Markdown (headings, paragraphs, lists, links; raw HTML is shown as text). */
    body: text("body").notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: text("updated_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [primaryKey({ columns: [t.slug, t.language] })],
);

/**
 * An account its holder closed. The users row stays (other records point at it) with every personal
 * field erased; its random id is the pseudonym the audit trail keeps.
 */
export const accountClosures = sqliteTable("account_closures", {
  userId: text("user_id").primaryKey(),
  closedAt: text("closed_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});
