-- Ballots and participation records are never changed or deleted, by anyone, through any path.
-- Ballots go in only while the round is voting (online and code votes) or counting (paper
-- batches keyed in after the polls closed); participation records only while it is voting.
-- The app checks the phase and the closing time inside the casting transaction as well.
CREATE TRIGGER `pb_ballots_no_update` BEFORE UPDATE ON `pb_ballots`
BEGIN
  SELECT RAISE(ABORT, 'pb_ballots rows are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_ballots_no_delete` BEFORE DELETE ON `pb_ballots`
BEGIN
  SELECT RAISE(ABORT, 'pb_ballots rows are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_ballots_insert_phase` BEFORE INSERT ON `pb_ballots`
WHEN coalesce((SELECT `phase` FROM `pb_rounds` WHERE `id` = NEW.`round_id`), '') NOT IN ('voting', 'counting')
BEGIN
  SELECT RAISE(ABORT, 'ballots are accepted only while the round is voting or counting');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_participation_no_update` BEFORE UPDATE ON `pb_participation`
BEGIN
  SELECT RAISE(ABORT, 'pb_participation rows are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_participation_no_delete` BEFORE DELETE ON `pb_participation`
BEGIN
  SELECT RAISE(ABORT, 'pb_participation rows are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `pb_participation_insert_phase` BEFORE INSERT ON `pb_participation`
WHEN coalesce((SELECT `phase` FROM `pb_rounds` WHERE `id` = NEW.`round_id`), '') <> 'voting'
BEGIN
  SELECT RAISE(ABORT, 'votes are accepted only while the round is voting');
END;
