/**
 * A casting process for the crash test (tests/integration/ballot-crash.test.ts): opens the database
 * as the server does and casts a ballot for each one-time code in CODES_FILE, several at a time
 * (so casts share group commits). Each receipt is written to stdout, one a line, the moment its
 * cast is acknowledged; a refusal (a code already used, from a run that was killed) as `refused`.
 *
 *   node --import tsx tests/support/cast-stream-worker.ts DB_FILE ROUND_ID CODES_FILE BID_ID...
 */
import fs from "node:fs";
import { openDatabase } from "~/db/client.server";
import { castCodeBallot } from "~/models/voting/cast.server";
import { Refusal } from "~/utils/refusal";

const [file, roundText, codesFile, ...bidTexts] = process.argv.slice(2) as [string, string, string, ...string[]];
const roundId = Number(roundText);
const bidIds = bidTexts.map(Number);
const codes = JSON.parse(fs.readFileSync(codesFile, "utf8")) as string[];
const AT_ONCE = 8;

async function main(): Promise<void> {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  let next = 0;
  const castNext = async (): Promise<void> => {
    while (next < codes.length) {
      const i = next++;
      const ranking = [bidIds[i % bidIds.length]!, bidIds[(i + 1) % bidIds.length]!];
      try {
        const receipt = await castCodeBallot(roundId, codes[i]!, ranking, new Date(), database);
        fs.writeSync(1, `${receipt}\n`);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        fs.writeSync(1, "refused\n");
      }
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, castNext));
  database.$client.close();
}

await main();
