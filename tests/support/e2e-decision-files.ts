/**
 * For the decision-page e2e spec: two submitted bids of the Abbey Fields Allotment Society in the
 * current ward-budget fund. One ended last month, has no files and never mentions match funding; the
 * other was sent back for a second quote and came back (version 2) with a PDF quote attached. The
 * fund is set to expect 20% match funding (the spec sets it back). Prints the ids as JSON.
 * Usage: ATTACHMENTS_DIR=tests/.tmp/attachments npx tsx tests/support/e2e-decision-files.ts tests/.tmp/e2e.db
 */
import { and, eq, ne } from "drizzle-orm";
import { openDatabase, writeTransaction } from "~/db/client.server";
import { attachments, funds, roleGrants, users, wards } from "~/db/schema";
import { storeUpload } from "~/models/attachment-files.server";
import { currentFundId, resubmitBid, submittedBid, userId } from "../factories";

const file = process.argv[2];
if (!file) throw new Error("give the database file");
const database = openDatabase(file);
globalThis.__wardfundDb = database;
const fundId = currentFundId();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const lead = userId(database, "resident@eastbrook.example");
const group = "Abbey Fields Allotment Society";

const rules = JSON.parse(database.select().from(funds).where(eq(funds.id, fundId)).get()!.grantRules ?? "{}") as object;
database
  .update(funds)
  .set({ grantRules: JSON.stringify({ ...rules, matchFundingPercent: 20 }) })
  .where(eq(funds.id, fundId))
  .run();

const endedBid = submittedBid(database, {
  group,
  wards: ["Abbey Fields"],
  pence: 150_000,
  title: "Pond dipping platform",
  summary: "A platform so school groups can dip the pond safely.",
  description: "We will build a timber platform at the edge of the pond.",
  startOn: day(-90),
  endOn: day(-30),
});

const quotedBid = submittedBid(database, {
  group,
  wards: ["Abbey Fields"],
  pence: 150_000,
  title: "Bike repair shelter",
  summary: "A covered stand with tools for fixing bikes.",
  description: "The allotment society is contributing £300 of its own funds towards the shelter.",
  startOn: day(30),
  endOn: day(120),
});
const quote = new TextEncoder().encode("%PDF-1.4\n% Second quote: shelter £1,500\n%%EOF\n");
storeUpload({ fileName: "second-quote.pdf", sizeBytes: quote.length, bytes: quote }, ({ storageKey, sha256 }) =>
  writeTransaction((tx) => {
    tx.insert(attachments)
      .values({
        id: crypto.randomUUID(),
        bidId: quotedBid,
        purpose: "bid",
        fileName: "second-quote.pdf",
        contentType: "application/pdf",
        sizeBytes: quote.length,
        sha256,
        storageKey,
        uploadedBy: lead,
      })
      .run();
    resubmitBid(tx, quotedBid, lead);
  }, database),
);

// A councillor of another ward, who may not see Abbey Fields' files.
const abbey = database.select({ id: wards.id }).from(wards).where(eq(wards.name, "Abbey Fields")).get()!.id;
const other = database
  .select({ email: users.email })
  .from(roleGrants)
  .innerJoin(users, eq(users.id, roleGrants.userId))
  .where(and(eq(roleGrants.role, "councillor"), ne(roleGrants.wardId, abbey)))
  .get()!;

process.stdout.write(
  `${JSON.stringify({ endedBid, quotedBid, otherCouncillor: other.email, fundId, rules: JSON.stringify(rules) })}\n`,
);
database.$client.close();
