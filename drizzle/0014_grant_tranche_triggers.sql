-- A grant's tranches: one financial year's part of an offer. Its offer, year and amount never
-- change; it only moves forward (pending → committed → decommitted, or pending → cancelled); once
-- committed, its grant, COMMIT entry and approval are fixed; and it can be marked committed only
-- against a real COMMIT entry that credits its own grant's COMMITTED account.
CREATE TRIGGER `grant_tranches_fixed` BEFORE UPDATE OF `offer_id`, `fy`, `amount_pence` ON `grant_tranches`
WHEN NEW.`offer_id` IS NOT OLD.`offer_id` OR NEW.`fy` IS NOT OLD.`fy` OR NEW.`amount_pence` IS NOT OLD.`amount_pence`
BEGIN SELECT RAISE(ABORT, 'a tranche''s offer, year and amount never change'); END;
--> statement-breakpoint
CREATE TRIGGER `grant_tranches_status_forward` BEFORE UPDATE OF `status` ON `grant_tranches`
WHEN NOT (NEW.`status` = OLD.`status`
          OR (OLD.`status` = 'pending' AND NEW.`status` IN ('committed', 'cancelled'))
          OR (OLD.`status` = 'committed' AND NEW.`status` = 'decommitted'))
BEGIN SELECT RAISE(ABORT, 'a tranche moves only from pending to committed or cancelled, and from committed to decommitted'); END;
--> statement-breakpoint
CREATE TRIGGER `grant_tranches_commitment_fixed` BEFORE UPDATE OF `grant_id`, `commit_entry_id`, `approval_id` ON `grant_tranches`
WHEN OLD.`commit_entry_id` IS NOT NULL
 AND (NEW.`grant_id` IS NOT OLD.`grant_id` OR NEW.`commit_entry_id` IS NOT OLD.`commit_entry_id` OR NEW.`approval_id` IS NOT OLD.`approval_id`)
BEGIN SELECT RAISE(ABORT, 'a committed tranche''s grant, entry and approval never change'); END;
--> statement-breakpoint
CREATE TRIGGER `grant_tranches_commit_entry_insert` BEFORE INSERT ON `grant_tranches`
WHEN NEW.`commit_entry_id` IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM `journal_entries` e JOIN `journal_postings` p ON p.`entry_id` = e.`id` JOIN `ledger_accounts` a ON a.`id` = p.`account_id`
   WHERE e.`id` = NEW.`commit_entry_id` AND e.`type` = 'COMMIT' AND p.`dc` = 'C' AND a.`key` = 'COMMITTED:' || NEW.`grant_id`)
BEGIN SELECT RAISE(ABORT, 'a tranche''s commit entry must be a COMMIT to its own grant'); END;
--> statement-breakpoint
CREATE TRIGGER `grant_tranches_commit_entry_update` BEFORE UPDATE OF `commit_entry_id`, `grant_id` ON `grant_tranches`
WHEN NEW.`commit_entry_id` IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM `journal_entries` e JOIN `journal_postings` p ON p.`entry_id` = e.`id` JOIN `ledger_accounts` a ON a.`id` = p.`account_id`
   WHERE e.`id` = NEW.`commit_entry_id` AND e.`type` = 'COMMIT' AND p.`dc` = 'C' AND a.`key` = 'COMMITTED:' || NEW.`grant_id`)
BEGIN SELECT RAISE(ABORT, 'a tranche''s commit entry must be a COMMIT to its own grant'); END;
--> statement-breakpoint
CREATE TRIGGER `grant_tranches_no_delete` BEFORE DELETE ON `grant_tranches`
WHEN OLD.`status` <> 'pending'
BEGIN SELECT RAISE(ABORT, 'only a pending tranche may be deleted (when an unanswered offer is replaced)'); END;
