/**
 * A worker process for the bank details concurrency test: one group member changing the group's bank
 * details several times while another member (another process) does the same. Started with an IPC channel:
 *
 *   node --import tsx tests/support/bank-details-worker.ts DB_FILE USER_ID GROUP_ID COUNT TAG
 *
 * It opens its own connection, sends {ready}, waits for {go}, calls the real `setBankDetails` COUNT
 * times and reports {results}: the version each change was given, or the error it failed with.
 */
import { openDatabase } from "~/db/client.server";
import { setBankDetails } from "~/models/groups.server";
import { loadPrincipal } from "~/utils/auth.server";

const [file, userId, groupText, countText, tag] = process.argv.slice(2) as [string, string, string, string, string];
const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function main(): Promise<void> {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  const member = loadPrincipal(userId, database)!;
  await send({ type: "ready" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  const results: ({ version: number } | { error: string })[] = [];
  for (let i = 0; i < Number(countText); i += 1) {
    try {
      const accountNumber = String(10_000_000 + Number(tag) * 100_000 + i);
      const { version } = setBankDetails(
        member,
        Number(groupText),
        { accountName: `Worker ${tag}`, sortCode: "20-00-00", accountNumber },
        database,
      );
      results.push({ version });
    } catch (error) {
      results.push({ error: String(error) });
    }
  }
  await send({ type: "results", results });
  database.$client.close();
  process.disconnect();
}

void main();
