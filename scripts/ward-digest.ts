/**
 * Sends the monthly ward digest to every councillor: `npx tsx scripts/ward-digest.ts [YYYY-MM]`
 * (default: last month). Uses DATABASE_URL like the app; a month already sent is skipped.
 */
import { isMonth, previousMonth } from "~/core/bids/digest";
import { londonDateOf } from "~/core/ledger";
import { sendWardDigests } from "~/models/digests.server";

const month = process.argv[2] ?? previousMonth(londonDateOf(new Date()).slice(0, 7));
if (!isMonth(month)) {
  console.error(`Give the month as YYYY-MM, not ${month}`);
  process.exit(2);
}
const result = sendWardDigests(month);
console.log(`Ward digests for ${month}: ${result.stored} stored, ${result.mailed} mailed.`);
