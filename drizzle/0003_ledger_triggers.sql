-- The ledger is append-only. A correction is a new entry (a REVERSAL), never an edit.
CREATE TRIGGER `journal_entries_no_update` BEFORE UPDATE ON `journal_entries`
BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only: UPDATE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `journal_entries_no_delete` BEFORE DELETE ON `journal_entries`
BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only: DELETE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `journal_postings_no_update` BEFORE UPDATE ON `journal_postings`
BEGIN SELECT RAISE(ABORT, 'journal_postings is append-only: UPDATE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `journal_postings_no_delete` BEFORE DELETE ON `journal_postings`
BEGIN SELECT RAISE(ABORT, 'journal_postings is append-only: DELETE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_log_no_update` BEFORE UPDATE ON `ledger_log`
BEGIN SELECT RAISE(ABORT, 'ledger_log is append-only: UPDATE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_log_no_delete` BEFORE DELETE ON `ledger_log`
BEGIN SELECT RAISE(ABORT, 'ledger_log is append-only: DELETE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_checkpoints_no_update` BEFORE UPDATE ON `ledger_checkpoints`
BEGIN SELECT RAISE(ABORT, 'ledger_checkpoints is append-only: UPDATE is not allowed'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_checkpoints_no_delete` BEFORE DELETE ON `ledger_checkpoints`
BEGIN SELECT RAISE(ABORT, 'ledger_checkpoints is append-only: DELETE is not allowed'); END;
--> statement-breakpoint
-- Accounts are never removed, and their identity never changes; only the running totals (kept by
-- the posting trigger below) and closed_at may be written.
CREATE TRIGGER `ledger_accounts_no_delete` BEFORE DELETE ON `ledger_accounts`
BEGIN SELECT RAISE(ABORT, 'ledger_accounts cannot be deleted'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_accounts_identity_fixed` BEFORE UPDATE OF `key`, `kind`, `fund_id`, `budget_id`, `grant_id`, `fy`, `non_negative` ON `ledger_accounts`
BEGIN SELECT RAISE(ABORT, 'ledger_accounts identity cannot change'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_accounts_closed_stays_closed` BEFORE UPDATE OF `closed_at` ON `ledger_accounts`
WHEN OLD.`closed_at` IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed ledger account cannot be reopened'); END;
--> statement-breakpoint
-- Each posting adds to its account's running totals; the accounts' CHECK then refuses an overspend.
CREATE TRIGGER `journal_postings_totals` AFTER INSERT ON `journal_postings`
BEGIN
  UPDATE `ledger_accounts`
     SET `debits_posted` = `debits_posted` + CASE WHEN NEW.`dc` = 'D' THEN NEW.`amount_pence` ELSE 0 END,
         `credits_posted` = `credits_posted` + CASE WHEN NEW.`dc` = 'C' THEN NEW.`amount_pence` ELSE 0 END
   WHERE `id` = NEW.`account_id`;
END;
--> statement-breakpoint
-- The seal: a log row is accepted only for a balanced entry of two or more postings, at the next
-- seq, chained to the previous row's hash, with no posting to a closed account.
CREATE TRIGGER `ledger_log_seal` BEFORE INSERT ON `ledger_log`
BEGIN
  SELECT RAISE(ABORT, 'ledger seal: an entry needs at least two postings')
   WHERE (SELECT count(*) FROM `journal_postings` WHERE `entry_id` = NEW.`entry_id`) < 2;
  SELECT RAISE(ABORT, 'ledger seal: the entry does not balance')
   WHERE (SELECT coalesce(sum(CASE WHEN `dc` = 'D' THEN `amount_pence` ELSE -`amount_pence` END), 0)
            FROM `journal_postings` WHERE `entry_id` = NEW.`entry_id`) <> 0;
  SELECT RAISE(ABORT, 'ledger seal: seq must follow the last entry with no gap')
   WHERE NEW.`seq` <> coalesce((SELECT max(`seq`) FROM `ledger_log`), 0) + 1;
  SELECT RAISE(ABORT, 'ledger seal: prev_hash does not match the previous entry')
   WHERE NEW.`prev_hash` <> coalesce((SELECT `hash` FROM `ledger_log` WHERE `seq` = NEW.`seq` - 1),
                                     '0000000000000000000000000000000000000000000000000000000000000000');
  SELECT RAISE(ABORT, 'ledger seal: a posting targets a closed account')
   WHERE EXISTS (SELECT 1 FROM `journal_postings` p JOIN `ledger_accounts` a ON a.`id` = p.`account_id`
                  WHERE p.`entry_id` = NEW.`entry_id` AND a.`closed_at` IS NOT NULL);
  SELECT RAISE(ABORT, 'ledger seal: seq does not match the journal entry')
   WHERE NEW.`seq` <> (SELECT `seq` FROM `journal_entries` WHERE `id` = NEW.`entry_id`);
END;
