/**
 * Who may vote, per round: throw-away accounts refused at the ballot of a register round, matching
 * the register (reference, or postcode + date of birth + surname, normalised; only keyed hashes
 * stored; the match audited without the typed values), one account per row also when accounts race
 * from separate processes, codes only, the rule fixed when voting opens, turnout by route, voting
 * details corrected by the resident until they vote and by an officer after, and the voting-code
 * lockout per address and round.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { castCodeBallot, castOnlineBallot } from "~/models/voting/cast.server";
import {
  checkVotingCode,
  CODE_BURST_ALERT,
  CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND,
  generateCodeBatch,
} from "~/models/voting/codes.server";
import { matchRegister, REGISTER_MAX_FAILURES, setVoterRule, uploadRegister } from "~/models/voting/register.server";
import { correctOwnVoterDetails, voterDetailsOf } from "~/models/voting/voter-details.server";
import { Refusal } from "~/utils/refusal";
import * as voteRoute from "~/routes/rounds.$roundId.vote";
import * as voterDetailsRoute from "~/routes/account_.voter-details";
import * as officerDetailsRoute from "~/routes/admin.users.$userId_.voter-details";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { exited, forkTsx } from "../support/ledger-tools";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { createVotingRound, setRoundPhase } from "../factories";
import { messageText } from "~/utils/message-text";

let t: TestDatabase;
const ADMIN = () => {
  const u = findUserByEmail("admin@eastbrook.example")!;
  return { id: u.id, name: u.name };
};

const REGISTER_CSV = [
  "Elector No, Post Code ,Birth date,Family name,first",
  "BRK-2001,EB1 1AA,05/03/1980,Núñez,Ana",
  "BRK-2002,EB1 1AB,1990-12-31,O’Brien,Sean",
  "BRK-2003,EB1 1AD,14/07/1975,Smith,Jo",
  // Twins: same postcode, date of birth and surname, two rows.
  "BRK-2004,EB1 1AE,01/01/2001,Lee,Kim",
  "BRK-2005,EB1 1AE,01/01/2001,Lee,Sam",
  "BRK-2006,EB1 1AF,1985-06-15,Mensah,Kofi",
  "BRK-2007,EB1 1AG,1970-02-02,Kowalczyk,Ola",
  ",,,,",
  "BAD REF!,EB1 1AH,1970-02-02,Jones,Bo",
  "BRK-2001,EB1 1AJ,1970-02-02,Repeat,Rae",
].join("\r\n");
const COLUMNS = { reference: "elector no", postcode: "Post Code", dateOfBirth: "birth date", surname: "FAMILY NAME" };

/**
 * A made-up account with an in-area postcode and an adult date of birth, as an attacker would register,
 * its address confirmed (a throw-away mailbox can receive the link).
 */
function throwAwayAccount(postcode = "EB1 1AA"): { id: string; name: string; email: string } {
  const id = randomUUID();
  const email = `throwaway-${id.slice(0, 8)}@mailinator.example`;
  t.db.$client
    .prepare(
      "insert into users (id, email, name, postcode, date_of_birth, email_verified_at) " +
        "values (?, ?, 'Throw Away', ?, ?, ?)",
    )
    .run(id, email, postcode, "1980-01-01", new Date().toISOString());
  return { id, name: "Throw Away", email };
}

/** A round under the register rule with the test register, open for voting. */
function registerRound(): { roundId: number; bidIds: number[] } {
  const round = createVotingRound(t.db, { phase: "reviewing" });
  setVoterRule(ADMIN(), round.roundId, "register");
  const summary = uploadRegister(ADMIN(), round.roundId, REGISTER_CSV, COLUMNS, "register.csv");
  expect(summary.rows).toBe(7);
  expect(summary.problems.map((p) => p.line)).toEqual([10, 11]);
  setRoundPhase(t.db, round.roundId, "voting");
  return round;
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

async function refused(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => new Error("expected a refusal"),
    (e: unknown) => e,
  );
  if (error instanceof Refusal) return error;
  throw error;
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
});
afterAll(() => t.close());

/** The three boxes of the date-of-birth input, as a form posts them. */
function dob(date: string): Record<string, string> {
  const [year, month, day] = date.split("-") as [string, string, string];
  return { "dateOfBirth-day": day, "dateOfBirth-month": month, "dateOfBirth-year": year };
}

describe("a register round", () => {
  it("refuses throw-away accounts with in-area postcodes at the ballot, in the model and on the page", async () => {
    const { roundId, bidIds } = registerRound();
    const attackers = [throwAwayAccount(), throwAwayAccount("EB1 1AB"), throwAwayAccount("EB1 1AD")];
    for (const a of attackers) {
      const error = await refused(castOnlineBallot(a.id, roundId, [bidIds[0]!]));
      expect(error.code).toBe("needs-register-match");
    }
    // The same accounts would have voted under the account rule: the register is the guard.
    const accountRound = createVotingRound(t.db);
    await castOnlineBallot(attackers[0]!.id, accountRound.roundId, [accountRound.bidIds[0]!]);

    const cookie = await sessionCookieFor(attackers[1]!.email);
    const args = { params: { roundId: String(roundId) }, context: {} };
    const page = (await responseOf(() =>
      voteRoute.loader({ request: getRequest(`/rounds/${roundId}/vote`, cookie), ...args }),
    )) as Response;
    expect((await page.json()).status.state).toBe("needs-register-match");
    const cast = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(`/rounds/${roundId}/vote`, { intent: "cast", ranking: String(bidIds[0]) }, { cookie }),
        ...args,
      }),
    )) as Response;
    expect(cast.status).toBe(403);
    expect((await cast.json()).message).toMatch(/register/);
    expect(t.db.$client.prepare("select count(*) from pb_participation where round_id = ?").pluck().get(roundId)).toBe(
      0,
    );
  });

  it("matches a resident by reference or by postcode, date of birth and surname, however they are typed", async () => {
    const { roundId, bidIds } = registerRound();
    const a = throwAwayAccount();
    expect(matchRegister(a, roundId, { reference: " brk 2001 " })).toBe(true);
    expect(matchRegister(a, roundId, { reference: "BRK-2001" })).toBe(false); // already matched: nothing changes
    await castOnlineBallot(a.id, roundId, [bidIds[0]!]);

    const b = throwAwayAccount();
    const curly = { postcode: "eb11ab", dateOfBirth: "1990-12-31", surname: " o'brien " };
    expect(matchRegister(b, roundId, curly)).toBe(true);
    const d = throwAwayAccount();
    expect(matchRegister(d, roundId, { postcode: "EB1 1AD", dateOfBirth: "1975-07-14", surname: "SMITH" })).toBe(true);
    // One row per account: d cannot take a second row in the round.
    expect(matchRegister(d, roundId, { reference: "BRK-2006" })).toBe(false);
    const taken = throwAwayAccount();
    const nunez = { postcode: "EB1 1AA", dateOfBirth: "1980-03-05", surname: "NUNEZ" };
    expect(refusal(() => matchRegister(taken, roundId, nunez)).message).toMatch(/already used by another account/);

    // Twins share postcode, date of birth and surname: two rows, two accounts, not a third.
    const [e, f, g] = [throwAwayAccount(), throwAwayAccount(), throwAwayAccount()];
    const twin = { postcode: "EB1 1AE", dateOfBirth: "2001-01-01", surname: "Lee" };
    expect(matchRegister(e, roundId, twin)).toBe(true);
    expect(matchRegister(f, roundId, twin)).toBe(true);
    expect(refusal(() => matchRegister(g, roundId, twin)).message).toMatch(/already used/);

    const h = throwAwayAccount();
    expect(refusal(() => matchRegister(h, roundId, { reference: "BRK-9999" })).message).toMatch(/could not find/);
    const wrongDate = { postcode: "EB1 1AD", dateOfBirth: "1975-07-15", surname: "Smith" };
    expect(refusal(() => matchRegister(h, roundId, wrongDate)).message).toMatch(/could not find/);
    expect(refusal(() => matchRegister(h, roundId, { reference: "x" })).message).toMatch(/could not find/);

    for (const voter of [b, d, e, f]) await castOnlineBallot(voter.id, roundId, [bidIds[1]!]);
    expect(t.db.$client.prepare("select count(*) from pb_participation where round_id = ?").pluck().get(roundId)).toBe(
      5,
    );
  });

  it("stores only keyed hashes, keyed per round, and audits a match without what was typed", () => {
    const { roundId } = registerRound();
    const other = registerRound();
    const a = throwAwayAccount();
    matchRegister(a, roundId, { reference: "BRK-2003" });
    const b = throwAwayAccount();
    matchRegister(b, roundId, { postcode: "EB1 1AF", dateOfBirth: "1985-06-15", surname: "Mensah" });
    const wrong = throwAwayAccount();
    refusal(() => matchRegister(wrong, roundId, { postcode: "EB1 1AF", dateOfBirth: "1985-06-15", surname: "Menash" }));

    const rows = t.db.$client
      .prepare("select reference_hash, person_hash from pb_register_rows where round_id = ?")
      .all(roundId) as { reference_hash: string | null; person_hash: string | null }[];
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.reference_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.person_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const otherHashes = new Set(
      t.db.$client
        .prepare("select reference_hash from pb_register_rows where round_id = ?")
        .pluck()
        .all(other.roundId) as string[],
    );
    expect(rows.filter((r) => otherHashes.has(r.reference_hash!))).toEqual([]);

    const audit = t.db.$client
      .prepare("select action, after from audit_events where entity_type = 'pb_round' and entity_id = ?")
      .all(String(roundId)) as { action: string; after: string | null }[];
    const matched = audit.filter((e) => e.action === "pb.register-matched").map((e) => JSON.parse(e.after!));
    expect(matched).toEqual([{ matchedBy: "reference" }, { matchedBy: "person" }]);
    const everything =
      JSON.stringify(t.db.$client.prepare("select * from audit_events").all()) +
      JSON.stringify(t.db.$client.prepare("select * from pb_register_failures").all());
    for (const typed of ["BRK-2003", "BRK2003", "1985-06-15", "Mensah", "Menash", "EB1 1AF", "Núñez"])
      expect(everything).not.toContain(typed);
  });

  it("limits wrong tries per account and round", () => {
    const { roundId } = registerRound();
    const a = throwAwayAccount();
    for (let i = 0; i < REGISTER_MAX_FAILURES; i++)
      expect(refusal(() => matchRegister(a, roundId, { reference: `BRK-9${i}00` })).code).toBe("no-match");
    expect(refusal(() => matchRegister(a, roundId, { reference: "BRK-2003" })).code).toBe("rate-limited");
    const other = registerRound();
    expect(matchRegister(a, other.roundId, { reference: "BRK-2003" })).toBe(true);
  });

  it("lets one account of eight claim a row when they all claim it at once from separate processes", async () => {
    const { roundId } = registerRound();
    const racers = Array.from({ length: 8 }, () => throwAwayAccount());
    const children = racers.map((r) =>
      forkTsx("tests/support/register-worker.ts", [t.file, String(roundId), r.id, "BRK-2007"]),
    );
    type Result = { outcome: string; detail: string };
    const stderr: string[] = [];
    const handles = children.map((child) => {
      child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
      let ready!: () => void;
      let done!: (r: Result) => void;
      const isReady = new Promise<void>((r) => (ready = r));
      const result = new Promise<Result>((r) => (done = r));
      child.on("message", (m: { type: string; result?: Result }) => {
        if (m.type === "ready") ready();
        if (m.type === "result") done(m.result!);
      });
      return { isReady, result };
    });
    await Promise.all(handles.map((h) => h.isReady));
    for (const child of children) child.send({ type: "go" });
    const results = await Promise.all(handles.map((h) => h.result));
    await Promise.all(children.map(exited));
    expect(stderr.join("")).toBe("");
    expect(results.filter((r) => r.outcome === "failed")).toEqual([]);
    expect(results.filter((r) => r.outcome === "matched")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "refused").every((r) => /already used/.test(r.detail))).toBe(true);
    expect(
      t.db.$client.prepare("select count(*) from pb_register_matches where round_id = ?").pluck().get(roundId),
    ).toBe(1);
  }, 60_000);

  it("matches from the vote page, with and without errors, then shows the ballot", async () => {
    const { roundId } = registerRound();
    const a = throwAwayAccount();
    const cookie = await sessionCookieFor(a.email);
    const args = { params: { roundId: String(roundId) }, context: {} };
    const post = async (fields: Record<string, string>) =>
      (await responseOf(() =>
        voteRoute.action({ request: formRequest(`/rounds/${roundId}/vote`, fields, { cookie }), ...args }),
      )) as Response;
    const empty = await post({ intent: "match-person", postcode: "", dateOfBirth: "", surname: "" });
    expect(empty.status).toBe(400);
    expect(Object.keys((await empty.json()).errors).sort()).toEqual(["dateOfBirth", "postcode", "surname"]);
    const wrong = await post({ intent: "match-reference", reference: "BRK-0000" });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).formError).toBe("voting:msg.noMatch");
    const ok = await post({ intent: "match-reference", reference: "brk-2006" });
    expect(ok.status).toBe(302);
    const page = (await responseOf(() =>
      voteRoute.loader({ request: getRequest(`/rounds/${roundId}/vote`, cookie), ...args }),
    )) as Response;
    expect((await page.json()).status.state).toBe("can-vote");
  });

  it("adds one read by a unique index to the online cast", () => {
    const plan = t.db.$client
      .prepare("explain query plan select ward_id from pb_register_matches where round_id = ? and user_id = ?")
      .all(1, "someone") as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual([
      "SEARCH pb_register_matches USING INDEX pb_register_matches_user_unique (round_id=? AND user_id=?)",
    ]);
  });

  it("fixes the rule and the register when voting opens", () => {
    const { roundId } = registerRound();
    expect(refusal(() => setVoterRule(ADMIN(), roundId, "account")).message).toBe("admin:refusal.ruleFixed");
    expect(refusal(() => uploadRegister(ADMIN(), roundId, REGISTER_CSV, COLUMNS, "again.csv")).message).toBe(
      "admin:refusal.registerFixed",
    );
    const a = throwAwayAccount();
    matchRegister(a, roundId, { reference: "BRK-2002" });
    expect(() => t.db.$client.prepare("delete from pb_register_matches where round_id = ?").run(roundId)).toThrow(
      /append-only/,
    );
  });

  it("refuses a file without a usable row or without the named columns, naming the problem", () => {
    const round = createVotingRound(t.db, { phase: "reviewing" });
    const columnError = refusal(() =>
      uploadRegister(ADMIN(), round.roundId, REGISTER_CSV, { ...COLUMNS, reference: "polling number" }, "x.csv"),
    );
    expect(columnError.field).toBe("columns");
    expect(messageText(columnError.message, "en")).toBe("The file has no “polling number” column (for the reference).");
    expect(messageText(columnError.message, "cy")).toBe(
      "Nid oes colofn “polling number” yn y ffeil (ar gyfer y cyfeirnod).",
    );
    const noRows = refusal(() =>
      uploadRegister(
        ADMIN(),
        round.roundId,
        "Elector No\nBAD REF!\n",
        { ...COLUMNS, postcode: null, dateOfBirth: null, surname: null },
        "x.csv",
      ),
    );
    expect(messageText(noRows.message, "en")).toBe(
      "No row of the file can be used (line 2: The reference is not 3 to 40 letters, numbers, slashes or dots.)",
    );
    expect(messageText(noRows.message, "cy")).toMatch(
      /^Nid oes modd defnyddio unrhyw res o'r ffeil \(llinell 2: Nid yw'r/,
    );
  });
});

describe("a codes-only round", () => {
  it("refuses online voting with a message pointing to the code page, and takes codes", async () => {
    const round = createVotingRound(t.db, { phase: "reviewing" });
    setVoterRule(ADMIN(), round.roundId, "codes");
    setRoundPhase(t.db, round.roundId, "voting");
    const resident = findUserByEmail("yusuf.osman@residents.example")!;
    t.db.$client.prepare("update users set date_of_birth = '1980-01-01' where id = ?").run(resident.id);
    const error = await refused(castOnlineBallot(resident.id, round.roundId, [round.bidIds[0]!]));
    expect(error.code).toBe("codes-only");
    expect(error.message).toMatch(/code page/);
    const cookie = await sessionCookieFor(resident.email);
    const page = (await responseOf(() =>
      voteRoute.loader({
        request: getRequest(`/rounds/${round.roundId}/vote`, cookie),
        params: { roundId: String(round.roundId) },
        context: {},
      }),
    )) as Response;
    expect((await page.json()).status.state).toBe("codes-only");
    const [code] = generateCodeBatch(ADMIN(), round.roundId, "Households", 1).codes;
    await castCodeBallot(round.roundId, code!, [round.bidIds[0]!]);
    const turnout = roundTurnout(round.roundId);
    expect(turnout.byRoute).toEqual([
      { route: "account", count: 0 },
      { route: "code", count: 1 },
      { route: "paper", count: 0 },
    ]);
  });
});

describe("turnout by route", () => {
  it("names online ballots of a register round as register and of an account round as account", async () => {
    const { roundId, bidIds } = registerRound();
    const a = throwAwayAccount();
    matchRegister(a, roundId, { reference: "BRK-2003" });
    await castOnlineBallot(a.id, roundId, [bidIds[0]!]);
    const [code] = generateCodeBatch(ADMIN(), roundId, "Event", 1).codes;
    await castCodeBallot(roundId, code!, [bidIds[1]!]);
    expect(roundTurnout(roundId).byRoute).toEqual([
      { route: "register", count: 1 },
      { route: "code", count: 1 },
      { route: "paper", count: 0 },
    ]);
    // The register row's ward counts the ballot (EB1 is the first ward).
    expect(roundTurnout(roundId).byWard[0]).toEqual({ wardName: "Abbey Fields", count: 1 });
    const accountRound = createVotingRound(t.db);
    await castOnlineBallot(a.id, accountRound.roundId, [accountRound.bidIds[0]!]);
    expect(roundTurnout(accountRound.roundId).byRoute[0]).toEqual({ route: "account", count: 1 });
  });
});

describe("voting details", () => {
  it("are corrected by the resident until they vote, and after that only by an officer with a reason", async () => {
    const a = throwAwayAccount("EB1 1AA");
    const cookie = await sessionCookieFor(a.email);
    const post = async (fields: Record<string, string>) =>
      (await responseOf(() =>
        voterDetailsRoute.action({
          request: formRequest("/account/voter-details", fields, { cookie }),
          params: {},
          context: {},
        }),
      )) as Response;
    const bad = await post({ postcode: "nowhere", ...dob("1980-02-30") });
    expect(bad.status).toBe(400);
    expect((await post({ postcode: "eb1 1ab", ...dob("1981-01-01") })).status).toBe(302);
    expect(voterDetailsOf(a.id)).toMatchObject({ postcode: "EB1 1AB", dateOfBirth: "1981-01-01", hasVoted: false });

    const round = createVotingRound(t.db);
    await castOnlineBallot(a.id, round.roundId, [round.bidIds[0]!]);
    const late = await post({ postcode: "EB2 1AA", ...dob("1981-01-01") });
    expect(late.status).toBe(409);
    expect((await late.json()).formError).toBe("voting:msg.detailsLocked");
    expect(refusal(() => correctOwnVoterDetails(a, { postcode: "EB2 1AA", dateOfBirth: "1981-01-01" })).status).toBe(
      409,
    );
    // Nor through the vote page of another round.
    const next = createVotingRound(t.db);
    const viaVotePage = (await responseOf(() =>
      voteRoute.action({
        request: formRequest(
          `/rounds/${next.roundId}/vote`,
          { intent: "details", postcode: "EB2 1AA", ...dob("1981-01-01") },
          { cookie },
        ),
        params: { roundId: String(next.roundId) },
        context: {},
      }),
    )) as Response;
    expect(viaVotePage.status).toBe(409);
    expect(voterDetailsOf(a.id)!.postcode).toBe("EB1 1AB");

    const officer = await sessionCookieFor("admin@eastbrook.example");
    const officerPost = async (fields: Record<string, string>, as = officer) =>
      (await responseOf(() =>
        officerDetailsRoute.action({
          request: formRequest(`/admin/users/${a.id}/voter-details`, fields, { cookie: as }),
          params: { userId: a.id },
          context: {},
        }),
      )) as Response;
    const noReason = await officerPost({ postcode: "EB2 1AA", ...dob("1981-01-01"), reason: "" });
    expect(noReason.status).toBe(400);
    expect(Object.keys((await noReason.json()).errors)).toEqual(["reason"]);
    expect((await officerPost({ postcode: "EB2 1AA", ...dob("1981-01-01"), reason: "Moved" }, cookie)).status).toBe(
      403,
    );
    const done = await officerPost({ postcode: "EB2 1AA", ...dob("1981-01-01"), reason: "Resident moved in May" });
    expect(done.status).toBe(302);
    expect(voterDetailsOf(a.id)!.postcode).toBe("EB2 1AA");
    const events = t.db.$client
      .prepare(
        "select action, actor_user_id as actor, reason from audit_events where entity_type = 'user' and " +
          "entity_id = ? order by id",
      )
      .all(a.id);
    expect(events).toEqual([
      { action: "account.voter-details", actor: a.id, reason: null },
      { action: "account.voter-details-corrected", actor: ADMIN().id, reason: "Resident moved in May" },
    ]);
  });
});

describe("the voting-code lockout", () => {
  it("accepts a valid code from a venue address with many failures, counted per round", () => {
    const { roundId } = createVotingRound(t.db);
    const elsewhere = createVotingRound(t.db);
    const codes = generateCodeBatch(ADMIN(), roundId, "Venue", 2).codes;
    const venue = "192.0.2.10";
    // More wrong codes than the old limit of 10 per address locked everyone out for.
    for (let i = 0; i < 20; i++)
      expect(refusal(() => checkVotingCode(roundId, "AAAA-BBBB-CCC" + (i % 10), venue)).code).toBe("bad-code");
    for (let i = 0; i < CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND - 1; i++)
      expect(refusal(() => checkVotingCode(elsewhere.roundId, "ZZZZ-ZZZZ-ZZZZ", venue)).code).toBe("bad-code");
    expect(checkVotingCode(roundId, codes[0]!, venue)).toBe(codes[0]);
    expect(checkVotingCode(roundId, codes[1]!.toLowerCase(), venue)).toBe(codes[1]);
  });

  it("stops a brute force at the limit, valid codes included, and raises one alert per burst", () => {
    const { roundId } = createVotingRound(t.db);
    const [code] = generateCodeBatch(ADMIN(), roundId, "Cards", 1).codes;
    const attacker = "198.51.100.7";
    const start = Date.now();
    for (let i = 0; i < CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND; i++)
      expect(
        refusal(() => checkVotingCode(roundId, `AAAA-BBBB-${String(i).padStart(4, "0")}`, attacker, start)).code,
      ).toBe("bad-code");
    expect(refusal(() => checkVotingCode(roundId, "AAAA-BBBB-CCCC", attacker, start)).code).toBe("rate-limited");
    expect(refusal(() => checkVotingCode(roundId, code!, attacker, start)).code).toBe("rate-limited");
    const alerts = () =>
      t.db.$client
        .prepare("select reason, after from audit_events where action = ? and entity_id = ?")
        .all(CODE_BURST_ALERT, String(roundId)) as { reason: string; after: string }[];
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.reason).toMatch(/wrong voting codes from one address/);
    expect(alerts()[0]!.after).not.toContain(attacker);
    // Another address is not held up by the attacker.
    expect(checkVotingCode(roundId, code!, "203.0.113.5", start)).toBe(code);
    // Once the burst has aged out the address may try again, and a new burst is a new alert.
    const later = start + 16 * 60_000;
    for (let i = 0; i < CODE_MAX_FAILURES_PER_ADDRESS_AND_ROUND; i++)
      refusal(() => checkVotingCode(roundId, `CCCC-DDDD-${String(i).padStart(4, "0")}`, attacker, later));
    expect(refusal(() => checkVotingCode(roundId, "CCCC-DDDD-CCCC", attacker, later)).code).toBe("rate-limited");
    expect(alerts()).toHaveLength(2);
  });
});
