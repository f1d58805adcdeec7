CREATE TABLE `delivery_update_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`update_id` integer NOT NULL,
	`position` integer NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`alt_text` text NOT NULL,
	FOREIGN KEY (`update_id`) REFERENCES `delivery_updates`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "delivery_update_photos_size" CHECK("delivery_update_photos"."size_bytes" > 0),
	CONSTRAINT "delivery_update_photos_alt" CHECK(length(trim("delivery_update_photos"."alt_text")) > 0)
);
--> statement-breakpoint
CREATE INDEX `delivery_update_photos_update_idx` ON `delivery_update_photos` (`update_id`,`position`);--> statement-breakpoint
CREATE TABLE `delivery_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bid_id` integer NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'awaiting-check' NOT NULL,
	`posted_by` text NOT NULL,
	`posted_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`checked_by` text,
	`checked_at` text,
	`send_back_reason` text,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`posted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "delivery_updates_status" CHECK("delivery_updates"."status" in ('awaiting-check', 'published', 'sent-back')),
	CONSTRAINT "delivery_updates_checked" CHECK(("delivery_updates"."status" = 'awaiting-check') = ("delivery_updates"."checked_by" is null and "delivery_updates"."checked_at" is null)),
	CONSTRAINT "delivery_updates_reason" CHECK(("delivery_updates"."status" = 'sent-back') = ("delivery_updates"."send_back_reason" is not null and length("delivery_updates"."send_back_reason") > 0))
);
--> statement-breakpoint
CREATE INDEX `delivery_updates_bid_idx` ON `delivery_updates` (`bid_id`,`status`);--> statement-breakpoint
CREATE INDEX `delivery_updates_status_idx` ON `delivery_updates` (`status`,`posted_at`);--> statement-breakpoint
CREATE TRIGGER `delivery_updates_checked_once` BEFORE UPDATE ON `delivery_updates`
WHEN OLD.`status` != 'awaiting-check'
BEGIN SELECT RAISE(ABORT, 'delivery_updates: a checked update does not change'); END;--> statement-breakpoint
CREATE TRIGGER `delivery_updates_text_fixed` BEFORE UPDATE OF `bid_id`, `body`, `posted_by`, `posted_at` ON `delivery_updates`
BEGIN SELECT RAISE(ABORT, 'delivery_updates: what the group posted does not change'); END;--> statement-breakpoint
CREATE TRIGGER `delivery_updates_no_delete` BEFORE DELETE ON `delivery_updates`
BEGIN SELECT RAISE(ABORT, 'delivery_updates is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `delivery_update_photos_no_update` BEFORE UPDATE ON `delivery_update_photos`
BEGIN SELECT RAISE(ABORT, 'delivery_update_photos is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `delivery_update_photos_no_delete` BEFORE DELETE ON `delivery_update_photos`
BEGIN SELECT RAISE(ABORT, 'delivery_update_photos is append-only'); END;
