/**
 * Translation outside React components, on the server and in the browser alike: a translation
 * function fixed to one language (the catalogues are bundled, so it is ready at once), page
 * titles for `meta`, and the locale formatting bound to the reader's language for components.
 */
import type { MetaFunction } from "@remix-run/node";
import { createInstance, type TFunction } from "i18next";
import ICU from "i18next-icu";
import { useTranslation } from "react-i18next";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "~/core/locale-format";
import { DEFAULT_LANGUAGE, i18nOptions, isLanguage, type Language } from "~/i18n";

const translators = new Map<Language, TFunction>();

export function translatorFor(language: Language): TFunction {
  let t = translators.get(language);
  if (!t) {
    const instance = createInstance();
    void instance.use(ICU).init(i18nOptions(language));
    t = instance.t.bind(instance) as TFunction;
    translators.set(language, t);
  }
  return t;
}

/** The page's language as the root loader chose it, from `meta`'s matches. */
export function languageOfMatches(matches: { id: string; data: unknown }[]): Language {
  const root = matches.find((m) => m.id === "root")?.data as { language?: unknown } | undefined;
  return isLanguage(root?.language) ? root.language : DEFAULT_LANGUAGE;
}

/** `export const meta = titleMeta("routes:funds.title")`: "<page> – Wardfund" in the reader's language. */
export function titleMeta(key: string): MetaFunction {
  return ({ matches }) => {
    const t = translatorFor(languageOfMatches(matches));
    return [{ title: t("common:title", { page: t(key) }) }];
  };
}

/**
 * "A, B and C" / "A, B a C" ("ac" before a vowel) from the catalogue, the same in every browser
 * (Intl.ListFormat's Welsh patterns are missing from some).
 */
export function joinList(items: string[], language: string): string {
  if (items.length <= 1) return items.join("");
  const last = items[items.length - 1]!;
  const and = language === "cy" ? (/^[aeiouwyâêîôûŵŷ]/i.test(last) ? "ac" : "a") : "and";
  return `${items.slice(0, -1).join(", ")} ${and} ${last}`;
}

/** Dates, numbers and money in the reader's language, for components. */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    language,
    date: (value: string | Date) => formatDate(value, language),
    dateTime: (value: string | Date) => formatDateTime(value, language),
    number: (value: number) => formatNumber(value, language),
    money: (pence: number) => formatMoney(pence, language),
  };
}
