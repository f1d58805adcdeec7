/**
 * Voting: one ballot per person and per code (also when 50 attempts race from separate
 * processes), who may vote, ballot secrecy in the schema and the outputs, no running totals, paper
 * double keying, code revocation and rate limiting, and the equality questions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import { seedDemoBallots, seedDemoCodes, seedEqualityQuestions } from "../../scripts/seed/votes";
import { channelCount } from "~/core/results/turnout";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { ALREADY_VOTED, castCodeBallot, castOnlineBallot } from "~/models/voting/cast.server";
import { checkVotingCode, generateCodeBatch, revokeCode, revokeCodeBatch } from "~/models/voting/codes.server";
import { equalityReport, issueEqualityToken, recordEqualityResponses } from "~/models/voting/equality.server";
import { enterPaperBatch, paperBatch, rekeyPaperBatch, resolvePaperBatch } from "~/models/voting/paper.server";
import { receiptStatus } from "~/models/voting/receipts.server";
import { Refusal } from "~/utils/refusal";
import * as voteRoute from "~/routes/rounds.$roundId.vote";
import * as receiptRoute from "~/routes/rounds.$roundId.receipt";
import * as codesRoute from "~/routes/admin.rounds.$roundId.codes";
import * as paperRoute from "~/routes/admin.rounds.$roundId.paper._index";
import * as codeRoute from "~/routes/rounds.$roundId.code";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { exited, forkTsx } from "../support/ledger-tools";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { createVotingRound, openBallotsForCount, setRoundPhase } from "../factories";
import { messageText } from "~/utils/message-text";

let t: TestDatabase;
const sealedCount = (roundId: number) =>
  t.db.$client.prepare("select count(*) from pb_sealed_ballots where round_id = ?").pluck().get(roundId) as number;
const ADMIN = () => {
  const u = findUserByEmail("admin@eastbrook.example")!;
  return { id: u.id, name: u.name };
};
const ADMIN2 = () => {
  const u = findUserByEmail("admin2@eastbrook.example")!;
  return { id: u.id, name: u.name };
};

/** A demo resident with a date of birth, and the ward of their postcode. */
function voter(email: string, dateOfBirth = "1980-05-05") {
  const user = findUserByEmail(email)!;
  t.db.$client.prepare("update users set date_of_birth = ? where id = ?").run(dateOfBirth, user.id);
  const wardId = t.db.$client
    .prepare(
      "select w.id from users u join postcodes p on p.postcode = u.postcode join wards w on w.gss_code = " +
        "p.ward_gss_code where u.id = ?",
    )
    .pluck()
    .get(user.id) as number;
  return { id: user.id, wardId };
}

function refusal(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

/** The refusal a cast (or any other promise) is rejected with. */
async function refused(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => new Error("expected a refusal"),
    (e: unknown) => e,
  );
  if (error instanceof Refusal) return error;
  throw error;
}

/** The round's turnout by channel. */
function turnout(roundId: number) {
  const counted = roundTurnout(roundId);
  const online = channelCount(counted, "online");
  return { online, code: channelCount(counted, "code"), paper: channelCount(counted, "paper"), total: counted.total };
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
});
afterAll(() => t.close());

type WorkerResult = { outcome: "cast" | "refused" | "failed"; detail: string };

async function race(mode: "online" | "code", roundId: number, who: string, ranking: number[]): Promise<WorkerResult[]> {
  const WORKERS = 10;
  const ATTEMPTS = 5;
  const children = Array.from({ length: WORKERS }, () =>
    forkTsx("tests/support/vote-worker.ts", [
      t.file,
      mode,
      String(roundId),
      who,
      String(ATTEMPTS),
      ...ranking.map(String),
    ]),
  );
  const stderr: string[] = [];
  const reports = children.map(
    (child) =>
      new Promise<{ ready: Promise<void>; results: Promise<WorkerResult[]> }>((outer) => {
        child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
        let readyResolve!: () => void;
        let resultsResolve!: (r: WorkerResult[]) => void;
        const ready = new Promise<void>((r) => (readyResolve = r));
        const results = new Promise<WorkerResult[]>((r, reject) => {
          resultsResolve = r;
          child.once("exit", (code) =>
            setTimeout(() => reject(new Error(`worker exited ${code}: ${stderr.join("")}`)), 100),
          );
        });
        child.on("message", (m: { type: string; results?: WorkerResult[] }) => {
          if (m.type === "ready") readyResolve();
          if (m.type === "results") resultsResolve(m.results!);
        });
        outer({ ready, results });
      }),
  );
  const handles = await Promise.all(reports);
  await Promise.all(handles.map((h) => h.ready));
  for (const child of children) child.send({ type: "go" });
  const all = (await Promise.all(handles.map((h) => h.results))).flat();
  await Promise.all(children.map(exited));
  return all;
}

describe("one ballot per person per round, under 50 concurrent attempts", () => {
  it("with the same account: exactly one ballot", async () => {
    const { roundId, bidIds } = createVotingRound(t.db);
    const v = voter("yusuf.osman@residents.example");
    const results = await race("online", roundId, v.id, [bidIds[1]!, bidIds[0]!]);
    expect(results).toHaveLength(50);
    expect(results.filter((r) => r.outcome === "failed")).toEqual([]);
    expect(results.filter((r) => r.outcome === "cast")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "refused").every((r) => r.detail === "already-voted")).toBe(true);
    expect(sealedCount(roundId)).toBe(1);
    expect(t.db.$client.prepare("select count(*) from pb_participation where round_id = ?").pluck().get(roundId)).toBe(
      1,
    );
    expect((await refused(castOnlineBallot(v.id, roundId, [bidIds[0]!]))).message).toBe(ALREADY_VOTED);
  }, 60_000);

  it("with the same code: exactly one ballot", async () => {
    const { roundId, bidIds } = createVotingRound(t.db);
    const [code] = generateCodeBatch(ADMIN(), roundId, "Race", 1).codes;
    const results = await race("code", roundId, code!, [bidIds[2]!]);
    expect(results.filter((r) => r.outcome === "failed")).toEqual([]);
    expect(results.filter((r) => r.outcome === "cast")).toHaveLength(1);
    expect(sealedCount(roundId)).toBe(1);
    expect(
      t.db.$client
        .prepare("select count(*) from pb_vote_codes where round_id = ? and used_on is not null")
        .pluck()
        .get(roundId),
    ).toBe(1);
  }, 60_000);
});

describe("casts that arrive together", () => {
  it("commit together, and a refused cast in the group leaves nothing of itself behind", async () => {
    const { roundId, bidIds } = createVotingRound(t.db, { maxRanked: 2 });
    const v = voter("councillor@eastbrook.example");
    const [a, b, c] = generateCodeBatch(ADMIN(), roundId, "Group", 3).codes as [string, string, string];
    const c0 = t.db.$client;
    // All queued in one turn of the event loop, so they share one transaction.
    const outcomes = await Promise.allSettled([
      castCodeBallot(roundId, a, [bidIds[0]!]),
      castCodeBallot(roundId, a, [bidIds[1]!]),
      castCodeBallot(roundId, b, bidIds.slice(0, 3)),
      castCodeBallot(roundId, "not a code", [bidIds[0]!]),
      castOnlineBallot(v.id, roundId, [bidIds[2]!, bidIds[1]!]),
      castOnlineBallot(v.id, roundId, [bidIds[2]!]),
      castCodeBallot(roundId, c, [bidIds[3]!]),
    ]);
    const reasons = outcomes.map((o) => (o.status === "fulfilled" ? "cast" : (o.reason as Refusal).code));
    expect(reasons).toEqual(["cast", "already-voted", "bad-ranking", "bad-code", "cast", "already-voted", "cast"]);
    expect(sealedCount(roundId)).toBe(3);
    expect(c0.prepare("select count(*) from pb_receipts where round_id = ?").pluck().get(roundId)).toBe(3);
    expect(c0.prepare("select count(*) from pb_ballots where round_id = ?").pluck().get(roundId)).toBe(0);
    expect(c0.prepare("select count(*) from pb_participation where round_id = ?").pluck().get(roundId)).toBe(3);
    // Code b's cast was refused: it is not used up and can still vote.
    expect(
      c0.prepare("select count(*) from pb_vote_codes where round_id = ? and used_on is not null").pluck().get(roundId),
    ).toBe(2);
    await expect(castCodeBallot(roundId, b, [bidIds[0]!])).resolves.toMatch(/^[0-9A-Z]{20}$/);
    const receipts = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    for (const receipt of receipts) expect(receiptStatus(roundId, receipt)).toMatchObject({ found: true });
  });

  it("are refused once voting has closed", async () => {
    const { roundId, bidIds } = createVotingRound(t.db, {
      votingClosesAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const [code] = generateCodeBatch(ADMIN(), roundId, "Late group", 1).codes;
    await expect(castCodeBallot(roundId, code!, [bidIds[0]!])).rejects.toMatchObject({ code: "closed" });
    expect(sealedCount(roundId)).toBe(0);
  });
});

describe("who may vote", () => {
  it("refuses a voter outside the round's area with a clear message", async () => {
    const v = voter("resident@eastbrook.example");
    const otherWard = t.db.$client
      .prepare("select id from wards where id <> ? limit 1")
      .pluck()
      .get(v.wardId) as number;
    const { roundId, bidIds } = createVotingRound(t.db, { wardIds: [otherWard] });
    expect((await refused(castOnlineBallot(v.id, roundId, [bidIds[0]!]))).message).toMatch(/outside the area/);
  });

  it("refuses a voter under the minimum age on the closing day", async () => {
    const v = voter("resident@eastbrook.example", `${new Date().getUTCFullYear() - 15}-01-01`);
    const { roundId, bidIds } = createVotingRound(t.db, { minVoterAge: 16 });
    expect((await refused(castOnlineBallot(v.id, roundId, [bidIds[0]!]))).message).toMatch(/16 or over/);
    voter("resident@eastbrook.example");
  });

  it("refuses after voting closes, whatever the page says, and through the route with a message", async () => {
    const v = voter("resident@eastbrook.example");
    const { roundId, bidIds } = createVotingRound(t.db, {
      votingClosesAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect((await refused(castOnlineBallot(v.id, roundId, [bidIds[0]!]))).message).toBe(
      "Voting in this round has closed.",
    );
    const [code] = generateCodeBatch(ADMIN(), roundId, "Late", 1).codes;
    expect((await refused(castCodeBallot(roundId, code!, [bidIds[0]!]))).code).toBe("closed");
    const cookie = await sessionCookieFor("resident@eastbrook.example");
    const res = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(`/rounds/${roundId}/vote`, { intent: "cast", ranking: String(bidIds[0]) }, { cookie }),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ step: "refused", message: "Voting in this round has closed." });
  });

  it("the database refuses ballots once the round has left voting, and never changes or deletes one", async () => {
    const v = voter("resident@eastbrook.example");
    const { roundId, bidIds } = createVotingRound(t.db);
    await castOnlineBallot(v.id, roundId, [bidIds[0]!]);
    const c = t.db.$client;
    expect(() => c.prepare("update pb_sealed_ballots set sealed = x'00' where round_id = ?").run(roundId)).toThrow(
      /never changed/,
    );
    expect(() => c.prepare("delete from pb_sealed_ballots where round_id = ?").run(roundId)).toThrow(
      /erased only when opened/,
    );
    expect(() => c.prepare("delete from pb_receipts where round_id = ?").run(roundId)).toThrow(/never deleted/);
    c.prepare("insert into pb_ballots (id, round_id, ranking) values ('PAPER1', ?, '[1]')").run(roundId);
    expect(() => c.prepare("update pb_ballots set ranking = '[2]' where round_id = ?").run(roundId)).toThrow(
      /never changed/,
    );
    expect(() => c.prepare("delete from pb_ballots where round_id = ?").run(roundId)).toThrow(/never deleted/);
    expect(() => c.prepare("update pb_participation set user_id = null where round_id = ?").run(roundId)).toThrow(
      /never changed/,
    );
    expect(() => c.prepare("delete from pb_participation where round_id = ?").run(roundId)).toThrow(/never deleted/);
    setRoundPhase(t.db, roundId, "results");
    expect(() =>
      c.prepare("insert into pb_ballots (id, round_id, ranking) values ('X', ?, '[1]')").run(roundId),
    ).toThrow(/only while the round is voting or counting/);
    expect(() =>
      c.prepare("insert into pb_sealed_ballots (id, round_id, sealed) values ('X', ?, x'00')").run(roundId),
    ).toThrow(/only while the round is voting/);
    expect(() => c.prepare("insert into pb_receipts (round_id, receipt) values (?, 'X')").run(roundId)).toThrow(
      /only while the round is voting/,
    );
    setRoundPhase(t.db, roundId, "counting");
    expect(() =>
      c.prepare("insert into pb_participation (round_id, user_id, channel) values (?, null, 'paper')").run(roundId),
    ).toThrow(/only while the round is voting/);
  });

  it("asks for postcode and date of birth when missing, and saves them", async () => {
    const { roundId } = createVotingRound(t.db);
    const user = findUserByEmail("lena.fischer@residents.example") ?? findUserByEmail("xander.cole@residents.example")!;
    t.db.$client.prepare("update users set date_of_birth = null where id = ?").run(user.id);
    const cookie = await sessionCookieFor(user.email);
    const page = (await responseOf(() =>
      voteRoute.loader({
        request: getRequest(`/rounds/${roundId}/vote`, cookie),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect((await page.json()).status.state).toBe("needs-details");
    const bad = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(
          `/rounds/${roundId}/vote`,
          {
            intent: "details",
            postcode: "nope",
            "dateOfBirth-day": "31",
            "dateOfBirth-month": "2",
            "dateOfBirth-year": "1990",
          },
          { cookie },
        ),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).errors).sort()).toEqual(["dateOfBirth", "postcode"]);
    const postcode = user.postcode!;
    const ok = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(
          `/rounds/${roundId}/vote`,
          {
            intent: "details",
            postcode,
            "dateOfBirth-day": "28",
            "dateOfBirth-month": "2",
            "dateOfBirth-year": "1990",
          },
          { cookie },
        ),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(ok.status).toBe(302);
    expect(findUserByEmail(user.email)!.dateOfBirth).toBe("1990-02-28");
  });
});

describe("the ballot page", () => {
  it("checks ranks on the server, keeps the voter's choices, reviews, casts once and gives a receipt", async () => {
    const { roundId, bidIds } = createVotingRound(t.db, { maxRanked: 3 });
    voter("finance@eastbrook.example");
    const cookie = await sessionCookieFor("finance@eastbrook.example");
    const act = async (fields: Record<string, string>) =>
      (await responseOf(() =>
        voteRoute.action({
          request: formRequest(`/rounds/${roundId}/vote`, fields, { cookie }),
          params: { roundId: String(roundId) },
          context: {},
        }),
      )) as Response;
    const gap = await act({ intent: "review", [`rank-${bidIds[0]}`]: "1", [`rank-${bidIds[1]}`]: "3" });
    expect(gap.status).toBe(400);
    const gapBody = await gap.json();
    expect(gapBody.values).toEqual({ [`rank-${bidIds[0]}`]: "1", [`rank-${bidIds[1]}`]: "3" });
    expect(gapBody.errors[`rank-${bidIds[1]}`]).toMatch(/no project at rank 2/);
    const dup = await (await act({ intent: "review", [`rank-${bidIds[0]}`]: "1", [`rank-${bidIds[1]}`]: "1" })).json();
    expect(Object.keys(dup.errors)).toHaveLength(2);
    const review = await (
      await act({ intent: "review", [`rank-${bidIds[2]}`]: "1", [`rank-${bidIds[0]}`]: "2" })
    ).json();
    expect(review).toEqual({ step: "review", ranking: [bidIds[2], bidIds[0]] });
    const change = await (await act({ intent: "change", ranking: `${bidIds[2]},${bidIds[0]}` })).json();
    expect(change.values).toEqual({ [`rank-${bidIds[2]}`]: "1", [`rank-${bidIds[0]}`]: "2" });
    const tooMany = await act({ intent: "cast", ranking: bidIds.slice(0, 4).join(",") });
    expect(tooMany.status).toBe(400);
    const cast = await act({ intent: "cast", ranking: `${bidIds[2]},${bidIds[0]}` });
    expect(cast.status).toBe(200);
    const done = await cast.json();
    expect(done.step).toBe("done");
    expect(done.receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const again = await act({ intent: "cast", ranking: `${bidIds[1]}` });
    expect(again.status).toBe(409);
    expect((await again.json()).message).toBe(ALREADY_VOTED);
    expect(receiptStatus(roundId, done.receipt)).toEqual({ found: true, published: false });
  });

  it("lets a code-holder vote through the code page and the ballot page", async () => {
    const { roundId, bidIds } = createVotingRound(t.db);
    const [code] = generateCodeBatch(ADMIN(), roundId, "Cards", 1).codes;
    const entered = (await responseOf(() =>
      codeRoute.action({
        request: formRequest(`/rounds/${roundId}/code`, { code: code!.toLowerCase() }),
        params: { roundId: String(roundId) },
        context: { clientIp: "10.0.0.1" },
      }),
    )) as Response;
    expect(entered.status).toBe(302);
    const cookie = entered.headers.get("Set-Cookie")!.split(";")[0]!;
    const cast = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(`/rounds/${roundId}/vote`, { intent: "cast", ranking: String(bidIds[3]) }, { cookie }),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(cast.status).toBe(200);
    expect(cast.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    const again = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(`/rounds/${roundId}/vote`, { intent: "cast", ranking: String(bidIds[3]) }, { cookie }),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(again.status).toBe(409);
    expect(turnout(roundId)).toEqual({ online: 0, code: 1, paper: 0, total: 1 });
  });
});

describe("one-time codes", () => {
  it("stores only hashes, and can be revoked one by one or by batch", async () => {
    const { roundId, bidIds } = createVotingRound(t.db);
    const { batchId, codes } = generateCodeBatch(ADMIN(), roundId, "Event", 4);
    expect(codes).toHaveLength(4);
    expect(new Set(codes).size).toBe(4);
    const stored = t.db.$client
      .prepare("select code_hash from pb_vote_codes where batch_id = ?")
      .pluck()
      .all(batchId) as string[];
    for (const code of codes) expect(stored.some((h) => h.includes(code))).toBe(false);
    expect(revokeCode(ADMIN(), roundId, codes[0]!, "Lost card")).toBe("admin:codes.codeCancelled");
    expect(refusal(() => checkVotingCode(roundId, codes[0]!, "10.0.0.2")).message).toMatch(/cancelled/);
    expect((await refused(castCodeBallot(roundId, codes[0]!, [bidIds[0]!]))).message).toMatch(/cancelled/);
    await castCodeBallot(roundId, codes[1]!, [bidIds[0]!]);
    expect(refusal(() => revokeCode(ADMIN(), roundId, codes[1]!, "Too late")).message).toBe("admin:refusal.codeUsed");
    expect(revokeCodeBatch(ADMIN(), roundId, batchId, "Batch lost")).toBe(2);
    expect((await refused(castCodeBallot(roundId, codes[2]!, [bidIds[0]!]))).message).toMatch(/cancelled/);
    const other = createVotingRound(t.db);
    expect((await refused(castCodeBallot(other.roundId, codes[3]!, [other.bidIds[0]!]))).message).toMatch(
      /does not work for this round/,
    );
  });
});

describe("ballot secrecy", () => {
  it("the ballot, receipt and equality tables hold no voter, code, participation or time column, and have no rowid", () => {
    const columns = (table: string) =>
      (t.db.$client.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns("pb_ballots")).toEqual(["id", "round_id", "ranking"]);
    expect(columns("pb_sealed_ballots")).toEqual(["id", "round_id", "sealed"]);
    expect(columns("pb_receipts")).toEqual(["round_id", "receipt"]);
    // event_id names the decision-day event whose kiosk took the vote (channel "event"), not a time.
    expect(columns("pb_participation")).toEqual([
      "id",
      "round_id",
      "user_id",
      "code_id",
      "channel",
      "ward_id",
      "event_id",
    ]);
    expect(columns("pb_equality_responses")).toEqual(["id", "round_id", "question_key", "answer", "answered_on"]);
    for (const table of [
      "pb_ballots",
      "pb_sealed_ballots",
      "pb_receipts",
      "pb_equality_responses",
      "equality_token_uses",
    ]) {
      const sql = t.db.$client
        .prepare("select sql from sqlite_master where type = 'table' and name = ?")
        .pluck()
        .get(table) as string;
      expect(sql, table).toMatch(/WITHOUT ROWID\s*$/);
    }
    expect(columns("pb_participation")).not.toContain("ballot_id");
  });

  it("no audit event, receipt answer or page data links a voter to a ballot", async () => {
    const { roundId, bidIds } = createVotingRound(t.db);
    const v = voter("yusuf.osman@residents.example");
    const receipt = await castOnlineBallot(v.id, roundId, [bidIds[0]!, bidIds[1]!]);
    const audit = t.db.$client.prepare("select * from audit_events").all();
    expect(JSON.stringify(audit)).not.toContain(receipt);
    const status = receiptStatus(roundId, receipt);
    expect(Object.keys(status!).sort()).toEqual(["found", "published"]);
    // The check is a POST (the receipt stays out of URLs), answers found / not found only, and writes nothing.
    const changesBefore = t.db.$client.prepare("select total_changes()").pluck().get() as number;
    const page = (await responseOf(() =>
      receiptRoute.action({
        request: formRequest(`/rounds/${roundId}/receipt`, { receipt }),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    const body = JSON.stringify(await page.json());
    expect(t.db.$client.prepare("select total_changes()").pluck().get()).toBe(changesBefore);
    expect(body).not.toContain(v.id);
    expect(body).not.toContain("ranking");
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(body).toContain(`"found":true`);
    const bad = (await responseOf(() =>
      receiptRoute.action({
        request: formRequest(`/rounds/${roundId}/receipt`, { receipt: "nonsense" }),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("voting:receipt.format");
    const get = (await responseOf(() =>
      receiptRoute.loader({
        request: getRequest(`/rounds/${roundId}/receipt?receipt=${receipt}`),
        params: { roundId: String(roundId) },
        context: {},
      }),
    )) as Response;
    expect(JSON.stringify(await get.json())).not.toContain("found");
    // The ranking is nowhere in the database in plain text while voting: only sealed.
    const plain = t.db.$client.prepare("select count(*) from pb_ballots where round_id = ?").pluck().get(roundId);
    expect(plain).toBe(0);
  });
});

describe("no early tallies", () => {
  it("admin pages show turnout by channel and nothing per project while voting", async () => {
    const { roundId, bidIds } = createVotingRound(t.db);
    seedDemoBallots(t.db, roundId, 30, 7);
    const cookie = await sessionCookieFor("admin@eastbrook.example");
    for (const route of [codesRoute, paperRoute]) {
      const res = (await responseOf(() =>
        route.loader({
          request: getRequest(`/admin/rounds/${roundId}/x`, cookie),
          params: { roundId: String(roundId) },
          context: {},
        }),
      )) as Response;
      const data = await res.json();
      expect(data.turnout.total).toBe(30);
      const text = JSON.stringify(data);
      expect(text).not.toMatch(/ranking|votes|score|firstPreferences/i);
      for (const bidId of bidIds) expect(text).not.toContain(`"bidId":${bidId}`);
    }
  });
});

describe("paper ballots, double keyed", () => {
  it("counts a batch only after a different officer re-keys it and resolves each difference", () => {
    const { roundId, bidIds } = createVotingRound(t.db, { maxRanked: 3 });
    const before = turnout(roundId).total;
    const batchId = enterPaperBatch(ADMIN(), roundId, "Town hall, box 1", "3 1\n2\n1 2 3\n");
    expect(() => rekeyPaperBatch(ADMIN(), batchId, "3 1\n2\n1 2 3")).toThrow("rounds:paper.otherOfficer");
    expect(turnout(roundId).total).toBe(before);
    const outcome = rekeyPaperBatch(ADMIN2(), batchId, "3 1\n4\n1 2 3\n5");
    expect(outcome).toEqual({ accepted: false, mismatches: 2 });
    expect(turnout(roundId).total).toBe(before);
    const batch = paperBatch(batchId)!;
    expect(batch.mismatches).toEqual([
      { index: 1, first: [bidIds[1]], second: [bidIds[3]] },
      { index: 3, first: null, second: [bidIds[4]] },
    ]);
    expect(() => resolvePaperBatch(ADMIN(), batchId, { 1: "2", 3: "void" }, "")).toThrow("rounds:paper.resolverOnly");
    const unresolved = refusal(() => resolvePaperBatch(ADMIN2(), batchId, { 1: "2" }, "")).message;
    expect(messageText(unresolved, "en")).toBe("Ballot 4: key in what the paper shows, or “void”.");
    expect(messageText(unresolved, "cy")).toBe(
      "Pleidlais 4: mewnbynnwch yr hyn y mae'r papur yn ei ddangos, neu “void”.",
    );
    resolvePaperBatch(ADMIN2(), batchId, { 1: "2", 3: "void" }, "Checked against the papers");
    expect(paperBatch(batchId)!.status).toBe("accepted");
    expect(turnout(roundId)).toMatchObject({ paper: 3, total: before + 3 });
    const rankings = (
      t.db.$client.prepare("select ranking from pb_ballots where round_id = ?").pluck().all(roundId) as string[]
    )
      .map((r) => JSON.parse(r))
      .sort();
    expect(rankings).toEqual([[bidIds[0], bidIds[1], bidIds[2]], [bidIds[1]], [bidIds[2], bidIds[0]]].sort());
    const actions = t.db.$client
      .prepare("select action from audit_events where entity_type = 'pb_round' and entity_id = ? order by id")
      .pluck()
      .all(String(roundId)) as string[];
    expect(actions).toEqual(["pb.paper-batch-entered", "pb.paper-batch-mismatch", "pb.paper-batch-resolved"]);
  });

  it("accepts a batch at once when both keyings agree, and refuses bad lines", () => {
    const { roundId } = createVotingRound(t.db);
    const bad = refusal(() => enterPaperBatch(ADMIN(), roundId, "Bad", "1 1\n9")).message;
    expect(messageText(bad, "en")).toBe("Line 1: “1 1” names a project twice. One more line has a problem too.");
    expect(messageText(bad, "cy")).toBe(
      "Llinell 1: mae “1 1” yn enwi prosiect ddwywaith. Mae problem ar un llinell arall hefyd.",
    );
    const batchId = enterPaperBatch(ADMIN(), roundId, "Library", "1 2\n2 1");
    expect(rekeyPaperBatch(ADMIN2(), batchId, "1 2\n2 1")).toEqual({ accepted: true, mismatches: 0 });
    expect(turnout(roundId).paper).toBe(2);
  });
});

describe("equality monitoring", () => {
  it("answers once per token and reports only groups of 10 or more", () => {
    seedEqualityQuestions(t.db);
    const { roundId } = createVotingRound(t.db);
    const token = issueEqualityToken(roundId);
    recordEqualityResponses(roundId, token, [{ questionKey: "age-band", answer: "25 to 34" }]);
    expect(
      refusal(() => recordEqualityResponses(roundId, token, [{ questionKey: "age-band", answer: "25 to 34" }])).message,
    ).toMatch(/already answered/);
    expect(refusal(() => recordEqualityResponses(roundId + 1, issueEqualityToken(roundId), [])).message).toMatch(
      /expired/,
    );
    for (let i = 0; i < 11; i++)
      recordEqualityResponses(roundId, issueEqualityToken(roundId), [{ questionKey: "disability", answer: "No" }]);
    for (let i = 0; i < 12; i++)
      recordEqualityResponses(roundId, issueEqualityToken(roundId), [{ questionKey: "disability", answer: "Yes" }]);
    const report = equalityReport(roundId);
    const age = report.find((q) => q.key === "age-band")!;
    expect(age.answers.find((a) => a.answer === "25 to 34")!.display).toBe("hidden");
    const disability = report.find((q) => q.key === "disability")!;
    expect(disability.total).toEqual({ answer: "All responses", count: 23, display: "23" });
    expect(disability.answers.find((a) => a.answer === "Yes")).toEqual({ answer: "Yes", count: 12, display: "12" });
    // "Prefer not to say" (0) is hidden, so "No" (11) is hidden too: otherwise 23 − 12 − 11 would give it away.
    expect(disability.answers.find((a) => a.answer === "No")!.display).toBe("hidden");
    expect(report.flatMap((q) => q.answers).every((a) => a.count === null || a.count >= 10)).toBe(true);
    for (const q of report.filter((r) => r.total.count !== null)) {
      const hidden = q.answers.filter((a) => a.count === null);
      const hiddenSum = q.total.count! - q.answers.reduce((sum, a) => sum + (a.count ?? 0), 0);
      if (hidden.length > 0) expect(hidden.length >= 2 && hiddenSum >= 10, q.key).toBe(true);
    }
  });
});

describe("demo votes", () => {
  it("seeds sealed ballots over the round's projects, and codes to print", async () => {
    const round = createVotingRound(t.db);
    const { roundId, bidIds } = round;
    await seedDemoBallots(t.db, roundId, 40, 1);
    const tally = turnout(roundId);
    expect(tally.total).toBe(40);
    expect(tally.online).toBeGreaterThan(0);
    const paper = t.db.$client.prepare("select count(*) from pb_ballots where round_id = ?").pluck().get(roundId);
    expect(sealedCount(roundId) + (paper as number)).toBe(40);
    await openBallotsForCount(t.db, ADMIN(), round);
    expect(sealedCount(roundId)).toBe(0);
    const rankings = (
      t.db.$client.prepare("select ranking from pb_ballots where round_id = ?").pluck().all(roundId) as string[]
    ).map((r) => JSON.parse(r) as number[]);
    expect(
      rankings.every(
        (r) => r.length >= 1 && r.length <= 3 && r.every((id) => bidIds.includes(id)) && new Set(r).size === r.length,
      ),
    ).toBe(true);
    const codes = seedDemoCodes(t.db, roundId, 5);
    expect(codes).toHaveLength(5);
    expect(checkVotingCode(roundId, codes[0]!, "10.1.1.1")).toBe(codes[0]);
  });
});
