CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`entry_type` text NOT NULL,
	`grant_id` text,
	`subject_entry_id` text,
	`requester_id` text NOT NULL,
	`approver_id` text NOT NULL,
	`decided_at` text NOT NULL,
	`amount_pence` integer NOT NULL,
	`no_interest_declared` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "approvals_distinct_people" CHECK("approvals"."requester_id" <> "approvals"."approver_id")
);
--> statement-breakpoint
CREATE INDEX `approvals_grant_idx` ON `approvals` (`grant_id`);--> statement-breakpoint
CREATE TABLE `budgets` (
	`id` text PRIMARY KEY NOT NULL,
	`fund_id` text NOT NULL,
	`ward_id` integer,
	`councillor_id` text,
	`name` text NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`councillor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `budgets_fund_idx` ON `budgets` (`fund_id`);--> statement-breakpoint
CREATE INDEX `budgets_ward_idx` ON `budgets` (`ward_id`);--> statement-breakpoint
CREATE TABLE `funds` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`fy` text NOT NULL,
	`department` text DEFAULT 'Communities and Neighbourhoods' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `funds_fy_idx` ON `funds` (`fy`);--> statement-breakpoint
CREATE TABLE `grants` (
	`id` text PRIMARY KEY NOT NULL,
	`fund_id` text NOT NULL,
	`group_id` integer NOT NULL,
	`ward_id` integer,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`amount_requested_pence` integer NOT NULL,
	`amount_awarded_pence` integer NOT NULL,
	`award_date` text NOT NULL,
	`planned_start` text,
	`planned_end` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `community_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "grants_amounts_non_negative" CHECK("grants"."amount_requested_pence" >= 0 and "grants"."amount_awarded_pence" >= 0)
);
--> statement-breakpoint
CREATE INDEX `grants_fund_idx` ON `grants` (`fund_id`);--> statement-breakpoint
CREATE INDEX `grants_group_idx` ON `grants` (`group_id`);--> statement-breakpoint
CREATE TABLE `financial_years` (
	`fy` text PRIMARY KEY NOT NULL,
	`closed_at` text,
	`closed_by` text
) STRICT;
--> statement-breakpoint
CREATE TABLE `journal_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_sha256` text NOT NULL,
	`type` text NOT NULL,
	`fy` text NOT NULL,
	`effective_date` text NOT NULL,
	`recorded_at` text NOT NULL,
	`actor_id` text NOT NULL,
	`approval_id` text,
	`reverses_id` text,
	`resolves_id` text,
	`reason` text,
	`external_ref` text,
	`memo` text
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_seq_unique` ON `journal_entries` (`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_idempotency_unique` ON `journal_entries` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_reverses_unique` ON `journal_entries` (`reverses_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_resolves_unique` ON `journal_entries` (`resolves_id`);--> statement-breakpoint
CREATE INDEX `journal_entries_type_idx` ON `journal_entries` (`type`,`effective_date`);--> statement-breakpoint
CREATE INDEX `journal_entries_date_idx` ON `journal_entries` (`effective_date`);--> statement-breakpoint
CREATE TABLE `journal_postings` (
	`entry_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`account_id` integer NOT NULL,
	`dc` text NOT NULL,
	`amount_pence` integer NOT NULL,
	PRIMARY KEY(`entry_id`, `line_no`),
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "journal_postings_dc" CHECK("journal_postings"."dc" in ('D', 'C')),
	CONSTRAINT "journal_postings_amount_positive" CHECK("journal_postings"."amount_pence" > 0)
) STRICT;
--> statement-breakpoint
CREATE INDEX `journal_postings_account_idx` ON `journal_postings` (`account_id`);--> statement-breakpoint
CREATE TABLE `ledger_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`fund_id` text,
	`budget_id` text,
	`grant_id` text,
	`fy` text,
	`non_negative` integer NOT NULL,
	`debits_posted` integer DEFAULT 0 NOT NULL,
	`credits_posted` integer DEFAULT 0 NOT NULL,
	`closed_at` text,
	CONSTRAINT "ledger_accounts_non_negative" CHECK("ledger_accounts"."non_negative" = 0 or "ledger_accounts"."credits_posted" - "ledger_accounts"."debits_posted" >= 0),
	CONSTRAINT "ledger_accounts_totals_non_negative" CHECK("ledger_accounts"."debits_posted" >= 0 and "ledger_accounts"."credits_posted" >= 0)
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_key_unique` ON `ledger_accounts` (`key`);--> statement-breakpoint
CREATE INDEX `ledger_accounts_fund_idx` ON `ledger_accounts` (`fund_id`);--> statement-breakpoint
CREATE INDEX `ledger_accounts_grant_idx` ON `ledger_accounts` (`grant_id`);--> statement-breakpoint
CREATE TABLE `ledger_checkpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`created_at` text NOT NULL,
	`reason` text NOT NULL,
	`actor_id` text
) STRICT;
--> statement-breakpoint
CREATE TABLE `ledger_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`entry_id` text NOT NULL,
	`prev_hash` text NOT NULL,
	`payload` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_log_entry_unique` ON `ledger_log` (`entry_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_log_prev_hash_unique` ON `ledger_log` (`prev_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_log_hash_unique` ON `ledger_log` (`hash`);--> statement-breakpoint
CREATE TABLE `ledger_rejections` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`request_sha256` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`at` text NOT NULL
) STRICT;
