/**
 * Concurrency: three councillors of one ward, each in their own PROCESS with its own connection,
 * approve different bids against the same ward budget at the same moment. The budget holds £1,000
 * and twelve bids of £100 are approved, so exactly ten can be funded; the other two must be refused
 * with the balance shown, the budget never goes below zero, and every approved bid has exactly one
 * COMMIT. If the decision's guard (BEGIN IMMEDIATE around the balance check, and the ledger's CHECK
 * behind it) were removed, the racing processes would overspend and these assertions would fail.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetSet, financialYearOf, londonDateOf } from "~/core/ledger";
import { writeTransaction } from "~/db/client.server";
import { bids, budgets, funds, roleGrants } from "~/db/schema";
import { postEntry } from "~/models/ledger.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { messageText } from "~/utils/message-text";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { submittedBid, wardId } from "../factories";
import { exited, forkTsx } from "../support/ledger-tools";

/** A model's message (a catalogue key or plain text) as an English reader sees it. */
const english = (message: string | null | undefined) => messageText(message ?? "", "en");

const FUND = "WB-RACE";
const BUDGET = `${FUND}-AF`;
const PENCE = 10_000;

type Result =
  | { bidId: number; outcome: "approved" }
  | { bidId: number; outcome: "refused"; message: string }
  | { bidId: number; outcome: "failed"; error: string };

let t: TestDatabase;
let councillors: string[];
let bidIds: number[];

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  const fy = financialYearOf(londonDateOf(new Date()));
  const ward = wardId(t.db, "Abbey Fields");
  writeTransaction((tx) => {
    tx.insert(funds).values({ id: FUND, kind: "ward-budget", name: "Race ward budgets", fy }).run();
    tx.insert(budgets).values({ id: BUDGET, fundId: FUND, wardId: ward, name: "Abbey Fields race budget" }).run();
  }, t.db);
  postEntry(
    {
      draft: budgetSet({ scheme: FUND, fy, allocations: [{ budgetId: BUDGET, pence: 10 * PENCE }] }),
      idempotencyKey: "race-budget",
      actor: { id: "finance", name: "Finance" },
      effectiveDate: londonDateOf(new Date()),
    },
    t.db,
  );
  councillors = t.db
    .select({ id: roleGrants.userId })
    .from(roleGrants)
    .where(eq(roleGrants.wardId, ward))
    .all()
    .map((r) => r.id);
  bidIds = Array.from({ length: 12 }, (_, i) =>
    submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: PENCE,
      fundId: FUND,
      title: `Race bid ${i + 1}`,
    }),
  );
});
afterAll(() => t.close());

async function race(): Promise<Result[]> {
  const perWorker = Math.ceil(bidIds.length / councillors.length);
  const workers = councillors.map((id, w) =>
    forkTsx("tests/support/decision-worker.ts", [
      t.file,
      id,
      ...bidIds.slice(w * perWorker, (w + 1) * perWorker).map(String),
    ]),
  );
  const stderr: string[] = [];
  const inbox = workers.map((child) => {
    child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
    const messages: { type: string; results?: Result[] }[] = [];
    const waiters: (() => void)[] = [];
    child.on("message", (message: { type: string; results?: Result[] }) => {
      messages.push(message);
      waiters.splice(0).forEach((wake) => wake());
    });
    const next = async (type: string) => {
      for (;;) {
        const found = messages.find((m) => m.type === type);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`worker exited before "${type}": ${stderr.join("")}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          child.once("exit", () => resolve());
        });
      }
    };
    return { child, next };
  });
  await Promise.all(inbox.map((w) => w.next("ready")));
  for (const w of inbox) w.child.send({ type: "go" });
  const reports = await Promise.all(inbox.map((w) => w.next("results")));
  await Promise.all(workers.map(exited));
  return reports.flatMap((r) => r.results!);
}

describe("councillors approving bids against one ward budget at once", () => {
  it("fund exactly what fits and refuse the rest with the balance shown", async () => {
    expect(councillors.length).toBeGreaterThanOrEqual(2);
    const results = await race();
    expect(results.filter((r) => r.outcome === "failed")).toEqual([]);
    const approved = results.filter((r) => r.outcome === "approved");
    const refused = results.filter((r): r is Extract<Result, { outcome: "refused" }> => r.outcome === "refused");
    expect(approved).toHaveLength(10);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(english(r.message)).toBe("Only £0.00 is available in Abbey Fields ward budget.");

    const available = t.db.$client
      .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
      .get(`AVAILABLE:${BUDGET}`) as { b: number };
    expect(available.b).toBe(0);
    const negative = t.db.$client
      .prepare(
        "select count(*) as n from ledger_accounts where non_negative = 1 and credits_posted - debits_posted < 0",
      )
      .get() as { n: number };
    expect(negative.n).toBe(0);
    const commits = t.db.$client.prepare("select count(*) as n from journal_entries where type = 'COMMIT'").get() as {
      n: number;
    };
    expect(commits.n).toBe(10);
    const statuses = t.db
      .select({ id: bids.id, status: bids.status })
      .from(bids)
      .all()
      .filter((b) => bidIds.includes(b.id));
    expect(statuses.filter((b) => b.status === "approved")).toHaveLength(10);
    expect(statuses.filter((b) => b.status === "submitted")).toHaveLength(2);
    expect(verifyLedger(t.db).ok).toBe(true);
  }, 60_000);
});
