/**
 * Decision day against a real database: an officer's PIN typed at a kiosk to issue a ballot there
 * (right PIN, wrong PIN, lockout, revoked, the kiosk's wrong-PIN limit), and a voter's one-time
 * code as the event's voter check (spent once, shared with online code voting, two kiosks at once).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import { inEnglish, inEnglishAsync } from "../support/english";
import { auditEvents, pbEventIssues, pbEventOfficerPins, pbParticipation, pbRounds, pbVoteCodes } from "~/db/schema";
import { findUserByEmail } from "~/models/accounts.server";
import {
  cancelIssue,
  castKioskBallot,
  confirmEnrolment,
  createEvent,
  issueBallot,
  issueBallotInGroup,
  openIssue,
  startEnrolment,
} from "~/models/events/events.server";
import { issueWithPin, listOfficerPins, revokeOfficerPin, setOfficerPin } from "~/models/events/pins.server";
import { castCodeBallot } from "~/models/voting/cast.server";
import { checkVotingCode, generateCodeBatch } from "~/models/voting/codes.server";
import { Refusal } from "~/utils/refusal";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createVotingRound, type VotingRound } from "../factories";

let t: TestDatabase;
let admin: { id: string; name: string };
let round: VotingRound;
let eventId: number;
let codes: string[];

function newEvent(roundId: number): number {
  const starts = new Date();
  return createEvent(admin, roundId, {
    name: "Eastbrook Decides",
    place: "Town hall",
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3 * 3_600_000).toISOString(),
    officers: "",
  }).id;
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  const user = findUserByEmail("admin@eastbrook.example")!;
  admin = { id: user.id, name: user.name };
  round = createVotingRound(t.db, { projects: 4 });
  t.db.update(pbRounds).set({ voterRule: "codes" }).where(eq(pbRounds.id, round.roundId)).run();
  codes = generateCodeBatch(admin, round.roundId, "Hall", 20, t.db).codes;
  eventId = newEvent(round.roundId);
});
afterAll(() => t.close());

function enrol(label: string, forEvent = eventId) {
  const started = startEnrolment(admin, forEvent, label);
  const enrolled = confirmEnrolment(started.linkToken, started.code);
  return { deviceId: enrolled.deviceId, device: { id: enrolled.deviceId, eventId: forEvent } };
}

const ADDRESS = "192.0.2.10";
function usedOn(codeIndex: number): string | null {
  const rows = t.db.select({ usedOn: pbVoteCodes.usedOn }).from(pbVoteCodes).orderBy(pbVoteCodes.id).all();
  return rows[codeIndex]!.usedOn;
}

describe("issuing with an officer's PIN at the kiosk", () => {
  it("shows the PIN once, keeps only its argon2id hash, issues in the officer's name with the right PIN", async () => {
    const pin = await setOfficerPin(admin, eventId);
    expect(pin).toMatch(/^\d{8}$/);
    const stored = t.db.select().from(pbEventOfficerPins).where(eq(pbEventOfficerPins.eventId, eventId)).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.pinHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(pin);
    const [listed] = listOfficerPins(eventId);
    expect(listed).toMatchObject({ userId: admin.id, name: admin.name, locked: false });

    const kiosk = enrol("PIN tablet 1");
    const issueId = await issueWithPin(kiosk.device, {
      pinId: listed!.id,
      pin: `${pin.slice(0, 4)} ${pin.slice(4)}`,
      check: { check: "code", code: codes[0]! },
      clientAddress: ADDRESS,
    });
    const issue = t.db.select().from(pbEventIssues).where(eq(pbEventIssues.id, issueId)).get()!;
    expect(issue).toMatchObject({ issuedBy: admin.id, issuedVia: "kiosk-pin", voterCheck: "code", state: "issued" });
    expect(openIssue(kiosk.deviceId)?.id).toBe(issueId);
    const audit = t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "pb-event.ballot-issued-with-pin"))
      .all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(codes[0]!);
    cancelIssue(admin, eventId, issueId);
  });

  it("refuses a wrong PIN, locks the PIN after five in a row, and a new PIN replaces the locked one", async () => {
    const pin = await setOfficerPin(admin, eventId);
    const pinId = listOfficerPins(eventId)[0]!.id;
    const kiosk = enrol("PIN tablet 2");
    const wrong = pin === "00000000" ? "11111111" : "00000000";
    const attempt = (typed: string) =>
      issueWithPin(kiosk.device, {
        pinId,
        pin: typed,
        check: { check: "code", code: codes[1]! },
        clientAddress: ADDRESS,
      });
    await expect(inEnglishAsync(attempt("123"))).rejects.toThrow(/8-digit PIN/);
    for (let i = 0; i < 4; i++) await expect(inEnglishAsync(attempt(wrong))).rejects.toThrow(/does not work/);
    await expect(inEnglishAsync(attempt(wrong))).rejects.toThrow(/locked/);
    // Locked: even the right PIN is refused, and the voter's code was never looked at.
    await expect(inEnglishAsync(attempt(pin))).rejects.toThrow(/locked/);
    expect(openIssue(kiosk.deviceId)).toBeNull();
    expect(usedOn(1)).toBeNull();
    expect(listOfficerPins(eventId)[0]!.locked).toBe(true);
    const actions = t.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .all()
      .map((a) => a.action);
    expect(actions.filter((a) => a === "pb-event.pin-wrong")).toHaveLength(4);
    expect(actions.filter((a) => a === "pb-event.pin-locked")).toHaveLength(1);

    const fresh = await setOfficerPin(admin, eventId);
    const live = listOfficerPins(eventId);
    expect(live).toHaveLength(1);
    expect(live[0]!.locked).toBe(false);
    await expect(
      inEnglishAsync(
        issueWithPin(kiosk.device, { pinId, pin, check: { check: "code", code: codes[1]! }, clientAddress: ADDRESS }),
      ),
    ).rejects.toThrow(/Choose your name/);
    const issueId = await issueWithPin(kiosk.device, {
      pinId: live[0]!.id,
      pin: fresh,
      check: { check: "code", code: codes[1]! },
      clientAddress: ADDRESS,
    });
    cancelIssue(admin, eventId, issueId);
  });

  it("refuses a revoked PIN, and a kiosk that sent ten wrong PINs refuses more for a while", async () => {
    const otherEvent = newEvent(round.roundId);
    const pin = await setOfficerPin(admin, otherEvent);
    const pinId = listOfficerPins(otherEvent)[0]!.id;
    const kiosk = enrol("PIN tablet 3", otherEvent);
    revokeOfficerPin(admin, otherEvent, pinId);
    expect(listOfficerPins(otherEvent)).toHaveLength(0);
    await expect(
      inEnglishAsync(
        issueWithPin(kiosk.device, { pinId, pin, check: { check: "code", code: codes[2]! }, clientAddress: ADDRESS }),
      ),
    ).rejects.toThrow(/Choose your name/);

    // Two officers' PINs, five wrong tries each: the PINs lock, and the kiosk has reached its limit.
    const wrongFor = (p: string) => (p === "00000000" ? "11111111" : "00000000");
    const now = new Date();
    for (let officer = 0; officer < 2; officer++) {
      const p = await setOfficerPin(admin, otherEvent);
      const id = listOfficerPins(otherEvent)[0]!.id;
      for (let i = 0; i < 5; i++)
        await expect(
          issueWithPin(
            kiosk.device,
            { pinId: id, pin: wrongFor(p), check: { check: "code", code: codes[2]! }, clientAddress: ADDRESS },
            now,
          ),
        ).rejects.toThrow(Refusal);
    }
    const good = await setOfficerPin(admin, otherEvent);
    const goodId = listOfficerPins(otherEvent)[0]!.id;
    const check = { check: "code" as const, code: codes[2]! };
    const request = { pinId: goodId, pin: good, check, clientAddress: "x" };
    await expect(inEnglishAsync(issueWithPin(kiosk.device, request, now))).rejects.toThrow(/Too many wrong PINs/);
    // Another kiosk is not held back by this one's limit.
    const second = enrol("PIN tablet 4", otherEvent);
    const issueId = await issueWithPin(second.device, request, now);
    cancelIssue(admin, otherEvent, issueId);
  });
});

describe("the voter's one-time code as the event's check", () => {
  it("is the only check a codes round takes, and is spent by the kiosk's cast exactly once", async () => {
    const kiosk = enrol("Code tablet 1");
    const register = { check: "register" as const, register: { reference: "AB-1" } };
    expect(inEnglish(() => issueBallot(admin, eventId, kiosk.deviceId, register))).toThrow(/one-time code/);
    expect(() => issueBallot(admin, eventId, kiosk.deviceId, { check: "code", code: "not-a-code" })).toThrow(
      /does not work/,
    );
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, { check: "code", code: codes[3]! });
    expect(usedOn(3)).toBeNull();
    await castKioskBallot(kiosk.device, round.roundId, issueId, [round.bidIds[0]!], new Date(), t.db);
    expect(usedOn(3)).toBe(new Date().toISOString().slice(0, 10));
    const row = t.db.select().from(pbParticipation).where(eq(pbParticipation.eventId, eventId)).all();
    expect(row.at(-1)).toMatchObject({ channel: "event", codeId: null, userId: null });

    // Spent at the event: it cannot issue another ballot, nor vote online.
    expect(() => issueBallot(admin, eventId, kiosk.deviceId, { check: "code", code: codes[3]! })).toThrow(
      /already been used/,
    );
    expect(() => checkVotingCode(round.roundId, codes[3]!, ADDRESS)).toThrow(/already been used/);
    await expect(castCodeBallot(round.roundId, codes[3]!, [round.bidIds[1]!])).rejects.toThrow(/already/);
  });

  it("a code that voted online is refused at the event; one spent online after issuing stops the cast", async () => {
    const kiosk = enrol("Code tablet 2");
    await castCodeBallot(round.roundId, codes[4]!, [round.bidIds[1]!]);
    expect(() => issueBallot(admin, eventId, kiosk.deviceId, { check: "code", code: codes[4]! })).toThrow(
      /already been used/,
    );

    const issueId = issueBallot(admin, eventId, kiosk.deviceId, { check: "code", code: codes[5]! });
    await castCodeBallot(round.roundId, codes[5]!, [round.bidIds[2]!]);
    const ballots = () => t.db.select().from(pbParticipation).where(eq(pbParticipation.eventId, eventId)).all().length;
    const before = ballots();
    await expect(
      inEnglishAsync(castKioskBallot(kiosk.device, round.roundId, issueId, [round.bidIds[0]!])),
    ).rejects.toThrow(/cannot be cast/);
    expect(ballots()).toBe(before);
    // The kiosk goes back to waiting.
    expect(openIssue(kiosk.deviceId)).toBeNull();
  });

  it("two kiosks given the same code at once: one ballot is issued, the other refused", async () => {
    const a = enrol("Code tablet 3");
    const b = enrol("Code tablet 4");
    const pin = await setOfficerPin(admin, eventId);
    const pinId = listOfficerPins(eventId)[0]!.id;
    const check = { check: "code" as const, code: codes[6]! };
    const results = await Promise.allSettled([
      issueWithPin(a.device, { pinId, pin, check, clientAddress: ADDRESS }),
      issueWithPin(b.device, { pinId, pin, check, clientAddress: ADDRESS }),
    ]);
    const issued = results.filter((r): r is PromiseFulfilledResult<number> => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(issued).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(messageText((refused[0]!.reason as Error).message, "en")).toMatch(/another kiosk/);
    // The winner casts, the code is spent once; the code cannot then be issued anywhere.
    const winner = openIssue(a.deviceId) ? a : b;
    await castKioskBallot(winner.device, round.roundId, issued[0]!.value, [round.bidIds[3]!]);
    expect(usedOn(6)).not.toBeNull();
    const loser = winner === a ? b : a;
    expect(inEnglish(() => issueBallot(admin, eventId, loser.deviceId, check))).toThrow(/already been used/);

    // The same from the officer's page (issues in the group commit): one of two at once is issued.
    const c = enrol("Code tablet 5");
    const d = enrol("Code tablet 6");
    const same = { check: "code" as const, code: codes[7]! };
    const fromPage = await Promise.allSettled([
      issueBallotInGroup(admin, eventId, c.deviceId, same),
      issueBallotInGroup(admin, eventId, d.deviceId, same),
    ]);
    expect(fromPage.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = fromPage.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected.map((r) => messageText((r.reason as Error).message, "en"))).toEqual([
      expect.stringMatching(/another kiosk/),
    ]);
  });
});
