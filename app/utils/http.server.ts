import type { AppLoadContext } from "@remix-run/node";

/** Control characters (which URL parsers drop, and which no header may carry) and backslashes. */
const UNSAFE_IN_REDIRECT = /[\u0000-\u001F\u007F-\u009F\\]/;

/**
 * The path to send the browser to after sign-in: `to` if it is a path on our own origin, otherwise
 * `fallback` (open redirects). `to` is parsed with the WHATWG URL parser against `ownOrigin`, as the
 * browser will parse the Location header, and accepted only if the result is on that origin; text
 * with control characters or backslashes, which parsers silently drop or turn into slashes, is
 * refused before parsing. The answer is the parsed path, query and fragment, never the raw text.
 */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/",
  ownOrigin = "http://localhost",
): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || UNSAFE_IN_REDIRECT.test(to)) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(ownOrigin);
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

export function clientIp(context: AppLoadContext | undefined): string {
  return context?.clientIp ?? "unknown";
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** Parses a route parameter that must be a positive integer id, or throws a 404. */
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
}
