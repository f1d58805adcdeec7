/**
 * Sends the queued mail that is due, once: `npm run mail:drain`. For a timer (deploy/) when the
 * server's own outbox worker is turned off (MAIL_WORKER=off) or as a second pair of hands; two
 * senders never send the same message (each claims a message before sending it).
 *
 * Exit status: 0 when nothing failed for good, 1 when a message was given up on in this run,
 * 2 when SMTP_URL is not set or the database is missing.
 */
import fs from "node:fs";
import { drainOutbox } from "../app/utils/mail.server";
import { env } from "../app/utils/env.server";

async function main(): Promise<number> {
  const file = process.env.DATABASE_URL ?? "./data/wardfund.db";
  if (!fs.existsSync(file)) {
    process.stderr.write(`No database at ${file} (set DATABASE_URL).\n`);
    return 2;
  }
  if (!env().SMTP_URL) {
    process.stderr.write("SMTP_URL is not set, so there is nothing to send mail with.\n");
    return 2;
  }
  const summary = await drainOutbox();
  process.stdout.write(`Sent ${summary.sent}; ${summary.retrying} to retry later; ${summary.failed} given up on.\n`);
  return summary.failed > 0 ? 1 : 0;
}

process.exitCode = await main();
