/**
 * The models follow the grant machine (core/grants): a payment request is one whole instalment, a
 * retried request answers with the first, a failed or reversed request frees its instalment, and a
 * grant is withdrawn only once no payment of it is with finance. On a fresh copy of the seeded
 * council (tests/support/grant-world.ts), with the grant invariants checked at the end of each test.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bids, grantInstalments, grantOffers, roleGrants, users } from "~/db/schema";
import { withdrawBid } from "~/models/bids.server";
import { decideBid } from "~/models/decisions.server";
import { decideReversal, failPayment, requestPayment, requestReversal } from "~/models/finance.server";
import { grantStateOfBid } from "~/models/grant-state.server";
import { respondToOffer } from "~/models/offers.server";
import { loadPrincipal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";
import { messageText } from "~/utils/message-text";
import { groupId, groupLead, submittedBid, wardId } from "../factories";
import { allViolations } from "../support/grant-invariants";
import { useGrantWorld, type GrantTemplate, type GrantWorld } from "../support/grant-world";

/** A model's message (a catalogue key or plain text) as an English reader sees it. */
const english = (message: string | null | undefined) => messageText(message ?? "", "en");

let template: GrantTemplate;
let world: GrantWorld;

useGrantWorld((w, t) => {
  world = w;
  template = t;
});

let keys = 0;
const key = () => `grant-state-${(keys += 1)}`;
const byEmail = (email: string) =>
  loadPrincipal(world.db.select().from(users).where(eq(users.email, email)).get()!.id, world.db)!;
const finance = () => byEmail("finance@eastbrook.example");
const finance2 = () => byEmail("finance2@eastbrook.example");
const councillorOf = (ward: string) =>
  loadPrincipal(
    world.db
      .select()
      .from(roleGrants)
      .where(eq(roleGrants.wardId, wardId(world.db, ward)))
      .get()!.userId,
    world.db,
  )!;
const leadOf = (group: string) => loadPrincipal(groupLead(world.db, groupId(world.db, group)), world.db)!;
const balance = (account: string) =>
  (
    world.db.$client
      .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
      .get(account) as { b: number } | undefined
  )?.b ?? 0;
const bidRow = (bidId: number) => world.db.select().from(bids).where(eq(bids.id, bidId)).get()!;
const instalmentsOf = (bidId: number) => {
  const offer = world.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!;
  return world.db
    .select()
    .from(grantInstalments)
    .where(eq(grantInstalments.offerId, offer.id))
    .orderBy(grantInstalments.seq)
    .all();
};

function refusalOf(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

function acceptedGrant(group: string, ward: string, pence: number) {
  const bidId = submittedBid(world.db, { group, wards: [ward], pence, endOn: null, fundId: template.thisFundId });
  decideBid(
    councillorOf(ward),
    { bidId, hasInterest: false, outcome: "approve", schedule: "single", idempotencyKey: key() },
    new Date(),
    world.db,
  );
  respondToOffer(leadOf(group), { bidId, accept: true }, new Date(), world.db);
  return { bidId, grantId: bidRow(bidId).grantId! };
}

const expectConsistent = () => expect(allViolations(world.db, { totals: true }).violations).toEqual([]);

describe("a payment request", () => {
  it("is for one whole instalment, and a retry with the same key answers with the first request", () => {
    const { bidId, grantId } = acceptedGrant("Brookside Community Larder", "Brookside", 40_000);
    const partial = refusalOf(() =>
      requestPayment(finance(), { grantId, pence: 100, idempotencyKey: key() }, world.db),
    );
    expect(english(partial.message)).toBe(
      "A payment request is for one whole instalment: instalment 1 is £400.00, not £1.00. Paying part of an " +
        "instalment is not possible.",
    );
    expect(partial.field).toBe("amount");
    const input = { grantId, pence: 40_000, idempotencyKey: key() };
    const first = requestPayment(finance(), input, world.db);
    expect(instalmentsOf(bidId)[0]!.payRequestEntryId).toBe(first.entryId);
    expect(requestPayment(finance(), input, world.db)).toEqual(first);
    expect(balance(`PAYABLE:${grantId}`)).toBe(40_000);
    const again = refusalOf(() =>
      requestPayment(finance(), { grantId, pence: 40_000, idempotencyKey: key() }, world.db),
    );
    expect(english(again.message)).toMatch(/already requested/);
    expectConsistent();
  });

  it("that fails or is reversed frees its instalment for a new request", () => {
    const { bidId, grantId } = acceptedGrant("Castle Hill Youth Football Club", "Castle Hill", 20_000);
    const first = requestPayment(finance(), { grantId, pence: 20_000, idempotencyKey: key() }, world.db);
    failPayment(
      finance(),
      { payRequestEntryId: first.entryId, reason: "The bank returned it", idempotencyKey: key() },
      world.db,
    );
    expect(instalmentsOf(bidId)[0]!.payRequestEntryId).toBeNull();
    const second = requestPayment(finance(), { grantId, pence: 20_000, idempotencyKey: key() }, world.db);
    requestReversal(finance(), { entryId: second.entryId, reason: "Requested against the wrong grant" }, world.db);
    decideReversal(finance2(), { entryId: second.entryId, approve: true, idempotencyKey: key() }, world.db);
    expect(instalmentsOf(bidId)[0]!.payRequestEntryId).toBeNull();
    expect(balance(`COMMITTED:${grantId}`)).toBe(20_000);
    expect(grantStateOfBid(world.db, bidId)!.state.instalments[0]!.state).toBe("unpaid");
    requestPayment(finance(), { grantId, pence: 20_000, idempotencyKey: key() }, world.db);
    expectConsistent();
  });
});

describe("withdrawing a grant", () => {
  it("is refused with the reason while a payment is with finance, and goes ahead once it has failed", () => {
    const group = "Abbey Fields Allotment Society";
    const { bidId, grantId } = acceptedGrant(group, "Abbey Fields", 65_000);
    const request = requestPayment(finance(), { grantId, pence: 65_000, idempotencyKey: key() }, world.db);
    const refused = refusalOf(() => withdrawBid(leadOf(group), bidId, "The group has folded.", world.db));
    expect(english(refused.message)).toBe(
      "The grant cannot be withdrawn while a payment of £650.00 is with finance: finance must confirm the payment " +
        "or record that it failed first.",
    );
    expect(refused.status).toBe(409);
    expect(bidRow(bidId).status).toBe("offer-accepted");
    failPayment(
      finance(),
      { payRequestEntryId: request.entryId, reason: "Stopped at the group's request", idempotencyKey: key() },
      world.db,
    );
    withdrawBid(leadOf(group), bidId, "The group has folded.", world.db);
    expect(bidRow(bidId).status).toBe("withdrawn");
    expect([balance(`COMMITTED:${grantId}`), balance(`PAYABLE:${grantId}`)]).toEqual([0, 0]);
    expect(
      refusalOf(() => requestPayment(finance(), { grantId, pence: 65_000, idempotencyKey: key() }, world.db)).message,
    ).toMatch(/withdrawn/);
    expectConsistent();
  });
});
