/**
 * The checks on a round's dates: each phase date must be later than the one before it.
 */
import { instantToLondonWallClock, londonWallClockToInstant } from "../time/london";
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

/**
 * Field errors for dates out of order (each must be later than the one before; results optional), as
 * catalogue keys (admin:roundErrors.<field>Order).
 */
export function roundDateErrors(dates: RoundDates): Partial<Record<DateField, string>> {
  const errors: Partial<Record<DateField, string>> = {};
  let previous: { field: DateField; at: string } | null = null;
  for (const field of DATE_FIELDS) {
    const at = dates[field];
    if (at === null || at === undefined || at === "") continue;
    if (previous && at <= previous.at) {
      // A catalogue key: the date before each is always the one listed before it (only results is optional).
      errors[field] = `admin:roundErrors.${field}Order`;
    }
    previous = { field, at };
  }
  return errors;
}

/**
 * A London wall-clock date (YYYY-MM-DD, meaning midnight) or date and time (YYYY-MM-DDTHH:MM, as a
 * datetime-local field sends it) as the ISO instant it names, or null when it names no single
 * instant (not a real date, or in the hour the clocks skip or repeat). Forms use
 * londonWallClockToInstant for the message.
 */
export function toIsoTimestamp(value: string): string | null {
  const result = londonWallClockToInstant(value);
  return result.ok ? result.iso : null;
}

/** The value a datetime-local field shows for an ISO instant: its London wall-clock time. */
export function toDateTimeLocal(iso: string | null | undefined): string {
  return instantToLondonWallClock(iso);
}
