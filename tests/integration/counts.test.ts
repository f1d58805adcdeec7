/**
 * Closing, counting, ratifying and publishing a PB round, against a real database: the published
 * ballot file and its hash, the stored report against a recount by the real command line, the
 * EARMARK → COMMIT / RELEASE entries, who may ratify, and that nothing but turnout shows before
 * the result is published.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { and, eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "~/core/ledger";
import type { Db } from "~/db/client.server";
import * as schema from "~/db/schema";
import {
  approvals,
  auditEvents,
  bids,
  grantInstalments,
  grantOffers,
  journalEntries,
  pbBallots,
  pbCounts,
  pbRounds,
} from "~/db/schema";
import { findUserByEmail } from "~/models/accounts.server";
import { respondToOffer } from "~/models/offers.server";
import { equalityReport, EQUALITY_TOKEN_MINUTES } from "~/models/voting/equality.server";
import { loadPrincipal } from "~/utils/auth.server";
import {
  closeVoting,
  countRound,
  findCount,
  publishedCount,
  ratifyCount,
  releaseCount,
  winnersOf,
} from "~/models/counts.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { Refusal } from "~/utils/refusal";
import { loader as countPageLoader, action as countPageAction } from "~/routes/admin.rounds.$roundId.count";
import { loader as resultsLoader } from "~/routes/rounds.$roundId.results";
import { loader as ballotsCsvLoader } from "~/routes/rounds.$roundId.results.ballots[.csv]";
import { loader as ballotsJsonLoader } from "~/routes/rounds.$roundId.results.ballots[.json]";
import { loader as reportLoader } from "~/routes/rounds.$roundId.results.report[.json]";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { createCountFixture, createSecondAdmin, type CountFixture } from "../factories";

const repo = fileURLToPath(new URL("../../", import.meta.url));

let t: TestDatabase;
let admin: { id: string; name: string };
let admin2: { id: string; name: string };
let adminCookie: string;
let admin2Cookie: string;

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  const first = findUserByEmail("admin@eastbrook.example")!;
  admin = { id: first.id, name: first.name };
  const secondId = await createSecondAdmin(t.db);
  admin2 = { id: secondId, name: "Priya Nair (administrator)" };
  adminCookie = await sessionCookieFor("admin@eastbrook.example");
  admin2Cookie = await sessionCookieFor("admin2@eastbrook.example");
});
afterAll(() => t.close());

function postingsOf(entryId: string) {
  return t.db.$client
    .prepare(
      "select a.key as account, p.dc as dc, p.amount_pence as pence from journal_postings p join ledger_accounts a " +
        "on a.id = p.account_id where p.entry_id = ?",
    )
    .all(entryId) as { account: string; dc: string; pence: number }[];
}

function availableOf(budgetId: string): number {
  const row = t.db.$client
    .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
    .get(`AVAILABLE:${budgetId}`) as { b: number };
  return row.b;
}

async function loaderValue<T>(run: () => Promise<unknown>): Promise<T> {
  const result = await responseOf(run);
  if (result instanceof Response) return (await result.json()) as T;
  const value = result.value;
  return (value instanceof Response ? await value.json() : value) as T;
}

describe("closing voting", () => {
  it("needs a reason before the closing time, and shuts the ballot box", () => {
    const fixture = createCountFixture(t.db, { ballots: 20, now: new Date() });
    t.db
      .update(pbRounds)
      .set({ votingClosesAt: new Date(Date.now() + 86_400_000).toISOString() })
      .where(eq(pbRounds.id, fixture.roundId))
      .run();
    expect(() => closeVoting(admin, fixture.roundId, null)).toThrow(Refusal);
    closeVoting(admin, fixture.roundId, "Polling station flooded; closing as agreed with the returning officer");
    expect(t.db.select().from(pbRounds).where(eq(pbRounds.id, fixture.roundId)).get()!.phase).toBe("counting");
    const audit = t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "pb-round.voting-closed"), eq(auditEvents.entityId, String(fixture.roundId))))
      .get()!;
    expect(audit.reason).toContain("flooded");
    expect(() => closeVoting(admin, fixture.roundId, null)).toThrow("admin:refusal.closeOnlyVoting");
  });

  it("refuses to count a round whose voting is still open", () => {
    const fixture = createCountFixture(t.db, { ballots: 5 });
    expect(() => countRound(admin, fixture.roundId)).toThrow("admin:refusal.closeBeforeCounting");
  });
});

describe("a counted, ratified round", () => {
  let fixture: CountFixture;
  let dir: string;

  beforeAll(() => {
    fixture = createCountFixture(t.db, { ballots: 320, seed: 11 });
    dir = mkdtempSync(join(tmpdir(), "wardfund-counts-"));
  });

  it("shows turnout only before the count: no tally on the count page, nothing public", async () => {
    const request = getRequest(`/admin/rounds/${fixture.roundId}/count`, adminCookie);
    const data = await loaderValue<Record<string, unknown>>(() =>
      countPageLoader({ request, params: { roundId: String(fixture.roundId) }, context: {} }),
    );
    expect(data.count).toBeNull();
    expect((data.turnout as { total: number }).total).toBe(320);
    expect(JSON.stringify(data)).not.toMatch(/points|selected|rho/);
    const hidden = await responseOf(() =>
      resultsLoader({
        request: getRequest(`/rounds/${fixture.roundId}/results`),
        params: { roundId: String(fixture.roundId) },
        context: {},
      }),
    );
    // Before publication the results page says when they are expected, and shows nothing of the count.
    expect(hidden instanceof Response && hidden.status).toBe(200);
    const pending = await (hidden as Response).json();
    // When voting has closed, the page says the results follow the count (its words are in the voting catalogue).
    expect(pending).toMatchObject({ pending: true, expected: { kind: expect.stringMatching(/^(closes|closed)$/) } });
    expect(Object.keys(pending).sort()).toEqual(["expected", "pending", "round"]);
    const unknown = await responseOf(() =>
      resultsLoader({ request: getRequest(`/rounds/999999/results`), params: { roundId: "999999" }, context: {} }),
    );
    expect(unknown instanceof Response && unknown.status).toBe(404);
  });

  it("closes and counts through the count page", async () => {
    const params = { roundId: String(fixture.roundId) };
    const closed = await responseOf(() =>
      countPageAction({
        request: formRequest(
          `/admin/rounds/${fixture.roundId}/count`,
          { intent: "close", reason: "" },
          { cookie: adminCookie },
        ),
        params,
        context: {},
      }),
    );
    expect(closed instanceof Response && closed.status).toBe(302);
    const counted = await responseOf(() =>
      countPageAction({
        request: formRequest(`/admin/rounds/${fixture.roundId}/count`, { intent: "count" }, { cookie: adminCookie }),
        params,
        context: {},
      }),
    );
    expect(counted instanceof Response && counted.status).toBe(302);
    const count = findCount(fixture.roundId, t.db)!;
    expect(count.status).toBe("counted");
    expect(count.countedBy).toBe(admin.id);
  });

  it("stores the SHA-256 of the published file, and the file holds every ballot in ranking order, with no id", () => {
    const count = findCount(fixture.roundId, t.db)!;
    expect(count.ballotFileSha256).toBe(sha256Hex(count.ballotFile));
    const file = JSON.parse(count.ballotFile) as {
      ballots: { id?: string; ranking: string[] }[];
      budget: string;
      maxLength: number;
    };
    expect(file.ballots).toHaveLength(fixture.ballotIds.length);
    expect(file.ballots.every((b) => b.id === undefined)).toBe(true);
    const texts = file.ballots.map((b) => JSON.stringify(b.ranking));
    expect(texts).toEqual([...texts].sort());
    for (const id of fixture.ballotIds) expect(count.ballotFile).not.toContain(id);
    expect(file.budget).toBe("6000.00");
    expect(file.maxLength).toBe(3);
  });

  it("stores the report byte for byte as the command line prints it for the published file, for both rules", () => {
    const count = findCount(fixture.roundId, t.db)!;
    const path = join(dir, "ballots.json");
    writeFileSync(path, count.ballotFile);
    const run = (rule: string) =>
      execFileSync(
        "npx",
        ["tsx", "scripts/count.ts", path, "--format", "json", "--rule", rule, "--tie", "project-id"],
        { cwd: repo, encoding: "utf8" },
      );
    expect(run("greedy")).toBe(count.report);
    expect(run("mes")).toBe(count.otherRuleReport);
    // The file states the round's rule, so `npm run count -- ballots.json` needs no --rule.
    expect(JSON.parse(count.ballotFile).rule).toBe("greedy");
    const plain = execFileSync("npx", ["tsx", "scripts/count.ts", path], { cwd: repo, encoding: "utf8" });
    expect(plain).toBe(count.report);
  }, 60_000);

  it("earmarks each winner from the pot, within the pot, and marks the bids won or not won", () => {
    const count = findCount(fixture.roundId, t.db)!;
    const report = JSON.parse(count.report) as { selected: string[] };
    const earmarks = t.db
      .select()
      .from(journalEntries)
      .where(
        and(
          eq(journalEntries.type, "EARMARK"),
          like(journalEntries.idempotencyKey, `pb-round-${fixture.roundId}-earmark-%`),
        ),
      )
      .all();
    expect(earmarks).toHaveLength(report.selected.length);
    expect(report.selected.length).toBeGreaterThan(0);
    const total = earmarks
      .flatMap((e) => postingsOf(e.id))
      .filter((p) => p.dc === "D")
      .reduce((sum, p) => {
        expect(p.account).toBe(`AVAILABLE:${fixture.potBudgetId}`);
        return sum + p.pence;
      }, 0);
    expect(total).toBeLessThanOrEqual(600000);
    expect(availableOf(fixture.potBudgetId)).toBe(600000 - total);
    const statuses = t.db
      .select({ id: bids.id, status: bids.status, grantId: bids.grantId })
      .from(bids)
      .where(eq(bids.fundId, fixture.fundId))
      .all();
    expect(statuses.filter((b) => b.status === "won")).toHaveLength(report.selected.length);
    expect(statuses.filter((b) => b.status === "not-won")).toHaveLength(fixture.bidIds.length - report.selected.length);
    expect(statuses.filter((b) => b.status === "won").every((b) => b.grantId !== null)).toBe(true);
    expect(winnersOf(fixture.roundId, t.db)).toEqual([]);
  });

  it("keeps the result off public pages until it is ratified", async () => {
    expect(publishedCount(fixture.roundId, t.db)).toBeNull();
    for (const loader of [ballotsCsvLoader, ballotsJsonLoader, reportLoader]) {
      const result = await responseOf(() =>
        loader({
          request: getRequest(`/rounds/${fixture.roundId}/results`),
          params: { roundId: String(fixture.roundId) },
          context: {},
        }),
      );
      expect(result instanceof Response && result.status).toBe(404);
    }
    const page = await responseOf(() =>
      resultsLoader({
        request: getRequest(`/rounds/${fixture.roundId}/results`),
        params: { roundId: String(fixture.roundId) },
        context: {},
      }),
    );
    expect(await (page as Response).json()).toMatchObject({ pending: true });
  });

  it("refuses a ratification by the administrator who counted", async () => {
    expect(() => ratifyCount(admin, fixture.roundId, { noInterestDeclared: true })).toThrow(
      "admin:refusal.ratifyOther",
    );
    const params = { roundId: String(fixture.roundId) };
    const result = await responseOf(() =>
      countPageAction({
        request: formRequest(
          `/admin/rounds/${fixture.roundId}/count`,
          { intent: "ratify", noInterest: "yes" },
          { cookie: adminCookie },
        ),
        params,
        context: {},
      }),
    );
    expect(result instanceof Response && result.status).toBe(422);
    expect(findCount(fixture.roundId, t.db)!.status).toBe("counted");
  });

  it("commits each earmark when a second administrator ratifies, and publishes the result", async () => {
    const params = { roundId: String(fixture.roundId) };
    const result = await responseOf(() =>
      countPageAction({
        request: formRequest(
          `/admin/rounds/${fixture.roundId}/count`,
          { intent: "ratify", noInterest: "yes" },
          { cookie: admin2Cookie },
        ),
        params,
        context: {},
      }),
    );
    expect(result instanceof Response && result.status).toBe(302);
    const earmarks = t.db
      .select()
      .from(journalEntries)
      .where(like(journalEntries.idempotencyKey, `pb-round-${fixture.roundId}-earmark-%`))
      .all();
    const commits = t.db
      .select()
      .from(journalEntries)
      .where(like(journalEntries.idempotencyKey, `pb-round-${fixture.roundId}-commit-%`))
      .all();
    expect(commits).toHaveLength(earmarks.length);
    expect(commits.every((c) => c.type === "COMMIT" && earmarks.some((e) => e.id === c.resolvesId))).toBe(true);
    for (const commit of commits) {
      const approval = t.db.select().from(approvals).where(eq(approvals.id, commit.approvalId!)).get()!;
      expect(approval).toMatchObject({ requesterId: admin.id, approverId: admin2.id, entryType: "COMMIT" });
    }
    expect(t.db.select().from(pbRounds).where(eq(pbRounds.id, fixture.roundId)).get()!.phase).toBe("results");
    const winners = winnersOf(fixture.roundId, t.db);
    expect(winners).toHaveLength(commits.length);
    expect(winners[0]).toMatchObject({ grantId: `${fixture.fundId}-B${winners[0]!.bidId}` });
    expect(
      t.db.select().from(auditEvents).where(eq(auditEvents.action, "pb-round.result-ratified")).all(),
    ).toHaveLength(1);
  });

  it("offers each winner its grant, which the group accepts as a ward-budget group does", () => {
    const winners = winnersOf(fixture.roundId, t.db);
    for (const winner of winners) {
      const offer = t.db.select().from(grantOffers).where(eq(grantOffers.bidId, winner.bidId)).get()!;
      expect(offer).toMatchObject({ grantId: winner.grantId, amountPence: winner.pence, acceptedAt: null });
      const instalments = t.db.select().from(grantInstalments).where(eq(grantInstalments.offerId, offer.id)).all();
      expect(instalments.reduce((sum, i) => sum + i.amountPence, 0)).toBe(winner.pence);
    }
    const first = winners[0]!;
    const bid = t.db.select().from(bids).where(eq(bids.id, first.bidId)).get()!;
    const memberId = (
      t.db.$client.prepare("select user_id from group_members where group_id = ? limit 1").get(bid.groupId) as {
        user_id: string;
      }
    ).user_id;
    const member = loadPrincipal(memberId, t.db)!;
    expect(respondToOffer(member, { bidId: first.bidId, accept: true }, new Date(), t.db)).toBe("offer-accepted");
  });

  it("shows the published result, downloads byte for byte, and no personal data", async () => {
    const params = { roundId: String(fixture.roundId) };
    const count = findCount(fixture.roundId, t.db)!;
    const data = await loaderValue<Record<string, unknown>>(() =>
      resultsLoader({ request: getRequest(`/rounds/${fixture.roundId}/results`), params, context: {} }),
    );
    const text = JSON.stringify(data);
    expect(text).toContain(count.ballotFileSha256);
    expect(text).toContain("<svg");
    expect(text).not.toContain("@");
    expect(text).not.toContain(admin.id);
    expect(text).not.toContain(admin2.id);
    const json = (await ballotsJsonLoader({
      request: getRequest(`/rounds/${fixture.roundId}/results/ballots.json`),
      params,
      context: {},
    })) as Response;
    expect(json.status).toBe(200);
    expect(await json.text()).toBe(count.ballotFile);
    const report = (await reportLoader({
      request: getRequest(`/rounds/${fixture.roundId}/results/report.json`),
      params,
      context: {},
    })) as Response;
    expect(await report.text()).toBe(count.report);
    const csv = (await ballotsCsvLoader({
      request: getRequest(`/rounds/${fixture.roundId}/results/ballots.csv`),
      params,
      context: {},
    })) as Response;
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("rank_1,rank_2,rank_3");
    expect(lines).toHaveLength(321);
    const ballotRows = t.db.select().from(pbBallots).where(eq(pbBallots.roundId, fixture.roundId)).all();
    expect(ballotRows).toHaveLength(320);
  });

  it(
    "answers each request from the stored count: after the first, no ballot, participation row or ballot file is " +
      "read",
    async () => {
      const params = { roundId: String(fixture.roundId) };
      const load = () =>
        loaderValue<{ turnout: unknown; summary: { ballots: number; sha256: string } }>(() =>
          resultsLoader({ request: getRequest(`/rounds/${fixture.roundId}/results`), params, context: {} }),
        );
      const reads: string[] = [];
      // A second connection to the same file that logs every statement it runs, as the app's handle.
      const watched = drizzle(new Database(t.file, { verbose: (text) => reads.push(String(text)) }), { schema }) as Db;
      const previous = globalThis.__wardfundDb;
      globalThis.__wardfundDb = watched;
      try {
        const first = await load();
        expect(reads.some((text) => text.includes('"ballot_file"'))).toBe(true);
        expect(first.summary.ballots).toBe(320);
        expect(first.turnout).toEqual(roundTurnout(fixture.roundId, t.db));
        reads.length = 0;
        const again = await load();
        expect(again).toEqual(first);
        expect(reads.filter((text) => /pb_ballots|pb_participation|"ballot_file"|"report"/.test(text))).toEqual([]);
        // The equality answers are counted on each request until no token of the round can be used...
        const countedAt = findCount(fixture.roundId, t.db)!.countedAt;
        const countedMs = Date.parse(countedAt);
        reads.length = 0;
        equalityReport(fixture.roundId, watched, countedAt, countedMs + 60_000);
        equalityReport(fixture.roundId, watched, countedAt, countedMs + 60_000);
        expect(reads.filter((text) => text.includes("pb_equality_responses"))).toHaveLength(2);
        // ...and after that only once.
        const later = countedMs + (EQUALITY_TOKEN_MINUTES + 2) * 60_000;
        reads.length = 0;
        equalityReport(fixture.roundId, watched, countedAt, later);
        equalityReport(fixture.roundId, watched, countedAt, later);
        expect(reads.filter((text) => text.includes("pb_equality_responses"))).toHaveLength(1);
      } finally {
        globalThis.__wardfundDb = previous;
        watched.$client.close();
      }
    },
  );
});

describe("a released count", () => {
  it("returns every earmark to the pot and records why", () => {
    const fixture = createCountFixture(t.db, { ballots: 60, seed: 5, countingRule: "mes", tieBreak: "ballot-order" });
    closeVoting(admin, fixture.roundId, null);
    const outcome = countRound(admin, fixture.roundId);
    expect(outcome.winners.length).toBeGreaterThan(0);
    expect(() => releaseCount(admin2, fixture.roundId, "")).toThrow("admin:count.releaseReason");
    releaseCount(admin2, fixture.roundId, "The ballot paper misprinted one project's cost");
    const releases = t.db
      .select()
      .from(journalEntries)
      .where(like(journalEntries.idempotencyKey, `pb-round-${fixture.roundId}-release-%`))
      .all();
    expect(releases).toHaveLength(outcome.winners.length);
    expect(releases.every((r) => r.type === "RELEASE")).toBe(true);
    expect(availableOf(fixture.potBudgetId)).toBe(600000);
    const count = t.db.select().from(pbCounts).where(eq(pbCounts.roundId, fixture.roundId)).get()!;
    expect(count).toMatchObject({
      status: "released",
      decisionReason: "The ballot paper misprinted one project's cost",
    });
    expect(winnersOf(fixture.roundId, t.db)).toEqual([]);
    expect(() => ratifyCount(admin2, fixture.roundId, { noInterestDeclared: true })).toThrow(
      "admin:refusal.countReleased",
    );
    expect(JSON.parse(count.ballotFile).projects[0].id).toMatch(/^001:PB-/);
    expect(publishedCount(fixture.roundId, t.db)?.count.status).toBe("released");
  });
});

describe("turnout", () => {
  it("counts paper ballots as those without a participation row", () => {
    const fixture = createCountFixture(t.db, { ballots: 100, seed: 3 });
    const turnout = roundTurnout(fixture.roundId, t.db);
    expect(turnout.total).toBe(100);
    const paper = turnout.byChannel.find((c) => c.channel === "paper")!.count;
    expect(paper).toBe(100 - fixture.participationRows);
    expect(turnout.byWard.reduce((sum, w) => sum + w.count, 0)).toBe(100);
  });
});
