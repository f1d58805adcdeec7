/**
 * Retention: what is deleted or emptied once it is no longer needed, run by the daily jobs. Each
 * rule's age is a setting (RETENTION_* in utils/env.server.ts; 0 turns that rule off).
 *
 * - sessions that expired more than RETENTION_SESSION_DAYS ago;
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
  signInFailures: number;
  tokens: number;
  mailBodies: number;
}

export function applyRetention(now = new Date(), database: Db = db()): RetentionSummary {
  const settings = env();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return writeTransaction((tx) => {
    const c = tx.$client;
    const summary: RetentionSummary = { sessions: 0, signInFailures: 0, tokens: 0, mailBodies: 0 };
    if (settings.RETENTION_SESSION_DAYS > 0) {
      // Sessions keep their expiry in seconds (Lucia's adapter).
      const cutoff = Math.floor(before(settings.RETENTION_SESSION_DAYS).getTime() / 1000);
      summary.sessions = c.prepare("delete from sessions where expires_at < ?").run(cutoff).changes;
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
