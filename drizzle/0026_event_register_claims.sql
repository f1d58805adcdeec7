CREATE TABLE `pb_register_event_claims` (
	`row_id` integer PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`issue_id` integer NOT NULL,
	`claimed_at` text NOT NULL,
	FOREIGN KEY (`row_id`) REFERENCES `pb_register_rows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `pb_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issue_id`) REFERENCES `pb_event_issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_register_event_claims_issue_unique` ON `pb_register_event_claims` (`issue_id`);