CREATE TABLE `published_spending_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fy` text NOT NULL,
	`checkpoint_seq` integer NOT NULL,
	`checkpoint_hash` text NOT NULL,
	`threshold_pence` integer NOT NULL,
	`published_by` text NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `published_spending_periods_fy_idx` ON `published_spending_periods` (`fy`,`id`);--> statement-breakpoint
CREATE TRIGGER `published_spending_periods_no_update` BEFORE UPDATE ON `published_spending_periods`
BEGIN SELECT RAISE(ABORT, 'published_spending_periods is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `published_spending_periods_no_delete` BEFORE DELETE ON `published_spending_periods`
BEGIN SELECT RAISE(ABORT, 'published_spending_periods is append-only'); END;
