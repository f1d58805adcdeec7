/**
 * The one way the app sends mail.
 *
 * Every message is written to the outbox table inside the transaction that produced it
 * (`queueMail`). With SMTP_URL set, the outbox worker (started by the server, and `npm run
 * mail:drain` for a timer) sends what is due through nodemailer, retrying a failure with
 * exponential backoff and giving up after MAIL_MAX_ATTEMPTS; each attempt and the last error are
 * recorded, and administrators see failures at /admin/outbox. The routes that must answer at once
 * (a password reset) also call `deliverMail` after their transaction commits.
 *
 * Links: every link in a message is absolute, built from APP_URL (in development and tests,
 * http://localhost:PORT), never from a request's Host header. A bare site path in a body ("at
 * /bids/10/offer") is made absolute here, so the models that write messages need only name the path.
 *
 * Secrets: a link carrying a token (`secretLink`) never rests in the stored body. The stored body
 * has it redacted; the text the recipient gets is sealed (AES-256-GCM, key derived from
 * SESSION_SECRET) and cleared once the message is sent or given up on.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { db, type Db } from "~/db/client.server";
import { outbox } from "~/db/schema";
import { env } from "~/utils/env.server";

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
  /** The recipient's language: every site link in the body then carries `?lng=` so it opens in that language. */
  language?: string;
}

/** What the stored copy shows in place of a private link. */
export const REDACTED_LINK = "[private link: sent to the recipient only, not kept]";

const SECRET_START = "\uE000";
const SECRET_END = "\uE001";
const SECRET_LINK = /\uE000([^\uE001]*)\uE001/g;
/** First path segments of the site's pages, so a bare "/bids/10/offer" in a body can be made absolute. */
const SITE_PATH =
  /(^|[\s("'])(\/(?:account|admin|bids|councillor|decisions|finance|forgot-password|funds|groups|ledger|login|projects|reset-password|rounds|wards)(?:\/[A-Za-z0-9._~%\-/]*[A-Za-z0-9_~%\-/])?)(?=$|[\s).,;:!?"'])/g;

/** The site's base URL: APP_URL, or in development and tests http://localhost:PORT. */
export function appBaseUrl(): string {
  const configured = env().APP_URL;
  if (configured) return configured.replace(/\/+$/, "");
  if (env().NODE_ENV === "production") throw new Error("APP_URL must be set when NODE_ENV=production");
  return `http://localhost:${process.env.PORT ?? 3000}`;
}

/** The absolute URL of a path on this site. */
export function link(pathname: string): string {
  return new URL(pathname, `${appBaseUrl()}/`).toString();
}

/** An absolute link that carries a secret (a one-time token): sent to the recipient, never stored. */
export function secretLink(pathname: string): string {
  return `${SECRET_START}${link(pathname)}${SECRET_END}`;
}

/** Kept for the routes that pass the request: the request is ignored, links come from APP_URL. */
export function appUrl(_request: Request, pathname: string): string {
  return link(pathname);
}

/** `path` with `lng=<language>` added to its query. */
export function withLanguage(pathname: string, language: string): string {
  const hash = pathname.indexOf("#");
  const [path, fragment] = hash === -1 ? [pathname, ""] : [pathname.slice(0, hash), pathname.slice(hash)];
  return `${path}${path.includes("?") ? "&" : "?"}lng=${encodeURIComponent(language)}${fragment}`;
}

/** Makes every bare site path in `text` absolute, carrying `?lng=` when the recipient's language is known. */
export function absoluteLinks(text: string, language?: string): string {
  const base = appBaseUrl();
  return text.replace(
    SITE_PATH,
    (_all, before: string, pathname: string) =>
      `${before}${base}${language ? withLanguage(pathname, language) : pathname}`,
  );
}

function sealingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().SESSION_SECRET, "wardfund-outbox", "sealed mail body", 32));
}

export function sealText(text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(), iv);
  const sealed = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64");
}

export function openSealedText(sealed: string): string {
  const raw = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", sealingKey(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** Queues a message inside the caller's transaction; returns the outbox id. */
export function queueMail(tx: Db, message: MailMessage): number {
  const absolute = absoluteLinks(message.body, message.language);
  const hasSecret = absolute.includes(SECRET_START);
  const delivered = absolute.replace(SECRET_LINK, "$1");
  const smtp = Boolean(env().SMTP_URL);
  if (hasSecret && !smtp && env().NODE_ENV === "development") {
    // No SMTP in development: the private link is shown here, since the stored copy is redacted.
    console.info(`Mail to ${message.to} (${message.subject}):\n${delivered}`);
  }
  const row = tx
    .insert(outbox)
    .values({
      toAddress: message.to,
      subject: message.subject,
      body: absolute.replace(SECRET_LINK, REDACTED_LINK),
      sealedBody: hasSecret && smtp ? sealText(delivered) : null,
      transport: smtp ? "smtp" : "outbox",
    })
    .returning({ id: outbox.id })
    .get();
  return row.id;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  /** The wait after the first failure; each later failure doubles it. */
  retryBaseMs: number;
  /** How long a claimed message is left to the worker that claimed it. */
  leaseMs: number;
}

export function deliveryPolicy(): DeliveryPolicy {
  return {
    maxAttempts: env().MAIL_MAX_ATTEMPTS,
    retryBaseMs: env().MAIL_RETRY_BASE_SECONDS * 1000,
    leaseMs: 5 * 60_000,
  };
}

/** The wait before the next attempt after `attempts` failed ones. */
export function retryDelayMs(attempts: number, policy: DeliveryPolicy): number {
  return policy.retryBaseMs * 2 ** Math.max(0, attempts - 1);
}

let cachedTransport: { url: string; transport: Transporter } | undefined;

function smtpTransport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  if (cachedTransport?.url !== url) cachedTransport = { url, transport: nodemailer.createTransport(url) };
  return cachedTransport.transport;
}

export interface DeliveryOptions {
  transport?: Pick<Transporter, "sendMail">;
  policy?: DeliveryPolicy;
  now?: () => Date;
  database?: Db;
}

export type AttemptResult = "sent" | "retry" | "failed" | "skipped";

/**
 * Makes one attempt at one message if it is due: claims it (so two workers never both send it),
 * sends it, and records the outcome.
 */
export async function attemptDelivery(id: number, options: DeliveryOptions = {}): Promise<AttemptResult> {
  const database = options.database ?? db();
  const transport = options.transport ?? smtpTransport();
  const policy = options.policy ?? deliveryPolicy();
  const now = options.now ?? (() => new Date());
  if (!transport) return "skipped";
  const startedAt = now();
  const startedIso = startedAt.toISOString();
  const claim = database
    .update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      lastAttemptAt: startedIso,
      nextAttemptAt: new Date(startedAt.getTime() + policy.leaseMs).toISOString(),
    })
    .where(
      and(
        eq(outbox.id, id),
        eq(outbox.transport, "smtp"),
        isNull(outbox.sentAt),
        isNull(outbox.failedAt),
        or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, startedIso)),
      ),
    )
    .returning()
    .get();
  if (!claim) return "skipped";
  let error: string;
  try {
    const text = claim.sealedBody ? openSealedText(claim.sealedBody) : claim.body;
    await transport.sendMail({ from: env().MAIL_FROM, to: claim.toAddress, subject: claim.subject, text });
    database
      .update(outbox)
      .set({ sentAt: now().toISOString(), nextAttemptAt: null, sealedBody: null })
      .where(eq(outbox.id, id))
      .run();
    return "sent";
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const finished = now();
  if (claim.attempts >= policy.maxAttempts) {
    database
      .update(outbox)
      .set({ error, failedAt: finished.toISOString(), nextAttemptAt: null, sealedBody: null })
      .where(eq(outbox.id, id))
      .run();
    return "failed";
  }
  const next = new Date(finished.getTime() + retryDelayMs(claim.attempts, policy)).toISOString();
  database.update(outbox).set({ error, nextAttemptAt: next }).where(eq(outbox.id, id)).run();
  return "retry";
}

/** Sends the given queued messages now (after the transaction that queued them has committed). */
export async function deliverMail(ids: number[], options: DeliveryOptions = {}): Promise<void> {
  for (const id of ids) await attemptDelivery(id, options);
}

export interface DrainSummary {
  sent: number;
  retrying: number;
  failed: number;
}

/** Makes one attempt at every message that is due, oldest first. */
export async function drainOutbox(options: DeliveryOptions & { limit?: number } = {}): Promise<DrainSummary> {
  const database = options.database ?? db();
  const nowIso = (options.now ?? (() => new Date()))().toISOString();
  const due = database
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.transport, "smtp"),
        isNull(outbox.sentAt),
        isNull(outbox.failedAt),
        or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, nowIso)),
      ),
    )
    .orderBy(outbox.id)
    .limit(options.limit ?? 500)
    .all();
  const summary: DrainSummary = { sent: 0, retrying: 0, failed: 0 };
  for (const { id } of due) {
    const result = await attemptDelivery(id, options);
    if (result === "sent") summary.sent += 1;
    else if (result === "retry") summary.retrying += 1;
    else if (result === "failed") summary.failed += 1;
  }
  return summary;
}

declare global {
  var __wardfundMailWorker: NodeJS.Timeout | undefined;
}

/**
 * Starts the outbox worker in this process: every MAIL_WORKER_INTERVAL_SECONDS it sends what is
 * due. Does nothing without SMTP_URL, under NODE_ENV=test, or with MAIL_WORKER=off (then run
 * `npm run mail:drain` from a timer).
 */
export function startMailWorker(): void {
  if (
    globalThis.__wardfundMailWorker ||
    !env().SMTP_URL ||
    env().NODE_ENV === "test" ||
    process.env.MAIL_WORKER === "off"
  )
    return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await drainOutbox();
    } catch (error) {
      console.error("Mail delivery failed:", error);
    } finally {
      running = false;
    }
  };
  globalThis.__wardfundMailWorker = setInterval(() => void tick(), env().MAIL_WORKER_INTERVAL_SECONDS * 1000);
  globalThis.__wardfundMailWorker.unref();
  setTimeout(() => void tick(), 1_000).unref();
}
