/**
 * The checks on a round's dates: each phase date must be later than the one before it.
 */
import type { RoundDates } from "./phases";

export const DATE_FIELDS = ["bidsOpenAt", "bidsCloseAt", "votingOpensAt", "votingClosesAt", "resultsAt"] as const;
export type DateField = (typeof DATE_FIELDS)[number];

export const DATE_LABELS: Readonly<Record<DateField, string>> = {
  bidsOpenAt: "Bids open",
  bidsCloseAt: "Bids close",
  votingOpensAt: "Voting opens",
  votingClosesAt: "Voting closes",
  resultsAt: "Results published",
};

/** Field errors for dates out of order (each must be later than the one before; results optional). */
export function roundDateErrors(dates: RoundDates): Partial<Record<DateField, string>> {
  const errors: Partial<Record<DateField, string>> = {};
  let previous: { field: DateField; at: string } | null = null;
  for (const field of DATE_FIELDS) {
    const at = dates[field];
    if (at === null || at === undefined || at === "") continue;
    if (previous && at <= previous.at) {
      errors[field] = `${DATE_LABELS[field]} must be later than ${DATE_LABELS[previous.field].toLowerCase()}`;
    }
    previous = { field, at };
  }
  return errors;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/**
 * A date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM, as a datetime-local field sends it) as
 * an ISO timestamp in UTC, or null when it is not a real date. A bare date means midnight.
 */
export function toIsoTimestamp(value: string): string | null {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${y}-${mo}-${d}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00.000Z`;
}

/** The value a datetime-local field shows for an ISO timestamp. */
export function toDateTimeLocal(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16) : "";
}
