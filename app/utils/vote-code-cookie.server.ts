/**
 * After a code-holder enters a valid one-time code, the ballot page needs it again to cast the
 * vote. It travels in a short-lived, signed, HttpOnly cookie scoped to the round's pages, so the
 * code never appears in a URL. The code is still checked again inside the cast transaction.
 */
import { env, isProduction } from "~/utils/env.server";
import { constantTimeEqual, hmacHex } from "~/utils/tokens.server";

export const VOTE_CODE_COOKIE = "wardfund_vote_code";
export const VOTE_CODE_COOKIE_MINUTES = 30;

export function voteCodeCookieValue(
  roundId: number,
  code: string,
  expiresAt: number,
  secret = env().SESSION_SECRET,
): string {
  const body = `${roundId}.${code}.${expiresAt}`;
  return `${body}.${hmacHex(secret, `vote-code-cookie:${body}`)}`;
}

function cookieAttributes(roundId: number, maxAgeSeconds: number): string {
  return `Path=/rounds/${roundId}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${isProduction() ? "; Secure" : ""}`;
}

export function setVoteCodeCookie(roundId: number, code: string, now = Date.now()): string {
  const value = voteCodeCookieValue(roundId, code, now + VOTE_CODE_COOKIE_MINUTES * 60_000);
  return `${VOTE_CODE_COOKIE}=${value}; ${cookieAttributes(roundId, VOTE_CODE_COOKIE_MINUTES * 60)}`;
}

export function clearVoteCodeCookie(roundId: number): string {
  return `${VOTE_CODE_COOKIE}=; ${cookieAttributes(roundId, 0)}`;
}

/** The code from the request's cookie when it is genuine, for this round and not expired. */
export function voteCodeFromRequest(request: Request, roundId: number, now = Date.now()): string | null {
  const header = request.headers.get("Cookie") ?? "";
  const match = header.split(/;\s*/).find((part) => part.startsWith(`${VOTE_CODE_COOKIE}=`));
  if (!match) return null;
  const value = match.slice(VOTE_CODE_COOKIE.length + 1);
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const [round, code, expires, mac] = parts as [string, string, string, string];
  if (!constantTimeEqual(mac, hmacHex(env().SESSION_SECRET, `vote-code-cookie:${round}.${code}.${expires}`)))
    return null;
  if (Number(round) !== roundId || Number(expires) <= now) return null;
  return code;
}
