/**
 * Cross-site request refusal. A state-changing request (anything but GET, HEAD, OPTIONS) must carry
 * an Origin header equal to our own origin; a missing or foreign Origin is refused with a 403.
 * SameSite=Lax cookies already keep the session off most cross-site posts; this is the second lock.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSameOriginRequest(method: string, originHeader: string | null, ownOrigin: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!originHeader || originHeader === "null") return false;
  return originHeader === ownOrigin;
}

export function assertSameOrigin(request: Request): void {
  const own = new URL(request.url).origin;
  if (!isSameOriginRequest(request.method, request.headers.get("Origin"), own)) {
    throw new Response("This form was sent from another site, so it was refused.", {
      status: 403,
      statusText: "Forbidden",
    });
  }
}
