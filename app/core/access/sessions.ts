/**
 * How long a session lasts. Staff sessions (councillor, finance, administrator, the designated
 * decision-maker) end after a spell of inactivity and, whatever happens, some hours after sign-in;
 * residents' sessions last for days (the session store's own expiry, refreshed as they are used).
 */
export interface SessionPolicy {
  staffIdleMinutes: number;
  staffMaxHours: number;
}

export interface SessionTimes {
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastSeenAt: number;
}

export type SessionVerdict = { live: true } | { live: false; reason: "idle" | "lifetime" };

export function staffSessionVerdict(policy: SessionPolicy, times: SessionTimes, now: number): SessionVerdict {
  if (now - times.createdAt >= policy.staffMaxHours * 3_600_000) return { live: false, reason: "lifetime" };
  if (now - times.lastSeenAt >= policy.staffIdleMinutes * 60_000) return { live: false, reason: "idle" };
  return { live: true };
}

/** How often the last-seen time is written: often enough for an idle timeout measured in minutes. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChrom(?:e|ium)\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b|\biPad\b|\biPod\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bWindows\b/, "Windows"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/**
 * A short, human description of a User-Agent header ("Firefox on Windows") for the list of
 * signed-in devices. Display only: nothing is decided on it.
 */
export function describeUserAgent(header: string | null | undefined): string {
  if (!header) return "Unknown browser";
  const browser = BROWSERS.find(([pattern]) => pattern.test(header))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(header))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown browser";
}
