/**
 * Retries answer with the original result (models/idempotency.server.ts): the same key, actor and
 * request returns the first answer without acting again; the same key with a different request, or
 * from someone else, is refused with a 409; a refused request records no answer and is refused again.
 * On a fresh copy of the seeded council (tests/support/grant-world.ts) for each test.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, bids, journalEntries, roleGrants, users } from "~/db/schema";
import { decideBid } from "~/models/decisions.server";
import { failPayment, raiseClawback, receiveClawback, requestPayment, confirmPayment } from "~/models/finance.server";
import { respondToOffer } from "~/models/offers.server";
import { loadPrincipal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";
import { groupId, groupLead, submittedBid, wardId } from "../factories";
import { useGrantWorld, type GrantTemplate, type GrantWorld } from "../support/grant-world";

let template: GrantTemplate;
let world: GrantWorld;

useGrantWorld((w, t) => {
  world = w;
  template = t;
});

let keys = 0;
const key = () => `idempotency-${(keys += 1)}`;
const byEmail = (email: string) =>
  loadPrincipal(world.db.select().from(users).where(eq(users.email, email)).get()!.id, world.db)!;
const finance = () => byEmail("finance@eastbrook.example");
const finance2 = () => byEmail("finance2@eastbrook.example");
const GROUP = "Elmwood Primary PTA";
const WARD = "Elmwood";
const councillor = () =>
  loadPrincipal(
    world.db
      .select()
      .from(roleGrants)
      .where(eq(roleGrants.wardId, wardId(world.db, WARD)))
      .get()!.userId,
    world.db,
  )!;
const entryCount = () => world.db.select().from(journalEntries).all().length;
const balance = (account: string) =>
  (
    world.db.$client
      .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
      .get(account) as { b: number } | undefined
  )?.b ?? 0;

function acceptedGrant(pence: number): string {
  const bidId = submittedBid(world.db, { group: GROUP, wards: [WARD], pence, fundId: template.thisFundId });
  decideBid(
    councillor(),
    { bidId, hasInterest: false, outcome: "approve", schedule: "single", idempotencyKey: key() },
    new Date(),
    world.db,
  );
  respondToOffer(
    loadPrincipal(groupLead(world.db, groupId(world.db, GROUP)), world.db)!,
    { bidId, accept: true },
    new Date(),
    world.db,
  );
  return world.db.select().from(bids).where(eq(bids.id, bidId)).get()!.grantId!;
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

describe("a retried request", () => {
  it("answers the first answer and posts nothing more, then a payment's whole life retries cleanly", () => {
    const grantId = acceptedGrant(10_000);
    const input = { grantId, pence: 10_000, idempotencyKey: key() };
    const first = requestPayment(finance(), input, world.db);
    const entries = entryCount();
    expect(requestPayment(finance(), input, world.db)).toEqual(first);
    expect(requestPayment(finance(), input, world.db)).toEqual(first);
    expect(entryCount()).toBe(entries);
    expect(balance(`PAYABLE:${grantId}`)).toBe(10_000);

    const failed = { payRequestEntryId: first.entryId, reason: "Bank rejected the account", idempotencyKey: key() };
    const failure = failPayment(finance(), failed, world.db);
    expect(failPayment(finance(), failed, world.db)).toEqual(failure);
    expect(balance(`COMMITTED:${grantId}`)).toBe(10_000);

    const again = requestPayment(finance(), { grantId, pence: 10_000, idempotencyKey: key() }, world.db);
    const confirm = { payRequestEntryId: again.entryId, paymentRef: "AP-IDEM-1", idempotencyKey: key() };
    confirmPayment(finance2(), confirm, world.db);
    const claw = { grantId, pence: 2_500, reason: "Underspend", invoiceRef: "SI-IDEM", idempotencyKey: key() };
    const raised = raiseClawback(finance(), claw, world.db);
    expect(raiseClawback(finance(), claw, world.db)).toEqual(raised);
    const receipt = { grantId, pence: 2_500, receiptRef: "RC-IDEM", idempotencyKey: key() };
    const received = receiveClawback(finance(), receipt, world.db);
    expect(receiveClawback(finance(), receipt, world.db)).toEqual(received);
    expect(balance(`PAID:${grantId}`)).toBe(7_500);
    expect(balance(`RECOVERABLE:${grantId}`)).toBe(0);
  });

  it("is refused with a 409 when the key comes back with a different request or from someone else", () => {
    const grantId = acceptedGrant(10_000);
    const idempotencyKey = key();
    requestPayment(finance(), { grantId, pence: 10_000, idempotencyKey }, world.db);
    const entries = entryCount();
    const changed = refusal(() => requestPayment(finance(), { grantId, pence: 5_000, idempotencyKey }, world.db));
    expect(changed.status).toBe(409);
    expect(changed.message).toMatch(/already used for a different request/);
    expect(refusal(() => requestPayment(finance2(), { grantId, pence: 10_000, idempotencyKey }, world.db)).status).toBe(
      409,
    );
    expect(entryCount()).toBe(entries);
    expect(balance(`PAYABLE:${grantId}`)).toBe(10_000);
  });

  it("that was refused is refused again, and records no answer", () => {
    const grantId = acceptedGrant(10_000);
    const input = { grantId, pence: 10_001, idempotencyKey: key() };
    const first = refusal(() => requestPayment(finance(), input, world.db));
    expect(refusal(() => requestPayment(finance(), input, world.db)).message).toBe(first.message);
    const answered = world.db.select().from(auditEvents).where(eq(auditEvents.entityId, input.idempotencyKey)).all();
    expect(answered).toEqual([]);
  });

  it("of a decision with no money moving (a rejection) answers the first decision", () => {
    const bidId = submittedBid(world.db, { group: GROUP, wards: [WARD], pence: 8_000, fundId: template.thisFundId });
    const input = {
      bidId,
      hasInterest: false,
      outcome: "reject" as const,
      reason: "Outside the fund's criteria",
      idempotencyKey: key(),
    };
    const now = new Date();
    const first = decideBid(councillor(), input, now, world.db);
    expect(first).toMatchObject({ kind: "decided", status: "rejected" });
    expect(decideBid(councillor(), input, now, world.db)).toEqual(first);
    // The answer is kept on the audit trail against the key, by the decider.
    const answered = world.db.select().from(auditEvents).where(eq(auditEvents.entityId, input.idempotencyKey)).all();
    expect(answered).toEqual([expect.objectContaining({ action: "request.answered", actorUserId: councillor().id })]);
  });
});
