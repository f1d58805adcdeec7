import { startSession } from "~/utils/auth.server";
import { findUserByEmail } from "~/models/accounts.server";

export const ORIGIN = "http://localhost";

/** A session cookie (name=value) for an existing user, made the way sign-in makes it. */
export async function sessionCookieFor(email: string): Promise<string> {
  const user = findUserByEmail(email);
  if (!user) throw new Error(`No user ${email}`);
  const setCookie = await startSession(new Request(`${ORIGIN}/login`), user.id);
  return setCookie.split(";")[0]!;
}

export function formRequest(
  pathname: string,
  fields: Record<string, string | string[]>,
  init: { cookie?: string; origin?: string | null } = {},
): Request {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (init.origin !== null) headers.Origin = init.origin ?? ORIGIN;
  if (init.cookie) headers.Cookie = init.cookie;
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers, body });
}

export function getRequest(pathname: string, cookie?: string): Request {
  return new Request(`${ORIGIN}${pathname}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** Runs a loader or action and returns the Response it returned or threw. */
export async function responseOf(run: () => Promise<unknown>): Promise<Response | { value: unknown }> {
  try {
    const value = await run();
    return value instanceof Response ? value : { value };
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
