/**
 * Daily reminders: opens monitoring reports for paid projects that have ended and reminds groups
 * whose report is outstanding (at most weekly). `npx tsx scripts/reminders.ts`; the server also runs
 * it at start and once a day.
 */
import { sendMonitoringReminders } from "~/models/monitoring.server";

const reminded = sendMonitoringReminders(new Date());
console.log(`Monitoring reminders sent for ${reminded.length} bid(s).`);
