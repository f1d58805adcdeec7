CREATE TABLE `account_closures` (
	`user_id` text PRIMARY KEY NOT NULL,
	`closed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `public_pages` (
	`slug` text NOT NULL,
	`language` text NOT NULL,
	`body` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`slug`, `language`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `language` text DEFAULT 'en' NOT NULL;
--> statement-breakpoint
ALTER TABLE `council_settings` ADD `languages` text DEFAULT 'en' NOT NULL;
--> statement-breakpoint
ALTER TABLE `wards` ADD `name_cy` text;
--> statement-breakpoint
ALTER TABLE `funds` ADD `name_cy` text;
--> statement-breakpoint
ALTER TABLE `funds` ADD `criteria_cy` text;
--> statement-breakpoint
ALTER TABLE `bids` ADD `title_cy` text;
--> statement-breakpoint
ALTER TABLE `bids` ADD `summary_cy` text;
--> statement-breakpoint
ALTER TABLE `pb_rounds` ADD `name_cy` text;
--> statement-breakpoint
ALTER TABLE `pb_rounds` ADD `description_cy` text;
--> statement-breakpoint
-- Closing an account erases its holder's name from the audit trail. The trail stays append-only
-- for everything else: a row may be updated only when it concerns a closed account, only its
-- actor_name, before and after may change, and only to the erasure marker.
DROP TRIGGER `audit_events_no_update`;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
WHEN NOT (
  NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.entity_type = OLD.entity_type
  AND NEW.entity_id IS OLD.entity_id AND NEW.actor_user_id IS OLD.actor_user_id AND NEW.reason IS OLD.reason
  AND (
    OLD.actor_user_id IN (SELECT `user_id` FROM `account_closures`)
    OR (OLD.entity_type = 'user' AND OLD.entity_id IN (SELECT `user_id` FROM `account_closures`))
  )
  AND (NEW.actor_name IS OLD.actor_name OR NEW.actor_name = '[closed account]')
  AND (NEW.before IS OLD.before OR NEW.before = '"[erased]"')
  AND (NEW.after IS OLD.after OR NEW.after = '"[erased]"')
)
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE is not allowed');
END;
--> statement-breakpoint
-- A closure is permanent.
CREATE TRIGGER `account_closures_no_delete` BEFORE DELETE ON `account_closures`
BEGIN
  SELECT RAISE(ABORT, 'account_closures is append-only: DELETE is not allowed');
END;
