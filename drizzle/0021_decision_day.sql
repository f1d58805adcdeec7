CREATE TABLE `pb_event_devices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`label` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`link_token_hash` text,
	`confirm_code` text,
	`confirm_failures` integer DEFAULT 0 NOT NULL,
	`link_expires_at` text,
	`device_token_hash` text,
	`enrolled_at` text,
	`revoked_at` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `pb_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pb_event_devices_event_idx` ON `pb_event_devices` (`event_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pb_event_devices_link_unique` ON `pb_event_devices` (`link_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `pb_event_devices_token_unique` ON `pb_event_devices` (`device_token_hash`);--> statement-breakpoint
CREATE TABLE `pb_event_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`device_id` integer NOT NULL,
	`voter_check` text NOT NULL,
	`state` text DEFAULT 'issued' NOT NULL,
	`issued_by` text NOT NULL,
	`issued_at` text NOT NULL,
	`closed_at` text,
	FOREIGN KEY (`event_id`) REFERENCES `pb_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`device_id`) REFERENCES `pb_event_devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pb_event_issues_event_idx` ON `pb_event_issues` (`event_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `pb_event_issues_one_open` ON `pb_event_issues` (`device_id`) WHERE "pb_event_issues"."state" = 'issued';--> statement-breakpoint
CREATE TABLE `pb_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`name` text NOT NULL,
	`place` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`officers` text DEFAULT '' NOT NULL,
	`board_token` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pb_events_times" CHECK("pb_events"."ends_at" > "pb_events"."starts_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_events_board_token_unique` ON `pb_events` (`board_token`);--> statement-breakpoint
CREATE INDEX `pb_events_round_idx` ON `pb_events` (`round_id`);--> statement-breakpoint
ALTER TABLE `pb_participation` ADD `event_id` integer;--> statement-breakpoint
ALTER TABLE `pb_rounds` ADD `seats` integer DEFAULT 1 NOT NULL CONSTRAINT "pb_rounds_seats" CHECK("seats" between 1 and 50);
