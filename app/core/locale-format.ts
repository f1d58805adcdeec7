/**
 * Dates, numbers and money for people, in the reader's language (Welsh month names in Welsh).
 * Pure and client-safe: give it the language, it gives back text. Files (CSV, JSON) keep their
 * fixed machine formats from core/exports and core/money instead.
 */
import { formatPenceAsDecimal } from "~/core/money/format";
import type { Pence } from "~/core/money/pence";

type LanguageCode = "en" | "cy";
const TAGS: Record<LanguageCode, string> = { en: "en-GB", cy: "cy" };
const ZONE = "Europe/London";

function tag(language: string): string {
  return TAGS[language as LanguageCode] ?? TAGS.en;
}

function asDate(value: string | Date): Date {
  return typeof value === "string" ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value) : value;
}

const WELSH_MONTHS = [
  "Ionawr",
  "Chwefror",
  "Mawrth",
  "Ebrill",
  "Mai",
  "Mehefin",
  "Gorffennaf",
  "Awst",
  "Medi",
  "Hydref",
  "Tachwedd",
  "Rhagfyr",
];

/** The UK day, month, year, hour and minute of a moment, from the en-GB data every browser has. */
function ukParts(date: Date): Record<"day" | "month" | "year" | "hour" | "minute", string> {
  const parts = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "numeric",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: ZONE,
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: part("day"), month: part("month"), year: part("year"), hour: part("hour"), minute: part("minute") };
}

/**
 * Welsh dates are written here rather than by Intl: browsers that ship reduced locale data (Chrome among
 * them) have no Welsh, so Intl would answer in American English in the browser and in Welsh on the server.
 */
function welshDate(date: Date): string {
  const { day, month, year } = ukParts(date);
  return `${Number(day)} ${WELSH_MONTHS[Number(month) - 1]} ${year}`;
}

/** "3 December 2026" / "3 Rhagfyr 2026". A bare ISO date is read as that day in the UK. */
export function formatDate(value: string | Date, language: string): string {
  if (language === "cy") return welshDate(asDate(value));
  return new Intl.DateTimeFormat(tag(language), { dateStyle: "long", timeZone: ZONE }).format(asDate(value));
}

/** "3 December 2026 at 14:05" / "3 Rhagfyr 2026 am 14:05", UK time. */
export function formatDateTime(value: string | Date, language: string): string {
  if (language === "cy") {
    const { hour, minute } = ukParts(asDate(value));
    return `${welshDate(asDate(value))} am ${hour}:${minute}`;
  }
  return new Intl.DateTimeFormat(tag(language), { dateStyle: "long", timeStyle: "short", timeZone: ZONE }).format(
    asDate(value),
  );
}

/** "12,345" in either language. */
export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(tag(language)).format(value);
}

/**
 * "£1,500.50" from integer pence. Intl formats the exact decimal string (never a binary float), so
 * no amount is ever rounded.
 */
export function formatMoney(pence: Pence, language: string): string {
  const format = new Intl.NumberFormat(tag(language), { style: "currency", currency: "GBP" }) as Intl.NumberFormat & {
    format(value: string): string;
  };
  return format.format(formatPenceAsDecimal(pence));
}

/** A month's name, 1–12: "March" / "Mawrth". */
export function monthName(month: number, language: string): string {
  if (language === "cy") return WELSH_MONTHS[month - 1]!;
  return new Intl.DateTimeFormat(tag(language), { month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2000, month - 1, 15)),
  );
}
