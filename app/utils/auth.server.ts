/**
 * Authentication and authorisation: the only module that knows about lucia (v3 is no longer
 * developed upstream, so it stays behind `getAuth`, `signIn`, `signOut` and the `require*` guards and
 * can be replaced here alone).
 *
 * Every loader and action calls one of the guards. Guards throw a Response: a redirect to sign in
 * when nobody is signed in, a 403 when the signed-in user lacks the role or ward. On non-GET requests
 * the guards also check that the request came from our own origin.
 *
 * An account whose email address is not yet confirmed may sign in and see its own account page
 * (`requireSignedIn`) and nothing else: every other guard goes through `requireVerifiedUser`, and
 * such an account's principal carries no role and no group.
 *
 * Sessions of staff (councillor, finance, administrator, the designated decision-maker) end after
 * STAFF_SESSION_IDLE_MINUTES without use and STAFF_SESSION_MAX_HOURS after sign-in; residents'
 * last RESIDENT_SESSION_DAYS, refreshed as they are used.
 */
import { hash, verify } from "@node-rs/argon2";
import { redirect } from "@remix-run/node";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type Session } from "lucia";
import { describeUserAgent, LAST_SEEN_RESOLUTION_MS, staffSessionVerdict } from "~/core/access/sessions";
import { db, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { councilSettings, groupMembers, roleGrants, sessions, users, type Role } from "~/db/schema";
import { env, isProduction } from "~/utils/env.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { SessionStore } from "~/utils/session-store.server";

let instance: Lucia | undefined;

function lucia(): Lucia {
  if (!instance) {
    instance = new Lucia(new SessionStore(), {
      sessionExpiresIn: new TimeSpan(env().RESIDENT_SESSION_DAYS, "d"),
      sessionCookie: {
        name: "wardfund_session",
        attributes: { secure: isProduction(), sameSite: "lax" },
      },
    });
  }
  return instance;
}

/** What the app knows about the signed-in person on each request. */
export interface Principal {
  id: string;
  email: string;
  name: string;
  postcode: string | null;
  /** Whether the address is confirmed. Until it is, `roles` and `groupIds` are empty. */
  verified: boolean;
  roles: Role[];
  councillorWardIds: number[];
  groupIds: number[];
}

export interface Auth {
  user: Principal | null;
  session: Session | null;
  /** Set-Cookie headers to pass on (a refreshed or cleared session cookie). */
  headers: Headers;
}

const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 uses argon2id by default; the options are OWASP's minimum for it.
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password, ARGON2_OPTIONS);
}

/** The queries of every signed-in request, prepared once per connection. */
const principalQueries = preparedPerConnection((database: Db) => ({
  user: database
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      postcode: users.postcode,
      disabledAt: users.disabledAt,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(),
  grants: database
    .select({ role: roleGrants.role, wardId: roleGrants.wardId })
    .from(roleGrants)
    .where(eq(roleGrants.userId, sql.placeholder("userId")))
    .prepare(),
  groupIds: database
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(eq(groupMembers.userId, sql.placeholder("userId")))
    .prepare(),
  designatedDecider: database
    .select({ decider: councilSettings.designatedDecisionMakerId })
    .from(councilSettings)
    .prepare(),
  sessionTimes: database
    .select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(),
  markSeen: database
    .update(sessions)
    .set({ lastSeenAt: sql`${sql.placeholder("now")}` })
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(),
}));

export function loadPrincipal(userId: string, database = db()): Principal | null {
  const queries = principalQueries(database);
  const user = queries.user.get({ userId });
  if (!user || user.disabledAt) return null;
  const { id, email, name, postcode } = user;
  if (!user.emailVerifiedAt)
    return { id, email, name, postcode, verified: false, roles: [], councillorWardIds: [], groupIds: [] };
  const grants = queries.grants.all({ userId });
  return {
    id,
    email,
    name,
    postcode,
    verified: true,
    roles: [...new Set(grants.map((g) => g.role))],
    councillorWardIds: grants.filter((g) => g.role === "councillor" && g.wardId != null).map((g) => g.wardId as number),
    groupIds: queries.groupIds.all({ userId }).map((m) => m.groupId),
  };
}

const STAFF_ROLES: readonly Role[] = ["councillor", "finance", "admin"];

/** Whether `user`'s sessions are held to the staff idle timeout and lifetime. */
export function isStaff(user: Principal, database: Db = db()): boolean {
  if (user.roles.some((role) => STAFF_ROLES.includes(role))) return true;
  if (!user.verified) return false;
  return principalQueries(database).designatedDecider.get()?.decider === user.id;
}

export async function getAuth(request: Request, now = Date.now()): Promise<Auth> {
  const headers = new Headers();
  const sessionId = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return { user: null, session: null, headers };
  const { session, user } = await lucia().validateSession(sessionId);
  const principal = user ? loadPrincipal(user.id) : null;
  if (session && principal && !sessionStillLive(session.id, principal, now)) {
    await lucia().invalidateSession(session.id);
    headers.append("Set-Cookie", lucia().createBlankSessionCookie().serialize());
    return { user: null, session: null, headers };
  }
  if (session?.fresh) headers.append("Set-Cookie", lucia().createSessionCookie(session.id).serialize());
  if (!session) headers.append("Set-Cookie", lucia().createBlankSessionCookie().serialize());
  return { user: principal, session: principal ? session : null, headers };
}

/** Applies the staff timeouts and records when the session was last used (at most once a minute). */
function sessionStillLive(sessionId: string, principal: Principal, now: number): boolean {
  const queries = principalQueries(db());
  const times = queries.sessionTimes.get({ sessionId });
  if (!times) return false;
  if (isStaff(principal)) {
    const config = env();
    const policy = {
      staffIdleMinutes: config.STAFF_SESSION_IDLE_MINUTES,
      staffMaxHours: config.STAFF_SESSION_MAX_HOURS,
    };
    if (!staffSessionVerdict(policy, times, now).live) return false;
  }
  if (now - times.lastSeenAt >= LAST_SEEN_RESOLUTION_MS) {
    queries.markSeen.run({ sessionId, now });
  }
  return true;
}

function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

export function forbidden(message = "You do not have permission to see this page."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/**
 * A signed-in account, confirmed or not, or a redirect to the sign-in page. Only for a person's own
 * account pages (their details, their devices, a new confirmation link); everything else uses
 * `requireVerifiedUser`.
 */
export async function requireSignedIn(request: Request): Promise<Principal> {
  assertSameOrigin(request);
  const { user } = await getAuth(request);
  if (!user) throw signInRedirect(request);
  return user;
}

export const UNVERIFIED_MESSAGE =
  "Confirm your email address first: open the link we sent you, or ask for a new one on your account page.";

/** A signed-in user whose email address is confirmed; a redirect to sign in, or a 403. */
export async function requireVerifiedUser(request: Request): Promise<Principal> {
  const user = await requireSignedIn(request);
  if (!user.verified) throw forbidden(UNVERIFIED_MESSAGE);
  return user;
}

/** The guard every signed-in page uses: a user whose address is confirmed. */
export const requireUser = requireVerifiedUser;

export function hasRole(user: Principal, role: Role): boolean {
  return user.roles.includes(role);
}

/** A signed-in user holding at least one of `roles`, or a 403. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<Principal> {
  const user = await requireVerifiedUser(request);
  if (!roles.some((role) => hasRole(user, role))) throw forbidden();
  return user;
}

/** A member of community group `groupId`, or a 403. */
export async function requireMemberOf(request: Request, groupId: number): Promise<Principal> {
  const user = await requireVerifiedUser(request);
  if (!user.groupIds.includes(groupId)) throw forbidden("You are not a member of this group.");
  return user;
}

/** Only for pages that must not be seen when signed in (sign in, register). */
export async function requireAnonymous(request: Request): Promise<void> {
  assertSameOrigin(request);
  const { user } = await getAuth(request);
  if (user) throw redirect("/");
}

/**
 * Starts a new session for `userId` and ends the one the request came with, so a session id is
 * never carried across a sign-in (session fixation). Returns the Set-Cookie header.
 */
export async function startSession(request: Request, userId: string, now = Date.now()): Promise<string> {
  const previous = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (previous) await lucia().invalidateSession(previous);
  const session = await lucia().createSession(userId, {});
  db()
    .update(sessions)
    .set({ createdAt: now, lastSeenAt: now, userAgent: describeUserAgent(request.headers.get("User-Agent")) })
    .where(eq(sessions.id, session.id))
    .run();
  return lucia().createSessionCookie(session.id).serialize();
}

/** The session a request came with, if any (its id, for telling "this device" apart). */
export function sessionIdOf(request: Request): string | null {
  return lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

/** A user's sessions, most recently used first, for the list of signed-in devices. */
export function listSessions(userId: string) {
  return db()
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt))
    .all();
}

/** Ends every session of `userId` except `keepSessionId`; returns how many ended. */
export function endOtherSessions(userId: string, keepSessionId: string): number {
  return db()
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
    .run().changes;
}

/** Ends the request's session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const current = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (current) await lucia().invalidateSession(current);
  return lucia().createBlankSessionCookie().serialize();
}

/** Ends every session of a user (after a password reset or when an account is disabled). */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}
