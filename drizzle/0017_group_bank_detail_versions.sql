ALTER TABLE `community_groups` ADD `verified_bank_details_id` integer REFERENCES group_bank_details(id);--> statement-breakpoint
-- SQLite cannot add a NOT NULL column without a default; the trigger below refuses any row whose version is not the next one.
ALTER TABLE `group_bank_details` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Today's rows become versions 1, 2, 3… of their group, in the order they were entered (one row: version 1).
UPDATE `group_bank_details` SET `version` = (
  SELECT count(*) FROM `group_bank_details` AS `earlier`
   WHERE `earlier`.`group_id` = `group_bank_details`.`group_id` AND `earlier`.`id` <= `group_bank_details`.`id`
);--> statement-breakpoint
CREATE UNIQUE INDEX `group_bank_details_group_version_unique` ON `group_bank_details` (`group_id`,`version`);--> statement-breakpoint
-- A group verified today was verified with its current bank details (a change has always withdrawn verification).
UPDATE `community_groups` SET `verified_bank_details_id` = (
  SELECT max(`id`) FROM `group_bank_details` WHERE `group_bank_details`.`group_id` = `community_groups`.`id`
) WHERE `verified_at` IS NOT NULL;--> statement-breakpoint
-- Versions are append-only: a change is a new version, never an edit or a removal of one.
CREATE TRIGGER `group_bank_details_no_update` BEFORE UPDATE ON `group_bank_details`
BEGIN
  SELECT RAISE(ABORT, 'group_bank_details is append-only: UPDATE is not allowed');
END;--> statement-breakpoint
CREATE TRIGGER `group_bank_details_no_delete` BEFORE DELETE ON `group_bank_details`
BEGIN
  SELECT RAISE(ABORT, 'group_bank_details is append-only: DELETE is not allowed');
END;--> statement-breakpoint
CREATE TRIGGER `group_bank_details_next_version` BEFORE INSERT ON `group_bank_details`
WHEN NEW.`version` <> coalesce((SELECT max(`version`) FROM `group_bank_details` WHERE `group_id` = NEW.`group_id`), 0) + 1
BEGIN
  SELECT RAISE(ABORT, 'group_bank_details: a new version must be the next number for its group');
END;
