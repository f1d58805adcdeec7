CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`bid_id` integer NOT NULL,
	`purpose` text DEFAULT 'bid' NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`is_public` integer DEFAULT false NOT NULL,
	`uploaded_by` text NOT NULL,
	`uploaded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`removed_at` text,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "attachments_size" CHECK("attachments"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE INDEX `attachments_bid_idx` ON `attachments` (`bid_id`);--> statement-breakpoint
CREATE TABLE `bid_budget_lines` (
	`bid_id` integer NOT NULL,
	`line_no` integer NOT NULL,
	`description` text NOT NULL,
	`amount_pence` integer NOT NULL,
	PRIMARY KEY(`bid_id`, `line_no`),
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bid_budget_lines_amount" CHECK("bid_budget_lines"."amount_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE `bid_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bid_id` integer NOT NULL,
	`version` integer NOT NULL,
	`decider_id` text NOT NULL,
	`ward_id` integer,
	`as_designated_decision_maker` integer DEFAULT false NOT NULL,
	`outcome` text NOT NULL,
	`amount_pence` integer,
	`reason` text,
	`entry_id` text,
	`decided_at` text NOT NULL,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decider_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bid_decisions_bid_idx` ON `bid_decisions` (`bid_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `bid_decisions_one_per_person_version` ON `bid_decisions` (`bid_id`,`version`,`decider_id`);--> statement-breakpoint
CREATE TABLE `bid_interest_declarations` (
	`bid_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`has_interest` integer NOT NULL,
	`details` text,
	`declared_at` text NOT NULL,
	PRIMARY KEY(`bid_id`, `user_id`),
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `bid_versions` (
	`bid_id` integer NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`submitted_by` text NOT NULL,
	`submitted_at` text NOT NULL,
	PRIMARY KEY(`bid_id`, `version`),
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `bid_wards` (
	`bid_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	PRIMARY KEY(`bid_id`, `ward_id`),
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bid_wards_ward_idx` ON `bid_wards` (`ward_id`);--> statement-breakpoint
CREATE TABLE `bids` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text NOT NULL,
	`fund_id` text NOT NULL,
	`group_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`draft_step` text DEFAULT 'about' NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`amount_pence` integer,
	`beneficiaries` text DEFAULT '' NOT NULL,
	`beneficiary_count` integer,
	`start_on` text,
	`end_on` text,
	`version` integer DEFAULT 0 NOT NULL,
	`grant_id` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`submitted_at` text,
	`decided_at` text,
	`withdrawn_at` text,
	`withdrawn_reason` text,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `community_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bids_amount_positive" CHECK("bids"."amount_pence" is null or "bids"."amount_pence" > 0),
	CONSTRAINT "bids_beneficiary_count" CHECK("bids"."beneficiary_count" is null or "bids"."beneficiary_count" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bids_reference_unique` ON `bids` (`reference`);--> statement-breakpoint
CREATE INDEX `bids_fund_status_idx` ON `bids` (`fund_id`,`status`);--> statement-breakpoint
CREATE INDEX `bids_group_idx` ON `bids` (`group_id`);--> statement-breakpoint
CREATE TABLE `grant_instalments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`offer_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`amount_pence` integer NOT NULL,
	`due_on` text NOT NULL,
	`fy` text NOT NULL,
	`after_monitoring` integer DEFAULT false NOT NULL,
	`pay_request_entry_id` text,
	`paid_at` text,
	FOREIGN KEY (`offer_id`) REFERENCES `grant_offers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "grant_instalments_amount" CHECK("grant_instalments"."amount_pence" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `grant_instalments_offer_seq` ON `grant_instalments` (`offer_id`,`seq`);--> statement-breakpoint
CREATE TABLE `grant_offers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bid_id` integer NOT NULL,
	`grant_id` text NOT NULL,
	`amount_pence` integer NOT NULL,
	`terms` text NOT NULL,
	`conditions` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`accepted_at` text,
	`accepted_by` text,
	`declined_at` text,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "grant_offers_amount" CHECK("grant_offers"."amount_pence" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `grant_offers_bid_unique` ON `grant_offers` (`bid_id`);--> statement-breakpoint
CREATE TABLE `monitoring_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bid_id` integer NOT NULL,
	`due_on` text NOT NULL,
	`what_was_done` text,
	`people_reached` integer,
	`spend` text,
	`submitted_at` text,
	`submitted_by` text,
	`last_reminder_at` text,
	`reminders` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `monitoring_reports_bid_idx` ON `monitoring_reports` (`bid_id`);--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`user_id` text NOT NULL,
	`topic` text NOT NULL,
	`enabled` integer NOT NULL,
	PRIMARY KEY(`user_id`, `topic`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ward_digests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`councillor_id` text NOT NULL,
	`month` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`councillor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ward_digests_councillor_month` ON `ward_digests` (`councillor_id`,`month`);--> statement-breakpoint
CREATE TABLE `equality_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`options` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `equality_questions_key_unique` ON `equality_questions` (`key`);--> statement-breakpoint
CREATE TABLE `pb_ballots` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`ranking` text NOT NULL,
	`cast_on` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `pb_ballots_round_idx` ON `pb_ballots` (`round_id`);--> statement-breakpoint
CREATE TABLE `pb_code_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`label` text NOT NULL,
	`size` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pb_counts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`rule` text NOT NULL,
	`ballot_file` text NOT NULL,
	`ballot_file_sha256` text NOT NULL,
	`report` text NOT NULL,
	`other_rule_report` text,
	`counted_by` text NOT NULL,
	`counted_at` text NOT NULL,
	`status` text DEFAULT 'counted' NOT NULL,
	`decided_by` text,
	`decided_at` text,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`counted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_counts_round_unique` ON `pb_counts` (`round_id`);--> statement-breakpoint
CREATE TABLE `pb_equality_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`question_key` text NOT NULL,
	`answer` text NOT NULL,
	`answered_on` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `pb_equality_responses_round_idx` ON `pb_equality_responses` (`round_id`,`question_key`);--> statement-breakpoint
CREATE TABLE `pb_paper_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`label` text NOT NULL,
	`status` text DEFAULT 'entered' NOT NULL,
	`first_keying` text NOT NULL,
	`entered_by` text NOT NULL,
	`entered_at` text NOT NULL,
	`second_keying` text,
	`checked_by` text,
	`checked_at` text,
	`resolutions` text,
	`accepted_at` text,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pb_paper_batches_two_people" CHECK("pb_paper_batches"."checked_by" is null or "pb_paper_batches"."checked_by" <> "pb_paper_batches"."entered_by")
);
--> statement-breakpoint
CREATE INDEX `pb_paper_batches_round_idx` ON `pb_paper_batches` (`round_id`);--> statement-breakpoint
CREATE TABLE `pb_participation` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`user_id` text,
	`code_id` integer,
	`channel` text NOT NULL,
	`ward_id` integer,
	`voted_on` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `pb_vote_codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pb_participation_who" CHECK(("pb_participation"."user_id" is not null) + ("pb_participation"."code_id" is not null) <= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_participation_user_unique` ON `pb_participation` (`round_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pb_participation_code_unique` ON `pb_participation` (`round_id`,`code_id`);--> statement-breakpoint
CREATE TABLE `pb_projects` (
	`bid_id` integer PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`eligibility` text DEFAULT 'pending' NOT NULL,
	`eligibility_reason` text,
	`reviewed_by` text,
	`reviewed_at` text,
	`merged_into_bid_id` integer,
	`ballot_position` integer,
	`delivery_status` text,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`merged_into_bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pb_projects_round_idx` ON `pb_projects` (`round_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pb_projects_ballot_position` ON `pb_projects` (`round_id`,`ballot_position`);--> statement-breakpoint
CREATE TABLE `pb_round_wards` (
	`round_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	PRIMARY KEY(`round_id`, `ward_id`),
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pb_rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`pot_pence` integer NOT NULL,
	`min_bid_pence` integer NOT NULL,
	`max_bid_pence` integer NOT NULL,
	`phase` text DEFAULT 'draft' NOT NULL,
	`bids_open_at` text NOT NULL,
	`bids_close_at` text NOT NULL,
	`voting_opens_at` text NOT NULL,
	`voting_closes_at` text NOT NULL,
	`results_at` text,
	`max_ranked` integer DEFAULT 5 NOT NULL,
	`min_voter_age` integer DEFAULT 16 NOT NULL,
	`counting_rule` text DEFAULT 'greedy' NOT NULL,
	`tie_break` text DEFAULT 'project-id' NOT NULL,
	`ballot_order_seed` text,
	`rules_locked_at` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pb_rounds_limits" CHECK("pb_rounds"."min_bid_pence" > 0 and "pb_rounds"."max_bid_pence" >= "pb_rounds"."min_bid_pence" and "pb_rounds"."pot_pence" > 0),
	CONSTRAINT "pb_rounds_max_ranked" CHECK("pb_rounds"."max_ranked" between 1 and 50)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_rounds_fund_unique` ON `pb_rounds` (`fund_id`);--> statement-breakpoint
CREATE TABLE `pb_vote_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_on` text,
	`revoked_at` text,
	`revoked_by` text,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `pb_code_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_vote_codes_hash_unique` ON `pb_vote_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `pb_vote_codes_batch_idx` ON `pb_vote_codes` (`batch_id`);--> statement-breakpoint
ALTER TABLE `council_settings` ADD `designated_decision_maker_id` text;