CREATE TABLE `bid_ward_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bid_id` integer NOT NULL,
	`version` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`share_pence` integer NOT NULL,
	`amount_pence` integer NOT NULL,
	`decider_id` text NOT NULL,
	`as_designated_decision_maker` integer DEFAULT false NOT NULL,
	`reason` text,
	`entry_id` text,
	`decided_at` text NOT NULL,
	FOREIGN KEY (`bid_id`) REFERENCES `bids`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decider_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bid_ward_decisions_one_per_ward_version` ON `bid_ward_decisions` (`bid_id`,`version`,`ward_id`);