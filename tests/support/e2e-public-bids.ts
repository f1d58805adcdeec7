/**
 * For the public-pages e2e spec: two submitted bids of the Abbey Fields Allotment Society in Abbey
 * Fields, one for the councillors to decide in the browser and one left undecided. Prints their ids.
 * Usage: npx tsx tests/support/e2e-public-bids.ts tests/.tmp/e2e.db
 */
import { openDatabase } from "~/db/client.server";
import { submittedBid } from "../factories";

const file = process.argv[2];
if (!file) throw new Error("give the database file");
const database = openDatabase(file);
globalThis.__wardfundDb = database;
const common = { group: "Abbey Fields Allotment Society", wards: ["Abbey Fields"], pence: 80_000 };
const toDecide = submittedBid(database, {
  ...common,
  title: "Greenhouse for the seed swap",
  summary: "A small greenhouse so members can raise seedlings to share.",
  beneficiaries: "Plot holders and neighbours who come to the seed swap",
});
const undecided = submittedBid(database, { ...common, title: "Compost toilet for the allotments" });
process.stdout.write(`${JSON.stringify({ toDecide, undecided })}\n`);
database.$client.close();
