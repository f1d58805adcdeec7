/**
 * Which language a request is answered in, and translation on the server (pages' meta, mail).
 *
 * The language comes, in order, from `?lng=` in the address, the language cookie (set by the
 * switch on every page), the browser's Accept-Language on a first visit, and otherwise the
 * council's first language. Only the languages the council offers (its `languages` setting) count.
 */
import { createCookie, type Cookie } from "@remix-run/node";
import type { TFunction } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LANGUAGE, isLanguage, parseLanguageSetting, type Language } from "~/i18n";
import { getCouncilSettings } from "~/models/council.server";
import { isProduction } from "~/utils/env.server";
import { translatorFor } from "~/utils/translate";

export { translatorFor };

export const LANGUAGE_COOKIE = "wardfund_lng";
export const LANGUAGE_COOKIE_DAYS = 365;

let cookie: Cookie | undefined;

/** The language cookie, made on first use (reading the environment at import would run before its checks). */
export function languageCookie(): Cookie {
  cookie ??= createCookie(LANGUAGE_COOKIE, {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    secure: isProduction(),
    maxAge: LANGUAGE_COOKIE_DAYS * 86_400,
  });
  return cookie;
}

/** The languages this council offers, Welsh first when offered. */
export function offeredLanguages(): Language[] {
  return parseLanguageSetting(getCouncilSettings()?.languages);
}

export async function requestLanguage(request: Request): Promise<Language> {
  const offered = offeredLanguages();
  const detector = new RemixI18Next({
    detection: { supportedLanguages: offered, fallbackLanguage: DEFAULT_LANGUAGE, cookie: languageCookie() },
  });
  const found = await detector.getLocale(request);
  return isLanguage(found) && offered.includes(found) ? found : DEFAULT_LANGUAGE;
}

/** The Set-Cookie header that remembers a language chosen by `?lng=`, or null when none was chosen. */
export async function languageCookieHeader(request: Request): Promise<string | null> {
  const chosen = new URL(request.url).searchParams.get("lng");
  if (!isLanguage(chosen) || !offeredLanguages().includes(chosen)) return null;
  return languageCookie().serialize(chosen);
}

export async function requestTranslator(request: Request): Promise<{ language: Language; t: TFunction }> {
  const language = await requestLanguage(request);
  return { language, t: translatorFor(language) };
}
