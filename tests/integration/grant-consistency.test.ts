/**
 * Money follows the decision: one test per inconsistency the grant-lifecycle property test found,
 * each replaying the story exactly, on a fresh copy of the seeded council (tests/support/
 * grant-world.ts: £10,000 a ward this year, £5,000 next year). Each asserts what must hold, with
 * the rules of tests/support/grant-invariants.ts checked at the end as well.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bids, grantInstalments, grantOffers, roleGrants, users } from "~/db/schema";
import { withdrawBid } from "~/models/bids.server";
import { decideBudgetChange, requestBudgetAdjust } from "~/models/budget-changes.server";
import { decideBid } from "~/models/decisions.server";
import {
  confirmPayment,
  decideReversal,
  paymentsQueue,
  requestPayment,
  requestReversal,
} from "~/models/finance.server";
import { respondToOffer } from "~/models/offers.server";
import { loadPrincipal } from "~/utils/auth.server";
import { groupId, groupLead, submittedBid, wardId } from "../factories";
import { allViolations } from "../support/grant-invariants";
import { useGrantWorld, THIS_FY, type GrantWorld } from "../support/grant-world";

let world: GrantWorld;
let fundId: string;

useGrantWorld((w, t) => {
  world = w;
  fundId = t.thisFundId;
});

const year = Number(THIS_FY.slice(0, 4));
let keys = 0;
const key = () => `consistency-${(keys += 1)}`;
const byEmail = (email: string) =>
  loadPrincipal(world.db.select().from(users).where(eq(users.email, email)).get()!.id, world.db)!;
const finance = () => byEmail("finance@eastbrook.example");
const finance2 = () => byEmail("finance2@eastbrook.example");
const admin = () => byEmail("admin@eastbrook.example");
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
const availableOf = (ward: string) =>
  balance(`AVAILABLE:${fundId}-E0599${String(wardId(world.db, ward)).padStart(4, "0")}`);
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

/** True when `run` throws what a model throws to refuse (a status below 500, or a …Refusal class). */
function refuses(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if ((typeof status === "number" && status < 500) || /(Refusal|Incomplete)$/.test((error as Error).constructor.name))
      return true;
    throw error;
  }
}

function expectConsistent() {
  expect(allViolations(world.db, { totals: true }).violations).toEqual([]);
}

/** A submitted bid approved by a councillor of its first ward and accepted by the group. */
function acceptedGrant(input: {
  group: string;
  wards: string[];
  pence: number;
  schedule?: "single" | "staged";
  endOn?: string | null;
}) {
  const bidId = submittedBid(world.db, {
    group: input.group,
    wards: input.wards,
    pence: input.pence,
    endOn: input.endOn ?? null,
    fundId,
  });
  const decided = decideBid(
    councillorOf(input.wards[0]!),
    { bidId, hasInterest: false, outcome: "approve", schedule: input.schedule ?? "single", idempotencyKey: key() },
    new Date(),
    world.db,
  );
  expect(decided).toMatchObject({ kind: "decided", status: "approved" });
  respondToOffer(leadOf(input.group), { bidId, accept: true }, new Date(), world.db);
  return { bidId, grantId: bidRow(bidId).grantId! };
}

describe("a withdrawn bid", () => {
  it(
    "is never paid: withdrawing it with a payment requested leaves nothing payable, and the request cannot be " +
      "confirmed",
    () => {
      const { bidId, grantId } = acceptedGrant({
        group: "Abbey Fields Allotment Society",
        wards: ["Abbey Fields"],
        pence: 130_000,
        schedule: "staged",
        endOn: `${year + 1}-02-28`,
      });
      expect(instalmentsOf(bidId).map((i) => i.amountPence)).toEqual([65_000, 65_000]);
      const request = requestPayment(finance(), { grantId, pence: 65_000, idempotencyKey: key() }, world.db);
      expect(balance(`PAYABLE:${grantId}`)).toBe(65_000);
      const before = availableOf("Abbey Fields");

      const withdrawalRefused = refuses(() =>
        withdrawBid(leadOf("Abbey Fields Allotment Society"), bidId, "The group has folded.", world.db),
      );
      if (withdrawalRefused) {
        // Refusing the withdrawal while a payment is in progress is consistent too: nothing moved.
        expect(bidRow(bidId).status).toBe("offer-accepted");
        expect(balance(`PAYABLE:${grantId}`)).toBe(65_000);
      } else {
        expect(bidRow(bidId).status).toBe("withdrawn");
        // The whole unpaid award goes back: the committed half and the half waiting for payment.
        expect(balance(`PAYABLE:${grantId}`)).toBe(0);
        expect(balance(`COMMITTED:${grantId}`)).toBe(0);
        expect(availableOf("Abbey Fields")).toBe(before + 130_000);
        // A second finance officer cannot confirm the old request.
        expect(
          refuses(() =>
            confirmPayment(
              finance2(),
              { payRequestEntryId: request.entryId, paymentRef: "AP-0001", idempotencyKey: key() },
              world.db,
            ),
          ),
        ).toBe(true);
        expect(balance(`PAID:${grantId}`)).toBe(0);
      }
      expectConsistent();
    },
  );
});

describe("instalments and the ledger", () => {
  it("stay in step when a payment request does not match the instalment", () => {
    const { bidId, grantId } = acceptedGrant({
      group: "Brookside Community Larder",
      wards: ["Brookside"],
      pence: 40_000,
    });
    expect(instalmentsOf(bidId).map((i) => i.amountPence)).toEqual([40_000]);
    const refused = refuses(() => {
      const request = requestPayment(finance(), { grantId, pence: 100, idempotencyKey: key() }, world.db);
      confirmPayment(
        finance2(),
        { payRequestEntryId: request.entryId, paymentRef: "AP-0002", idempotencyKey: key() },
        world.db,
      );
    });
    const paidInstalments = instalmentsOf(bidId)
      .filter((i) => i.paidAt)
      .reduce((s, i) => s + i.amountPence, 0);
    // What the offer says was paid is what the ledger paid, whatever the rules made of £1.00.
    expect(paidInstalments).toBe(balance(`PAID:${grantId}`));
    // And whatever is still committed or payable is still in the payments queue, as instalments to pay.
    const queued = paymentsQueue(world.db).find((g) => g.grantId === grantId)!;
    const unpaid = instalmentsOf(bidId)
      .filter((i) => !i.paidAt)
      .reduce((s, i) => s + i.amountPence, 0);
    expect(balance(`COMMITTED:${grantId}`) + balance(`PAYABLE:${grantId}`)).toBe(unpaid);
    expect(queued.instalments.reduce((s, i) => s + i.amountPence, 0)).toBe(unpaid);
    if (refused) expect(bidRow(bidId).status).toBe("offer-accepted");
    else expect(bidRow(bidId).status === "paid").toBe(balance(`PAID:${grantId}`) > 0 && paidInstalments > 0);
    expectConsistent();
  });

  it(
    "stay in step when a confirmed payment is reversed: the instalment is unpaid again and the bid is no longer " +
      "paid",
    () => {
      const { bidId, grantId } = acceptedGrant({
        group: "Brookside Community Larder",
        wards: ["Brookside"],
        pence: 40_000,
      });
      const request = requestPayment(finance(), { grantId, pence: 40_000, idempotencyKey: key() }, world.db);
      const confirmed = confirmPayment(
        finance2(),
        { payRequestEntryId: request.entryId, paymentRef: "AP-0003", idempotencyKey: key() },
        world.db,
      );
      expect(bidRow(bidId).status).toBe("paid");
      expect(instalmentsOf(bidId)[0]!.paidAt).not.toBeNull();

      requestReversal(finance(), { entryId: confirmed.entryId, reason: "Paid to the wrong account" }, world.db);
      decideReversal(finance2(), { entryId: confirmed.entryId, approve: true, idempotencyKey: key() }, world.db);
      expect(balance(`PAID:${grantId}`)).toBe(0);
      expect(instalmentsOf(bidId)[0]!.paidAt).toBeNull();
      expect(bidRow(bidId).status).not.toBe("paid");
      expectConsistent();
    },
  );
});

describe("a bid that lists several wards", () => {
  it("approved by one ward's councillor draws on that ward's budget only", () => {
    const wards = ["Ferry Lane", "Brookside", "Castle Hill"];
    expect(wards.map((w) => wardId(world.db, w))).toEqual([6, 2, 3]);
    const bidId = submittedBid(world.db, { group: "Ferry Lane Friends of the Park", wards, pence: 300_000, fundId });
    const before = Object.fromEntries(wards.map((w) => [w, availableOf(w)]));
    const refused = refuses(() =>
      decideBid(
        councillorOf("Ferry Lane"),
        { bidId, hasInterest: false, outcome: "approve", schedule: "single", idempotencyKey: key() },
        new Date(),
        world.db,
      ),
    );
    // Wards 2 and 3 lose nothing: none of their councillors decided anything.
    expect(availableOf("Brookside")).toBe(before.Brookside);
    expect(availableOf("Castle Hill")).toBe(before["Castle Hill"]);
    if (!refused)
      expect(before["Ferry Lane"]! - availableOf("Ferry Lane")).toBe(balance(`COMMITTED:${bidRow(bidId).grantId}`));
    expectConsistent();
  });
});

describe("a retry with the same idempotency key (a double click)", () => {
  it("confirming a payment answers what the first confirmation answered", () => {
    const { grantId } = acceptedGrant({
      group: "Castle Hill Youth Football Club",
      wards: ["Castle Hill"],
      pence: 20_000,
    });
    const request = requestPayment(finance(), { grantId, pence: 20_000, idempotencyKey: key() }, world.db);
    const input = { payRequestEntryId: request.entryId, paymentRef: "AP-0004", idempotencyKey: key() };
    const first = confirmPayment(finance2(), input, world.db);
    expect(confirmPayment(finance2(), input, world.db)).toEqual(first);
    expect(balance(`PAID:${grantId}`)).toBe(20_000);
    expectConsistent();
  });

  it("approving a bid answers what the first approval answered", () => {
    const bidId = submittedBid(world.db, {
      group: "Dyers Green Residents' Association",
      wards: ["Dyers Green"],
      pence: 25_000,
      fundId,
    });
    const input = {
      bidId,
      hasInterest: false,
      outcome: "approve" as const,
      schedule: "single" as const,
      idempotencyKey: key(),
    };
    const now = new Date();
    const first = decideBid(councillorOf("Dyers Green"), input, now, world.db);
    expect(decideBid(councillorOf("Dyers Green"), input, now, world.db)).toEqual(first);
    expect(balance(`COMMITTED:${bidRow(bidId).grantId}`)).toBe(25_000);
    expectConsistent();
  });

  it("deciding a budget change or a reversal answers what the first decision answered", () => {
    const budgetId = `${fundId}-E05990005`;
    const requestId = requestBudgetAdjust(
      finance(),
      { fundId, budgetId, changePence: 50_000, reason: "Under-allocated" },
      new Date(),
      world.db,
    );
    const change = { requestId, approve: true, idempotencyKey: key() };
    const firstChange = decideBudgetChange(admin(), change, new Date(), world.db);
    expect(decideBudgetChange(admin(), change, new Date(), world.db)).toEqual(firstChange);
    expect(balance(`AVAILABLE:${budgetId}`)).toBe(1_050_000);

    const { grantId } = acceptedGrant({ group: "Elmwood Primary PTA", wards: ["Elmwood"], pence: 10_000 });
    const request = requestPayment(finance(), { grantId, pence: 10_000, idempotencyKey: key() }, world.db);
    requestReversal(finance(), { entryId: request.entryId, reason: "Requested twice" }, world.db);
    const reversal = { entryId: request.entryId, approve: true, idempotencyKey: key() };
    const firstReversal = decideReversal(finance2(), reversal, world.db);
    expect(decideReversal(finance2(), reversal, world.db)).toEqual(firstReversal);
    expect(balance(`PAYABLE:${grantId}`)).toBe(0);
  });
});
