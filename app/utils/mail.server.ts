/**
 * The one way the app sends mail. Every message is written to the outbox table; when SMTP_URL is
 * set it is also sent through nodemailer, after the database work that produced it has committed.
 */
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { db, type Db } from "~/db/client.server";
import { outbox } from "~/db/schema";
import { env } from "~/utils/env.server";

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

/** Queues a message inside the caller's transaction; returns the outbox id. */
export function queueMail(tx: Db, message: MailMessage): number {
  const row = tx
    .insert(outbox)
    .values({
      toAddress: message.to,
      subject: message.subject,
      body: message.body,
      transport: env().SMTP_URL ? "smtp" : "outbox",
    })
    .returning({ id: outbox.id })
    .get();
  return row.id;
}

/** Sends queued messages by SMTP when configured. Call after the transaction has committed. */
export async function deliverMail(ids: number[]): Promise<void> {
  const smtp = env().SMTP_URL;
  if (!smtp || ids.length === 0) return;
  const transport = nodemailer.createTransport(smtp);
  for (const id of ids) {
    const message = db().select().from(outbox).where(eq(outbox.id, id)).get();
    if (!message || message.sentAt) continue;
    try {
      await transport.sendMail({ from: env().MAIL_FROM, to: message.toAddress, subject: message.subject, text: message.body });
      db().update(outbox).set({ sentAt: new Date().toISOString() }).where(eq(outbox.id, id)).run();
    } catch (error) {
      db().update(outbox).set({ error: String(error) }).where(eq(outbox.id, id)).run();
    }
  }
}

export function appUrl(request: Request, pathname: string): string {
  const base = env().APP_URL ?? new URL(request.url).origin;
  return new URL(pathname, base).toString();
}
