/**
 * The languages the service speaks and the i18next settings shared by the server and the browser.
 * Messages are ICU MessageFormat (i18next-icu): `{count, plural, one {…} other {…}}`, and Welsh
 * plurals name all six of its categories (zero, one, two, few, many, other). The catalogues are
 * app/locales/<language>/<namespace>.json; adding a language means adding its catalogues here.
 */
import type { InitOptions } from "i18next";
import { resources } from "~/locales";

export const LANGUAGES = ["en", "cy"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/** The value of `<html lang>` and of Intl's locale for each language. */
export const LOCALE_TAGS: Record<Language, string> = { en: "en-GB", cy: "cy" };

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", cy: "Cymraeg" };

export const NAMESPACES = Object.keys(resources.en) as (keyof (typeof resources)["en"])[];

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The council's `languages` setting ("en" or "cy,en") as a list; Welsh comes first when offered. */
export function parseLanguageSetting(setting: string | null | undefined): Language[] {
  const chosen = (setting ?? "").split(",").map((s) => s.trim());
  const offered = LANGUAGES.filter((l) => chosen.includes(l));
  if (!offered.includes(DEFAULT_LANGUAGE)) offered.push(DEFAULT_LANGUAGE);
  return offered.sort((a, b) => (a === "cy" ? -1 : b === "cy" ? 1 : 0));
}

export function i18nOptions(lng: Language): InitOptions {
  return {
    lng,
    supportedLngs: [...LANGUAGES],
    fallbackLng: false,
    defaultNS: "common",
    ns: NAMESPACES,
    resources,
    initImmediate: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  };
}
