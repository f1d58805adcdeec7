/**
 * User accounts: registration with a confirmed address, sign-in with rate limiting, password reset,
 * and the one-time tokens mailed for them (roles and group places offered by invitation are in
 * invitations.server.ts).
 * Passwords and tokens never leave this module in clear except inside the mail that carries a token.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gte, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  passwordTokens,
  rateLimitHits,
  roleGrants,
  signInFailures,
  TOKEN_PURPOSES,
  users,
  type Role,
  type TokenPurpose,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { hashPassword, verifyPassword } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { isLanguage, type Language } from "~/i18n";
import { queueMail } from "~/utils/mail.server";
import { translatorFor } from "~/utils/translate";
import { constantTimeEqual, hmacHex, newToken, sha256Hex } from "~/utils/tokens.server";

export const RESET_TOKEN_MINUTES = 60;
export const INVITE_TOKEN_DAYS = 7;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(email: string) {
  return db()
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .get();
}

export const VERIFY_TOKEN_HOURS = 48;

export type AccountMailAction = "register" | "reset" | "resend";
export type Limited = { ok: false; reason: "limited"; retryAfterMinutes: number };

/**
 * Counts one request for `action` against the limits per email address and per client address, both
 * kept only as keyed hashes. Refuses, recording nothing, once either limit is reached in the window.
 */
export function takeAccountMailAllowance(
  tx: Db,
  action: AccountMailAction,
  email: string,
  clientAddress: string,
  now: number,
): { ok: true } | Limited {
  const config = env();
  const since = now - config.ACCOUNT_MAIL_WINDOW_MINUTES * 60_000;
  const keys = [
    {
      key: hmacHex(config.SESSION_SECRET, `address:${normaliseEmail(email)}`),
      limit: config.ACCOUNT_MAIL_MAX_PER_ADDRESS,
    },
    { key: hmacHex(config.SESSION_SECRET, `client:${clientAddress}`), limit: config.ACCOUNT_MAIL_MAX_PER_CLIENT },
  ];
  for (const { key, limit } of keys) {
    const row = tx
      .select({ n: sql<number>`count(*)` })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.bucket, action), eq(rateLimitHits.key, key), gte(rateLimitHits.at, since)))
      .get();
    if ((row?.n ?? 0) >= limit)
      return { ok: false, reason: "limited", retryAfterMinutes: config.ACCOUNT_MAIL_WINDOW_MINUTES };
  }
  for (const { key } of keys) tx.insert(rateLimitHits).values({ bucket: action, key, at: now }).run();
  return { ok: true };
}

/** What registration, a reset request and a new confirmation link answer: the same for every address. */
export type AccountMailResult = { ok: true; mailId: number | null } | Limited;

/** The language a person's mail is written in: theirs when known and offered by the catalogues, else English. */
export function mailLanguage(language: string | null | undefined): Language {
  return isLanguage(language) ? language : "en";
}

/** A mail to a person in their language: greeting, body and sign-off from the catalogues. */
export function accountMail(
  to: string,
  person: { name: string; language: string | null | undefined },
  subjectKey: string,
  bodyKey: string,
  values: Record<string, unknown> = {},
) {
  const language = mailLanguage(person.language);
  const t = translatorFor(language);
  return {
    to,
    language,
    subject: t(subjectKey),
    body: `${t("mail:greeting", { name: person.name })}\n\n${t(bodyKey, values)}\n\n${t("mail:signOff")}\n`,
  };
}

function confirmationMail(to: string, person: { name: string; language: string | null }, link: string) {
  return accountMail(to, person, "account:mail.confirmSubject", "account:mail.confirmBody", {
    hours: VERIFY_TOKEN_HOURS,
    link,
  });
}

/**
 * Registers a resident whose address is not yet confirmed, and mails a confirmation link. An address
 * that already has an account gets a note saying so instead; the caller cannot tell the two apart
 * (the password is hashed either way, so even the time taken is the same).
 */
export async function registerResident(
  input: { name: string; email: string; password: string; postcode: string | null },
  options: { clientAddress: string; linkFor: (token: string) => string; now?: number; language?: Language },
): Promise<AccountMailResult> {
  const now = options.now ?? Date.now();
  const passwordHash = await hashPassword(input.password);
  const email = normaliseEmail(input.email);
  return writeTransaction((tx): AccountMailResult => {
    const allowance = takeAccountMailAllowance(tx, "register", email, options.clientAddress, now);
    if (!allowance.ok) return allowance;
    const existing = tx.select().from(users).where(eq(users.email, email)).get();
    if (existing) {
      recordAudit(tx, { actor: null, action: "account.register-existing", entityType: "user", entityId: existing.id });
      const mailId = queueMail(
        tx,
        accountMail(email, existing, "account:mail.existingSubject", "account:mail.existingBody"),
      );
      return { ok: true, mailId };
    }
    const id = randomUUID();
    const createdAt = new Date(now).toISOString();
    const language = mailLanguage(options.language);
    tx.insert(users)
      .values({ id, email, name: input.name, passwordHash, postcode: input.postcode, createdAt, language })
      .run();
    tx.insert(roleGrants).values({ userId: id, role: "resident" }).run();
    recordAudit(tx, {
      actor: { id, name: input.name },
      action: "account.register",
      entityType: "user",
      entityId: id,
      after: { email, name: input.name, postcode: input.postcode, roles: ["resident"] },
    });
    const token = issueToken(tx, id, "verify", VERIFY_TOKEN_HOURS * 3_600_000, now);
    const mailId = queueMail(tx, confirmationMail(email, { name: input.name, language }, options.linkFor(token)));
    return { ok: true, mailId };
  });
}

/**
 * Sends a new confirmation link to an address whose account is not yet confirmed, ending the older
 * links. Answers the same whatever the address (no account, confirmed, unconfirmed).
 */
export function resendConfirmation(
  emailInput: string,
  options: { clientAddress: string; linkFor: (token: string) => string; now?: number },
): AccountMailResult {
  const now = options.now ?? Date.now();
  const email = normaliseEmail(emailInput);
  return writeTransaction((tx): AccountMailResult => {
    const allowance = takeAccountMailAllowance(tx, "resend", email, options.clientAddress, now);
    if (!allowance.ok) return allowance;
    const user = tx.select().from(users).where(eq(users.email, email)).get();
    if (!user || user.emailVerifiedAt || user.disabledAt) return { ok: true, mailId: null };
    endUnusedTokens(tx, user.id, now, ["verify"]);
    const token = issueToken(tx, user.id, "verify", VERIFY_TOKEN_HOURS * 3_600_000, now);
    const mailId = queueMail(tx, confirmationMail(email, user, options.linkFor(token)));
    return { ok: true, mailId };
  });
}

/** Confirms an address with the link mailed to it: single-use, expiring. */
export function confirmEmail(token: string, now = Date.now()): TokenCheck {
  return writeTransaction((tx): TokenCheck => {
    const check = checkPasswordToken(token, now, tx);
    if (!check.ok) return check;
    if (check.purpose !== "verify") return { ok: false, message: INVALID_LINK };
    if (!useToken(tx, token, now)) return { ok: false, message: USED_LINK };
    markVerified(tx, check.userId, now);
    recordAudit(tx, { actor: null, action: "account.email-confirmed", entityType: "user", entityId: check.userId });
    return check;
  });
}

function markVerified(tx: Db, userId: string, now: number): void {
  tx.update(users)
    .set({ emailVerifiedAt: new Date(now).toISOString() })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
    .run();
}

/** Ends every unused token of a user (of the given purposes, or all), except `keepHash`. */
export function endUnusedTokens(
  tx: Db,
  userId: string,
  now: number,
  purposes: readonly TokenPurpose[] = TOKEN_PURPOSES,
  keepHash?: string,
): number {
  return tx
    .update(passwordTokens)
    .set({ usedAt: new Date(now).toISOString() })
    .where(
      and(
        eq(passwordTokens.userId, userId),
        isNull(passwordTokens.usedAt),
        inArray(passwordTokens.purpose, [...purposes]),
        keepHash ? ne(passwordTokens.tokenHash, keepHash) : undefined,
      ),
    )
    .run().changes;
}

function useToken(tx: Db, token: string, now: number): boolean {
  const used = tx
    .update(passwordTokens)
    .set({ usedAt: new Date(now).toISOString() })
    .where(and(eq(passwordTokens.tokenHash, sha256Hex(token)), isNull(passwordTokens.usedAt)))
    .run();
  return used.changes === 1;
}

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; scope: "account" | "address"; retryAfterMinutes: number };

// A real argon2id hash of a random password: verifying against it when the email is unknown makes
// a wrong email take as long as a wrong password.
let dummyHash: Promise<string> | undefined;
function timingDummy(): Promise<string> {
  dummyHash ??= hashPassword(newToken());
  return dummyHash;
}

function recentFailures(tx: Db, column: "email" | "ip", value: string, since: number): number {
  const target = column === "email" ? signInFailures.email : signInFailures.ip;
  const row = tx
    .select({ n: sql<number>`count(*)` })
    .from(signInFailures)
    .where(and(eq(target, value), gte(signInFailures.at, since)))
    .get();
  return row?.n ?? 0;
}

/**
 * Checks an email and password, refusing once an account or an address has had too many recent
 * failures (the limits are in env). `now` is milliseconds since the epoch.
 *
 * The attempt is counted as a failure in the same write transaction as the check, before the
 * password is verified, and the count is withdrawn only if the password proves right: so however
 * many guesses arrive at once, no more than the limit are ever verified.
 */
export async function signInWithPassword(
  emailInput: string,
  password: string,
  ipAddress: string,
  now = Date.now(),
): Promise<SignInResult> {
  const config = env();
  const email = normaliseEmail(emailInput);
  // Addresses are kept only as a keyed hash: enough to count failures, not to identify anyone.
  const ip = hmacHex(config.SESSION_SECRET, ipAddress);
  const since = now - config.SIGN_IN_WINDOW_MINUTES * 60_000;
  const admitted = writeTransaction((tx): SignInResult | { ok: "pending"; attemptId: number } => {
    if (recentFailures(tx, "email", email, since) >= config.SIGN_IN_MAX_FAILURES_PER_ACCOUNT) {
      return { ok: false, reason: "locked", scope: "account", retryAfterMinutes: config.SIGN_IN_WINDOW_MINUTES };
    }
    if (recentFailures(tx, "ip", ip, since) >= config.SIGN_IN_MAX_FAILURES_PER_IP) {
      return { ok: false, reason: "locked", scope: "address", retryAfterMinutes: config.SIGN_IN_WINDOW_MINUTES };
    }
    const attempt = tx.insert(signInFailures).values({ email, ip, at: now }).returning({ id: signInFailures.id }).get();
    return { ok: "pending", attemptId: attempt.id };
  });
  if (admitted.ok !== "pending") return admitted;
  const user = findUserByEmail(email);
  const valid =
    user?.passwordHash && !user.disabledAt
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await timingDummy(), password), false);
  if (!valid || !user) return { ok: false, reason: "invalid" };
  writeTransaction((tx) => {
    tx.delete(signInFailures).where(eq(signInFailures.email, email)).run();
    recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      action: "account.sign-in",
      entityType: "user",
      entityId: user.id,
    });
  });
  return { ok: true, userId: user.id };
}

export function issueToken(tx: Db, userId: string, purpose: TokenPurpose, ttlMs: number, now: number): string {
  const token = newToken();
  tx.insert(passwordTokens)
    .values({ userId, purpose, tokenHash: sha256Hex(token), expiresAt: new Date(now + ttlMs).toISOString() })
    .run();
  return token;
}

/**
 * Starts a password reset. Always answers the same whether or not the address has an account, so
 * the page cannot be used to find out who is registered. An account whose address is not yet
 * confirmed may reset too: following the mailed link confirms the address and ends every session.
 */
export function requestPasswordReset(
  emailInput: string,
  options: { clientAddress: string; linkFor: (token: string) => string; now?: number },
): AccountMailResult {
  const now = options.now ?? Date.now();
  const email = normaliseEmail(emailInput);
  return writeTransaction((tx): AccountMailResult => {
    const allowance = takeAccountMailAllowance(tx, "reset", email, options.clientAddress, now);
    if (!allowance.ok) return allowance;
    const user = tx.select().from(users).where(eq(users.email, email)).get();
    if (!user || user.disabledAt) return { ok: true, mailId: null };
    const token = issueToken(tx, user.id, "reset", RESET_TOKEN_MINUTES * 60_000, now);
    recordAudit(tx, { actor: null, action: "account.password-reset-requested", entityType: "user", entityId: user.id });
    const mailId = queueMail(
      tx,
      accountMail(user.email, user, "account:mail.resetSubject", "account:mail.resetBody", {
        minutes: RESET_TOKEN_MINUTES,
        link: options.linkFor(token),
      }),
    );
    return { ok: true, mailId };
  });
}

export type TokenCheck = { ok: true; userId: string; purpose: TokenPurpose } | { ok: false; message: string };

/** Catalogue keys: the pages show them in the reader's language. */
const INVALID_LINK = "account:link.invalid";
const USED_LINK = "account:link.used";

/** Looks up an unused, unexpired token. The stored hash is matched by an index lookup on SHA-256. */
export function checkPasswordToken(token: string, now = Date.now(), database: Db = db()): TokenCheck {
  const presented = sha256Hex(token);
  const row = database.select().from(passwordTokens).where(eq(passwordTokens.tokenHash, presented)).get();
  // The index lookup is on a hash, so its timing reveals nothing useful; the comparison that
  // accepts the token is constant-time all the same.
  if (!row || !constantTimeEqual(row.tokenHash, presented)) return { ok: false, message: INVALID_LINK };
  if (row.usedAt) return { ok: false, message: USED_LINK };
  if (Date.parse(row.expiresAt) <= now) return { ok: false, message: "account:link.expired" };
  return { ok: true, userId: row.userId, purpose: row.purpose };
}

/**
 * Sets a new password with a reset or invitation token, marking the token used; the token works
 * once. Every other unused token of the user ends with it (older reset links, confirmation links),
 * and since the link came by mail, the address counts as confirmed.
 */
export async function setPasswordWithToken(token: string, password: string, now = Date.now()): Promise<TokenCheck> {
  const passwordHash = await hashPassword(password);
  return writeTransaction((tx): TokenCheck => {
    const check = checkPasswordToken(token, now, tx);
    if (!check.ok) return check;
    if (check.purpose === "verify") return { ok: false, message: INVALID_LINK };
    if (!useToken(tx, token, now)) return { ok: false, message: USED_LINK };
    setPassword(tx, check.userId, passwordHash, now);
    recordAudit(tx, {
      actor: null,
      action: check.purpose === "invite" ? "account.invitation-accepted" : "account.password-reset",
      entityType: "user",
      entityId: check.userId,
    });
    return check;
  });
}

/** Sets a user's password from a mailed link: confirms the address and ends every unused token. */
export function setPassword(tx: Db, userId: string, passwordHash: string, now: number): void {
  tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
  markVerified(tx, userId, now);
  endUnusedTokens(tx, userId, now);
}

/** Adds role grants a user does not already hold; returns what was added. */
export function grantRoles(tx: Db, userId: string, roles: Role[], councillorWardIds: number[]): string[] {
  const added: string[] = [];
  const existing = tx.select().from(roleGrants).where(eq(roleGrants.userId, userId)).all();
  const holds = (role: Role, wardId: number | null) => existing.some((g) => g.role === role && g.wardId === wardId);
  for (const role of roles) {
    if (role === "councillor") continue;
    if (!holds(role, null)) {
      tx.insert(roleGrants).values({ userId, role }).run();
      added.push(role);
    }
  }
  if (roles.includes("councillor")) {
    for (const wardId of councillorWardIds) {
      if (!holds("councillor", wardId)) {
        tx.insert(roleGrants).values({ userId, role: "councillor", wardId }).run();
        added.push(`councillor:${wardId}`);
      }
    }
  }
  return added;
}

/** Replaces a user's roles with exactly `roles` (and councillor wards), auditing before and after. */
export function setUserRoles(actor: Actor, userId: string, roles: Role[], councillorWardIds: number[]): void {
  writeTransaction((tx) => {
    const before = tx.select().from(roleGrants).where(eq(roleGrants.userId, userId)).all();
    tx.delete(roleGrants).where(eq(roleGrants.userId, userId)).run();
    grantRoles(tx, userId, roles, councillorWardIds);
    const after = tx.select().from(roleGrants).where(eq(roleGrants.userId, userId)).all();
    const describe = (rows: typeof before) => rows.map((g) => (g.wardId ? `${g.role}:${g.wardId}` : g.role)).sort();
    recordAudit(tx, {
      actor,
      action: "user.roles-changed",
      entityType: "user",
      entityId: userId,
      before: describe(before),
      after: describe(after),
    });
  });
}

/** One user with their role grants, or undefined. */
export function getUserWithGrants(userId: string) {
  const user = db()
    .select({ id: users.id, name: users.name, email: users.email, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) return undefined;
  const grants = db()
    .select({ role: roleGrants.role, wardId: roleGrants.wardId })
    .from(roleGrants)
    .where(eq(roleGrants.userId, userId))
    .all();
  return { ...user, grants };
}

export function listUsers(search?: string) {
  const pattern = search ? `%${search.toLowerCase()}%` : undefined;
  const rows = db()
    .select({ id: users.id, name: users.name, email: users.email, disabledAt: users.disabledAt })
    .from(users)
    .where(pattern ? or(sql`lower(${users.name}) like ${pattern}`, sql`${users.email} like ${pattern}`) : undefined)
    .orderBy(users.name)
    .all();
  const grants = db().select().from(roleGrants).all();
  return rows.map((u) => ({
    ...u,
    grants: grants.filter((g) => g.userId === u.id).map((g) => ({ role: g.role, wardId: g.wardId })),
  }));
}

/** Everyone whose account is not disabled, by name: the people an administrator may pick from. */
export function listActivePeople(database: Db = db()) {
  return database
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(isNull(users.disabledAt))
    .orderBy(asc(users.name))
    .all();
}

export function userExists(id: string, database: Db = db()): boolean {
  return Boolean(database.select({ id: users.id }).from(users).where(eq(users.id, id)).get());
}
