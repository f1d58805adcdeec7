CREATE TABLE `equality_token_uses` (
	`nonce_hash` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `vote_code_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ip` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `vote_code_failures_ip_idx` ON `vote_code_failures` (`ip`,`at`);