/** The language a person's mail is written in: read and changed from their account (audited). */
import { eq } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { users } from "~/db/schema";
import type { Language } from "~/i18n";
import { recordAudit, type Actor } from "~/models/audit.server";

export function mailLanguageOf(userId: string, database: Db = db()): string {
  return database.select({ language: users.language }).from(users).where(eq(users.id, userId)).get()?.language ?? "en";
}

export function setMailLanguage(actor: Actor, language: Language, database: Db = db()): void {
  writeTransaction((tx) => {
    tx.update(users).set({ language }).where(eq(users.id, actor.id)).run();
    recordAudit(tx, {
      actor,
      action: "account.mail-language-changed",
      entityType: "user",
      entityId: actor.id,
      after: { language },
    });
  }, database);
}
