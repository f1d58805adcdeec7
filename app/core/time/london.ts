/**
 * Europe/London wall-clock time, the time every officer types and every page shows, and the UTC
 * instants the app stores. The zone's rules come from the runtime's time-zone data (Intl), never
 * from a table kept here. Pure: the caller passes every instant.
 */

export const LONDON_TIME_ZONE = "Europe/London";

const WALL_CLOCK_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: LONDON_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The London wall-clock reading at an instant (milliseconds since the epoch), to the minute. */
export function londonWallClockAt(epochMs: number): WallClock {
  const parts = WALL_CLOCK_PARTS.formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute") };
}

/** How far London's clocks are ahead of UTC at an instant, in minutes (0 in winter, 60 in summer). */
export function londonOffsetMinutesAt(epochMs: number): number {
  const wall = londonWallClockAt(epochMs);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const minuteStart = Math.floor(epochMs / 60_000) * 60_000;
  return Math.round((asUtc - minuteStart) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DDTHH:MM`, as a datetime-local field shows it. */
export function formatWallClock(wall: WallClock): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

function sameWallClock(a: WallClock, b: WallClock): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

export type LondonTimeProblem = "format" | "not-a-date" | "missing-hour" | "repeated-hour";

export type LondonInstant =
  { ok: true; iso: string } | { ok: false; problem: LondonTimeProblem; message: string; candidates?: string[] };

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;

function describeTime(wall: WallClock): string {
  const hour12 = wall.hour % 12 === 0 ? 12 : wall.hour % 12;
  const minutes = wall.minute === 0 ? "" : `:${pad(wall.minute)}`;
  return `${hour12}${minutes}${wall.hour < 12 ? "am" : "pm"}`;
}

/**
 * A London wall-clock date and time (`YYYY-MM-DDTHH:MM` from a datetime-local field, or a bare
 * `YYYY-MM-DD` meaning midnight) as the UTC instant it names, in ISO form. Refused with a message
 * for a field when it is not a real date, when it falls in the hour the clocks skip in spring, or
 * when it falls in the hour the clocks repeat in autumn (which would name two instants).
 */
export function londonWallClockToInstant(value: string): LondonInstant {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return { ok: false, problem: "format", message: "Enter a date and time, for example 27 March 2027 at 09:30" };
  const wall: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
  };
  const daysInMonth = new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate();
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > daysInMonth || wall.hour > 23 || wall.minute > 59)
    return { ok: false, problem: "not-a-date", message: "Enter a real date and time" };
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Every offset the zone uses around this day; each one that reads back as the same wall clock is a match.
  const offsets = new Set([-1, 0, 1].map((days) => londonOffsetMinutesAt(asUtc + days * 86_400_000)));
  const matches = [...offsets]
    .map((offset) => asUtc - offset * 60_000)
    .filter((epochMs) => sameWallClock(londonWallClockAt(epochMs), wall))
    .sort((a, b) => a - b);
  if (matches.length === 0) {
    return {
      ok: false,
      problem: "missing-hour",
      message:
        `${describeTime(wall)} does not happen on that day in the UK: the clocks go forward an hour. ` +
        "Enter a time before or after the change",
    };
  }
  const isos = [...new Set(matches)].map((ms) => new Date(ms).toISOString());
  if (isos.length > 1) {
    return {
      ok: false,
      problem: "repeated-hour",
      message:
        `${describeTime(wall)} happens twice on that day in the UK: the clocks go back an hour. ` +
        "Enter a time outside that hour",
      candidates: isos,
    };
  }
  return { ok: true, iso: isos[0]! };
}

/** The value a datetime-local field shows for a stored instant: its London wall-clock time. */
export function instantToLondonWallClock(iso: string | null | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  return formatWallClock(londonWallClockAt(ms));
}
