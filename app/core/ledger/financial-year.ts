/**
 * UK local-authority financial years and periods, from Europe/London calendar dates.
 *
 * A financial year runs 1 April to 31 March and is labelled "2025/26". Period 1 is April and
 * period 12 is March. Year and period always come from an `effective_date` written as a
 * `YYYY-MM-DD` Europe/London calendar date, never from a UTC timestamp: a payment confirmed at
 * 00:30 BST on 1 April is still 31 March in UTC, and belongs to the new year.
 *
 * `londonDateOf` is the one bridge from an instant to a calendar date. It takes the instant as an
 * argument (the caller owns the clock) and uses Intl with timeZone "Europe/London", so British
 * Summer Time is handled by the platform's time-zone data.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string;
/** A financial-year label such as "2025/26". */
export type FinancialYear = string;

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const FINANCIAL_YEAR_PATTERN = /^(\d{4})\/(\d{2})$/;
const RECORDED_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date in `YYYY-MM-DD` form (so "2025-02-29" is false). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string") return false;
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function readDate(date: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(date)}`);
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return { year, month, day };
}

/** The label for the financial year starting 1 April of `startYear`: 2025 → "2025/26". */
export function financialYearLabel(startYear: number): FinancialYear {
  if (!Number.isInteger(startYear) || startYear < 1000 || startYear > 9998) {
    throw new RangeError(`financial year start out of range: ${startYear}`);
  }
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}

export function isFinancialYear(value: unknown): value is FinancialYear {
  if (typeof value !== "string") return false;
  const match = FINANCIAL_YEAR_PATTERN.exec(value);
  if (!match) return false;
  const startYear = Number(match[1]);
  return startYear >= 1000 && startYear <= 9998 && Number(match[2]) === (startYear + 1) % 100;
}

/** The calendar year in which the financial year starts: "2025/26" → 2025. */
export function financialYearStartYear(fy: FinancialYear): number {
  if (!isFinancialYear(fy)) throw new RangeError(`not a financial year label: ${JSON.stringify(fy)}`);
  return Number(fy.slice(0, 4));
}

/** The financial year a date falls in: "2025-04-01" → "2025/26", "2026-03-31" → "2025/26". */
export function financialYearOf(date: IsoDate): FinancialYear {
  const { year, month } = readDate(date);
  return financialYearLabel(month >= 4 ? year : year - 1);
}

/** The period of a date within its financial year: April → 1, March → 12. */
export function periodOf(date: IsoDate): number {
  const { month } = readDate(date);
  return ((month + 8) % 12) + 1;
}

export function financialYearStart(fy: FinancialYear): IsoDate {
  return `${financialYearStartYear(fy)}-04-01`;
}

export function financialYearEnd(fy: FinancialYear): IsoDate {
  return `${financialYearStartYear(fy) + 1}-03-31`;
}

export function isDateInFinancialYear(date: IsoDate, fy: FinancialYear): boolean {
  return isIsoDate(date) && isFinancialYear(fy) && financialYearOf(date) === fy;
}

export function nextFinancialYear(fy: FinancialYear): FinancialYear {
  return financialYearLabel(financialYearStartYear(fy) + 1);
}

export function previousFinancialYear(fy: FinancialYear): FinancialYear {
  return financialYearLabel(financialYearStartYear(fy) - 1);
}

const LONDON_DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Europe/London calendar date of a UTC instant: 2025-03-31T23:30:00Z → "2025-04-01" (BST). */
export function londonDateOf(instant: Date): IsoDate {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError("not a valid instant");
  const parts = LONDON_DATE_FORMAT.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

/**
 * The fixed `recorded_at` form: UTC, millisecond precision, `YYYY-MM-DDTHH:mm:ss.sssZ`.
 * Only years 0000–9999 fit this form.
 */
export function formatRecordedAt(instant: Date): string {
  const text = instant.toISOString();
  if (!RECORDED_AT_PATTERN.test(text)) throw new RangeError(`instant outside years 0000-9999: ${text}`);
  return text;
}

export function isRecordedAt(value: unknown): value is string {
  return typeof value === "string" && RECORDED_AT_PATTERN.test(value) && new Date(value).toISOString() === value;
}
