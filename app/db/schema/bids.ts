/**
 * Bids and what follows them: a community group's bid to a fund (a ward-budget scheme or a PB
 * round), its frozen versions, its files, the councillors' decisions and interest declarations,
 * the grant offer with its instalments, and the monitoring report. Ward-budget bids and PB bids
 * share these tables; PB-only facts (eligibility review, ballot position) live in rounds.ts.
 *
 * The working copy of a bid is the `bids` row with its `bid_budget_lines` and `bid_wards`; each
 * submission freezes that copy as JSON in `bid_versions`, so the history keeps every version and a
 * diff is a comparison of two snapshots.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { communityGroups } from "./community";
import { wards } from "./council";
import { approvals, funds, grants } from "./funds";
import { users } from "./identity";
import { BID_STATUSES, type BidStatus } from "../../core/bids/status";
import { TRANCHE_STATUSES } from "../../core/bids/tranches";

/** Every state a bid can be in; `app/core/bids/status.ts` holds the allowed transitions. */
export { BID_STATUSES, type BidStatus };

export const bids = sqliteTable(
  "bids",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Public reference, e.g. WB-2026-0007 or PB-2026-0012. */
    reference: text("reference").notNull(),
    fundId: text("fund_id")
      .notNull()
      .references(() => funds.id),
    groupId: integer("group_id")
      .notNull()
      .references(() => communityGroups.id),
    status: text("status", { enum: BID_STATUSES }).notNull().default("draft"),
    /** Which step of the multi-step form the draft was last saved at. */
    draftStep: text("draft_step").notNull().default("about"),
    title: text("title").notNull().default(""),
    summary: text("summary").notNull().default(""),
    /** Welsh versions of the title and summary shown on public project pages (null: English only). */
    titleCy: text("title_cy"),
    summaryCy: text("summary_cy"),
    description: text("description").notNull().default(""),
    amountPence: integer("amount_pence"),
    beneficiaries: text("beneficiaries").notNull().default(""),
    beneficiaryCount: integer("beneficiary_count"),
    startOn: text("start_on"),
    endOn: text("end_on"),
    /** Number of the latest frozen version (0 while never submitted). */
    version: integer("version").notNull().default(0),
    /** The grant made from this bid, once approved (the ledger's COMMITTED:{grant id}). */
    grantId: text("grant_id").references(() => grants.id),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    updatedAt: text("updated_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    submittedAt: text("submitted_at"),
    decidedAt: text("decided_at"),
    withdrawnAt: text("withdrawn_at"),
    withdrawnReason: text("withdrawn_reason"),
  },
  (t) => [
    uniqueIndex("bids_reference_unique").on(t.reference),
    index("bids_fund_status_idx").on(t.fundId, t.status),
    index("bids_group_idx").on(t.groupId),
    check("bids_amount_positive", sql`${t.amountPence} is null or ${t.amountPence} > 0`),
    check("bids_beneficiary_count", sql`${t.beneficiaryCount} is null or ${t.beneficiaryCount} >= 0`),
  ],
);

export const bidBudgetLines = sqliteTable(
  "bid_budget_lines",
  {
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    lineNo: integer("line_no").notNull(),
    description: text("description").notNull(),
    amountPence: integer("amount_pence").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.lineNo] }), check("bid_budget_lines_amount", sql`${t.amountPence} > 0`)],
);

/** The wards a bid benefits; a two-ward bid can be funded from both wards' budgets. */
export const bidWards = sqliteTable(
  "bid_wards",
  {
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    wardId: integer("ward_id")
      .notNull()
      .references(() => wards.id),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.wardId] }), index("bid_wards_ward_idx").on(t.wardId)],
);

/** A frozen submission: the whole working copy as JSON (fields, budget lines, wards, file ids). */
export const bidVersions = sqliteTable(
  "bid_versions",
  {
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    version: integer("version").notNull(),
    snapshot: text("snapshot").notNull(),
    submittedBy: text("submitted_by")
      .notNull()
      .references(() => users.id),
    submittedAt: text("submitted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.version] })],
);

/**
 * Files attached to a bid or a monitoring report. The bytes live outside `public/` under the
 * storage key and are served only after an authorisation check. A removed file keeps its row
 * (earlier versions still name it).
 */
export const ATTACHMENT_PURPOSES = ["bid", "monitoring"] as const;
export const attachments = sqliteTable(
  "attachments",
  {
    id: text("id").primaryKey(),
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    purpose: text("purpose", { enum: ATTACHMENT_PURPOSES }).notNull().default("bid"),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    /** Shown on public pages (monitoring photos the group agreed to publish). */
    isPublic: integer("is_public", { mode: "boolean" }).notNull().default(false),
    uploadedBy: text("uploaded_by")
      .notNull()
      .references(() => users.id),
    uploadedAt: text("uploaded_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    removedAt: text("removed_at"),
  },
  (t) => [index("attachments_bid_idx").on(t.bidId), check("attachments_size", sql`${t.sizeBytes} > 0`)],
);

/** A councillor's (or the designated decision-maker's) declaration on one bid. */
export const bidInterestDeclarations = sqliteTable(
  "bid_interest_declarations",
  {
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    hasInterest: integer("has_interest", { mode: "boolean" }).notNull(),
    details: text("details"),
    declaredAt: text("declared_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bidId, t.userId] })],
);

export const DECISION_OUTCOMES = ["approve", "part-approve", "reject", "request-changes"] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const bidDecisions = sqliteTable(
  "bid_decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    /** The bid version decided on. */
    version: integer("version").notNull(),
    deciderId: text("decider_id")
      .notNull()
      .references(() => users.id),
    /** The ward the decider sits for (null for the designated decision-maker). */
    wardId: integer("ward_id").references(() => wards.id),
    asDesignatedDecisionMaker: integer("as_designated_decision_maker", { mode: "boolean" }).notNull().default(false),
    outcome: text("outcome", { enum: DECISION_OUTCOMES }).notNull(),
    amountPence: integer("amount_pence"),
    reason: text("reason"),
    /** The ledger entry posted with the decision (EARMARK or COMMIT), if any. */
    entryId: text("entry_id"),
    decidedAt: text("decided_at").notNull(),
  },
  (t) => [
    index("bid_decisions_bid_idx").on(t.bidId),
    uniqueIndex("bid_decisions_one_per_person_version").on(t.bidId, t.version, t.deciderId),
  ],
);

/**
 * Each paying ward's own decision on its share of a bid that lists several wards: one row per ward
 * and version, by one of the ward's councillors or by the designated decision-maker on referral.
 */
export const bidWardDecisions = sqliteTable(
  "bid_ward_decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    version: integer("version").notNull(),
    wardId: integer("ward_id")
      .notNull()
      .references(() => wards.id),
    /** approve, part-approve or reject (the ward declines its share). */
    outcome: text("outcome", { enum: ["approve", "part-approve", "reject"] }).notNull(),
    /** The ward's share of the request. */
    sharePence: integer("share_pence").notNull(),
    /** The part of the share approved (0 when declined). */
    amountPence: integer("amount_pence").notNull(),
    deciderId: text("decider_id")
      .notNull()
      .references(() => users.id),
    asDesignatedDecisionMaker: integer("as_designated_decision_maker", { mode: "boolean" }).notNull().default(false),
    reason: text("reason"),
    /** The COMMIT entry that drew the approved share from the ward's budget. */
    entryId: text("entry_id"),
    decidedAt: text("decided_at").notNull(),
  },
  (t) => [uniqueIndex("bid_ward_decisions_one_per_ward_version").on(t.bidId, t.version, t.wardId)],
);

export const grantOffers = sqliteTable(
  "grant_offers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    grantId: text("grant_id")
      .notNull()
      .references(() => grants.id),
    amountPence: integer("amount_pence").notNull(),
    terms: text("terms").notNull(),
    conditions: text("conditions").notNull().default(""),
    createdAt: text("created_at").notNull(),
    acceptedAt: text("accepted_at"),
    acceptedBy: text("accepted_by").references(() => users.id),
    declinedAt: text("declined_at"),
  },
  (t) => [uniqueIndex("grant_offers_bid_unique").on(t.bidId), check("grant_offers_amount", sql`${t.amountPence} > 0`)],
);

/** A payment the offer schedules: one, or staged; a stage may wait for a monitoring return. */
export const grantInstalments = sqliteTable(
  "grant_instalments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    offerId: integer("offer_id")
      .notNull()
      .references(() => grantOffers.id),
    seq: integer("seq").notNull(),
    amountPence: integer("amount_pence").notNull(),
    dueOn: text("due_on").notNull(),
    /** The financial year whose budget this tranche is committed against. */
    fy: text("fy").notNull(),
    afterMonitoring: integer("after_monitoring", { mode: "boolean" }).notNull().default(false),
    payRequestEntryId: text("pay_request_entry_id"),
    paidAt: text("paid_at"),
  },
  (t) => [
    uniqueIndex("grant_instalments_offer_seq").on(t.offerId, t.seq),
    check("grant_instalments_amount", sql`${t.amountPence} > 0`),
  ],
);

/**
 * One financial year's part of a grant offer: the sum of the instalments that year's budget pays.
 * The award year's tranche is committed with the decision (its grant is the offer's grant); a
 * later year's tranche is "pending" until that year's ward budget is set, then committed under its
 * own grant in that year's fund (`grant_id`, `commit_entry_id`, `approval_id`). A tranche still
 * pending when the grant is withdrawn is cancelled; a committed one is decommitted. Amount, year
 * and offer never change, and a tranche only moves forward (drizzle/0014_grant_tranche_triggers.sql).
 * Offers made before tranches existed have no rows: their whole award sits on the offer's grant.
 */
export const grantTranches = sqliteTable(
  "grant_tranches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    offerId: integer("offer_id")
      .notNull()
      .references(() => grantOffers.id),
    fy: text("fy").notNull(),
    amountPence: integer("amount_pence").notNull(),
    status: text("status", { enum: TRANCHE_STATUSES }).notNull(),
    /** The grant whose COMMITTED account holds this year's money (null while pending). */
    grantId: text("grant_id").references(() => grants.id),
    commitEntryId: text("commit_entry_id"),
    approvalId: text("approval_id").references(() => approvals.id),
    committedAt: text("committed_at"),
    committedBy: text("committed_by").references(() => users.id),
    /** Why the last attempt to commit it was refused (it stays pending), and when. */
    lastRefusal: text("last_refusal"),
    lastRefusedAt: text("last_refused_at"),
    closedAt: text("closed_at"),
    closedReason: text("closed_reason"),
    decommitEntryId: text("decommit_entry_id"),
  },
  (t) => [
    uniqueIndex("grant_tranches_offer_fy").on(t.offerId, t.fy),
    uniqueIndex("grant_tranches_grant_unique").on(t.grantId),
    index("grant_tranches_fy_status_idx").on(t.fy, t.status),
    check("grant_tranches_amount", sql`${t.amountPence} > 0`),
    check(
      "grant_tranches_committed_has_entry",
      sql`${t.status} not in ('committed', 'decommitted') or (${t.grantId} is not null and ${t.commitEntryId} is
        not null)`,
    ),
  ],
);

export const monitoringReports = sqliteTable(
  "monitoring_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bidId: integer("bid_id")
      .notNull()
      .references(() => bids.id),
    dueOn: text("due_on").notNull(),
    /** What was done ("you said, we did"), published on the ward page once submitted. */
    whatWasDone: text("what_was_done"),
    peopleReached: integer("people_reached"),
    /** JSON: actual spend against each budget line, [{ lineNo, description, budgetPence, actualPence }]. */
    spend: text("spend"),
    submittedAt: text("submitted_at"),
    submittedBy: text("submitted_by").references(() => users.id),
    lastReminderAt: text("last_reminder_at"),
    reminders: integer("reminders").notNull().default(0),
  },
  (t) => [index("monitoring_reports_bid_idx").on(t.bidId)],
);

/** Topics a user may turn off; essential messages (sign-in, decisions on their own bid) always go. */
export const NOTIFICATION_TOPICS = ["bid-updates", "payments", "reminders", "ward-digest"] as const;
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    topic: text("topic", { enum: NOTIFICATION_TOPICS }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.topic] })],
);

/** The monthly update each councillor gets, kept so it can be read in the app. */
export const wardDigests = sqliteTable(
  "ward_digests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    councillorId: text("councillor_id")
      .notNull()
      .references(() => users.id),
    month: text("month").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("ward_digests_councillor_month").on(t.councillorId, t.month)],
);
