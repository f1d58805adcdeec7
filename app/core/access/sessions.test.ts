import { describe, expect, it } from "vitest";
import { describeUserAgent, staffSessionVerdict } from "./sessions";

describe("staff session lifetimes", () => {
  const policy = { staffIdleMinutes: 30, staffMaxHours: 12 };
  const start = Date.UTC(2026, 0, 5, 9);
  it("lives while used within the idle time and the lifetime", () => {
    const verdict = staffSessionVerdict(policy, { createdAt: start, lastSeenAt: start }, start + 29 * 60_000);
    expect(verdict).toEqual({ live: true });
  });
  it("ends after 30 idle minutes", () => {
    expect(staffSessionVerdict(policy, { createdAt: start, lastSeenAt: start }, start + 30 * 60_000)).toEqual({
      live: false,
      reason: "idle",
    });
  });
  it("ends 12 hours after sign-in however busy", () => {
    const now = start + 12 * 3_600_000;
    expect(staffSessionVerdict(policy, { createdAt: start, lastSeenAt: now - 1000 }, now)).toEqual({
      live: false,
      reason: "lifetime",
    });
  });
});

describe("describeUserAgent", () => {
  it.each([
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
      "Edge on Windows",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
      "Chrome on Linux",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
      "Safari on macOS",
    ],
    ["Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0", "Firefox on Android"],
    ["curl/8.5.0", "Unknown browser"],
    [null, "Unknown browser"],
  ])("describes %j as %j", (header, expected) => {
    expect(describeUserAgent(header)).toBe(expected);
  });
});
