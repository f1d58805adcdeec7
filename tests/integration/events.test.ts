/**
 * Decision-day events against a real database: enrolling a kiosk with its link and short code,
 * issuing one ballot after a voter check, casting it on the event channel exactly once (also when
 * two casts race), revoking a kiosk, and the board's broadcaster running one query per round per
 * tick whatever the number of viewers.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inEnglish, inEnglishAsync } from "../support/english";
import { pbParticipation, pbSealedBallots } from "~/db/schema";
import { findUserByEmail } from "~/models/accounts.server";
import { turnoutBroadcaster } from "~/models/events/board.server";
import {
  castKioskBallot,
  confirmEnrolment,
  createEvent,
  issueBallot,
  kioskDevice,
  openIssue,
  revokeDevice,
  startEnrolment,
} from "~/models/events/events.server";
import { kioskTokenFromRequest, setKioskCookie } from "~/models/events/kiosk-cookie.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { Refusal } from "~/utils/refusal";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createVotingRound, type VotingRound } from "../factories";

let t: TestDatabase;
let admin: { id: string; name: string };
let round: VotingRound;
let eventId: number;
let postcode: string;

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  const user = findUserByEmail("admin@eastbrook.example")!;
  admin = { id: user.id, name: user.name };
  round = createVotingRound(t.db, { projects: 4 });
  const starts = new Date();
  eventId = createEvent(admin, round.roundId, {
    name: "Eastbrook Decides",
    place: "Town hall",
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3 * 3_600_000).toISOString(),
    officers: "A. Officer",
  }).id;
  postcode = (t.db.$client.prepare("select postcode from postcodes limit 1").get() as { postcode: string }).postcode;
});
afterAll(() => t.close());

function enrol(label: string) {
  const started = startEnrolment(admin, eventId, label);
  const enrolled = confirmEnrolment(started.linkToken, started.code);
  return { ...enrolled, device: { id: enrolled.deviceId, eventId } };
}

describe("enrolling a kiosk", () => {
  it("needs the code from the officer's screen, keeps only the token's hash, and voids the link after five misses", () => {
    const started = startEnrolment(admin, eventId, "Tablet A");
    expect(started.code).toMatch(/^\d{6}$/);
    const wrong = started.code === "000000" ? "111111" : "000000";
    expect(inEnglish(() => confirmEnrolment(started.linkToken, wrong))).toThrow(/not the code/);
    const enrolled = confirmEnrolment(started.linkToken, `${started.code.slice(0, 3)} ${started.code.slice(3)}`);
    expect(kioskDevice(enrolled.deviceToken)?.device.label).toBe("Tablet A");
    const stored = t.db.$client.prepare("select * from pb_event_devices where id = ?").get(enrolled.deviceId) as Record<
      string,
      unknown
    >;
    expect(Object.values(stored)).not.toContain(enrolled.deviceToken);
    expect(stored.confirm_code).toBeNull();
    expect(inEnglish(() => confirmEnrolment(started.linkToken, started.code))).toThrow(/expired or was already used/);

    const other = startEnrolment(admin, eventId, "Tablet B");
    for (let i = 0; i < 4; i++)
      expect(inEnglish(() => confirmEnrolment(other.linkToken, wrong))).toThrow(/not the code/);
    expect(inEnglish(() => confirmEnrolment(other.linkToken, wrong))).toThrow(/Too many wrong codes/);
    expect(inEnglish(() => confirmEnrolment(other.linkToken, other.code))).toThrow(/expired or was already used/);
  });

  it("reads the device token back only from a cookie signed with the secret", () => {
    const header = setKioskCookie(7, "token-value", "s".repeat(32)).split(";")[0]!;
    const request = (cookie: string) => new Request("http://localhost/kiosk", { headers: { Cookie: cookie } });
    expect(kioskTokenFromRequest(request(header), "s".repeat(32))).toBe("token-value");
    expect(kioskTokenFromRequest(request(header.replace("token-value", "token-other")), "s".repeat(32))).toBeNull();
    expect(kioskTokenFromRequest(request(header), "t".repeat(32))).toBeNull();
  });
});

describe("issuing and casting", () => {
  it("checks the voter, casts on the event channel once, and refuses a second cast of the same ballot", async () => {
    const kiosk = enrol("Tablet 1");
    const ranking = [round.bidIds[1]!, round.bidIds[0]!];
    expect(
      inEnglish(() =>
        issueBallot(admin, eventId, kiosk.deviceId, { check: "declared", postcode: "ZZ9 9ZZ", ageConfirmed: true }),
      ),
    ).toThrow(/not in this round's area/);
    const register = { check: "register" as const, register: { reference: "NO-SUCH-1" } };
    expect(inEnglish(() => issueBallot(admin, eventId, kiosk.deviceId, register))).toThrow(/register/);
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, { check: "declared", postcode, ageConfirmed: true });
    const declared = { check: "declared" as const, postcode, ageConfirmed: true };
    expect(inEnglish(() => issueBallot(admin, eventId, kiosk.deviceId, declared))).toThrow(
      /already has a ballot waiting/,
    );
    const before = roundTurnout(round.roundId, t.db).total;
    const receipt = await castKioskBallot(kiosk.device, round.roundId, issueId, ranking, new Date(), t.db);
    expect(receipt).toMatch(/^[0-9A-Z]{20}$/);
    await expect(
      inEnglishAsync(castKioskBallot(kiosk.device, round.roundId, issueId, ranking, new Date(), t.db)),
    ).rejects.toThrow(/already been cast/);
    const rows = t.db.select().from(pbParticipation).where(eq(pbParticipation.eventId, eventId)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "event", userId: null, codeId: null });
    const turnout = roundTurnout(round.roundId, t.db);
    expect(turnout.total).toBe(before + 1);
    expect(turnout.byChannel.find((c) => c.channel === "event")?.count).toBe(1);
    expect(openIssue(kiosk.deviceId)).toBeNull();
  });

  it("casts one ballot when two casts of the same issue race, and none on another kiosk's issue", async () => {
    const kiosk = enrol("Tablet 2");
    const other = enrol("Tablet 3");
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, { check: "declared", postcode, ageConfirmed: true });
    const ballotsBefore = t.db
      .select()
      .from(pbSealedBallots)
      .where(eq(pbSealedBallots.roundId, round.roundId))
      .all().length;
    await expect(castKioskBallot(other.device, round.roundId, issueId, [round.bidIds[0]!])).rejects.toThrow(Refusal);
    const results = await Promise.allSettled([
      castKioskBallot(kiosk.device, round.roundId, issueId, [round.bidIds[0]!]),
      castKioskBallot(kiosk.device, round.roundId, issueId, [round.bidIds[2]!]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const ballotsAfter = t.db
      .select()
      .from(pbSealedBallots)
      .where(eq(pbSealedBallots.roundId, round.roundId))
      .all().length;
    expect(ballotsAfter).toBe(ballotsBefore + 1);
  });

  it("refuses a bad ranking without closing the issue", async () => {
    const kiosk = enrol("Tablet 4");
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, { check: "declared", postcode, ageConfirmed: true });
    await expect(castKioskBallot(kiosk.device, round.roundId, issueId, [999_999])).rejects.toThrow(Refusal);
    expect(openIssue(kiosk.deviceId)?.id).toBe(issueId);
  });

  it("revoking a kiosk cancels its waiting ballot and its token stops working", () => {
    const kiosk = enrol("Tablet 5");
    issueBallot(admin, eventId, kiosk.deviceId, { check: "declared", postcode, ageConfirmed: true });
    revokeDevice(admin, eventId, kiosk.deviceId);
    expect(kioskDevice(kiosk.deviceToken)).toBeNull();
    expect(openIssue(kiosk.deviceId)).toBeNull();
  });
});

describe("the board's broadcaster", () => {
  it("runs one turnout query per flush for a round, whatever the number of viewers, and sends no tally", async () => {
    const broadcaster = turnoutBroadcaster();
    const received: string[][] = Array.from({ length: 50 }, () => []);
    const before = broadcaster.queries;
    const unsubscribe = received.map((inbox) =>
      broadcaster.subscribe(round.roundId, new Date(Date.now() + 3_600_000).toISOString(), (s) =>
        inbox.push(JSON.stringify(s)),
      ),
    );
    expect(broadcaster.queries - before).toBe(1);
    expect(received.every((inbox) => inbox.length === 1)).toBe(true);
    const kiosk = enrol("Tablet 6");
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, { check: "declared", postcode, ageConfirmed: true });
    await castKioskBallot(kiosk.device, round.roundId, issueId, [round.bidIds[3]!]);
    await new Promise((r) => setTimeout(r, 300));
    expect(broadcaster.queries - before).toBe(2);
    expect(received.every((inbox) => inbox.length === 2)).toBe(true);
    const last = JSON.parse(received[0]!.at(-1)!) as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(["channels", "closesAt", "total", "votingOpen"]);
    unsubscribe.forEach((u) => u());
    expect(broadcaster.viewerCount(round.roundId)).toBe(0);
  });
});
