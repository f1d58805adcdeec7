/**
 * The one way pages show dates and times: "3 December 2026" and "3 December 2026, 9:30pm", in
 * Europe/London (GOV.UK style: "9am", "midday", "midnight"); in Welsh "3 Rhagfyr 2026, 9:30yh"
 * ("canol dydd", "hanner nos"). Month names come from the tables here, not the runtime's locale data,
 * so a page reads the same from the server and in any browser (some browsers carry no Welsh locale
 * data). Transparency Code files keep their own dd/mm/yyyy form (core/exports); nothing else shows a
 * date any other way.
 */
import { londonWallClockAt } from "./london";

/** The months' English names, January first. */
export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** The months' Welsh names, Ionawr first. */
export const MONTHS_CY = [
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
] as const;

/** The languages dates are written in; anything else is written in English. */
export type DateLanguage = "en" | "cy";

const CLOCK_WORDS: Record<DateLanguage, { midnight: string; midday: string; am: string; pm: string }> = {
  en: { midnight: "midnight", midday: "midday", am: "am", pm: "pm" },
  cy: { midnight: "hanner nos", midday: "canol dydd", am: "yb", pm: "yh" },
};

const isWelsh = (language: string) => language === "cy";

/** A month's name, 1–12: "March" / "Mawrth". */
export function monthName(month: number, language: string = "en"): string {
  return (isWelsh(language) ? MONTHS_CY : MONTHS)[month - 1] ?? String(month);
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** A stored instant's milliseconds; one without an offset (SQLite's `2026-07-14 09:30:00`) is UTC. */
function instantMs(value: string): number {
  return Date.parse(NO_ZONE.test(value) ? `${value.replace(" ", "T")}Z` : value);
}

/** 21:30 → "9:30pm", 09:00 → "9am", 12:00 → "midday", 00:00 → "midnight" (in Welsh "9:30yh", "canol dydd"…). */
export function formatClockTime(hour: number, minute: number, language: string = "en"): string {
  const words = CLOCK_WORDS[isWelsh(language) ? "cy" : "en"];
  if (minute === 0 && hour === 0) return words.midnight;
  if (minute === 0 && hour === 12) return words.midday;
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${hour12}${minute === 0 ? "" : `:${String(minute).padStart(2, "0")}`}${hour < 12 ? words.am : words.pm}`;
}

function dayMonthYear(year: number, month: number, day: number, language: string): string {
  return `${day} ${monthName(month, language)} ${year}`;
}

/**
 * A calendar date (`2026-12-03`, shown as it is) or a stored instant (`2026-12-03T21:30:00.000Z`,
 * shown as its London date) as "3 December 2026". Anything unreadable is shown as it came.
 */
export function formatDate(value: string, language: string = "en"): string {
  const calendar = CALENDAR_DATE.exec(value);
  if (calendar) return dayMonthYear(Number(calendar[1]), Number(calendar[2]), Number(calendar[3]), language);
  const ms = instantMs(value);
  if (Number.isNaN(ms)) return value;
  const wall = londonWallClockAt(ms);
  return dayMonthYear(wall.year, wall.month, wall.day, language);
}

/** A stored instant as its London date and time: "3 December 2026, 9:30pm" / "3 Rhagfyr 2026, 9:30yh". */
export function formatDateTime(iso: string, language: string = "en"): string {
  const ms = instantMs(iso);
  if (Number.isNaN(ms) || CALENDAR_DATE.test(iso)) return formatDate(iso, language);
  const wall = londonWallClockAt(ms);
  return `${dayMonthYear(wall.year, wall.month, wall.day, language)}, ${formatClockTime(wall.hour, wall.minute, language)}`;
}

/** Like formatDate, with a word for a missing date. */
export function formatOptionalDate(value: string | null | undefined, missing = "Not set"): string {
  return value ? formatDate(value) : missing;
}

/** Like formatDateTime, with a word for a missing date. */
export function formatOptionalDateTime(value: string | null | undefined, missing = "Not set"): string {
  return value ? formatDateTime(value) : missing;
}

/** "project ended 30 September 2026" for a past end date, "project ends 30 September 2027" for today or later. */
export function describeProjectEnd(endOn: string, today: string): string {
  return `project ${endOn < today ? "ended" : "ends"} ${formatDate(endOn)}`;
}
