/**
 * User accounts: registration, sign-in with rate limiting, password reset and invitation tokens.
 * Passwords and tokens never leave this module in clear except inside the mail that carries a token.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gte, isNull, or, sql } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { passwordTokens, roleGrants, signInFailures, users, type Role } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { hashPassword, verifyPassword } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { queueMail } from "~/utils/mail.server";
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

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email address already exists.");
  }
}

export async function registerResident(input: {
  name: string;
  email: string;
  password: string;
  postcode: string | null;
}): Promise<{ id: string }> {
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  const email = normaliseEmail(input.email);
  writeTransaction((tx) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) throw new EmailTakenError();
    tx.insert(users).values({ id, email, name: input.name, passwordHash, postcode: input.postcode }).run();
    tx.insert(roleGrants).values({ userId: id, role: "resident" }).run();
    recordAudit(tx, {
      actor: { id, name: input.name },
      action: "account.register",
      entityType: "user",
      entityId: id,
      after: { email, name: input.name, postcode: input.postcode, roles: ["resident"] },
    });
  });
  return { id };
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

function recentFailures(column: "email" | "ip", value: string, since: number): number {
  const target = column === "email" ? signInFailures.email : signInFailures.ip;
  const row = db()
    .select({ n: sql<number>`count(*)` })
    .from(signInFailures)
    .where(and(eq(target, value), gte(signInFailures.at, since)))
    .get();
  return row?.n ?? 0;
}

/**
 * Checks an email and password, refusing once an account or an address has had too many recent
 * failures (the limits are in env). `now` is milliseconds since the epoch.
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
  const windowMs = config.SIGN_IN_WINDOW_MINUTES * 60_000;
  const since = now - windowMs;
  if (recentFailures("email", email, since) >= config.SIGN_IN_MAX_FAILURES_PER_ACCOUNT) {
    return { ok: false, reason: "locked", scope: "account", retryAfterMinutes: config.SIGN_IN_WINDOW_MINUTES };
  }
  if (recentFailures("ip", ip, since) >= config.SIGN_IN_MAX_FAILURES_PER_IP) {
    return { ok: false, reason: "locked", scope: "address", retryAfterMinutes: config.SIGN_IN_WINDOW_MINUTES };
  }
  const user = findUserByEmail(email);
  const valid =
    user?.passwordHash && !user.disabledAt
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await timingDummy(), password), false);
  if (!valid || !user) {
    db().insert(signInFailures).values({ email, ip, at: now }).run();
    return { ok: false, reason: "invalid" };
  }
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

export function issueToken(tx: Db, userId: string, purpose: "reset" | "invite", ttlMs: number, now: number): string {
  const token = newToken();
  tx.insert(passwordTokens)
    .values({ userId, purpose, tokenHash: sha256Hex(token), expiresAt: new Date(now + ttlMs).toISOString() })
    .run();
  return token;
}

/**
 * Starts a password reset. Always behaves the same whether or not the address has an account, so
 * the page cannot be used to find out who is registered. Returns the outbox id when mail was queued.
 */
export function requestPasswordReset(
  emailInput: string,
  linkFor: (token: string) => string,
  now = Date.now(),
): number | null {
  const user = findUserByEmail(emailInput);
  if (!user || user.disabledAt) return null;
  return writeTransaction((tx) => {
    const token = issueToken(tx, user.id, "reset", RESET_TOKEN_MINUTES * 60_000, now);
    recordAudit(tx, { actor: null, action: "account.password-reset-requested", entityType: "user", entityId: user.id });
    return queueMail(tx, {
      to: user.email,
      subject: "Reset your Wardfund password",
      body:
        `Hello ${user.name},\n\nSomeone asked to reset the password for this account. To choose a new password, ` +
        `open this link within ${RESET_TOKEN_MINUTES} minutes:\n\n${linkFor(token)}\n\nThe link works once. If you ` +
        `did not ask for this, you can ignore this message.\n`,
    });
  });
}

export type TokenCheck = { ok: true; userId: string; purpose: "reset" | "invite" } | { ok: false; message: string };

/** Looks up an unused, unexpired token. The stored hash is matched by an index lookup on SHA-256. */
export function checkPasswordToken(token: string, now = Date.now()): TokenCheck {
  const presented = sha256Hex(token);
  const row = db().select().from(passwordTokens).where(eq(passwordTokens.tokenHash, presented)).get();
  // The index lookup is on a hash, so its timing reveals nothing useful; the comparison that
  // accepts the token is constant-time all the same.
  if (!row || !constantTimeEqual(row.tokenHash, presented))
    return { ok: false, message: "This link is not valid. Ask for a new one." };
  if (row.usedAt) return { ok: false, message: "This link has already been used. Ask for a new one." };
  if (Date.parse(row.expiresAt) <= now) return { ok: false, message: "This link has expired. Ask for a new one." };
  return { ok: true, userId: row.userId, purpose: row.purpose };
}

/** Sets a new password with a token, marking the token used; the token works once. */
export async function setPasswordWithToken(token: string, password: string, now = Date.now()): Promise<TokenCheck> {
  const passwordHash = await hashPassword(password);
  return writeTransaction((tx) => {
    const check = checkPasswordToken(token, now);
    if (!check.ok) return check;
    const used = tx
      .update(passwordTokens)
      .set({ usedAt: new Date(now).toISOString() })
      .where(and(eq(passwordTokens.tokenHash, sha256Hex(token)), isNull(passwordTokens.usedAt)))
      .run();
    if (used.changes !== 1) return { ok: false, message: "This link has already been used. Ask for a new one." };
    tx.update(users).set({ passwordHash }).where(eq(users.id, check.userId)).run();
    recordAudit(tx, {
      actor: null,
      action: check.purpose === "invite" ? "account.invitation-accepted" : "account.password-reset",
      entityType: "user",
      entityId: check.userId,
    });
    return check;
  });
}

/**
 * Invites a person by email with the given roles: creates the account without a password and
 * mails a link to choose one. An existing account just gains the roles.
 */
export function inviteUser(
  actor: Actor,
  input: { name: string; email: string; roles: Role[]; councillorWardIds: number[] },
  linkFor: (token: string) => string,
  now = Date.now(),
): { userId: string; created: boolean; mailId: number | null } {
  const email = normaliseEmail(input.email);
  return writeTransaction((tx) => {
    const existing = tx.select().from(users).where(eq(users.email, email)).get();
    const userId = existing?.id ?? randomUUID();
    if (!existing) tx.insert(users).values({ id: userId, email, name: input.name }).run();
    const granted = grantRoles(tx, userId, input.roles, input.councillorWardIds);
    recordAudit(tx, {
      actor,
      action: existing ? "user.roles-granted" : "user.invited",
      entityType: "user",
      entityId: userId,
      after: { email, name: existing?.name ?? input.name, granted },
    });
    let mailId: number | null = null;
    if (!existing || !existing.passwordHash) {
      const token = issueToken(tx, userId, "invite", INVITE_TOKEN_DAYS * 86_400_000, now);
      mailId = queueMail(tx, {
        to: email,
        subject: "You have been invited to Wardfund",
        body:
          `Hello ${existing?.name ?? input.name},\n\n${actor.name} has invited you to Wardfund. To choose a ` +
          `password and sign in, open this link within ${INVITE_TOKEN_DAYS} days:\n\n${linkFor(token)}\n`,
      });
    }
    return { userId, created: !existing, mailId };
  });
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
