/**
 * Funds (money for one purpose in one financial year), the budgets a fund is split into (one per
 * ward or per councillor, or one pot for a PB round), and grants (an award to a community group).
 * Their text ids are the identities the ledger's account keys use: `AVAILABLE:{budget id}`,
 * `COMMITTED:{grant id}`, `FUNDING:{fund id}:{fy}`. Later issues add scheme rules and bid links.
 *
 * A grant that spans financial years has one grant row per year: the award itself (in the fund
 * that decided it, holding the award year's commitment) and, for each later year's tranche once
 * committed, a row in that year's fund with `parent_grant_id` pointing back at the award. So each
 * fund's grant accounts hold only that fund's money and the ledger's conservation per fund and
 * year holds.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { communityGroups } from "./community";
import { wards } from "./council";
import { users } from "./identity";

export const FUND_KINDS = ["ward-budget", "pb-round"] as const;

export const funds = sqliteTable(
  "funds",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: FUND_KINDS }).notNull(),
    name: text("name").notNull(),
    fy: text("fy").notNull(),
    department: text("department").notNull().default("Communities and Neighbourhoods"),
    /** How the pot was shared: population, equal, weights or per-councillor. */
    splitMethod: text("split_method"),
    potPence: integer("pot_pence"),
    /** One budget per ward, or one per councillor. */
    budgetMode: text("budget_mode", { enum: ["per-ward", "per-councillor"] })
      .notNull()
      .default("per-ward"),
    /** Pooled ward budgets: how many of the ward's councillors must approve (null: any one). */
    pooledQuorum: integer("pooled_quorum"),
    minGrantPence: integer("min_grant_pence"),
    maxGrantPence: integer("max_grant_pence"),
    /** JSON array of organisation types that may bid. */
    eligibleTypes: text("eligible_types"),
    /** JSON object of the grant rules switched on (see core/funds/scheme.ts). */
    grantRules: text("grant_rules"),
    criteria: text("criteria"),
    /** Welsh versions of the name and criteria (null: English only). */
    nameCy: text("name_cy"),
    criteriaCy: text("criteria_cy"),
    opensOn: text("opens_on"),
    closesOn: text("closes_on"),
    /** No new commitments after this date (pre-election period). */
    commitmentCutoffOn: text("commitment_cutoff_on"),
    yearEnd: text("year_end", { enum: ["lapse", "carry-forward"] })
      .notNull()
      .default("lapse"),
    createdBy: text("created_by"),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index("funds_fy_idx").on(t.fy)],
);

export const budgets = sqliteTable(
  "budgets",
  {
    id: text("id").primaryKey(),
    fundId: text("fund_id")
      .notNull()
      .references(() => funds.id),
    wardId: integer("ward_id").references(() => wards.id),
    councillorId: text("councillor_id").references(() => users.id),
    name: text("name").notNull(),
  },
  (t) => [index("budgets_fund_idx").on(t.fundId), index("budgets_ward_idx").on(t.wardId)],
);

export const grants = sqliteTable(
  "grants",
  {
    id: text("id").primaryKey(),
    fundId: text("fund_id")
      .notNull()
      .references(() => funds.id),
    groupId: integer("group_id")
      .notNull()
      .references(() => communityGroups.id),
    wardId: integer("ward_id").references(() => wards.id),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    amountRequestedPence: integer("amount_requested_pence").notNull(),
    amountAwardedPence: integer("amount_awarded_pence").notNull(),
    awardDate: text("award_date").notNull(),
    plannedStart: text("planned_start"),
    plannedEnd: text("planned_end"),
    /** For a later year's tranche of a multi-year award: the award's own grant. */
    parentGrantId: text("parent_grant_id").references((): AnySQLiteColumn => grants.id),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    updatedAt: text("updated_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    index("grants_fund_idx").on(t.fundId),
    index("grants_group_idx").on(t.groupId),
    index("grants_parent_idx").on(t.parentGrantId),
    check("grants_amounts_non_negative", sql`${t.amountRequestedPence} >= 0 and ${t.amountAwardedPence} >= 0`),
  ],
);

/**
 * A decision that authorises a ledger entry (COMMIT, REVERSAL, BUDGET_ADJUST, VIREMENT, LAPSE,
 * CARRY_FORWARD, CLAWBACK_WRITE_OFF): who asked, who approved, and the approver's declaration that
 * they have no interest. The ledger refuses the entry when the approver is also the requester.
 *
 * A later year's tranche of a multi-year award is committed under its own approval row (the
 * ledger checks an approval against the grant it names), which copies the original decision's
 * requester, approver and time and points back at it through `derived_from_id`: the decision is
 * the approval, the row records that this commitment carries it out.
 */
export const approvals = sqliteTable(
  "approvals",
  {
    id: text("id").primaryKey(),
    entryType: text("entry_type").notNull(),
    grantId: text("grant_id").references(() => grants.id),
    subjectEntryId: text("subject_entry_id"),
    requesterId: text("requester_id").notNull(),
    approverId: text("approver_id").notNull(),
    decidedAt: text("decided_at").notNull(),
    amountPence: integer("amount_pence").notNull(),
    noInterestDeclared: integer("no_interest_declared", { mode: "boolean" }).notNull(),
    note: text("note"),
    /** The decision a later year's tranche commitment carries out. */
    derivedFromId: text("derived_from_id").references((): AnySQLiteColumn => approvals.id),
  },
  (t) => [
    index("approvals_grant_idx").on(t.grantId),
    check("approvals_distinct_people", sql`${t.requesterId} <> ${t.approverId}`),
  ],
);

/**
 * A change to a fund's budgets that needs a second person: a BUDGET_ADJUST of one budget, or the
 * year-end run (LAPSE or CARRY_FORWARD of every budget's unspent money, per the fund's setting).
 * One admin or finance officer asks, with a reason; another approves (and the entry is posted) or
 * refuses.
 */
export const budgetChangeRequests = sqliteTable(
  "budget_change_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    fundId: text("fund_id")
      .notNull()
      .references(() => funds.id),
    kind: text("kind", { enum: ["adjust", "year-end"] }).notNull(),
    budgetId: text("budget_id").references(() => budgets.id),
    /** Signed change in pence, for an adjustment. */
    changePence: integer("change_pence"),
    reason: text("reason").notNull(),
    requestedBy: text("requested_by")
      .notNull()
      .references(() => users.id),
    requestedAt: text("requested_at").notNull(),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: text("decided_at"),
    outcome: text("outcome", { enum: ["approved", "refused"] }),
    /** JSON array of the ledger entries posted on approval. */
    entryIds: text("entry_ids"),
  },
  (t) => [
    index("budget_change_requests_fund_idx").on(t.fundId),
    check(
      "budget_change_requests_adjust",
      sql`${t.kind} <> 'adjust' or (${t.budgetId} is not null and ${t.changePence} is not null and ${t.changePence}
        <> 0)`,
    ),
  ],
);
