ALTER TABLE `pb_projects` ADD `delivery_note` text;--> statement-breakpoint
ALTER TABLE `pb_projects` ADD `delivery_updated_at` text;