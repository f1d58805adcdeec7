CREATE TABLE `grant_tranches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`offer_id` integer NOT NULL,
	`fy` text NOT NULL,
	`amount_pence` integer NOT NULL,
	`status` text NOT NULL,
	`grant_id` text,
	`commit_entry_id` text,
	`approval_id` text,
	`committed_at` text,
	`committed_by` text,
	`last_refusal` text,
	`last_refused_at` text,
	`closed_at` text,
	`closed_reason` text,
	`decommit_entry_id` text,
	FOREIGN KEY (`offer_id`) REFERENCES `grant_offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approval_id`) REFERENCES `approvals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`committed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "grant_tranches_amount" CHECK("grant_tranches"."amount_pence" > 0),
	CONSTRAINT "grant_tranches_committed_has_entry" CHECK("grant_tranches"."status" not in ('committed', 'decommitted') or ("grant_tranches"."grant_id" is not null and "grant_tranches"."commit_entry_id" is not null))
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `grant_tranches_offer_fy` ON `grant_tranches` (`offer_id`,`fy`);--> statement-breakpoint
CREATE UNIQUE INDEX `grant_tranches_grant_unique` ON `grant_tranches` (`grant_id`);--> statement-breakpoint
CREATE INDEX `grant_tranches_fy_status_idx` ON `grant_tranches` (`fy`,`status`);--> statement-breakpoint
ALTER TABLE `approvals` ADD `derived_from_id` text REFERENCES approvals(id);--> statement-breakpoint
ALTER TABLE `grants` ADD `parent_grant_id` text REFERENCES grants(id);--> statement-breakpoint
CREATE INDEX `grants_parent_idx` ON `grants` (`parent_grant_id`);