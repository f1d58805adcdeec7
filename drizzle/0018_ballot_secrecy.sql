-- Ballot secrecy (docs/decisions/006-ballot-secrecy.md): online ballots are sealed to the round's
-- ballot key while voting and opened at the count; receipts are kept apart; no cast time is kept.
CREATE TABLE `pb_receipts` (
	`round_id` integer NOT NULL,
	`receipt` text NOT NULL,
	PRIMARY KEY(`round_id`, `receipt`),
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `pb_sealed_ballots` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`sealed` blob NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `pb_rounds`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `pb_sealed_ballots_round_idx` ON `pb_sealed_ballots` (`round_id`);--> statement-breakpoint
ALTER TABLE `pb_paper_batches` ADD `ballots_accepted` integer;--> statement-breakpoint
ALTER TABLE `pb_rounds` ADD `ballot_public_key` text;--> statement-breakpoint
ALTER TABLE `pb_rounds` ADD `ballot_key_created_at` text;--> statement-breakpoint
ALTER TABLE `pb_ballots` DROP COLUMN `cast_on`;--> statement-breakpoint
ALTER TABLE `pb_participation` DROP COLUMN `voted_on`;--> statement-breakpoint
-- Receipts and sealed ballots go in only while the round is voting; receipts are never changed or
-- deleted; sealed ballots are never changed, and deleted only once opened, while the round is counting.
CREATE TRIGGER `pb_receipts_insert_phase` BEFORE INSERT ON `pb_receipts`
WHEN coalesce((SELECT `phase` FROM `pb_rounds` WHERE `id` = NEW.`round_id`), '') <> 'voting'
BEGIN
  SELECT RAISE(ABORT, 'receipts are issued only while the round is voting');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_receipts_no_update` BEFORE UPDATE ON `pb_receipts`
BEGIN
  SELECT RAISE(ABORT, 'pb_receipts rows are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_receipts_no_delete` BEFORE DELETE ON `pb_receipts`
BEGIN
  SELECT RAISE(ABORT, 'pb_receipts rows are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_sealed_ballots_insert_phase` BEFORE INSERT ON `pb_sealed_ballots`
WHEN coalesce((SELECT `phase` FROM `pb_rounds` WHERE `id` = NEW.`round_id`), '') <> 'voting'
BEGIN
  SELECT RAISE(ABORT, 'sealed ballots are accepted only while the round is voting');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_sealed_ballots_no_update` BEFORE UPDATE ON `pb_sealed_ballots`
BEGIN
  SELECT RAISE(ABORT, 'pb_sealed_ballots rows are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_sealed_ballots_delete_phase` BEFORE DELETE ON `pb_sealed_ballots`
WHEN coalesce((SELECT `phase` FROM `pb_rounds` WHERE `id` = OLD.`round_id`), '') <> 'counting'
BEGIN
  SELECT RAISE(ABORT, 'sealed ballots are erased only when opened at the count');
END;
--> statement-breakpoint
-- Nothing enters after the count: no ballot, and no paper batch keyed, re-keyed or accepted.
CREATE TRIGGER `pb_ballots_insert_after_count` BEFORE INSERT ON `pb_ballots`
WHEN EXISTS (SELECT 1 FROM `pb_counts` WHERE `round_id` = NEW.`round_id`)
BEGIN
  SELECT RAISE(ABORT, 'the round has been counted: no ballot may be added');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_paper_batches_insert_after_count` BEFORE INSERT ON `pb_paper_batches`
WHEN EXISTS (SELECT 1 FROM `pb_counts` WHERE `round_id` = NEW.`round_id`)
BEGIN
  SELECT RAISE(ABORT, 'the round has been counted: no paper batch may be keyed');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_paper_batches_update_after_count` BEFORE UPDATE ON `pb_paper_batches`
WHEN EXISTS (SELECT 1 FROM `pb_counts` WHERE `round_id` = OLD.`round_id`)
BEGIN
  SELECT RAISE(ABORT, 'the round has been counted: no paper batch may be changed');
END;
