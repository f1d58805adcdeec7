/**
 * Retention: what is deleted or emptied once it is no longer needed, run by the daily jobs. Each
 * rule's age is a setting (RETENTION_* in utils/env.server.ts; 0 turns that rule off).
 *
 * - sessions that have expired: past their expiry, or (staff) idle or older than the staff lifetime;
 * - accounts whose address was never confirmed, RETENTION_UNVERIFIED_ACCOUNT_DAYS after registering
 *   (only resident accounts: a first administrator waiting to choose a password is kept);
 * - rate-limit counts older than a day (the windows look back minutes);
 * - failed sign-ins older than RETENTION_SIGN_IN_FAILURE_DAYS (rate limiting looks back minutes);
 * - password reset and invitation tokens used or expired more than RETENTION_TOKEN_DAYS ago;
 * - the bodies of mail delivered (or given up on) more than RETENTION_MAIL_BODY_DAYS ago: the
 *   message's recipient, subject and delivery record stay, its text is replaced.
 */
import { db, writeTransaction, type Db } from "~/db/client.server";
import { env } from "~/utils/env.server";

const DAY_MS = 86_400_000;
export const REMOVED_MAIL_BODY = "[message text removed under the retention policy]";

export interface RetentionSummary {
  sessions: number;
  unverifiedAccounts: number;
  rateLimitHits: number;
  signInFailures: number;
  tokens: number;
  mailBodies: number;
}

export function applyRetention(now = new Date(), database: Db = db()): RetentionSummary {
  const settings = env();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return writeTransaction((tx) => {
    const c = tx.$client;
    const summary: RetentionSummary = {
      sessions: 0,
      unverifiedAccounts: 0,
      rateLimitHits: 0,
      signInFailures: 0,
      tokens: 0,
      mailBodies: 0,
    };
    // Sessions keep their expiry in seconds (Lucia's adapter); their start and last use in milliseconds.
    summary.sessions = c
      .prepare("delete from sessions where expires_at <= ?")
      .run(Math.floor(now.getTime() / 1000)).changes;
    const idleBefore = now.getTime() - settings.STAFF_SESSION_IDLE_MINUTES * 60_000;
    const startedBefore = now.getTime() - settings.STAFF_SESSION_MAX_HOURS * 3_600_000;
    summary.sessions += c
      .prepare(
        `delete from sessions where (last_seen_at < ? or created_at < ?) and (
           user_id in (select user_id from role_grants where role in ('councillor', 'finance', 'admin'))
           or user_id in (select designated_decision_maker_id from council_settings where designated_decision_maker_id is not null))`,
      )
      .run(idleBefore, startedBefore).changes;
    summary.rateLimitHits = c.prepare("delete from rate_limit_hits where at < ?").run(before(1).getTime()).changes;
    if (settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS > 0) {
      const cutoff = before(settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS).toISOString();
      const stale = c
        .prepare(
          `select id from users where email_verified_at is null and created_at < ?
             and not exists (select 1 from role_grants g where g.user_id = users.id and g.role <> 'resident')`,
        )
        .all(cutoff) as { id: string }[];
      for (const { id } of stale) {
        // An unconfirmed account can do nothing, so nothing refers to it but its own sessions, grants and
        // links (removed with it); should anything else, the account is kept rather than the rule failing.
        try {
          tx.$client.transaction(() => c.prepare("delete from users where id = ?").run(id))();
          summary.unverifiedAccounts += 1;
        } catch (error) {
          if (!(error instanceof Error && /FOREIGN KEY/.test(error.message))) throw error;
        }
      }
    }
    if (settings.RETENTION_SIGN_IN_FAILURE_DAYS > 0) {
      const cutoff = before(settings.RETENTION_SIGN_IN_FAILURE_DAYS).getTime();
      summary.signInFailures = c.prepare("delete from sign_in_failures where at < ?").run(cutoff).changes;
    }
    if (settings.RETENTION_TOKEN_DAYS > 0) {
      const cutoff = before(settings.RETENTION_TOKEN_DAYS).toISOString();
      summary.tokens = c
        .prepare("delete from password_tokens where used_at < ? or expires_at < ?")
        .run(cutoff, cutoff).changes;
    }
    if (settings.RETENTION_MAIL_BODY_DAYS > 0) {
      const cutoff = before(settings.RETENTION_MAIL_BODY_DAYS).toISOString();
      summary.mailBodies = c
        .prepare(
          `update outbox set body = ?, sealed_body = null, body_removed_at = ?
           where body_removed_at is null and (sent_at < ? or failed_at < ? or (transport = 'outbox' and created_at < ?))`,
        )
        .run(REMOVED_MAIL_BODY, now.toISOString(), cutoff, cutoff, cutoff).changes;
    }
    return summary;
  }, database);
}
