/**
 * Dates, numbers and money for people, in the reader's language (Welsh month names in Welsh).
 * Pure and client-safe: give it the language, it gives back text. Dates are core/time's one style
 * with its own month names (never the runtime's locale data, which some browsers lack for Welsh, so
 * a page would change after it loads). Files (CSV, JSON) keep their fixed machine formats from
 * core/exports and core/money instead.
 */
import { formatPenceAsDecimal } from "~/core/money/format";
import type { Pence } from "~/core/money/pence";
import { formatDate as formatDateIn, formatDateTime as formatDateTimeIn, monthName as monthNameIn } from "~/core/time";

type LanguageCode = "en" | "cy";
const TAGS: Record<LanguageCode, string> = { en: "en-GB", cy: "cy" };

function tag(language: string): string {
  return TAGS[language as LanguageCode] ?? TAGS.en;
}

const asText = (value: string | Date) => (typeof value === "string" ? value : value.toISOString());

/** "3 December 2026" / "3 Rhagfyr 2026". A bare ISO date is that day; an instant, its day in the UK. */
export function formatDate(value: string | Date, language: string): string {
  return formatDateIn(asText(value), language);
}

/** "3 December 2026, 2:05pm" / "3 Rhagfyr 2026, 2:05yh", UK time. */
export function formatDateTime(value: string | Date, language: string): string {
  return formatDateTimeIn(asText(value), language);
}

/** A formatter of exact decimal strings as well as numbers. */
type DecimalFormat = Intl.NumberFormat & { format(value: number | string): string };

/**
 * Formatters are costly to make (a results page formats hundreds of amounts), so one of each kind is
 * kept per language.
 */
const numberFormats = new Map<string, DecimalFormat>();
const moneyFormats = new Map<string, DecimalFormat>();

function numberFormat(language: string): DecimalFormat {
  const locale = tag(language);
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}

function moneyFormat(language: string): DecimalFormat {
  const locale = tag(language);
  let format = moneyFormats.get(locale);
  if (!format)
    moneyFormats.set(locale, (format = new Intl.NumberFormat(locale, { style: "currency", currency: "GBP" })));
  return format;
}

/** "12,345" in either language. */
export function formatNumber(value: number, language: string): string {
  return numberFormat(language).format(value);
}

/**
 * "£1,500.50" from integer pence. Intl formats the exact decimal string (never a binary float), so
 * no amount is ever rounded.
 */
export function formatMoney(pence: Pence, language: string): string {
  return moneyFormat(language).format(formatPenceAsDecimal(pence));
}

/** A month's name, 1–12: "March" / "Mawrth". */
export function monthName(month: number, language: string): string {
  return monthNameIn(month, language);
}
