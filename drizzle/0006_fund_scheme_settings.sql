ALTER TABLE `funds` ADD `split_method` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `pot_pence` integer;--> statement-breakpoint
ALTER TABLE `funds` ADD `budget_mode` text DEFAULT 'per-ward' NOT NULL;--> statement-breakpoint
ALTER TABLE `funds` ADD `pooled_quorum` integer;--> statement-breakpoint
ALTER TABLE `funds` ADD `min_grant_pence` integer;--> statement-breakpoint
ALTER TABLE `funds` ADD `max_grant_pence` integer;--> statement-breakpoint
ALTER TABLE `funds` ADD `eligible_types` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `grant_rules` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `criteria` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `opens_on` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `closes_on` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `commitment_cutoff_on` text;--> statement-breakpoint
ALTER TABLE `funds` ADD `year_end` text DEFAULT 'lapse' NOT NULL;--> statement-breakpoint
ALTER TABLE `funds` ADD `created_by` text;