CREATE TABLE `pb_register_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pb_register_failures_user_idx` ON `pb_register_failures` (`round_id`,`user_id`,`at`);--> statement-breakpoint
CREATE TABLE `pb_register_matches` (
	`row_id` integer PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`ward_id` integer,
	`matched_by` text NOT NULL,
	`matched_at` text NOT NULL,
	FOREIGN KEY (`row_id`) REFERENCES `pb_register_rows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_register_matches_user_unique` ON `pb_register_matches` (`round_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `pb_register_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`reference_hash` text,
	`person_hash` text,
	`ward_id` integer,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pb_register_rows_some_key" CHECK("pb_register_rows"."reference_hash" is not null or "pb_register_rows"."person_hash" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pb_register_rows_reference_unique` ON `pb_register_rows` (`round_id`,`reference_hash`);--> statement-breakpoint
CREATE INDEX `pb_register_rows_person_idx` ON `pb_register_rows` (`round_id`,`person_hash`);--> statement-breakpoint
ALTER TABLE `pb_rounds` ADD `voter_rule` text DEFAULT 'account' NOT NULL;--> statement-breakpoint
ALTER TABLE `vote_code_failures` ADD `round_id` integer;--> statement-breakpoint
CREATE INDEX `vote_code_failures_ip_round_idx` ON `vote_code_failures` (`ip`,`round_id`,`at`);
--> statement-breakpoint
CREATE TRIGGER `pb_register_matches_no_update` BEFORE UPDATE ON `pb_register_matches`
BEGIN
	SELECT RAISE(ABORT, 'pb_register_matches is append-only: a register match is never changed');
END;--> statement-breakpoint
CREATE TRIGGER `pb_register_matches_no_delete` BEFORE DELETE ON `pb_register_matches`
BEGIN
	SELECT RAISE(ABORT, 'pb_register_matches is append-only: a register match is never removed');
END;
