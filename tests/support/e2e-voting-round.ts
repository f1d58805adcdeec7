/**
 * Makes a PB round in the end-to-end database for a spec, through the same factory the integration
 * tests use: `npx tsx tests/support/e2e-voting-round.ts <database> '<options as JSON>'` prints the
 * round (id, fund, bid ids, titles and its ballot private key) as JSON on its last line. Specs call
 * it in a child process because the factory's imports (the app's JSON catalogues among them) load
 * under tsx, not under the test runner's module loader.
 */
import Database from "better-sqlite3";
import type { Db } from "../../app/db/client.server";
import { createVotingRound, type VotingRoundOptions } from "../factories";

const [databaseFile, optionsJson = "{}"] = process.argv.slice(2);
if (!databaseFile) {
  console.error("usage: tsx tests/support/e2e-voting-round.ts <database> [options JSON]");
  process.exit(2);
}
const client = new Database(databaseFile);
client.pragma("busy_timeout = 5000");
client.pragma("foreign_keys = ON");
const round = createVotingRound({ $client: client } as unknown as Db, JSON.parse(optionsJson) as VotingRoundOptions);
client.close();
console.log(JSON.stringify(round));
