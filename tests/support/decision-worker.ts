/**
 * A worker process for the decisions concurrency test: one councillor approving bids against a
 * ward budget while other councillors (other processes) do the same. Started with an IPC channel:
 *
 *   node --import tsx tests/support/decision-worker.ts DB_FILE COUNCILLOR_USER_ID BID_ID...
 *
 * It opens its own connection, sends {ready}, waits for {go}, approves each bid with the real
 * `decideBid` and reports {results}: approved, refused (with the message shown to the councillor)
 * or failed (any other error).
 */
import { openDatabase } from "~/db/client.server";
import { decideBid } from "~/models/decisions.server";
import { loadPrincipal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

type Result =
  | { bidId: number; outcome: "approved" }
  | { bidId: number; outcome: "refused"; message: string }
  | { bidId: number; outcome: "failed"; error: string };

const [file, councillorId, ...bidIds] = process.argv.slice(2) as [string, string, ...string[]];
const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
const waitFor = (type: string) =>
  new Promise<void>((resolve) => {
    const listener = (message: { type?: string }) => {
      if (message?.type === type) {
        process.off("message", listener);
        resolve();
      }
    };
    process.on("message", listener);
  });

async function main(): Promise<void> {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  const councillor = loadPrincipal(councillorId, database)!;
  await send({ type: "ready" });
  await waitFor("go");
  const results: Result[] = [];
  for (const text of bidIds) {
    const bidId = Number(text);
    try {
      decideBid(
        councillor,
        { bidId, hasInterest: false, outcome: "approve", idempotencyKey: `race-${councillorId}-${bidId}` },
        new Date(),
        database,
      );
      results.push({ bidId, outcome: "approved" });
    } catch (error) {
      if (error instanceof Refusal) results.push({ bidId, outcome: "refused", message: error.message });
      else results.push({ bidId, outcome: "failed", error: String(error) });
    }
  }
  database.$client.close();
  await send({ type: "results", results });
  process.disconnect();
}

void main();
