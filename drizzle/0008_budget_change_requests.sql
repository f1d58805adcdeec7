CREATE TABLE `budget_change_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fund_id` text NOT NULL,
	`kind` text NOT NULL,
	`budget_id` text,
	`change_pence` integer,
	`reason` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`outcome` text,
	`entry_ids` text,
	FOREIGN KEY (`fund_id`) REFERENCES `funds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`budget_id`) REFERENCES `budgets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "budget_change_requests_adjust" CHECK("budget_change_requests"."kind" <> 'adjust' or ("budget_change_requests"."budget_id" is not null and "budget_change_requests"."change_pence" is not null and "budget_change_requests"."change_pence" <> 0))
);
--> statement-breakpoint
CREATE INDEX `budget_change_requests_fund_idx` ON `budget_change_requests` (`fund_id`);