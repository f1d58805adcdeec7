CREATE TABLE `reversal_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`entry_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`reason` text NOT NULL,
	`requested_at` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	`outcome` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reversal_requests_open_unique` ON `reversal_requests` (`entry_id`) WHERE decided_at is null;