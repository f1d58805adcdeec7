/**
 * A grant that spans financial years, from the decision to payment, clawback and withdrawal,
 * against a real SQLite file. Two years of ward budgets are set up at dates the test controls
 * (2030/31 and 2031/32, so nothing depends on today's date), and after every step the ledger must
 * verify: hash chain, rows against payloads, totals, trial balance, conservation per fund and year.
 *
 * The amounts are chosen so that a guard removed would show: each ward has £1,000 in 2030/31, so
 * committing the whole £1,200 award of the first bid at the decision would overspend; next year's
 * budget must go down by exactly the tranche and this year's must not move when it is committed.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approvals,
  auditEvents,
  grantInstalments,
  grantOffers,
  grants,
  grantTranches,
  journalEntries,
  outbox,
  roleGrants,
} from "~/db/schema";
import { findUserByEmail } from "~/models/accounts.server";
import { withdrawBid } from "~/models/bids.server";
import { decideBudgetChange, requestBudgetAdjust } from "~/models/budget-changes.server";
import { decideBid } from "~/models/decisions.server";
import { confirmPayment, paymentsQueue, raiseClawback, receiveClawback, requestPayment } from "~/models/finance.server";
import { createWardBudgetScheme, type SchemeInput } from "~/models/funds.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { offerForMember, respondToOffer } from "~/models/offers.server";
import {
  commitTranche,
  commitTranchesForFund,
  pendingTranches,
  tranchesForFund,
  withdrawTranche,
} from "~/models/tranches.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { messageText } from "~/utils/message-text";
import { groupLead, groupId, submittedBid, wardId } from "../factories";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { action as paymentsAction, loader as paymentsLoader } from "~/routes/finance.payments";
import { Refusal } from "~/utils/refusal";

/** A model's message (a catalogue key or plain text) as an English reader sees it. */
const english = (message: string | null | undefined) => messageText(message ?? "", "en");

let t: TestDatabase;
let finance: Principal;
let finance2: Principal;
let admin: Principal;

const at = (date: string) => new Date(`${date}T12:00:00.000Z`);
const key = () => `test-${Math.random().toString(36).slice(2)}`;
const principal = (email: string) => loadPrincipal(findUserByEmail(email)!.id)!;
const balance = (account: string) =>
  (
    t.db.$client
      .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
      .get(account) as { b: number } | undefined
  )?.b ?? 0;
const available = (fund: string, gss: string) => balance(`AVAILABLE:${fund}-${gss}`);
const tranchesOf = (bidId: number) => {
  const offer = t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!;
  return t.db.select().from(grantTranches).where(eq(grantTranches.offerId, offer.id)).orderBy(grantTranches.fy).all();
};
const awardGrantOf = (bidId: number) =>
  t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!.grantId;
const councillorOf = (ward: string) =>
  loadPrincipal(
    t.db
      .select()
      .from(roleGrants)
      .where(eq(roleGrants.wardId, wardId(t.db, ward)))
      .get()!.userId,
  )!;
const leadOf = (group: string) => loadPrincipal(groupLead(t.db, groupId(t.db, group)))!;

function expectVerified() {
  const result = verifyLedger(t.db);
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
}

function scheme(fy: string, potPence: number): SchemeInput {
  const start = Number(fy.slice(0, 4));
  return {
    name: `Councillor Ward Budgets ${fy}`,
    fy,
    splitMethod: "equal",
    potPence,
    perCouncillorPence: null,
    weights: {},
    budgetMode: "per-ward",
    pooledQuorum: null,
    minGrantPence: 1_000,
    maxGrantPence: 500_000,
    eligibleTypes: ["registered-charity", "constituted-group", "cio"],
    grantRules: {
      noRetrospectiveCosts: true,
      quotesAbovePence: null,
      bankAccountInOrganisationName: true,
      matchFundingPercent: null,
    },
    criteria: "Projects that benefit residents of the ward.",
    opensOn: `${start}-04-01`,
    closesOn: `${start + 1}-02-28`,
    commitmentCutoffOn: null,
    yearEnd: "lapse",
    resolutionRef: `Cabinet ${start}-02-10`,
  };
}

function refusalOf<E extends Error>(kind: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const ABBEY = "E05990001";
const BROOKSIDE = "E05990002";
const CASTLE = "E05990003";
const Y1 = "WB-2030-31";
const Y2 = "WB-2031-32";

let bidA: number; // Abbey Fields, £1,200 by year to 30 September 2031
let bidB: number; // Brookside, £1,000 staged, second half due 30 June 2031
let bidC: number; // Castle Hill, £300 by year to 30 June 2032 (three years), withdrawn
let bidE: number; // Elmwood, decided in 2031/32, its 2032/33 part pending

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  finance = principal("finance@eastbrook.example");
  finance2 = principal("finance2@eastbrook.example");
  admin = principal("admin@eastbrook.example");
  // £1,000 for every ward in 2030/31.
  createWardBudgetScheme(finance, scheme("2030/31", 1_000_000), key(), t.db, at("2030-03-20"));
  bidA = submittedBid(t.db, {
    group: "Abbey Fields Allotment Society",
    wards: ["Abbey Fields"],
    pence: 120_000,
    fundId: Y1,
    endOn: "2031-09-30",
    title: "Community orchard over two seasons",
  });
  bidB = submittedBid(t.db, {
    group: "Brookside Community Larder",
    wards: ["Brookside"],
    pence: 100_000,
    fundId: Y1,
    endOn: "2031-06-30",
    title: "Larder cold store",
  });
  bidC = submittedBid(t.db, {
    group: "Castle Hill Youth Football Club",
    wards: ["Castle Hill"],
    pence: 30_000,
    fundId: Y1,
    endOn: "2032-06-30",
    title: "Three seasons of coaching",
  });
});
afterAll(() => t.close());

describe("approving a bid whose schedule runs into next year", () => {
  it("commits only this year's tranche against this year's budget and records next year's as pending", () => {
    // 15 January to 30 September 2031: 76 days in 2030/31 and 183 in 2031/32.
    const decided = decideBid(
      councillorOf("Abbey Fields"),
      { bidId: bidA, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
      at("2031-01-15"),
      t.db,
    );
    expect(decided).toMatchObject({ kind: "decided", status: "approved" });
    const grantId = awardGrantOf(bidA);
    // The whole £1,200 would not fit in Abbey Fields' £1,000: only this year's £352.12 is committed.
    expect(balance(`COMMITTED:${grantId}`)).toBe(35_212);
    expect(available(Y1, ABBEY)).toBe(100_000 - 35_212);
    expect(tranchesOf(bidA).map((r) => [r.fy, r.amountPence, r.status, r.grantId])).toEqual([
      ["2030/31", 35_212, "committed", grantId],
      ["2031/32", 84_788, "pending", null],
    ]);
    const instalments = t.db
      .select()
      .from(grantInstalments)
      .all()
      .filter((i) => i.offerId === t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidA)).get()!.id);
    expect(instalments.map((i) => [i.seq, i.amountPence, i.dueOn, i.fy])).toEqual([
      [1, 35_212, "2031-01-29", "2030/31"],
      [2, 84_788, "2031-04-01", "2031/32"],
    ]);
    // The decision is the approval, for the whole award; the COMMIT under it is this year's part.
    const approval = t.db.select().from(approvals).where(eq(approvals.grantId, grantId)).get()!;
    expect(approval.amountPence).toBe(120_000);
    expect(t.db.select().from(grants).where(eq(grants.id, grantId)).get()!.amountAwardedPence).toBe(120_000);
    const offer = offerForMember(leadOf("Abbey Fields Allotment Society"), bidA, t.db);
    expect(offer.offer.amountPence).toBe(120_000);
    expect(offer.offer.conditions).toContain("£847.88 in 2031/32");
    expect(offer.tranches.map((tr) => tr.statusText)).toEqual([
      "Committed against the 2030/31 budget",
      "To be committed in 2031/32: awaiting that year's ward budget",
    ]);
    const mail = t.db
      .select()
      .from(outbox)
      .all()
      .find((m) => m.subject.includes("has been approved") && m.body.includes("Community orchard"))!;
    expect(mail.body).toContain("£847.88 in 2031/32 will be committed once that year's ward budget is set");
    expectVerified();
  });

  it("refuses an award whose this-year tranche alone would overspend, showing what is available", () => {
    const big = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 400_000,
      fundId: Y1,
      endOn: "2031-06-30",
    });
    // 10 March to 30 June: 22 days now, 91 next year: £778.76 now, more than the £647.88 left.
    const overspend = refusalOf(Refusal, () =>
      decideBid(
        councillorOf("Abbey Fields"),
        { bidId: big, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
        at("2031-03-10"),
        t.db,
      ),
    );
    expect(english(overspend.message)).toBe("Only £647.88 is available in Abbey Fields ward budget.");
    expect(available(Y1, ABBEY)).toBe(64_788);
    expectVerified();
  });

  it("commits the award year's half of a staged grant and leaves the half due after 31 March pending", () => {
    decideBid(
      councillorOf("Brookside"),
      { bidId: bidB, hasInterest: false, outcome: "approve", schedule: "staged", idempotencyKey: key() },
      at("2031-01-20"),
      t.db,
    );
    expect(tranchesOf(bidB).map((r) => [r.fy, r.amountPence, r.status])).toEqual([
      ["2030/31", 50_000, "committed"],
      ["2031/32", 50_000, "pending"],
    ]);
    expect(available(Y1, BROOKSIDE)).toBe(50_000);
    decideBid(
      councillorOf("Castle Hill"),
      { bidId: bidC, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
      at("2031-02-01"),
      t.db,
    );
    expect(tranchesOf(bidC).map((r) => r.fy)).toEqual(["2030/31", "2031/32", "2032/33"]);
    expect(tranchesOf(bidC).reduce((s, r) => s + r.amountPence, 0)).toBe(30_000);
    expectVerified();
  });
});

describe("committing next year's tranche", () => {
  it("is refused, and stays pending, while next year's budget does not exist", () => {
    const trancheA = tranchesOf(bidA)[1]!;
    const refusal = refusalOf(Refusal, () =>
      commitTranche(finance, { trancheId: trancheA.id, idempotencyKey: key() }, at("2031-02-01"), t.db),
    );
    expect(english(refusal.message)).toBe(
      "No 2031/32 ward budget has been set for Abbey Fields ward yet, so this part of the grant stays pending until " +
        "it is.",
    );
    const after = tranchesOf(bidA)[1]!;
    expect(after).toMatchObject({ status: "pending", grantId: null, lastRefusal: refusal.message });
    expect(
      t.db
        .select()
        .from(auditEvents)
        .all()
        .some((e) => e.action === "tranche.commit-refused" && e.entityId === String(bidA)),
    ).toBe(true);
    expect(
      t.db
        .select()
        .from(outbox)
        .all()
        .some((m) => m.toAddress === "finance2@eastbrook.example" && m.subject.includes("2031/32 part")),
    ).toBe(true);
    expect(pendingTranches(t.db).map((p) => [p.reference, p.fy, p.amountPence])).toContainEqual([
      expect.any(String),
      "2031/32",
      84_788,
    ]);
    expectVerified();
  });

  it("is refused to anyone who approved the grant or is not finance or an administrator, and nothing is kept", () => {
    const trancheA = tranchesOf(bidA)[1]!;
    const asLead = refusalOf(Refusal, () =>
      commitTranche(
        leadOf("Abbey Fields Allotment Society"),
        { trancheId: trancheA.id, idempotencyKey: key() },
        at("2031-02-01"),
        t.db,
      ),
    );
    expect(asLead.status).toBe(403);
    const approver = councillorOf("Abbey Fields");
    const asApprover = refusalOf(Refusal, () =>
      commitTranche(
        { ...approver, roles: [...approver.roles, "finance"] },
        { trancheId: trancheA.id, idempotencyKey: key() },
        at("2031-02-01"),
        t.db,
      ),
    );
    expect(english(asApprover.message)).toMatch(/approved this grant/);
    expect(english(tranchesOf(bidA)[1]!.lastRefusal)).toMatch(/No 2031\/32 ward budget/);
  });

  it(
    "is committed when next year's budgets are set, where the budget covers it, and refused where it would " +
      "overspend",
    () => {
      const y1Before = {
        abbey: available(Y1, ABBEY),
        brookside: available(Y1, BROOKSIDE),
        castle: available(Y1, CASTLE),
      };
      // £800 a ward in 2031/32, set in February ahead of the year: Brookside's £500 and Castle Hill's
      // part fit; Abbey Fields' £847.88 does not.
      const fundId = createWardBudgetScheme(finance, scheme("2031/32", 800_000), key(), t.db, at("2031-02-20"));
      expect(fundId).toBe(Y2);
      const [, b2] = tranchesOf(bidB);
      expect(b2).toMatchObject({ status: "committed", grantId: `${awardGrantOf(bidB)}-2031-32` });
      expect(available(Y2, BROOKSIDE)).toBe(80_000 - 50_000);
      expect(balance(`COMMITTED:${b2!.grantId}`)).toBe(50_000);
      const [, a2] = tranchesOf(bidA);
      expect(a2).toMatchObject({ status: "pending", grantId: null });
      expect(english(a2!.lastRefusal)).toBe(
        "Only £800.00 is available in Abbey Fields, and the 2031/32 part of this grant is £847.88: it stays pending " +
          "until the budget can cover it.",
      );
      expect(available(Y2, ABBEY)).toBe(80_000);
      const c = tranchesOf(bidC);
      expect(c.map((r) => r.status)).toEqual(["committed", "committed", "pending"]);
      expect(available(Y2, CASTLE)).toBe(80_000 - c[1]!.amountPence);
      // This year's budgets do not move when next year's tranches are committed.
      expect({
        abbey: available(Y1, ABBEY),
        brookside: available(Y1, BROOKSIDE),
        castle: available(Y1, CASTLE),
      }).toEqual(y1Before);

      // The commitment is dated 1 April 2031, in the tranche's own year, under an approval derived from the decision.
      const entry = t.db.select().from(journalEntries).where(eq(journalEntries.id, b2!.commitEntryId!)).get()!;
      expect(entry).toMatchObject({
        type: "COMMIT",
        fy: "2031/32",
        effectiveDate: "2031-04-01",
        approvalId: `${b2!.grantId}-approval`,
      });
      const derived = t.db.select().from(approvals).where(eq(approvals.id, entry.approvalId!)).get()!;
      const original = t.db
        .select()
        .from(approvals)
        .where(eq(approvals.grantId, awardGrantOf(bidB)))
        .get()!;
      expect(derived).toMatchObject({
        derivedFromId: original.id,
        requesterId: original.requesterId,
        approverId: original.approverId,
        amountPence: 50_000,
        grantId: b2!.grantId,
      });
      const trancheGrant = t.db.select().from(grants).where(eq(grants.id, b2!.grantId!)).get()!;
      expect(trancheGrant).toMatchObject({ fundId: Y2, parentGrantId: awardGrantOf(bidB), amountAwardedPence: 50_000 });
      const reference = (bidId: number) =>
        (t.db.$client.prepare("select reference from bids where id = ?").get(bidId) as { reference: string }).reference;
      // The year's fund page lists the earlier grants running into it; the award year lists none of its own.
      expect(tranchesForFund(Y1, t.db)).toEqual([]);
      expect(
        tranchesForFund(Y2, t.db)
          .map((r) => [r.reference, r.status])
          .sort(),
      ).toEqual([
        [reference(bidA), "pending"],
        [reference(bidB), "committed"],
        [reference(bidC), "committed"],
      ]);
      expectVerified();
    },
  );

  it(
    "is committed by finance once a budget increase makes room, taking exactly the tranche from next year's " +
      "budget",
    () => {
      const requestId = requestBudgetAdjust(
        finance,
        {
          fundId: Y2,
          budgetId: `${Y2}-${ABBEY}`,
          changePence: 10_000,
          reason: "Abbey Fields' share of the pot was under-allocated",
        },
        at("2031-04-02"),
        t.db,
      );
      decideBudgetChange(admin, { requestId, approve: true, idempotencyKey: key() }, at("2031-04-02"), t.db);
      const y1Before = available(Y1, ABBEY);
      const y2Before = available(Y2, ABBEY);
      expect(y2Before).toBe(90_000);
      const trancheA = tranchesOf(bidA)[1]!;
      const committed = commitTranche(
        finance2,
        { trancheId: trancheA.id, idempotencyKey: key() },
        at("2031-04-03"),
        t.db,
      );
      expect(committed.grantId).toBe(`${awardGrantOf(bidA)}-2031-32`);
      expect(available(Y2, ABBEY)).toBe(y2Before - 84_788);
      expect(available(Y1, ABBEY)).toBe(y1Before);
      expect(balance(`COMMITTED:${committed.grantId}`)).toBe(84_788);
      expect(tranchesOf(bidA)[1]).toMatchObject({ status: "committed", lastRefusal: null, committedBy: finance2.id });
      expect(t.db.select().from(journalEntries).where(eq(journalEntries.id, committed.entryId)).get()).toMatchObject({
        fy: "2031/32",
        effectiveDate: "2031-04-03",
      });
      expect(
        t.db
          .select()
          .from(outbox)
          .all()
          .some(
            (m) =>
              m.toAddress === "resident@eastbrook.example" &&
              m.subject.includes("2031/32 part of your grant committed"),
          ),
      ).toBe(true);
      // Committed once only.
      expect(
        refusalOf(Refusal, () =>
          commitTranche(finance2, { trancheId: trancheA.id, idempotencyKey: key() }, at("2031-04-03"), t.db),
        ).status,
      ).toBe(409);
      expectVerified();
    },
  );
});

describe("paying each year's instalments", () => {
  it("pays each instalment from its own year's commitment", () => {
    respondToOffer(leadOf("Abbey Fields Allotment Society"), { bidId: bidA, accept: true }, at("2031-01-16"), t.db);
    respondToOffer(leadOf("Brookside Community Larder"), { bidId: bidB, accept: true }, at("2031-01-21"), t.db);
    const awardA = awardGrantOf(bidA);
    const trancheA = `${awardA}-2031-32`;

    // The award's grant holds only 2030/31's money.
    const tooMuch = refusalOf(Refusal, () =>
      requestPayment(finance, { grantId: awardA, pence: 120_000, idempotencyKey: key() }, t.db, at("2031-04-05")),
    );
    expect(english(tooMuch.message)).toBe("Only £352.12 of this grant is committed and unpaid.");
    const first = requestPayment(
      finance,
      { grantId: awardA, pence: 35_212, idempotencyKey: key() },
      t.db,
      at("2031-04-05"),
    );
    confirmPayment(
      finance2,
      { payRequestEntryId: first.entryId, paymentRef: "AP-31-0001", idempotencyKey: key() },
      t.db,
      at("2031-04-06"),
    );
    const second = requestPayment(
      finance,
      { grantId: trancheA, pence: 84_788, idempotencyKey: key() },
      t.db,
      at("2031-04-05"),
    );
    confirmPayment(
      finance2,
      { payRequestEntryId: second.entryId, paymentRef: "AP-31-0002", idempotencyKey: key() },
      t.db,
      at("2031-04-06"),
    );
    expect([balance(`PAID:${awardA}`), balance(`COMMITTED:${awardA}`)]).toEqual([35_212, 0]);
    expect([balance(`PAID:${trancheA}`), balance(`COMMITTED:${trancheA}`)]).toEqual([84_788, 0]);
    const offerA = offerForMember(leadOf("Abbey Fields Allotment Society"), bidA, t.db);
    expect(offerA.instalments.map((i) => Boolean(i.paidAt))).toEqual([true, true]);
    expect(offerA.tranches.map((tr) => tr.statusText)).toEqual(["Paid", "Paid"]);
    expectVerified();
  });

  it("refuses a payment on next year's grant before that year begins and before the report it waits for", () => {
    const awardB = awardGrantOf(bidB);
    const trancheB = `${awardB}-2031-32`;
    const early = refusalOf(Refusal, () =>
      requestPayment(finance, { grantId: trancheB, pence: 50_000, idempotencyKey: key() }, t.db, at("2031-03-20")),
    );
    expect(english(early.message)).toBe(
      "This is the 2031/32 part of the grant: it can be paid from 2031-04-01, when that year begins.",
    );
    expect(
      paymentsQueue(t.db)
        .find((g) => g.grantId === trancheB)!
        .instalments.map((i) => i.seq),
    ).toEqual([2]);
    // Next year's half waits for the monitoring report (a staged schedule): it is not requested before it.
    const beforeReport = refusalOf(Refusal, () =>
      requestPayment(finance, { grantId: trancheB, pence: 50_000, idempotencyKey: key() }, t.db, at("2031-07-01")),
    );
    expect(english(beforeReport.message)).toBe("Instalment 2 is paid once the monitoring report has been accepted.");
    const offerId = t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidB)).get()!.id;
    expect(
      t.db
        .select()
        .from(grantInstalments)
        .where(eq(grantInstalments.offerId, offerId))
        .all()
        .every((i) => i.payRequestEntryId === null),
    ).toBe(true);
    const firstHalf = requestPayment(
      finance,
      { grantId: awardB, pence: 50_000, idempotencyKey: key() },
      t.db,
      at("2031-07-03"),
    );
    expect(
      t.db.select().from(grantInstalments).where(eq(grantInstalments.payRequestEntryId, firstHalf.entryId)).get()!.seq,
    ).toBe(1);
    expect(available(Y1, BROOKSIDE)).toBe(50_000);
    expect(available(Y2, BROOKSIDE)).toBe(30_000);
    expectVerified();
  });

  it("claws back from one year's tranche into that year's budget", () => {
    const trancheA = `${awardGrantOf(bidA)}-2031-32`;
    const y1 = available(Y1, ABBEY);
    const y2 = available(Y2, ABBEY);
    raiseClawback(
      finance,
      {
        grantId: trancheA,
        pence: 10_000,
        reason: "The second season's trees cost less",
        invoiceRef: "SI-2031-0007",
        idempotencyKey: key(),
      },
      t.db,
      at("2031-10-15"),
    );
    receiveClawback(
      finance,
      { grantId: trancheA, pence: 10_000, receiptRef: "RCPT-2031-0007", idempotencyKey: key() },
      t.db,
      at("2031-10-20"),
    );
    expect(available(Y2, ABBEY)).toBe(y2 + 10_000);
    expect(available(Y1, ABBEY)).toBe(y1);
    expect(balance(`PAID:${trancheA}`)).toBe(74_788);
    expectVerified();
  });
});

describe("withdrawing a grant that spans three years", () => {
  it("gives each committed year's unpaid money back to that year's budget and cancels the year still pending", () => {
    respondToOffer(leadOf("Castle Hill Youth Football Club"), { bidId: bidC, accept: true }, at("2031-02-02"), t.db);
    const [c1, c2, c3] = tranchesOf(bidC);
    const y1 = available(Y1, CASTLE);
    const y2 = available(Y2, CASTLE);
    withdrawBid(leadOf("Castle Hill Youth Football Club"), bidC, "The club folded over the summer.", t.db);
    expect(tranchesOf(bidC).map((r) => r.status)).toEqual(["decommitted", "decommitted", "cancelled"]);
    expect(available(Y1, CASTLE)).toBe(y1 + c1!.amountPence);
    expect(available(Y2, CASTLE)).toBe(y2 + c2!.amountPence);
    expect(balance(`COMMITTED:${c1!.grantId}`)).toBe(0);
    expect(balance(`COMMITTED:${c2!.grantId}`)).toBe(0);
    expect(c3!.grantId).toBeNull();
    expect(pendingTranches(t.db).some((p) => p.bidId === bidC)).toBe(false);
    const decommits = t.db.select().from(journalEntries).where(eq(journalEntries.type, "DECOMMIT")).all();
    expect(decommits).toHaveLength(2);
    expect(decommits.every((e) => e.reason === "The club folded over the summer.")).toBe(true);
    expectVerified();
  });

  it("cannot commit a cancelled tranche", () => {
    const c3 = tranchesOf(bidC)[2]!;
    expect(
      refusalOf(Refusal, () =>
        commitTranche(finance, { trancheId: c3.id, idempotencyKey: key() }, at("2032-04-02"), t.db),
      ).status,
    ).toBe(409);
  });
});

describe("a pooled ward budget", () => {
  it(
    "reserves only this year's part until the quorum approves, and finance commits next year's part from the fund " +
      "page",
    () => {
      const pooled = createWardBudgetScheme(
        finance,
        { ...scheme("2030/31", 1_000_000), name: "Pooled ward budgets 2030/31", pooledQuorum: 2 },
        key(),
        t.db,
        at("2030-03-21"),
      );
      const bidId = submittedBid(t.db, {
        group: "Dyers Green Residents' Association",
        wards: ["Dyers Green"],
        pence: 60_000,
        fundId: pooled,
        endOn: "2031-05-31",
      });
      const [first, second] = t.db
        .select()
        .from(roleGrants)
        .where(eq(roleGrants.wardId, wardId(t.db, "Dyers Green")))
        .all()
        .map((r) => loadPrincipal(r.userId)!);
      // 1 March to 31 May 2031: 31 days in 2030/31, 61 in 2031/32.
      expect(
        decideBid(
          first!,
          { bidId, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
          at("2031-03-01"),
          t.db,
        ),
      ).toMatchObject({ awaitingQuorum: true });
      const grantId = t.db.$client.prepare("select grant_id as g from bids where id = ?").get(bidId) as { g: string };
      expect(balance(`EARMARKED:${grantId.g}`)).toBe(20_217);
      expect(available(pooled, "E05990004")).toBe(100_000 - 20_217);
      decideBid(
        second!,
        { bidId, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
        at("2031-03-02"),
        t.db,
      );
      // The second approval counts from its own day: 30 days now, 61 next year.
      expect(tranchesOf(bidId).map((r) => [r.fy, r.amountPence, r.status])).toEqual([
        ["2030/31", 19_780, "committed"],
        ["2031/32", 40_220, "pending"],
      ]);
      expect([
        balance(`EARMARKED:${grantId.g}`),
        balance(`COMMITTED:${grantId.g}`),
        available(pooled, "E05990004"),
      ]).toEqual([0, 19_780, 100_000 - 19_780]);
      expectVerified();

      const y2 = available(Y2, "E05990004");
      const attempts = commitTranchesForFund(finance, { fundId: Y2, idempotencyKey: key() }, at("2031-05-01"), t.db);
      expect(attempts).toEqual([expect.objectContaining({ ok: true, trancheId: tranchesOf(bidId)[1]!.id })]);
      expect(available(Y2, "E05990004")).toBe(y2 - 40_220);
      expect(available(pooled, "E05990004")).toBe(100_000 - 19_780);
      expectVerified();
    },
  );
});

describe("the finance pages", () => {
  it("list a pending tranche on the payments queue and show a refused commitment in the error summary", async () => {
    const bidId = (bidE = submittedBid(t.db, {
      group: "Elmwood Primary PTA",
      wards: ["Elmwood"],
      pence: 20_000,
      fundId: Y2,
      endOn: "2032-05-31",
    }));
    decideBid(
      councillorOf("Elmwood"),
      { bidId, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
      at("2032-01-10"),
      t.db,
    );
    const pending = tranchesOf(bidId)[1]!;
    expect(pending).toMatchObject({ fy: "2032/33", status: "pending" });
    const cookie = await sessionCookieFor("finance@eastbrook.example");
    const page = await responseOf(() =>
      paymentsLoader({ request: getRequest("/finance/payments", cookie), params: {}, context: {} }),
    );
    const data = (await (page as Response).json()) as { pending: { id: number; fy: string }[] };
    expect(data.pending.map((p) => [p.id, p.fy])).toContainEqual([pending.id, "2032/33"]);
    const posted = await responseOf(() =>
      paymentsAction({
        request: formRequest(
          "/finance/payments",
          { intent: "commit-tranche", trancheId: String(pending.id), idempotencyKey: key() },
          { cookie },
        ),
        params: {},
        context: {},
      }),
    );
    expect(posted instanceof Response && posted.status).toBe(422);
    const body = (await (posted as Response).json()) as { formError: string; intent: string };
    expect(body.intent).toBe("commit-tranche");
    expect(english(body.formError)).toBe(
      "No 2032/33 ward budget has been set for Elmwood ward yet, so this part of the grant stays pending until it is.",
    );
    expect(tranchesOf(bidId)[1]!.status).toBe("pending");
    expectVerified();
  });
});

describe("finance withdraws one year's part", () => {
  it("cancels a pending part and decommits a committed one's unpaid money to its own year's budget", () => {
    const pending = tranchesOf(bidE)[1]!;
    expect(
      refusalOf(Refusal, () =>
        withdrawTranche(
          leadOf("Elmwood Primary PTA"),
          { trancheId: pending.id, reason: "No longer needed", idempotencyKey: key() },
          at("2032-02-01"),
          t.db,
        ),
      ).status,
    ).toBe(403);
    withdrawTranche(
      finance,
      { trancheId: pending.id, reason: "The school found other funding for next year", idempotencyKey: key() },
      at("2032-02-01"),
      t.db,
    );
    expect(tranchesOf(bidE)[1]).toMatchObject({
      status: "cancelled",
      closedReason: "The school found other funding for next year",
    });
    expect(pendingTranches(t.db).some((p) => p.id === pending.id)).toBe(false);

    const dyers = t.db.$client
      .prepare(
        "select b.id from bids b join bid_wards w on w.bid_id = b.id where w.ward_id = ? and b.grant_id is not null",
      )
      .get(wardId(t.db, "Dyers Green")) as { id: number };
    const [d1, d2] = tranchesOf(dyers.id);
    const y1 = available("WB-2030-31-2", "E05990004");
    const y2 = available(Y2, "E05990004");
    withdrawTranche(
      finance,
      { trancheId: d2!.id, reason: "The project finished early", idempotencyKey: key() },
      at("2031-06-01"),
      t.db,
    );
    expect(tranchesOf(dyers.id).map((r) => r.status)).toEqual(["committed", "decommitted"]);
    expect(available(Y2, "E05990004")).toBe(y2 + d2!.amountPence);
    expect(available("WB-2030-31-2", "E05990004")).toBe(y1);
    expect(balance(`COMMITTED:${d2!.grantId}`)).toBe(0);
    expect(balance(`COMMITTED:${d1!.grantId}`)).toBe(d1!.amountPence);
    const entry = t.db
      .select()
      .from(journalEntries)
      .where(eq(journalEntries.id, tranchesOf(dyers.id)[1]!.decommitEntryId!))
      .get()!;
    expect(entry).toMatchObject({ type: "DECOMMIT", fy: "2031/32", reason: "The project finished early" });
    expect(
      refusalOf(Refusal, () =>
        withdrawTranche(finance, { trancheId: d2!.id, reason: "Again", idempotencyKey: key() }, at("2031-06-02"), t.db),
      ).status,
    ).toBe(409);
    expectVerified();
  });
});

describe("the database backstops", () => {
  it(
    "refuses changing a tranche's amount, moving it backwards, or pointing it at an entry that does not commit its " +
      "grant",
    () => {
      const [a1, a2] = tranchesOf(bidA);
      const run =
        (sql: string, ...args: unknown[]) =>
        () =>
          t.db.$client.prepare(sql).run(...args);
      expect(run("update grant_tranches set amount_pence = amount_pence + 1 where id = ?", a2!.id)).toThrow(
        /never change/,
      );
      expect(run("update grant_tranches set status = 'pending' where id = ?", a2!.id)).toThrow(/moves only/);
      expect(run("update grant_tranches set commit_entry_id = ? where id = ?", a1!.commitEntryId, a2!.id)).toThrow(
        /never change|COMMIT to its own grant/,
      );
      expect(run("update grant_tranches set grant_id = ? where id = ?", awardGrantOf(bidB), a2!.id)).toThrow(
        /never change|COMMIT to its own grant/,
      );
      expect(run("delete from grant_tranches where id = ?", a1!.id)).toThrow(/only a pending tranche/);
      const offerId = t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidB)).get()!.id;
      expect(
        run(
          "insert into grant_tranches (offer_id, fy, amount_pence, status, grant_id, commit_entry_id) values (?, " +
            "'2032/33', 100, 'committed', ?, ?)",
          offerId,
          awardGrantOf(bidB),
          a1!.commitEntryId,
        ),
      ).toThrow(/COMMIT to its own grant/);
    },
  );
});
