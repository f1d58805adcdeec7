import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ballotOrderFromSeed, votingWindowState } from "~/core/rounds";
import { votingClosedReason } from "~/core/voting";
import { writeTransaction } from "~/db/client.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { advanceRoundPhases, moveRoundToNextPhase, setRoundPhase } from "~/models/rounds/phases.server";
import { createBallotKey } from "~/models/voting/ballot-key.server";
import { roundGallery } from "~/models/rounds/public.server";
import { findRound } from "~/models/rounds/queries.server";
import { fixBallotOrder, mergeProject, reviewProject, setDeliveryStatus } from "~/models/rounds/review.server";
import { updateRound } from "~/models/rounds/setup.server";
import { Refusal } from "~/utils/refusal";
import { loader as galleryLoader } from "~/routes/rounds.$roundId._index";
import { loader as projectLoader } from "~/routes/rounds.$roundId.projects.$bidId";
import { action as newRoundAction } from "~/routes/admin.rounds.new";
import { messageText } from "~/utils/message-text";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { addSubmittedBids, createTestRound, principalOf, roundInput } from "../factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

const q = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).get(...args) as T;
const admin = () => principalOf(t.db, "admin@eastbrook.example");
const auditOf = (roundId: number) =>
  q<{ action: string; actor_user_id: string | null; reason: string | null; after: string | null }>(
    "select * from audit_events where entity_type = 'pb_round' and entity_id = ? order by id",
    String(roundId),
  );

// The gallery tests come first: later tests move the clock past the demo round's dates.
describe("the public gallery", () => {
  const demoVotingRound = () =>
    one<{ id: number }>("select id from pb_rounds where phase = 'voting' order by id limit 1").id;

  it("shows the demo round's ballot, the ineligible bid with its reason, filters, and no personal data", async () => {
    const roundId = demoVotingRound();
    const result = await galleryLoader({
      request: getRequest(`/rounds/${roundId}`),
      params: { roundId: String(roundId) },
      context: {},
    });
    const body = await (result as Response).json();
    expect(body.projects).toHaveLength(8);
    expect(body.notOnBallot).toHaveLength(1);
    expect(body.notOnBallot[0].reason).toMatch(/private/);
    const text = JSON.stringify(body);
    for (const user of q<{ name: string; email: string }>("select name, email from users")) {
      expect(text).not.toContain(user.email);
      expect(text).not.toContain(user.name);
    }
    const abbey = one<{ id: number }>("select id from wards where name = 'Abbey Fields'").id;
    const filtered = await (
      (await galleryLoader({
        request: getRequest(`/rounds/${roundId}?ward=${abbey}&cost=2500-10000`),
        params: { roundId: String(roundId) },
        context: {},
      })) as Response
    ).json();
    expect(filtered.projects.map((p: { title: string }) => p.title)).toEqual(["Community orchard on Abbey Fields"]);
  });

  it("has a page per project without personal data, and 404s for a draft round", async () => {
    const roundId = demoVotingRound();
    const bidId = one<{ id: number }>(
      "select bid_id id from pb_projects where round_id = ? and ballot_position = 1",
      roundId,
    ).id;
    const body = await (
      (await projectLoader({
        request: getRequest(`/rounds/${roundId}/projects/${bidId}`),
        params: { roundId: String(roundId), bidId: String(bidId) },
        context: {},
      })) as Response
    ).json();
    expect(body.project.onBallot).toBe(true);
    const text = JSON.stringify(body);
    for (const user of q<{ name: string; email: string }>("select name, email from users"))
      expect(text).not.toContain(user.email);
    const { roundId: draftId } = createTestRound(t.db, admin());
    const result = await responseOf(() =>
      galleryLoader({ request: getRequest(`/rounds/${draftId}`), params: { roundId: String(draftId) }, context: {} }),
    );
    expect(result instanceof Response && result.status).toBe(404);
  });

  it("the demo has a finished round, counted and published, with eight projects on the ballot", () => {
    const finished = one<{ id: number }>("select id from pb_rounds where phase = 'results'").id;
    expect(
      one<{ n: number }>(
        "select count(*) n from pb_projects where round_id = ? and ballot_position is not null",
        finished,
      ).n,
    ).toBe(8);
    expect(verifyLedger(t.db).ok).toBe(true);
  });
});

describe("setting up and opening a round", () => {
  it("creates the round with its fund (kind pb-round) and a single pot budget, audited", () => {
    const { roundId, fundId } = createTestRound(t.db, admin());
    expect(
      one<{ kind: string; fy: string; pot_pence: number }>(
        "select kind, fy, pot_pence from funds where id = ?",
        fundId,
      ),
    ).toEqual({ kind: "pb-round", fy: "2030/31", pot_pence: 2_000_000 });
    expect(q("select id, ward_id from budgets where fund_id = ?", fundId)).toEqual([
      { id: `${fundId}-POT`, ward_id: null },
    ]);
    expect(findRound(roundId)!.phase).toBe("draft");
    expect(one<{ n: number }>("select count(*) n from pb_round_wards where round_id = ?", roundId).n).toBe(10);
    expect(auditOf(roundId).map((a) => a.action)).toEqual(["round.created"]);
  });

  it("keeps the Welsh name and description on the round and its fund; a change that omits them keeps them", () => {
    const { roundId, fundId } = createTestRound(t.db, admin(), {
      nameCy: "Rownd brawf",
      descriptionCy: "Rownd ar gyfer profion y rowndiau.",
    });
    const welsh = () => {
      const round = findRound(roundId)!;
      const fund = one<{ name_cy: string | null; criteria_cy: string | null }>(
        "select name_cy, criteria_cy from funds where id = ?",
        fundId,
      );
      return [round.nameCy, round.descriptionCy, fund.name_cy, fund.criteria_cy];
    };
    expect(welsh()).toEqual([
      "Rownd brawf",
      "Rownd ar gyfer profion y rowndiau.",
      "Rownd brawf",
      "Rownd ar gyfer profion y rowndiau.",
    ]);
    updateRound(admin(), roundId, roundInput({ name: "Test round, renamed" }), t.db);
    expect(welsh()[0]).toBe("Rownd brawf");
    updateRound(admin(), roundId, roundInput({ nameCy: "Rownd newydd", descriptionCy: null }), t.db);
    expect(welsh()).toEqual(["Rownd newydd", null, "Rownd newydd", null]);
  });

  it("refuses dates out of order and a largest bid above the pot", () => {
    expect(() => createTestRound(t.db, admin(), { votingOpensAt: "2030-05-20T00:00:00.000Z" })).toThrow(Refusal);
    expect(() => createTestRound(t.db, admin(), { maxBidPence: 5_000_000 })).toThrow("admin:roundErrors.maxAbovePot");
  });

  it("returns field errors beside each field and keeps what was typed (the set-up page)", async () => {
    const cookie = await sessionCookieFor("admin@eastbrook.example");
    const result = await responseOf(() =>
      newRoundAction({
        request: formRequest(
          "/admin/rounds/new",
          {
            name: "Bad dates round",
            description: "A round with its dates the wrong way round.",
            pot: "10000",
            minBid: "100",
            maxBid: "2000",
            bidsOpenAt: "2030-05-01T09:00",
            bidsCloseAt: "2030-04-01T09:00",
            votingOpensAt: "2030-07-01T09:00",
            votingClosesAt: "2030-07-10T09:00",
            resultsAt: "",
            maxRanked: "3",
            minVoterAge: "16",
            countingRule: "mes",
            tieBreak: "lowest-cost",
          },
          { cookie },
        ),
        params: {},
        context: {},
      }),
    );
    expect(result instanceof Response && result.status).toBe(400);
    const body = (await (result as Response).json()) as {
      errors: Record<string, string>;
      values: Record<string, string>;
    };
    expect(body.errors.bidsCloseAt).toBe("admin:roundErrors.bidsCloseAtOrder");
    expect(body.values.name).toBe("Bad dates round");
  });

  it("posts BUDGET_SET for the pot when it opens, in the same step as the phase change and its audit", () => {
    const { roundId, fundId } = createTestRound(t.db, admin());
    moveRoundToNextPhase(admin(), roundId, "Opening for bids");
    expect(findRound(roundId)!.phase).toBe("accepting-bids");
    const postings = q<{ key: string; dc: string; amount_pence: number }>(
      "select a.key, p.dc, p.amount_pence from journal_postings p join journal_entries e on e.id = p.entry_id join " +
        "ledger_accounts a on a.id = p.account_id where e.type = 'BUDGET_SET' and a.fund_id = ? order by p.dc",
      fundId,
    );
    expect(postings).toEqual([
      { key: `AVAILABLE:${fundId}-POT`, dc: "C", amount_pence: 2_000_000 },
      { key: `FUNDING:${fundId}:2030/31`, dc: "D", amount_pence: 2_000_000 },
    ]);
    const audit = auditOf(roundId).at(-1)!;
    expect(audit.action).toBe("round.phase-changed");
    expect(audit.reason).toBe("Opening for bids");
    expect(verifyLedger(t.db).ok).toBe(true);
  });
});

describe("phases", () => {
  it("move by date, step by step, recorded with no person as actor", () => {
    const { roundId } = createTestRound(t.db, admin());
    expect(advanceRoundPhases(new Date("2030-04-01T00:00:00Z")).filter((m) => m.roundId === roundId)).toEqual([]);
    const moves = advanceRoundPhases(new Date("2030-06-02T00:00:00Z")).filter((m) => m.roundId === roundId);
    expect(moves.map((m) => m.to)).toEqual(["accepting-bids", "reviewing"]);
    const audit = auditOf(roundId).filter((a) => a.action === "round.phase-changed");
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actor_user_id === null && /date/.test(a.reason ?? ""))).toBe(true);
  });

  it("refuse a move that skips a phase or goes back", () => {
    const { roundId } = createTestRound(t.db, admin());
    expect(() => writeTransaction((tx) => setRoundPhase(tx, roundId, "reviewing", admin(), "skip"))).toThrow(
      /^rounds:phase.oneAtATime\?/,
    );
    expect(findRound(roundId)!.phase).toBe("draft");
  });

  it("need a reason to move by hand", () => {
    const { roundId } = createTestRound(t.db, admin());
    expect(() => moveRoundToNextPhase(admin(), roundId, "")).toThrow("admin:refusal.reasonRequired");
  });
});

describe("phases moved by hand set their dates", () => {
  const now = new Date("2030-05-20T10:00:00.000Z");

  it("opening, closing bids, opening and closing voting early each set that date to now, audited", async () => {
    const { roundId, fundId } = createTestRound(t.db, admin());
    moveRoundToNextPhase(admin(), roundId, "Open early", t.db, new Date("2030-04-20T10:00:00.000Z"));
    expect(findRound(roundId)!.bidsOpenAt).toBe("2030-04-20T10:00:00.000Z");
    expect(one<{ opens_on: string }>("select opens_on from funds where id = ?", fundId).opens_on).toBe("2030-04-20");
    const bids = addSubmittedBids(t.db, fundId, [2, 3]);
    moveRoundToNextPhase(admin(), roundId, "Enough bids", t.db, now);
    expect(findRound(roundId)!.bidsCloseAt).toBe(now.toISOString());
    for (const bidId of bids) reviewProject(admin(), roundId, bidId, "eligible", "");
    await createBallotKey(admin(), roundId);
    const opened = new Date("2030-05-21T09:00:00.000Z");
    moveRoundToNextPhase(admin(), roundId, "Review done early", t.db, opened);
    const voting = findRound(roundId)!;
    expect(voting.votingOpensAt).toBe(opened.toISOString());
    expect(votingWindowState(voting, opened.toISOString())).toBe("open");
    expect(votingClosedReason(voting, "2030-05-21T09:00:01.000Z")).toBeNull();
    const change = auditOf(roundId)
      .filter((a) => a.action === "round.phase-changed")
      .at(-1)!;
    expect(JSON.parse(change.after!)).toEqual({ phase: "voting", votingOpensAt: opened.toISOString() });

    const closed = new Date("2030-06-01T12:00:00.000Z");
    moveRoundToNextPhase(admin(), roundId, "Close early", t.db, closed);
    const counting = findRound(roundId)!;
    expect(counting.votingClosesAt).toBe(closed.toISOString());
    expect(votingClosedReason(counting, closed.toISOString())).toBe("Voting in this round has closed.");
  });

  it("leave a date that has already passed as it was, and moves by date change no date", () => {
    const { roundId } = createTestRound(t.db, admin());
    advanceRoundPhases(new Date("2030-05-02T00:00:00.000Z"));
    expect(findRound(roundId)!).toMatchObject({ phase: "accepting-bids", bidsOpenAt: "2030-05-01T09:00:00.000Z" });
    moveRoundToNextPhase(admin(), roundId, "Bids in", t.db, new Date("2030-06-05T00:00:00.000Z"));
    expect(findRound(roundId)!.bidsCloseAt).toBe("2030-06-01T17:00:00.000Z");
  });

  it("refuses opening voting by hand once its closing date has passed; the officer can set a later one", async () => {
    const { roundId, fundId } = createTestRound(t.db, admin());
    moveRoundToNextPhase(admin(), roundId, "Open", t.db, now);
    const bids = addSubmittedBids(t.db, fundId, [2, 3]);
    moveRoundToNextPhase(admin(), roundId, "Close", t.db, now);
    for (const bidId of bids) reviewProject(admin(), roundId, bidId, "eligible", "");
    await createBallotKey(admin(), roundId);
    const late = new Date("2030-08-01T00:00:00.000Z");
    expect(() => moveRoundToNextPhase(admin(), roundId, "Vote", t.db, late)).toThrow("rounds:phase.votingClosePassed");
    const stored = findRound(roundId)!;
    updateRound(
      admin(),
      roundId,
      roundInput({
        bidsOpenAt: stored.bidsOpenAt,
        bidsCloseAt: stored.bidsCloseAt,
        votingOpensAt: "2030-07-01T09:00:00.000Z",
        votingClosesAt: "2030-08-15T17:00:00.000Z",
        resultsAt: "2030-08-20T12:00:00.000Z",
      }),
      t.db,
      late,
    );
    moveRoundToNextPhase(admin(), roundId, "Vote", t.db, late);
    expect(findRound(roundId)!).toMatchObject({ phase: "voting", votingOpensAt: "2030-07-01T09:00:00.000Z" });
  });

  it("while voting runs, the closing date can move to a time to come, never into the past", async () => {
    const { roundId, fundId } = createTestRound(t.db, admin());
    moveRoundToNextPhase(admin(), roundId, "Open", t.db, now);
    const bids = addSubmittedBids(t.db, fundId, [2, 3]);
    moveRoundToNextPhase(admin(), roundId, "Close", t.db, now);
    for (const bidId of bids) reviewProject(admin(), roundId, bidId, "eligible", "");
    await createBallotKey(admin(), roundId);
    moveRoundToNextPhase(admin(), roundId, "Vote", t.db, new Date("2030-05-20T11:00:00.000Z"));
    const stored = findRound(roundId)!;
    const input = (votingClosesAt: string, more: Partial<ReturnType<typeof roundInput>> = {}) =>
      roundInput({
        bidsOpenAt: stored.bidsOpenAt,
        bidsCloseAt: stored.bidsCloseAt,
        votingOpensAt: stored.votingOpensAt,
        votingClosesAt,
        resultsAt: "2030-08-20T12:00:00.000Z",
        ...more,
      });
    updateRound(admin(), roundId, input("2030-07-30T17:00:00.000Z"), t.db, now);
    expect(findRound(roundId)!.votingClosesAt).toBe("2030-07-30T17:00:00.000Z");
    expect(() => updateRound(admin(), roundId, input("2030-05-20T09:00:00.000Z"), t.db, now)).toThrow(
      "admin:refusal.closeInFuture",
    );
    expect(() =>
      updateRound(admin(), roundId, input("2030-07-30T17:00:00.000Z", { votingOpensAt: "2030-05-20T12:00:00.000Z" })),
    ).toThrow(/admin:refusal.rulesFixed/);
  });
});

describe("review, ballot order and voting", () => {
  let roundId: number;
  let bidIds: number[];

  beforeAll(() => {
    const made = createTestRound(t.db, admin());
    roundId = made.roundId;
    moveRoundToNextPhase(admin(), roundId, "Open");
    // Demo groups 2..6; group 0 is led by resident@eastbrook.example.
    bidIds = addSubmittedBids(t.db, made.fundId, [2, 3, 4, 5, 6, 0]);
    moveRoundToNextPhase(admin(), roundId, "Bids closed");
  });

  it("will not open voting while bids wait for review (by date or by hand)", () => {
    expect(advanceRoundPhases(new Date("2030-07-02T00:00:00Z")).filter((m) => m.roundId === roundId)).toEqual([]);
    expect(findRound(roundId)!.phase).toBe("reviewing");
    expect(() => moveRoundToNextPhase(admin(), roundId, "Try")).toThrow("admin:refusal.bidsPending");
  });

  it("marks bids eligible and ineligible (a reason required), audited", () => {
    expect(() => reviewProject(admin(), roundId, bidIds[1]!, "ineligible", "")).toThrow(
      "admin:refusal.ineligibleReason",
    );
    reviewProject(admin(), roundId, bidIds[0]!, "eligible", "");
    reviewProject(admin(), roundId, bidIds[1]!, "ineligible", "The project is outside the round's area.");
    reviewProject(admin(), roundId, bidIds[2]!, "eligible", "");
    reviewProject(admin(), roundId, bidIds[3]!, "eligible", "");
    reviewProject(admin(), roundId, bidIds[4]!, "eligible", "");
    expect(q("select status from bids where id in (?, ?) order by id", bidIds[0], bidIds[1])).toEqual([
      { status: "eligible" },
      { status: "ineligible" },
    ]);
    const audit = q<{ action: string; reason: string | null }>(
      "select action, reason from audit_events where entity_type = 'bid' and entity_id = ?",
      String(bidIds[1]),
    );
    expect(audit).toEqual([{ action: "round.bid-ineligible", reason: "The project is outside the round's area." }]);
  });

  it("refuses an officer reviewing a bid of a group they belong to", () => {
    const member = principalOf(t.db, "resident@eastbrook.example");
    const officerInGroup = { ...member, roles: [...member.roles, "admin" as const] };
    expect(() => reviewProject(officerInGroup, roundId, bidIds[5]!, "eligible", "")).toThrow("payments:duty.ownGroup");
    expect(messageText("payments:duty.ownGroup", "en")).toMatch(/belong to the group/);
    expect(
      one<{ eligibility: string }>("select eligibility from pb_projects where bid_id = ?", bidIds[5]).eligibility,
    ).toBe("pending");
  });

  it("merges a duplicate: it leaves the ballot and its reason is published", () => {
    mergeProject(
      admin(),
      roundId,
      bidIds[5]!,
      bidIds[0]!,
      "Same benches as the other bid, so the two are one project.",
    );
    const gallery = roundGallery(roundId, { wardId: null, band: null })!;
    expect(gallery.notOnBallot.map((b) => b.bidId).sort()).toEqual([bidIds[1], bidIds[5]].sort());
    expect(gallery.notOnBallot.find((b) => b.bidId === bidIds[5])!.mergedInto!.bidId).toBe(bidIds[0]);
    expect(gallery.notOnBallot.find((b) => b.bidId === bidIds[1])!.reason).toMatch(/outside/);
  });

  it("fixes a random ballot order from a recorded seed that reproduces it", () => {
    fixBallotOrder(admin(), roundId, { method: "random" });
    const seed = findRound(roundId)!.ballotOrderSeed!;
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    const audit = auditOf(roundId)
      .filter((a) => a.action === "round.ballot-order-fixed")
      .at(-1)!;
    expect(JSON.parse(audit.after!).seed).toBe(seed);
    const order = q<{ bid_id: number }>(
      "select bid_id from pb_projects where round_id = ? and ballot_position is not null order by ballot_position",
      roundId,
    ).map((r) => r.bid_id);
    expect(order).toEqual(ballotOrderFromSeed([bidIds[0]!, bidIds[2]!, bidIds[3]!, bidIds[4]!], seed));
  });

  it("sets the order by hand, refusing positions used twice", () => {
    const bad = fixBallotOrder(admin(), roundId, {
      method: "manual",
      positions: new Map([
        [bidIds[0]!, "1"],
        [bidIds[2]!, "1"],
        [bidIds[3]!, "2"],
        [bidIds[4]!, "3"],
      ]),
    });
    expect(bad.ok).toBe(false);
    const good = fixBallotOrder(admin(), roundId, {
      method: "manual",
      positions: new Map([
        [bidIds[0]!, "4"],
        [bidIds[2]!, "3"],
        [bidIds[3]!, "2"],
        [bidIds[4]!, "1"],
      ]),
    });
    expect(good).toEqual({ ok: true, order: [bidIds[4], bidIds[3], bidIds[2], bidIds[0]] });
    expect(findRound(roundId)!.ballotOrderSeed).toBeNull();
  });

  it("opens voting only once the ballot key is made: its shares are shown once and only the public key is kept", async () => {
    expect(() => moveRoundToNextPhase(admin(), roundId, "Review finished")).toThrow("admin:refusal.ballotKeyNeeded");
    expect(findRound(roundId)!.phase).toBe("reviewing");
    const shares = await createBallotKey(admin(), roundId);
    expect(shares).toHaveLength(3);
    for (const share of shares) expect(share).toMatch(new RegExp(`^R${roundId}(-[0-9A-Z]{1,4})+$`));
    await expect(createBallotKey(admin(), roundId)).rejects.toThrow("admin:refusal.ballotKeyExists");
    const stored = JSON.stringify(t.db.$client.prepare("select * from pb_rounds where id = ?").get(roundId));
    const audit = JSON.stringify(t.db.$client.prepare("select * from audit_events").all());
    for (const share of shares) {
      expect(stored).not.toContain(share);
      expect(audit).not.toContain(share);
    }
    expect(audit).toContain("pb-round.ballot-key-made");
  });

  it("opens voting: projects go on the ballot and the rules are locked", () => {
    moveRoundToNextPhase(admin(), roundId, "Review finished");
    const round = findRound(roundId)!;
    expect(round.phase).toBe("voting");
    expect(round.rulesLockedAt).not.toBeNull();
    expect(
      q("select status from bids where id in (?, ?, ?, ?) group by status", bidIds[0], bidIds[2], bidIds[3], bidIds[4]),
    ).toEqual([{ status: "on-ballot" }]);
    expect(one<{ status: string }>("select status from bids where id = ?", bidIds[1]).status).toBe("ineligible");
    expect(() => reviewProject(admin(), roundId, bidIds[1]!, "eligible", "")).toThrow("admin:refusal.reviewClosed");
  });

  it("refuses changes to the rules after voting opens, but lets the name change", () => {
    const stored = findRound(roundId)!;
    const base = roundInput({
      bidsOpenAt: stored.bidsOpenAt,
      bidsCloseAt: stored.bidsCloseAt,
      votingOpensAt: stored.votingOpensAt,
      votingClosesAt: stored.votingClosesAt,
    });
    expect(() => updateRound(admin(), roundId, { ...base, maxRanked: 4 })).toThrow(/admin:refusal.rulesFixed/);
    expect(findRound(roundId)!.maxRanked).toBe(3);
    updateRound(admin(), roundId, { ...base, name: "Renamed round" });
    expect(findRound(roundId)!.name).toBe("Renamed round");
  });

  it("sets a public delivery status only on winners", () => {
    expect(() => setDeliveryStatus(admin(), roundId, bidIds[0]!, "Under way", "Started")).toThrow(
      "admin:refusal.deliveryWinners",
    );
    t.db.$client.prepare("update bids set status = 'won' where id = ?").run(bidIds[0]);
    setDeliveryStatus(admin(), roundId, bidIds[0]!, "Under way", "Benches ordered.");
    expect(
      one<{ delivery_status: string; delivery_note: string }>(
        "select delivery_status, delivery_note from pb_projects where bid_id = ?",
        bidIds[0],
      ),
    ).toEqual({ delivery_status: "Under way", delivery_note: "Benches ordered." });
  });

  it("needs at least two eligible projects to open voting", () => {
    const made = createTestRound(t.db, admin());
    moveRoundToNextPhase(admin(), made.roundId, "Open");
    const [only] = addSubmittedBids(t.db, made.fundId, [3]);
    moveRoundToNextPhase(admin(), made.roundId, "Close");
    reviewProject(admin(), made.roundId, only!, "eligible", "");
    expect(() => moveRoundToNextPhase(admin(), made.roundId, "Vote")).toThrow("admin:refusal.twoEligible");
  });
});
