/**
 * Community groups and who belongs to them. Membership is what makes a user a "group member";
 * it is also what separation of duties checks (nobody decides, pays or reviews their own group's bid).
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import { users } from "./identity";

export const ORGANISATION_TYPES = [
  "registered-charity",
  "cio",
  "cic",
  "constituted-group",
  "school-pta",
  "faith-group",
  "company-limited-by-guarantee",
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const communityGroups = sqliteTable(
  "community_groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    organisationType: text("organisation_type", { enum: ORGANISATION_TYPES }).notNull(),
    charityNumber: text("charity_number"),
    companyNumber: text("company_number"),
    address: text("address").notNull(),
    postcode: text("postcode").notNull(),
    contactEmail: text("contact_email").notNull(),
    contactPhone: text("contact_phone"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    verifiedAt: text("verified_at"),
    verifiedBy: text("verified_by").references(() => users.id),
    verificationNote: text("verification_note"),
    /** The version of the bank details the verifier saw; set and cleared together with `verifiedAt`. */
    verifiedBankDetailsId: integer("verified_bank_details_id").references((): AnySQLiteColumn => groupBankDetails.id),
  },
  (t) => [uniqueIndex("community_groups_name_unique").on(t.name)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => communityGroups.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    memberRole: text("member_role", { enum: ["lead", "member"] })
      .notNull()
      .default("member"),
    joinedAt: text("joined_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId)],
);

/**
 * A group's bank details, one row per version (the highest is current), append-only: a change is a new
 * version, numbered 1, 2, 3… within the group. Entered by the group, seen in full only by finance.
 * Verification names the version the verifier saw (`communityGroups.verifiedBankDetailsId`), payments go
 * only to that version, and a change after verification withdraws it, because a changed bank account is
 * a common fraud route.
 */
export const groupBankDetails = sqliteTable(
  "group_bank_details",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: integer("group_id")
      .notNull()
      .references(() => communityGroups.id),
    version: integer("version").notNull(),
    accountName: text("account_name").notNull(),
    sortCode: text("sort_code").notNull(),
    accountNumber: text("account_number").notNull(),
    enteredBy: text("entered_by")
      .notNull()
      .references(() => users.id),
    enteredAt: text("entered_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    index("group_bank_details_group_idx").on(t.groupId, t.id),
    uniqueIndex("group_bank_details_group_version_unique").on(t.groupId, t.version),
  ],
);
