/**
 * The kiosk's device cookie: `<deviceId>.<device token>.<HMAC>`, HttpOnly, SameSite=Strict, signed
 * with SESSION_SECRET. The database keeps only the token's SHA-256, so neither a copy of the
 * database nor of the cookie jar without the secret enrols another device; revoking the device
 * makes the token match nothing.
 */
import { env, isProduction } from "~/utils/env.server";
import { constantTimeEqual, hmacHex } from "~/utils/tokens.server";

export const KIOSK_COOKIE = "wardfund_kiosk";
const MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

function attributes(maxAge: number): string {
  // Path=/ because client navigation fetches `/kiosk.data`, which a cookie on /kiosk would not reach.
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${isProduction() ? "; Secure" : ""}`;
}

export function setKioskCookie(deviceId: number, token: string, secret = env().SESSION_SECRET): string {
  const body = `${deviceId}.${token}`;
  return `${KIOSK_COOKIE}=${body}.${hmacHex(secret, `kiosk-cookie:${body}`)}; ${attributes(MAX_AGE_SECONDS)}`;
}

export function clearKioskCookie(): string {
  return `${KIOSK_COOKIE}=; ${attributes(0)}`;
}

/** The device token from a genuine kiosk cookie, or null. */
export function kioskTokenFromRequest(request: Request, secret = env().SESSION_SECRET): string | null {
  const header = request.headers.get("Cookie") ?? "";
  const match = header.split(/;\s*/).find((part) => part.startsWith(`${KIOSK_COOKIE}=`));
  if (!match) return null;
  const parts = match.slice(KIOSK_COOKIE.length + 1).split(".");
  if (parts.length !== 3) return null;
  const [id, token, mac] = parts as [string, string, string];
  if (!constantTimeEqual(mac, hmacHex(secret, `kiosk-cookie:${id}.${token}`))) return null;
  return token;
}
