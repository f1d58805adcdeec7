/**
 * The register check at a decision-day event against a real database: the officer types the
 * reference on the voter's letter or polling card, or their postcode, date of birth and surname,
 * and the issue claims that register row, so the row votes once, at an event or online. A row
 * matched online is refused at the event and the other way round; two kiosks claiming the same row
 * at once, one wins; cancelling the issue releases the row; misses count against the kiosk.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, pbRegisterEventClaims, rateLimitHits } from "~/db/schema";
import { messageText } from "~/utils/message-text";
import { EVENT_REGISTER_TRIES_PER_WINDOW } from "~/core/events/codes";
import { findUserByEmail } from "~/models/accounts.server";
import {
  cancelIssue,
  castKioskBallot,
  confirmEnrolment,
  createEvent,
  issueBallot,
  issueBallotInGroup,
  revokeDevice,
  startEnrolment,
} from "~/models/events/events.server";
import { issueWithPin, listOfficerPins, setOfficerPin } from "~/models/events/pins.server";
import { matchRegister, setVoterRule, uploadRegister } from "~/models/voting/register.server";
import { Refusal } from "~/utils/refusal";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createVotingRound, setRoundPhase } from "../factories";

let t: TestDatabase;
let admin: { id: string; name: string };
let roundId: number;
let bidIds: number[];
let eventId: number;

const REGISTER_CSV = [
  "Elector No,Post Code,Birth date,Family name",
  "BRK-3001,EB1 1AA,05/03/1980,Núñez",
  "BRK-3002,EB1 1AB,1990-12-31,O’Brien",
  "BRK-3003,EB1 1AD,14/07/1975,Smith",
  "BRK-3004,EB1 1AE,01/01/2001,Lee",
  "BRK-3005,EB1 1AE,01/01/2001,Lee",
  "BRK-3006,EB1 1AF,1985-06-15,Mensah",
  "BRK-3007,EB1 1AG,1970-02-02,Kowalczyk",
  "BRK-3008,EB1 1AG,1971-03-03,Evans",
].join("\r\n");
const COLUMNS = { reference: "elector no", postcode: "Post Code", dateOfBirth: "birth date", surname: "family name" };

function account(): { id: string; name: string } {
  const id = randomUUID();
  t.db.$client
    .prepare("insert into users (id, email, name, email_verified_at) values (?, ?, 'Resident', ?)")
    .run(id, `resident-${id.slice(0, 8)}@example.org`, new Date().toISOString());
  return { id, name: "Resident" };
}

function enrol(label: string) {
  const started = startEnrolment(admin, eventId, label);
  const enrolled = confirmEnrolment(started.linkToken, started.code);
  return { deviceId: enrolled.deviceId, device: { id: enrolled.deviceId, eventId } };
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

function claims() {
  return t.db.select().from(pbRegisterEventClaims).where(eq(pbRegisterEventClaims.roundId, roundId)).all();
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  const user = findUserByEmail("admin@eastbrook.example")!;
  admin = { id: user.id, name: user.name };
  const round = createVotingRound(t.db, { phase: "reviewing", projects: 3 });
  roundId = round.roundId;
  bidIds = round.bidIds;
  setVoterRule(admin, roundId, "register");
  expect(uploadRegister(admin, roundId, REGISTER_CSV, COLUMNS, "register.csv").rows).toBe(8);
  setRoundPhase(t.db, roundId, "voting");
  const starts = new Date();
  eventId = createEvent(admin, roundId, {
    name: "Eastbrook Decides",
    place: "Town hall",
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3 * 3_600_000).toISOString(),
    officers: "",
  }).id;
});
afterAll(() => t.close());

describe("the register check at an event", () => {
  it("claims the row the reference names, audits its id only, and the row cannot then match online", async () => {
    const kiosk = enrol("Register tablet 1");
    const input = { check: "register" as const, register: { reference: " brk 3001 " } };
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, input);
    const [claim] = claims();
    expect(claim).toMatchObject({ roundId, eventId, issueId });
    const audit = t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "pb-event.register-claimed"), eq(auditEvents.entityId, String(eventId))))
      .all();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toEqual({ rowId: claim!.rowId, issueId, deviceId: kiosk.deviceId });
    expect(JSON.stringify(audit)).not.toMatch(/3001|Núñez|EB1/i);

    await castKioskBallot(kiosk.device, roundId, issueId, [bidIds[0]!], new Date(), t.db);
    expect(claims().map((c) => c.rowId)).toContain(claim!.rowId); // cast: the claim stays

    const online = refusal(() => matchRegister(account(), roundId, { reference: "BRK-3001" }));
    expect(online.message).toMatch(/already used to vote at a decision-day event/);
    const again = refusal(() =>
      issueBallot(admin, eventId, kiosk.deviceId, { check: "register", register: { reference: "BRK-3001" } }),
    );
    expect(again).toMatchObject({ field: "registerReference", code: "register-claimed" });
  });

  it("claims by postcode, date of birth and surname (normalised as online), one row per voter for twins", () => {
    const a = enrol("Register tablet 2");
    const b = enrol("Register tablet 3");
    const c = enrol("Register tablet 4");
    const before = claims().length;
    issueBallot(admin, eventId, a.deviceId, {
      check: "register",
      register: { postcode: "eb11ad", dateOfBirth: "14/07/1975", surname: " SMITH " },
    });
    expect(claims()).toHaveLength(before + 1);
    // Twins: the same details name two rows, so two voters, and no third.
    const twin = { postcode: "EB1 1AE", dateOfBirth: "2001-01-01", surname: "lee" };
    issueBallot(admin, eventId, b.deviceId, { check: "register", register: twin });
    issueBallot(admin, eventId, c.deviceId, { check: "register", register: twin });
    expect(claims()).toHaveLength(before + 3);
    const d = enrol("Register tablet 5");
    const third = refusal(() => issueBallot(admin, eventId, d.deviceId, { check: "register", register: twin }));
    expect(third).toMatchObject({ field: "registerPostcode", code: "register-claimed" });
  });

  it("refuses a row already matched online, beside the field, and counts the miss against the kiosk", () => {
    expect(matchRegister(account(), roundId, { reference: "BRK-3006" })).toBe(true);
    const kiosk = enrol("Register tablet 6");
    const hitsBefore = t.db.select().from(rateLimitHits).where(eq(rateLimitHits.bucket, "event-register")).all().length;
    const refused = refusal(() =>
      issueBallot(admin, eventId, kiosk.deviceId, { check: "register", register: { reference: "BRK-3006" } }),
    );
    expect(refused).toMatchObject({ field: "registerReference", code: "register-matched-online" });
    expect(messageText(refused.message, "en")).toMatch(/matched to an account online/);
    expect(t.db.select().from(rateLimitHits).where(eq(rateLimitHits.bucket, "event-register")).all()).toHaveLength(
      hitsBefore + 1,
    );
    const misses = t.db.select().from(auditEvents).where(eq(auditEvents.action, "pb-event.register-not-found")).all();
    expect(misses.length).toBeGreaterThan(0);
    expect(JSON.stringify(misses)).not.toContain("3006");
  });

  it("refuses more register checks at a kiosk after too many misses, and not at another kiosk", () => {
    const kiosk = enrol("Register tablet 7");
    const now = new Date();
    for (let i = 0; i < EVENT_REGISTER_TRIES_PER_WINDOW; i++) {
      const miss = refusal(() =>
        issueBallot(admin, eventId, kiosk.deviceId, { check: "register", register: { reference: `NOPE-${i}` } }, now),
      );
      expect(miss).toMatchObject({ field: "registerReference", code: "register-not-found" });
    }
    const limited = refusal(() =>
      issueBallot(admin, eventId, kiosk.deviceId, { check: "register", register: { reference: "BRK-3007" } }, now),
    );
    expect(limited).toMatchObject({ code: "rate-limited", status: 429 });
    const other = enrol("Register tablet 8");
    const issueId = issueBallot(admin, eventId, other.deviceId, {
      check: "register",
      register: { reference: "BRK-3007" },
    });
    cancelIssue(admin, eventId, issueId);
  });

  it("lets exactly one of two kiosks claim the same row at once", async () => {
    const a = enrol("Register tablet 9");
    const b = enrol("Register tablet 10");
    const input = { check: "register" as const, register: { reference: "BRK-3002" } };
    const results = await Promise.allSettled([
      issueBallotInGroup(admin, eventId, a.deviceId, input, new Date(), t.db),
      issueBallotInGroup(admin, eventId, b.deviceId, input, new Date(), t.db),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(Refusal);
    expect(messageText((lost.reason as Refusal).message, "en")).toMatch(/already used at this event/);
    const row = claims().filter((c) => results.some((r) => r.status === "fulfilled" && r.value === c.issueId));
    expect(row).toHaveLength(1);
    // The table itself holds one claim per row, whoever writes it (another process, say).
    const unclaimed = t.db.$client
      .prepare("select id from pb_event_issues where id not in (select issue_id from pb_register_event_claims) limit 1")
      .get() as { id: number };
    expect(() =>
      t.db.$client
        .prepare(
          "insert into pb_register_event_claims (row_id, round_id, event_id, issue_id, claimed_at) " +
            "values (?, ?, ?, ?, ?)",
        )
        .run(row[0]!.rowId, roundId, eventId, unclaimed.id, new Date().toISOString()),
    ).toThrow(/UNIQUE constraint failed: pb_register_event_claims\.row_id/);
  });

  it("releases the row when the issue is cancelled or its kiosk revoked, so it can vote online or at the event", () => {
    const kiosk = enrol("Register tablet 11");
    const input = { check: "register" as const, register: { reference: "BRK-3007" } };
    const issueId = issueBallot(admin, eventId, kiosk.deviceId, input);
    expect(claims().some((c) => c.issueId === issueId)).toBe(true);
    cancelIssue(admin, eventId, issueId);
    expect(claims().some((c) => c.issueId === issueId)).toBe(false);

    const next = issueBallot(admin, eventId, kiosk.deviceId, input);
    revokeDevice(admin, eventId, kiosk.deviceId);
    expect(claims().some((c) => c.issueId === next)).toBe(false);
    expect(matchRegister(account(), roundId, { reference: "BRK-3007" })).toBe(true);
  });

  it("claims the row when the officer issues at the kiosk with their PIN, and counts a miss there too", async () => {
    const kiosk = enrol("Register tablet 12");
    const pin = await setOfficerPin(admin, eventId);
    const pinId = listOfficerPins(eventId).find((p) => p.userId === admin.id)!.id;
    const request = (reference: string) => ({
      pinId,
      pin,
      clientAddress: "192.0.2.20",
      check: { check: "register" as const, register: { reference } },
    });
    const hits = () => t.db.select().from(rateLimitHits).where(eq(rateLimitHits.bucket, "event-register")).all().length;
    const before = hits();
    await expect(issueWithPin(kiosk.device, request("BRK-9999"))).rejects.toMatchObject({
      field: "registerReference",
      code: "register-not-found",
    });
    expect(hits()).toBe(before + 1);
    const issueId = await issueWithPin(kiosk.device, request("BRK-3008"));
    expect(claims().find((c) => c.issueId === issueId)).toBeDefined();
    const evans = { postcode: "EB1 1AG", dateOfBirth: "1971-03-03", surname: "Evans" };
    expect(() => matchRegister(account(), roundId, evans)).toThrow(/decision-day event/);
  });
});
