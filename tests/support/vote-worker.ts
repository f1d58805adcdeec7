/**
 * A worker process for the voting concurrency test: casts ballots for one voter (an account or a
 * one-time code), racing the other workers. Started with an IPC channel by
 * tests/integration/voting.test.ts:
 *
 *   node --import tsx tests/support/vote-worker.ts DB_FILE online|code ROUND_ID USER_ID|CODE ATTEMPTS BID_ID...
 *
 * It opens its own connection, sends {ready}, waits for {go}, then makes each attempt and reports
 * {results}: the receipt of a cast ballot, or the refusal reason.
 */
import { openDatabase } from "~/db/client.server";
import { castCodeBallot, castOnlineBallot } from "~/models/voting/cast.server";
import { Refusal } from "~/utils/refusal";

const [file, mode, roundText, who, attemptsText, ...bidTexts] = process.argv.slice(2) as [
  string,
  "online" | "code",
  string,
  string,
  string,
  ...string[],
];
const roundId = Number(roundText);
const ranking = bidTexts.map(Number);

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function main(): Promise<void> {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  await send({ type: "ready" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  const results: { outcome: "cast" | "refused" | "failed"; detail: string }[] = [];
  for (let i = 0; i < Number(attemptsText); i++) {
    try {
      const receipt = await (mode === "online"
        ? castOnlineBallot(who, roundId, ranking, new Date(), database)
        : castCodeBallot(roundId, who, ranking, new Date(), database));
      results.push({ outcome: "cast", detail: receipt });
    } catch (error) {
      if (error instanceof Refusal) results.push({ outcome: "refused", detail: error.code ?? error.message });
      else results.push({ outcome: "failed", detail: String(error) });
    }
  }
  database.$client.close();
  await send({ type: "results", results });
  process.disconnect();
}

await main();
