/**
 * Jobs the server runs by itself: monitoring reminders at start and then daily, the monthly ward
 * digest for last month (each month is sent once; later runs skip it), and the retention rules
 * (models/retention.server.ts). Off under NODE_ENV=test and when DAILY_JOBS=off (then run
 * scripts/reminders.ts and scripts/ward-digest.ts from a timer instead).
 */
import { previousMonth } from "~/core/bids/digest";
import { londonDateOf } from "~/core/ledger";
import { sendWardDigests } from "~/models/digests.server";
import { sendMonitoringReminders } from "~/models/monitoring.server";
import { applyRetention } from "~/models/retention.server";

const DAY_MS = 24 * 60 * 60 * 1000;

declare global {
  var __wardfundDailyJobs: NodeJS.Timeout | undefined;
}

function runDailyJobs(now = new Date()): void {
  try {
    sendMonitoringReminders(now);
    sendWardDigests(previousMonth(londonDateOf(now).slice(0, 7)), now);
  } catch (error) {
    console.error("Daily jobs failed:", error);
  }
  try {
    applyRetention(now);
  } catch (error) {
    console.error("Retention job failed:", error);
  }
}

export function startDailyJobs(): void {
  if (globalThis.__wardfundDailyJobs || process.env.NODE_ENV === "test" || process.env.DAILY_JOBS === "off") return;
  globalThis.__wardfundDailyJobs = setInterval(() => runDailyJobs(), DAY_MS);
  globalThis.__wardfundDailyJobs.unref();
  setTimeout(() => runDailyJobs(), 5_000).unref();
}
