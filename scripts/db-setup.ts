/**
 * Migrates DATABASE_URL and, outside production, seeds the demo council into an empty database and
 * prints the demo sign-ins. In production (NODE_ENV=production) nothing is ever seeded: an empty
 * database gets its migrations only, and `npm run council:init` creates the council. Safe to run on
 * every start, and by two processes at once (the second waits for the first).
 */
import { migrateDatabase, openDatabase } from "../app/db/client.server";
import { DEMO_COUNCIL_NAME, DEMO_PASSWORD, isSeeded, seedDemoCouncil } from "./seed/council";
import { withSetupLock } from "./setup-lock";

const file = process.env.DATABASE_URL ?? "./data/wardfund.db";
const production = process.env.NODE_ENV === "production";

await withSetupLock(file, async () => {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  try {
    migrateDatabase(database);
    const council = database.$client.prepare("select name from council_settings where id = 1").get() as
      { name: string } | undefined;
    if (production) {
      console.log(`Migrated ${file}.`);
      if (!council)
        console.log(
          "It holds no council yet: run `npm run council:init` to create the council and its first administrator.",
        );
    } else if (isSeeded(database)) {
      console.log(`Database ${file} is up to date.`);
      if (council?.name === DEMO_COUNCIL_NAME) printDemoNotice();
    } else {
      await seedDemo(database);
    }
  } finally {
    database.$client.close();
    globalThis.__wardfundDb = undefined;
  }
});

async function seedDemo(database: ReturnType<typeof openDatabase>) {
  let votingCodes: { codes: string[]; roundId: number } | null = null;
  const keyShares = new Map<number, string[]>();
  const signIns = await seedDemoCouncil(database, {
    onVotingCodes: (codes, roundId) => (votingCodes = { codes, roundId }),
    onBallotKeyShares: (shares, roundId) => keyShares.set(roundId, shares),
  });
  console.log(`Seeded the demo council into ${file}.`);
  printDemoNotice();
  console.log(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD}):`);
  const roleWidth = Math.max(...signIns.map((s) => s.role.length));
  const emailWidth = Math.max(...signIns.map((s) => s.email.length));
  for (const s of signIns) console.log(`  ${s.role.padEnd(roleWidth)}  ${s.email.padEnd(emailWidth)}  home ${s.home}`);
  const demoCodes = votingCodes as { codes: string[]; roundId: number } | null;
  if (demoCodes) {
    console.log(`\nOne-time voting codes for the round in voting (enter one at /rounds/${demoCodes.roundId}/code):`);
    for (const code of demoCodes.codes) console.log(`  ${code}`);
  }
  for (const [roundId, shares] of keyShares) {
    console.log(
      `\nThe officers' shares of round ${roundId}'s ballot key (any two open its sealed ballots at ` +
        `/admin/rounds/${roundId}/count once voting is closed; a real council prints them once and ` +
        `never keeps them on the server):`,
    );
    shares.forEach((share, i) => console.log(`  Officer ${i + 1}: ${share}`));
  }
  console.log("");
}

function printDemoNotice() {
  console.log(
    `This is the demo council (${DEMO_COUNCIL_NAME}): made-up people, groups and money, with a published password. ` +
      "For a real council, see README: Starting a real council.",
  );
}
