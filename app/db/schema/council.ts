/**
 * The council and its places: settings (one row), wards with their ONS GSS codes, and the postcode
 * → ward table imported from the ONS Postcode Directory. Councillors are role grants that name a
 * ward (identity.ts).
 */
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const councilSettings = sqliteTable(
  "council_settings",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    orgIdentifier: text("org_identifier").notNull(),
    financialYearStartMonth: integer("financial_year_start_month").notNull().default(4),
    designatedDecisionMaker: text("designated_decision_maker").notNull().default("Cabinet Member for Communities"),
    /**
     * The user who holds the designated decision-maker's office (decides bids every ward councillor is conflicted on).
     */
    designatedDecisionMakerId: text("designated_decision_maker_id"),
    /** The languages the service is offered in, comma-separated codes: "en" or "cy,en" (see app/i18n.ts). */
    languages: text("languages").notNull().default("en"),
    updatedAt: text("updated_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    check("council_settings_single_row", sql`${t.id} = 1`),
    check("council_settings_fy_month", sql`${t.financialYearStartMonth} between 1 and 12`),
  ],
);

export const wards = sqliteTable(
  "wards",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** The ward's Welsh name (null: English only). */
    nameCy: text("name_cy"),
    gssCode: text("gss_code").notNull(),
    population: integer("population").notNull(),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    uniqueIndex("wards_gss_code_unique").on(t.gssCode),
    uniqueIndex("wards_name_unique").on(t.name),
    check("wards_population_non_negative", sql`${t.population} >= 0`),
  ],
);

export const postcodes = sqliteTable(
  "postcodes",
  {
    postcode: text("postcode").primaryKey(),
    wardGssCode: text("ward_gss_code").notNull(),
  },
  (t) => [index("postcodes_ward_idx").on(t.wardGssCode)],
);
