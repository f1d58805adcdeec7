/**
 * Notifications about bids, offers, payments and reports, sent through the mail module. A user may
 * turn off non-essential topics on their account page; essential messages (a decision on their own
 * group's bid, a grant offer) always go.
 */
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { groupMembers, notificationPreferences, outbox, users } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { NOTIFICATION_TOPIC_LIST, type NotificationTopic } from "~/forms/notification-topics";
import type { TFunction } from "i18next";
import { isLanguage, type Language } from "~/i18n";
import { queueMail } from "~/utils/mail.server";
import { translatorFor } from "~/utils/translate";

/**
 * A message's subject or body: text, or a function that writes it in the recipient's language from
 * the catalogues (`t` is fixed to that language).
 */
export type MailText = string | ((t: TFunction, language: Language) => string);

function written(text: MailText, t: TFunction, language: Language): string {
  return typeof text === "string" ? text : text(t, language);
}

export type { NotificationTopic };

/** Whether `userId` wants mail on `topic` (on unless turned off). */
export function wantsTopic(database: Db, userId: string, topic: NotificationTopic): boolean {
  const row = database
    .select({ enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.topic, topic)))
    .get();
  return row?.enabled ?? true;
}

/**
 * Queues one message to each user, inside the caller's transaction. `topic: "essential"` is always
 * sent; any other topic only to users who have not turned it off. Returns the outbox ids.
 */
export function notifyUsers(
  tx: Db,
  input: { userIds: readonly string[]; topic: NotificationTopic | "essential"; subject: MailText; body: MailText },
): number[] {
  const ids = [...new Set(input.userIds)];
  if (ids.length === 0) return [];
  const people = tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      disabledAt: users.disabledAt,
      language: users.language,
    })
    .from(users)
    .where(inArray(users.id, ids))
    .all();
  return people
    .filter((p) => !p.disabledAt && (input.topic === "essential" || wantsTopic(tx, p.id, input.topic)))
    .map((p) => {
      const language: Language = isLanguage(p.language) ? p.language : "en";
      const t = translatorFor(language);
      const body = written(input.body, t, language);
      return queueMail(tx, {
        to: p.email,
        subject: written(input.subject, t, language),
        body: `${t("mail:greeting", { name: p.name })}\n\n${body}\n\n${t("mail:signOff")}`,
        language,
      });
    });
}

export function groupMemberIds(tx: Db, groupId: number): string[] {
  return tx
    .select({ id: groupMembers.userId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId))
    .all()
    .map((m) => m.id);
}

export function notificationPreferencesOf(userId: string, database: Db = db()): Record<NotificationTopic, boolean> {
  return Object.fromEntries(
    NOTIFICATION_TOPIC_LIST.map((t) => [t.topic, wantsTopic(database, userId, t.topic)]),
  ) as Record<NotificationTopic, boolean>;
}

export function setNotificationPreferences(
  user: { id: string; name: string },
  enabled: readonly NotificationTopic[],
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    for (const { topic } of NOTIFICATION_TOPIC_LIST) {
      const on = enabled.includes(topic);
      tx.insert(notificationPreferences)
        .values({ userId: user.id, topic, enabled: on })
        .onConflictDoUpdate({
          target: [notificationPreferences.userId, notificationPreferences.topic],
          set: { enabled: on },
        })
        .run();
    }
    recordAudit(tx, {
      actor: user,
      action: "account.notifications",
      entityType: "user",
      entityId: user.id,
      after: { enabled },
    });
  }, database);
}

/** The newest messages in the outbox (every message the app sends is kept there), newest first. */
/** What administrators see of a queued message: never the sealed copy that holds a private link. */
const OUTBOX_COLUMNS = {
  id: outbox.id,
  toAddress: outbox.toAddress,
  subject: outbox.subject,
  body: outbox.body,
  createdAt: outbox.createdAt,
  sentAt: outbox.sentAt,
  transport: outbox.transport,
  error: outbox.error,
  attempts: outbox.attempts,
  lastAttemptAt: outbox.lastAttemptAt,
  nextAttemptAt: outbox.nextAttemptAt,
  failedAt: outbox.failedAt,
} as const;

export function recentOutboxMessages(limit = 100, database: Db = db()) {
  return database.select(OUTBOX_COLUMNS).from(outbox).orderBy(desc(outbox.id)).limit(limit).all();
}

/** Messages the mail worker gave up on, newest first. */
export function failedOutboxMessages(limit = 50, database: Db = db()) {
  return database
    .select(OUTBOX_COLUMNS)
    .from(outbox)
    .where(isNotNull(outbox.failedAt))
    .orderBy(desc(outbox.id))
    .limit(limit)
    .all();
}
