CREATE TABLE `group_bank_details` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` integer NOT NULL,
	`account_name` text NOT NULL,
	`sort_code` text NOT NULL,
	`account_number` text NOT NULL,
	`entered_by` text NOT NULL,
	`entered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `community_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_bank_details_group_idx` ON `group_bank_details` (`group_id`,`id`);