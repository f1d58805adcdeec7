/**
 * The ledger's tables. The design, with its reasons, is in the ledger reference (§2):
 *
 * - `ledger_accounts` carries running totals as a cache; a row CHECK refuses a non-negative account
 *   going below zero, so an overspend aborts the whole transaction.
 * - `journal_entries`, `journal_postings`, `ledger_log` and `ledger_checkpoints` are append-only:
 *   UPDATE and DELETE are refused by triggers (drizzle/0003_ledger_triggers.sql).
 * - A BEFORE INSERT trigger on `ledger_log` refuses an unbalanced entry, a gap in `seq`, a wrong
 *   `prev_hash`, or a posting to a closed account.
 * - The tables are STRICT (added to the generated SQL), so a float can never land in a pence column.
 *
 * Amounts are INTEGER pence; `dc` says the side. `ledger_log.payload` is the exact canonical JSON
 * that was hashed.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ledgerAccounts = sqliteTable(
  "ledger_accounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    fundId: text("fund_id"),
    budgetId: text("budget_id"),
    grantId: text("grant_id"),
    fy: text("fy"),
    nonNegative: integer("non_negative").notNull(),
    debitsPosted: integer("debits_posted").notNull().default(0),
    creditsPosted: integer("credits_posted").notNull().default(0),
    closedAt: text("closed_at"),
  },
  (t) => [
    uniqueIndex("ledger_accounts_key_unique").on(t.key),
    index("ledger_accounts_fund_idx").on(t.fundId),
    index("ledger_accounts_grant_idx").on(t.grantId),
    check("ledger_accounts_non_negative", sql`${t.nonNegative} = 0 or ${t.creditsPosted} - ${t.debitsPosted} >= 0`),
    check("ledger_accounts_totals_non_negative", sql`${t.debitsPosted} >= 0 and ${t.creditsPosted} >= 0`),
  ],
);

export const journalEntries = sqliteTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    seq: integer("seq").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    requestSha256: text("request_sha256").notNull(),
    type: text("type").notNull(),
    fy: text("fy").notNull(),
    effectiveDate: text("effective_date").notNull(),
    recordedAt: text("recorded_at").notNull(),
    actorId: text("actor_id").notNull(),
    approvalId: text("approval_id"),
    reversesId: text("reverses_id"),
    resolvesId: text("resolves_id"),
    reason: text("reason"),
    externalRef: text("external_ref"),
    memo: text("memo"),
  },
  (t) => [
    uniqueIndex("journal_entries_seq_unique").on(t.seq),
    uniqueIndex("journal_entries_idempotency_unique").on(t.idempotencyKey),
    uniqueIndex("journal_entries_reverses_unique").on(t.reversesId),
    uniqueIndex("journal_entries_resolves_unique").on(t.resolvesId),
    index("journal_entries_type_idx").on(t.type, t.effectiveDate),
    index("journal_entries_date_idx").on(t.effectiveDate),
  ],
);

export const journalPostings = sqliteTable(
  "journal_postings",
  {
    entryId: text("entry_id")
      .notNull()
      .references(() => journalEntries.id),
    lineNo: integer("line_no").notNull(),
    accountId: integer("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    dc: text("dc").notNull(),
    amountPence: integer("amount_pence").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.lineNo] }),
    index("journal_postings_account_idx").on(t.accountId),
    check("journal_postings_dc", sql`${t.dc} in ('D', 'C')`),
    check("journal_postings_amount_positive", sql`${t.amountPence} > 0`),
  ],
);

export const ledgerLog = sqliteTable(
  "ledger_log",
  {
    seq: integer("seq").primaryKey(),
    entryId: text("entry_id")
      .notNull()
      .references(() => journalEntries.id),
    prevHash: text("prev_hash").notNull(),
    payload: text("payload").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("ledger_log_entry_unique").on(t.entryId),
    uniqueIndex("ledger_log_prev_hash_unique").on(t.prevHash),
    uniqueIndex("ledger_log_hash_unique").on(t.hash),
  ],
);

export const ledgerCheckpoints = sqliteTable("ledger_checkpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  seq: integer("seq").notNull(),
  hash: text("hash").notNull(),
  createdAt: text("created_at").notNull(),
  reason: text("reason").notNull(),
  actorId: text("actor_id"),
});

/** Requests the ledger refused, remembered by idempotency key so a retry is refused again. */
export const ledgerRejections = sqliteTable("ledger_rejections", {
  idempotencyKey: text("idempotency_key").primaryKey(),
  requestSha256: text("request_sha256").notNull(),
  code: text("code").notNull(),
  message: text("message").notNull(),
  at: text("at").notNull(),
});

/** Financial years that have been closed; postings to their accounts are refused. */
export const financialYears = sqliteTable("financial_years", {
  fy: text("fy").primaryKey(),
  closedAt: text("closed_at"),
  closedBy: text("closed_by"),
});

/**
 * The first half of a reversal: a finance officer asks, with a reason; someone else decides.
 * Approval writes an `approvals` row and posts the REVERSAL entry.
 */
export const reversalRequests = sqliteTable(
  "reversal_requests",
  {
    id: text("id").primaryKey(),
    entryId: text("entry_id").notNull(),
    requestedBy: text("requested_by").notNull(),
    reason: text("reason").notNull(),
    requestedAt: text("requested_at").notNull(),
    decidedAt: text("decided_at"),
    decidedBy: text("decided_by"),
    outcome: text("outcome", { enum: ["approved", "refused"] }),
  },
  (t) => [
    uniqueIndex("reversal_requests_open_unique")
      .on(t.entryId)
      .where(sql`decided_at is null`),
  ],
);
