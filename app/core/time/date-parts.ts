/**
 * A date typed into the GOV.UK date input (day, month and year in three boxes), checked the way
 * that pattern asks: which parts are missing, whether it is a real date, whether it is in the past.
 * Pure: the caller passes today's date.
 */

export type DatePart = "day" | "month" | "year";
export const DATE_PARTS: readonly DatePart[] = ["day", "month", "year"];

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DatePartsResult =
  { ok: true; date: string } | { ok: false; message: string; /** the boxes to highlight */ parts: DatePart[] };

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

function monthNumber(value: string): number | null {
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const lower = value.toLowerCase();
  const index = MONTH_NAMES.findIndex((name) => name === lower || (lower.length >= 3 && name.startsWith(lower)));
  return index === -1 ? null : index + 1;
}

function listParts(parts: DatePart[]): string {
  return parts.length === 1 ? `a ${parts[0]}` : `a ${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

export interface DatePartsRules {
  /** How the date is named in messages, capitalised: "Date of birth". */
  label: string;
  /** Today's date (YYYY-MM-DD), for a date that must be in the past. */
  mustBeBefore?: string;
  /** The earliest date accepted (YYYY-MM-DD). */
  earliest?: string;
  /** The message when every box is empty; "Enter <label>" when not given. */
  missing?: string;
}

/** The date typed as YYYY-MM-DD, or the message (GOV.UK wording) and the boxes to highlight. */
export function readDateParts(input: Partial<DateParts>, rules: DatePartsRules): DatePartsResult {
  const raw: DateParts = {
    day: (input.day ?? "").trim(),
    month: (input.month ?? "").trim(),
    year: (input.year ?? "").trim(),
  };
  const missing = DATE_PARTS.filter((part) => raw[part] === "");
  if (missing.length === 3) {
    return { ok: false, message: rules.missing ?? `Enter ${rules.label.toLowerCase()}`, parts: [...DATE_PARTS] };
  }
  if (missing.length > 0)
    return { ok: false, message: `${rules.label} must include ${listParts(missing)}`, parts: missing };
  const day = /^\d{1,2}$/.test(raw.day) ? Number(raw.day) : null;
  const month = monthNumber(raw.month);
  const year = /^\d{4}$/.test(raw.year) ? Number(raw.year) : null;
  const unreadable = DATE_PARTS.filter((part) => ({ day, month, year })[part] === null);
  if (unreadable.includes("year") && unreadable.length === 1 && /^\d{1,3}$/.test(raw.year))
    return { ok: false, message: "Year must include 4 numbers", parts: ["year"] };
  if (unreadable.length > 0) return { ok: false, message: `${rules.label} must be a real date`, parts: unreadable };
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12) return { ok: false, message: `${rules.label} must be a real date`, parts: ["month"] };
  if (day! < 1 || day! > daysInMonth)
    return { ok: false, message: `${rules.label} must be a real date`, parts: ["day"] };
  const date = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (rules.mustBeBefore && date >= rules.mustBeBefore)
    return { ok: false, message: `${rules.label} must be in the past`, parts: [...DATE_PARTS] };
  if (rules.earliest && date < rules.earliest) {
    const [y, m, d] = rules.earliest.split("-").map(Number) as [number, number, number];
    const name = MONTH_NAMES[m - 1]!;
    return {
      ok: false,
      message: `${rules.label} must be the same as or after ${d} ${name[0]!.toUpperCase()}${name.slice(1)} ${y}`,
      parts: [...DATE_PARTS],
    };
  }
  return { ok: true, date };
}

/** The three boxes' values for a stored date (YYYY-MM-DD), as the form shows it again: "7", "3", "2007". */
export function datePartsOf(date: string | null | undefined): DateParts {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m) return { day: "", month: "", year: "" };
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! };
}
