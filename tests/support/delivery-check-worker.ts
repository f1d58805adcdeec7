/**
 * A worker process for the delivery-update check race: one officer checking an update while another
 * officer (another process) checks the same one. Started with an IPC channel:
 *
 *   node --import tsx tests/support/delivery-check-worker.ts DB_FILE OFFICER_USER_ID UPDATE_ID publish|send-back
 *
 * It opens its own connection, sends {ready}, waits for {go}, checks the update with the real
 * `checkDeliveryUpdate` and reports {result}: checked (with the status it set), refused (with the
 * message and code) or failed (any other error).
 */
import { openDatabase } from "~/db/client.server";
import { checkDeliveryUpdate } from "~/models/delivery-updates.server";
import { loadPrincipal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

const [file, officerId, updateId, action] = process.argv.slice(2) as [string, string, string, string];
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
  const officer = loadPrincipal(officerId, database)!;
  await send({ type: "ready" });
  await waitFor("go");
  let result: unknown;
  try {
    const decision =
      action === "publish"
        ? ({ action: "publish" } as const)
        : ({ action: "send-back", reason: "The photo shows children's faces" } as const);
    const status = checkDeliveryUpdate(officer, Number(updateId), decision, new Date(), database);
    result = { officerId, outcome: "checked", status };
  } catch (error) {
    result =
      error instanceof Refusal
        ? { officerId, outcome: "refused", message: error.message, code: error.code, status: error.status }
        : { officerId, outcome: "failed", error: String(error) };
  }
  database.$client.close();
  await send({ type: "result", result });
  process.disconnect();
}

void main();
