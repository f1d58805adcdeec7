CREATE TABLE `pb_event_officer_pins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`pin_hash` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_at` text,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`event_id`) REFERENCES `pb_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_event_officer_pins_live` ON `pb_event_officer_pins` (`event_id`,`user_id`) WHERE "pb_event_officer_pins"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE `pb_event_issues` ADD `code_id` integer REFERENCES pb_vote_codes(id);--> statement-breakpoint
ALTER TABLE `pb_event_issues` ADD `issued_via` text DEFAULT 'officer-page' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `pb_event_issues_one_open_per_code` ON `pb_event_issues` (`code_id`) WHERE "pb_event_issues"."state" = 'issued' and "pb_event_issues"."code_id" is not null;