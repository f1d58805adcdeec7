/**
 * The demo council's round in voting, counted the way officers count it: voting closed, the sealed
 * online ballots opened with two of the three key shares printed when the key was made, counted,
 * ratified and published. The published files pair no receipt with a ranking, the rankings file
 * recounts to the stored report byte for byte, every receipt is in the receipt list, the turnout
 * is what was counted, and nothing enters after the count.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import { findCount, publishedResults } from "~/models/counts.server";
import { countReconciliation } from "~/models/rounds/turnout.server";
import { enterPaperBatch } from "~/models/voting/paper.server";
import { roundReceipts } from "~/models/voting/receipts.server";
import { Refusal } from "~/utils/refusal";
import { action as countAction, loader as countLoader } from "~/routes/admin.rounds.$roundId.count";
import { loader as ballotsCsvLoader } from "~/routes/rounds.$roundId.results.ballots[.csv]";
import { loader as ballotsJsonLoader } from "~/routes/rounds.$roundId.results.ballots[.json]";
import { loader as receiptsCsvLoader } from "~/routes/rounds.$roundId.results.receipts[.csv]";
import { loader as receiptsJsonLoader } from "~/routes/rounds.$roundId.results.receipts[.json]";
import { action as receiptAction } from "~/routes/rounds.$roundId.receipt";
import { seedDemoCouncil } from "../../scripts/seed/council";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";

let t: TestDatabase;
let roundId: number;
let shares: string[];
let adminCookie: string;
let admin2Cookie: string;
let receiptsBefore: string[];

const actor = (email: string) => {
  const u = findUserByEmail(email)!;
  return { id: u.id, name: u.name };
};
const q = (sql: string, ...args: unknown[]) =>
  t.db.$client
    .prepare(sql)
    .pluck()
    .get(...args) as number;

beforeAll(async () => {
  t = await createTestDatabase();
  // The first round whose shares are given is the demo round in voting with its few hundred ballots.
  await seedDemoCouncil(t.db, {
    onBallotKeyShares: (s, id) => {
      if (roundId !== undefined) return;
      shares = s;
      roundId = id;
    },
  });
  adminCookie = await sessionCookieFor("admin@eastbrook.example");
  admin2Cookie = await sessionCookieFor("admin2@eastbrook.example");
  receiptsBefore = roundReceipts(roundId);
}, 120_000);
afterAll(() => t.close());

const countPage = (fields: Record<string, string>, cookie = adminCookie) =>
  responseOf(() =>
    countAction({
      request: formRequest(`/admin/rounds/${roundId}/count`, fields, { cookie }),
      params: { roundId: String(roundId) },
      context: {},
    }),
  );

describe("counting a round of sealed ballots", () => {
  it("holds only sealed online ballots while voting, one per receipt and per participation record", () => {
    const sealed = q("select count(*) from pb_sealed_ballots where round_id = ?", roundId);
    expect(sealed).toBeGreaterThan(100);
    expect(receiptsBefore).toHaveLength(sealed);
    expect(q("select count(*) from pb_participation where round_id = ?", roundId)).toBe(sealed);
  });

  it("closes voting, then refuses missing, mistyped, repeated and wrong shares next to their fields", async () => {
    const closed = await countPage({ intent: "close", reason: "Closing early for the test count" });
    expect((closed as Response).status).toBe(302);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ share1: "", share2: "" }, "share1", /^rounds:share.empty$/],
      [{ share1: shares[0]!, share2: shares[0]! }, "share2", /admin:refusal.sameShare/],
      [
        { share1: shares[0]!, share2: shares[1]!.slice(0, -2) + "ZZ" },
        "share2",
        /^rounds:share.(typingError|incomplete)$/,
      ],
      [{ share1: shares[0]!, share2: shares[1]!.replace(`R${roundId}-`, `R${roundId + 1}-`) }, "share2", /round/],
    ];
    for (const [fields, field, message] of cases) {
      const res = (await countPage({ intent: "count", ...fields })) as Response;
      expect(res.status).toBeGreaterThanOrEqual(400);
      const body = (await res.json()) as { errors: Record<string, string> };
      expect(body.errors[field], JSON.stringify(body)).toMatch(message);
    }
    expect(findCount(roundId)).toBeNull();
    expect(q("select count(*) from pb_ballots where round_id = ?", roundId)).toBeLessThan(receiptsBefore.length);
  }, 60_000);

  it("opens the ballots with two shares (any two), erases the sealed copies and counts", async () => {
    const plainBefore = q("select count(*) from pb_ballots where round_id = ?", roundId);
    const res = (await countPage({ intent: "count", share1: shares[2]!, share2: shares[1]! })) as Response;
    expect(res.status).toBe(302);
    expect(q("select count(*) from pb_sealed_ballots where round_id = ?", roundId)).toBe(0);
    expect(q("select count(*) from pb_ballots where round_id = ?", roundId)).toBe(plainBefore + receiptsBefore.length);
    const count = findCount(roundId)!;
    expect(count.status).toBe("counted");
    const audit = JSON.stringify(t.db.$client.prepare("select * from audit_events").all());
    for (const share of shares) expect(audit).not.toContain(share);
    expect(audit).toContain("pb-round.ballots-opened");
  }, 60_000);

  it("shows officers that every counted ballot is accounted for before ratification", async () => {
    const count = findCount(roundId)!;
    const ballots = (JSON.parse(count.ballotFile) as { ballots: unknown[] }).ballots.length;
    const reconciliation = countReconciliation(roundId, ballots);
    expect(reconciliation.difference).toBe(0);
    const page = (await responseOf(() =>
      countLoader({
        request: getRequest(`/admin/rounds/${roundId}/count`, adminCookie),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    const data = (await page.json()) as { count: { reconciliation: { reason: string } } };
    expect(data.count.reconciliation.reason).toMatch(/Every counted ballot is accounted for/);
  });

  it("refuses paper after the count, in the model and in the database", () => {
    expect(() => enterPaperBatch(actor("admin@eastbrook.example"), roundId, "Late box", "1 2\n")).toThrow(Refusal);
    expect(() => enterPaperBatch(actor("admin@eastbrook.example"), roundId, "Late box", "1 2\n")).toThrow(
      "rounds:paper.counted",
    );
    const client = t.db.$client;
    expect(() =>
      client
        .prepare(
          "insert into pb_paper_batches (round_id, label, first_keying, entered_by, entered_at) " +
            "values (?, 'x', '[]', ?, 'now')",
        )
        .run(roundId, actor("admin@eastbrook.example").id),
    ).toThrow(/counted/);
    const late = client.prepare("insert into pb_ballots (id, round_id, ranking) values ('LATE', ?, '[1]')");
    expect(() => late.run(roundId)).toThrow(/counted/);
  });

  it("publishes rankings without receipts and receipts without rankings; the rankings recount exactly", async () => {
    const ratified = await countPage({ intent: "ratify", noInterest: "yes", note: "" }, admin2Cookie);
    expect((ratified as Response).status).toBe(302);
    const params = { roundId: String(roundId) };
    const text = async (loader: typeof ballotsJsonLoader, url: string) =>
      ((await loader({ request: getRequest(url), params, context: {} })) as Response).text();
    const ballotsJson = await text(ballotsJsonLoader, `/rounds/${roundId}/results/ballots.json`);
    const ballotsCsv = await text(ballotsCsvLoader, `/rounds/${roundId}/results/ballots.csv`);
    const receiptsCsv = await text(receiptsCsvLoader, `/rounds/${roundId}/results/receipts.csv`);
    const receiptsJson = JSON.parse(await text(receiptsJsonLoader, `/rounds/${roundId}/results/receipts.json`)) as {
      list: string[];
    };
    for (const receipt of receiptsBefore) {
      expect(ballotsJson).not.toContain(receipt);
      expect(ballotsCsv).not.toContain(receipt);
      expect(receiptsCsv).toContain(receipt);
    }
    expect(receiptsJson.list).toEqual([...receiptsBefore].sort());
    expect(receiptsCsv).not.toMatch(/PB-\d{4}|\[|\d{4}-\d{2}-\d{2}/);
    expect(ballotsJson).not.toMatch(/"id":"(?!PB-|\d)|\d{4}-\d{2}-\d{2}T/);
    // The recount from the rankings file alone is the stored report, byte for byte.
    const count = findCount(roundId)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-sealed-recount-"));
    try {
      const file = path.join(dir, "ballots.json");
      fs.writeFileSync(file, ballotsJson);
      const printed = execFileSync(
        process.execPath,
        ["--import", "tsx", "scripts/count.ts", file, "--format", "json", "--rule", count.rule, "--tie", "project-id"],
        { encoding: "utf8" },
      );
      expect(printed).toBe(count.report);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The published turnout is the ballots counted.
    const published = publishedResults(roundId)!;
    expect(published.turnout.total).toBe(published.summary.ballots);
  }, 60_000);

  it("a voter finds their receipt with a POST that shows no date and says it was counted", async () => {
    const res = (await responseOf(() =>
      receiptAction({
        request: formRequest(`/rounds/${roundId}/receipt`, { receipt: receiptsBefore[0]! }),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    const body = JSON.stringify(await res.json());
    expect(body).toContain(`"published":true`);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
