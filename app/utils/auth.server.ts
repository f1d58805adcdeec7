/**
 * Authentication and authorisation: the only module that knows about lucia (v3 is no longer
 * developed upstream, so it stays behind `getAuth`, `signIn`, `signOut` and the `require*` guards and
 * can be replaced here alone).
 *
 * Every loader and action calls one of the guards. Guards throw a Response: a redirect to sign in
 * when nobody is signed in, a 403 when the signed-in user lacks the role or ward. On non-GET requests
 * the guards also check that the request came from our own origin.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { hash, verify } from "@node-rs/argon2";
import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { Lucia, type Session } from "lucia";
import { db } from "~/db/client.server";
import { groupMembers, roleGrants, sessions, users, type Role } from "~/db/schema";
import { isProduction } from "~/utils/env.server";
import { assertSameOrigin } from "~/utils/origin.server";

let instance: Lucia | undefined;

function lucia(): Lucia {
  if (!instance) {
    const adapter = new DrizzleSQLiteAdapter(db(), sessions, users);
    instance = new Lucia(adapter, {
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

export function loadPrincipal(userId: string, database = db()): Principal | null {
  const user = database.select().from(users).where(eq(users.id, userId)).get();
  if (!user || user.disabledAt) return null;
  const grants = database.select().from(roleGrants).where(eq(roleGrants.userId, userId)).all();
  const memberships = database.select().from(groupMembers).where(eq(groupMembers.userId, userId)).all();
  const roles = [...new Set(grants.map((g) => g.role))];
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    postcode: user.postcode,
    roles,
    councillorWardIds: grants.filter((g) => g.role === "councillor" && g.wardId != null).map((g) => g.wardId as number),
    groupIds: memberships.map((m) => m.groupId),
  };
}

export async function getAuth(request: Request): Promise<Auth> {
  const headers = new Headers();
  const sessionId = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return { user: null, session: null, headers };
  const { session, user } = await lucia().validateSession(sessionId);
  if (session?.fresh) headers.append("Set-Cookie", lucia().createSessionCookie(session.id).serialize());
  if (!session) headers.append("Set-Cookie", lucia().createBlankSessionCookie().serialize());
  const principal = user ? loadPrincipal(user.id) : null;
  return { user: principal, session: principal ? session : null, headers };
}

function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

export function forbidden(message = "You do not have permission to see this page."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** A signed-in user, or a redirect to the sign-in page. */
export async function requireUser(request: Request): Promise<Principal> {
  assertSameOrigin(request);
  const { user } = await getAuth(request);
  if (!user) throw signInRedirect(request);
  return user;
}

export function hasRole(user: Principal, role: Role): boolean {
  return user.roles.includes(role);
}

/** A signed-in user holding at least one of `roles`, or a 403. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<Principal> {
  const user = await requireUser(request);
  if (!roles.some((role) => hasRole(user, role))) throw forbidden();
  return user;
}

/** A member of community group `groupId`, or a 403. */
export async function requireMemberOf(request: Request, groupId: number): Promise<Principal> {
  const user = await requireUser(request);
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
export async function startSession(request: Request, userId: string): Promise<string> {
  const previous = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (previous) await lucia().invalidateSession(previous);
  const session = await lucia().createSession(userId, {});
  return lucia().createSessionCookie(session.id).serialize();
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
