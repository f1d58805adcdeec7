/**
 * A worker process for the register concurrency test: one account claims a register row by its
 * reference, racing the other workers. Started with an IPC channel by tests/integration/eligibility.test.ts:
 *
 *   node --import tsx tests/support/register-worker.ts DB_FILE ROUND_ID USER_ID REFERENCE
 *
 * It opens its own connection, sends {ready}, waits for {go}, then tries once and reports {result}.
 */
import { openDatabase } from "~/db/client.server";
import { matchRegister } from "~/models/voting/register.server";
import { Refusal } from "~/utils/refusal";

const [file, roundText, userId, reference] = process.argv.slice(2) as [string, string, string, string];

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function main(): Promise<void> {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  await send({ type: "ready" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  let result: { outcome: "matched" | "refused" | "failed"; detail: string };
  try {
    matchRegister({ id: userId, name: "Racer" }, Number(roundText), { reference }, new Date(), database);
    result = { outcome: "matched", detail: userId };
  } catch (error) {
    result =
      error instanceof Refusal
        ? { outcome: "refused", detail: error.message }
        : { outcome: "failed", detail: String(error) };
  }
  database.$client.close();
  await send({ type: "result", result });
  process.disconnect();
}

await main();
