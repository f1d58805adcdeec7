import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetSet, financialYearOf, londonDateOf } from "~/core/ledger";
import { writeTransaction } from "~/db/client.server";
import { messageText } from "~/utils/message-text";
import { resubmitBid } from "../factories";
import {
  auditEvents,
  bidDecisions,
  bids,
  budgets,
  councilSettings,
  funds,
  grantInstalments,
  grantOffers,
  groupMembers,
  journalEntries,
  monitoringReports,
  notificationPreferences,
  outbox,
  roleGrants,
} from "~/db/schema";
import { bidForDecision, decideBid } from "~/models/decisions.server";
import { confirmPayment, paymentsQueue, requestPayment } from "~/models/finance.server";
import { postEntry } from "~/models/ledger.server";
import { sendMonitoringReminders, submitMonitoringReport } from "~/models/monitoring.server";
import { setNotificationPreferences } from "~/models/notifications.server";
import { offerForMember, respondToOffer } from "~/models/offers.server";
import { loadPrincipal } from "~/utils/auth.server";
import { loader as decisionLoader, action as decisionAction } from "~/routes/councillor.bids.$bidId";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { currentFundId, submittedBid, userId, wardId } from "../factories";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { Refusal } from "~/utils/refusal";

/** A model's message (a catalogue key or plain text) as an English reader sees it. */
const english = (message: string | null | undefined) => messageText(message ?? "", "en");

let t: TestDatabase;
const principal = (email: string) => loadPrincipal(userId(t.db, email))!;
const COUNCILLOR = "councillor@eastbrook.example";
const key = () => `test-${Math.random().toString(36).slice(2)}`;
const entriesOfType = (type: string) => t.db.select().from(journalEntries).where(eq(journalEntries.type, type)).all();
const balance = (k: string) =>
  (
    t.db.$client.prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?").get(k) as
      { b: number } | undefined
  )?.b ?? 0;
const statusOf = (bidId: number) => t.db.select({ s: bids.status }).from(bids).where(eq(bids.id, bidId)).get()!.s;
const abbeyCouncillors = () =>
  t.db
    .select({ id: roleGrants.userId })
    .from(roleGrants)
    .where(eq(roleGrants.wardId, wardId(t.db, "Abbey Fields")))
    .all()
    .map((r) => r.id);

function refusalOf(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

describe("who may decide", () => {
  it("hides a ward's bids from a councillor of another ward (404 from the loader and the action)", async () => {
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 20_000,
    });
    const other = "cllr.daniel.hughes@eastbrook.example";
    expect(principal(other).councillorWardIds).not.toContain(wardId(t.db, "Abbey Fields"));
    const cookie = await sessionCookieFor(other);
    const params = { bidId: String(bidId) };
    const loaded = await responseOf(() =>
      decisionLoader({ request: getRequest(`/councillor/bids/${bidId}`, cookie), params, context: {} }),
    );
    expect(loaded instanceof Response && loaded.status).toBe(404);
    const posted = await responseOf(() =>
      decisionAction({
        request: formRequest(
          `/councillor/bids/${bidId}`,
          { interest: "none", outcome: "approve", idempotencyKey: key() },
          { cookie },
        ),
        params,
        context: {},
      }),
    );
    expect(posted instanceof Response && posted.status).toBe(404);
    expect(statusOf(bidId)).toBe("submitted");
  });

  it("refuses a finance officer (403) and a councillor who belongs to the bidding group", async () => {
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 20_000,
    });
    const cookie = await sessionCookieFor("finance@eastbrook.example");
    const posted = await responseOf(() =>
      decisionAction({
        request: formRequest(
          `/councillor/bids/${bidId}`,
          { interest: "none", outcome: "approve", idempotencyKey: key() },
          { cookie },
        ),
        params: { bidId: String(bidId) },
        context: {},
      }),
    );
    expect(posted instanceof Response && posted.status).toBe(403);

    const member = "cllr.ben.okafor@eastbrook.example";
    t.db
      .insert(groupMembers)
      .values({ groupId: 1, userId: userId(t.db, member), memberRole: "member" })
      .run();
    const refusal = refusalOf(() =>
      decideBid(principal(member), { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() }),
    );
    expect(refusal.status).toBe(403);
    expect(english(refusal.message)).toMatch(/belong to the group/);
    t.db
      .delete(groupMembers)
      .where(eq(groupMembers.userId, userId(t.db, member)))
      .run();
    expect(statusOf(bidId)).toBe("submitted");
  });

  it("stores a declared interest and then refuses that councillor's decision", () => {
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 20_000,
    });
    const result = decideBid(principal(COUNCILLOR), {
      bidId,
      hasInterest: true,
      interestDetails: "My neighbour chairs the society",
      idempotencyKey: key(),
    });
    expect(result).toEqual({ kind: "interest-declared", referred: false });
    const refusal = refusalOf(() =>
      decideBid(principal(COUNCILLOR), { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() }),
    );
    expect(english(refusal.message)).toMatch(/declared an interest/);
    expect(bidForDecision(principal(COUNCILLOR), bidId).canDecide).toBe(false);
  });

  it("sends a bid every ward councillor is conflicted on to the designated decision-maker", () => {
    const cabinet = userId(t.db, "cabinet@eastbrook.example");
    expect(t.db.select().from(councilSettings).get()!.designatedDecisionMakerId).toBe(cabinet);
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 30_000,
    });
    expect(() => bidForDecision(principal("cabinet@eastbrook.example"), bidId)).toThrow();
    const ids = abbeyCouncillors();
    const results = ids.map((id) =>
      decideBid(loadPrincipal(id)!, {
        bidId,
        hasInterest: true,
        interestDetails: "Family member is the treasurer",
        idempotencyKey: key(),
      }),
    );
    expect(results.at(-1)).toEqual({ kind: "interest-declared", referred: true });
    expect(
      t.db
        .select()
        .from(outbox)
        .all()
        .some((m) => m.toAddress === "cabinet@eastbrook.example" && m.subject.includes("needs your decision")),
    ).toBe(true);
    const page = bidForDecision(principal("cabinet@eastbrook.example"), bidId);
    expect(page.role).toBe("designated");
    const decided = decideBid(principal("cabinet@eastbrook.example"), {
      bidId,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: key(),
    });
    expect(decided).toMatchObject({ kind: "decided", status: "approved" });
    const row = t.db.select().from(bidDecisions).where(eq(bidDecisions.bidId, bidId)).get()!;
    expect(row).toMatchObject({ asDesignatedDecisionMaker: true, wardId: null, outcome: "approve" });
  });
});

describe("money on decision", () => {
  it("refuses an overspend and shows what is available", () => {
    const available = bidForDecision(
      principal(COUNCILLOR),
      submittedBid(t.db, { group: "Abbey Fields Allotment Society", wards: ["Abbey Fields"], pence: 10_000 }),
    ).available[0]!.availablePence;
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: available + 100,
    });
    const before = entriesOfType("COMMIT").length;
    const refusal = refusalOf(() =>
      decideBid(principal(COUNCILLOR), { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() }),
    );
    expect(english(refusal.message)).toBe(
      `Only £${(available / 100).toLocaleString("en-GB", { minimumFractionDigits: 2 })} is available in Abbey ` +
        `Fields ward budget.`,
    );
    expect(entriesOfType("COMMIT")).toHaveLength(before);
    expect(statusOf(bidId)).toBe("submitted");
    expect(t.db.select().from(bidDecisions).where(eq(bidDecisions.bidId, bidId)).all()).toHaveLength(0);
  });

  it("decides a two-ward bid ward by ward, each share from its own ward's budget", () => {
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields", "Brookside"],
      pence: 10_001,
    });
    const abbey = `AVAILABLE:${currentFundId()}-E05990001`;
    const brookside = `AVAILABLE:${currentFundId()}-E05990002`;
    const before = { abbey: balance(abbey), brookside: balance(brookside) };
    const first = decideBid(principal(COUNCILLOR), {
      bidId,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: key(),
    });
    expect(first).toMatchObject({ status: "part-approved", awaitingQuorum: true, awaitingWards: ["Brookside"] });
    expect(before.abbey - balance(abbey)).toBe(5_001);
    expect(balance(brookside)).toBe(before.brookside);
    expect(t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()).toBeUndefined();
    const view = bidForDecision(principal(COUNCILLOR), bidId);
    expect(view.canDecide).toBe(false);
    expect(view.wardDecisions!.wards.map((w) => [w.name, w.state])).toEqual([
      ["Abbey Fields", "approved"],
      ["Brookside", "waiting"],
    ]);
    // Another Abbey Fields councillor cannot decide Brookside's share.
    const otherAbbey = abbeyCouncillors().find((id) => id !== userId(t.db, COUNCILLOR))!;
    expect(
      refusalOf(() =>
        decideBid(loadPrincipal(otherAbbey)!, { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() }),
      ).message,
    ).toMatch(/already decided its share/);

    const brooksideCouncillor = loadPrincipal(
      t.db
        .select()
        .from(roleGrants)
        .where(eq(roleGrants.wardId, wardId(t.db, "Brookside")))
        .get()!.userId,
    )!;
    const second = decideBid(brooksideCouncillor, {
      bidId,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: key(),
    });
    expect(second).toMatchObject({ status: "approved", awaitingQuorum: false });
    expect(before.brookside - balance(brookside)).toBe(5_000);
    const grantId = t.db.select().from(bids).where(eq(bids.id, bidId)).get()!.grantId!;
    expect(balance(`COMMITTED:${grantId}`)).toBe(10_001);
    expect(t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!.amountPence).toBe(10_001);
  });

  it("a ward that declines gives up its share and the group sees the new total", () => {
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields", "Brookside"],
      pence: 20_000,
    });
    const brookside = `AVAILABLE:${currentFundId()}-E05990002`;
    const before = balance(brookside);
    decideBid(principal(COUNCILLOR), { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() });
    const brooksideCouncillor = loadPrincipal(
      t.db
        .select()
        .from(roleGrants)
        .where(eq(roleGrants.wardId, wardId(t.db, "Brookside")))
        .get()!.userId,
    )!;
    const declined = decideBid(brooksideCouncillor, {
      bidId,
      hasInterest: false,
      outcome: "reject",
      reason: "Not a Brookside priority",
      idempotencyKey: key(),
    });
    expect(declined).toMatchObject({ status: "part-approved" });
    expect(balance(brookside)).toBe(before);
    expect(t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!.amountPence).toBe(10_000);
    const mail = t.db
      .select()
      .from(outbox)
      .all()
      .filter((m) => m.body.includes("Brookside ward declined its £100.00 share"));
    expect(mail.length).toBeGreaterThan(0);
    expect(mail.some((m) => m.body.includes("The total offered is £100.00"))).toBe(true);
  });

  it("draws a per-councillor scheme's grant from the deciding councillor's own budget", () => {
    const fy = financialYearOf(londonDateOf(new Date()));
    const fundId = "WB-PERCLLR";
    const [mine, theirs] = [userId(t.db, COUNCILLOR), userId(t.db, "cllr.ben.okafor@eastbrook.example")];
    writeTransaction((tx) => {
      tx.insert(funds)
        .values({ id: fundId, kind: "ward-budget", name: "Per-councillor budgets", fy, budgetMode: "per-councillor" })
        .run();
      tx.insert(budgets)
        .values({
          id: `${fundId}-1`,
          fundId,
          councillorId: mine,
          wardId: wardId(tx, "Abbey Fields"),
          name: "Amira Patel's budget",
        })
        .run();
      tx.insert(budgets)
        .values({
          id: `${fundId}-2`,
          fundId,
          councillorId: theirs,
          wardId: wardId(tx, "Abbey Fields"),
          name: "Ben Okafor's budget",
        })
        .run();
    }, t.db);
    postEntry(
      {
        draft: budgetSet({
          scheme: fundId,
          fy,
          allocations: [
            { budgetId: `${fundId}-1`, pence: 50_000 },
            { budgetId: `${fundId}-2`, pence: 50_000 },
          ],
        }),
        idempotencyKey: key(),
        actor: { id: "finance", name: "Finance" },
        effectiveDate: londonDateOf(new Date()),
      },
      t.db,
    );
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 20_000,
      fundId,
    });
    decideBid(principal(COUNCILLOR), { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() });
    expect(balance(`AVAILABLE:${fundId}-1`)).toBe(30_000);
    expect(balance(`AVAILABLE:${fundId}-2`)).toBe(50_000);
  });

  it("earmarks on a pooled budget until the quorum approves, then commits; a rejection releases", () => {
    const fy = financialYearOf(londonDateOf(new Date()));
    const fundId = "WB-POOLED";
    writeTransaction((tx) => {
      tx.insert(funds)
        .values({ id: fundId, kind: "ward-budget", name: "Pooled ward budgets", fy, pooledQuorum: 2 })
        .run();
      tx.insert(budgets)
        .values({ id: `${fundId}-AF`, fundId, wardId: wardId(tx, "Abbey Fields"), name: "Abbey Fields pooled budget" })
        .run();
    }, t.db);
    postEntry(
      {
        draft: budgetSet({ scheme: fundId, fy, allocations: [{ budgetId: `${fundId}-AF`, pence: 100_000 }] }),
        idempotencyKey: key(),
        actor: { id: "finance", name: "Finance" },
        effectiveDate: londonDateOf(new Date()),
      },
      t.db,
    );
    const [first, second] = abbeyCouncillors().filter(
      (id) => id !== userId(t.db, "cllr.ben.okafor@eastbrook.example") || true,
    );
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 40_000,
      fundId,
    });
    const one = decideBid(loadPrincipal(first!)!, {
      bidId,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: key(),
    });
    expect(one).toMatchObject({ status: "submitted", awaitingQuorum: true });
    expect(statusOf(bidId)).toBe("submitted");
    const grantId = t.db.select().from(bids).where(eq(bids.id, bidId)).get()!.grantId!;
    expect(balance(`EARMARKED:${grantId}`)).toBe(40_000);
    const two = decideBid(loadPrincipal(second!)!, {
      bidId,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: key(),
    });
    expect(two).toMatchObject({ status: "approved", grantId });
    expect(balance(`EARMARKED:${grantId}`)).toBe(0);
    expect(balance(`COMMITTED:${grantId}`)).toBe(40_000);
    expect(balance(`AVAILABLE:${fundId}-AF`)).toBe(60_000);

    const rejected = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 10_000,
      fundId,
    });
    decideBid(loadPrincipal(first!)!, {
      bidId: rejected,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: key(),
    });
    expect(balance(`AVAILABLE:${fundId}-AF`)).toBe(50_000);
    decideBid(loadPrincipal(second!)!, {
      bidId: rejected,
      hasInterest: false,
      outcome: "reject",
      reason: "Not the ward's priority",
      idempotencyKey: key(),
    });
    expect(statusOf(rejected)).toBe("rejected");
    expect(balance(`AVAILABLE:${fundId}-AF`)).toBe(60_000);
    expect(entriesOfType("RELEASE")).toHaveLength(1);
  });
});

describe("from decision to closed", () => {
  it(
    "requests changes, part-approves, offers, takes the acceptance, pays the instalment, asks for and receives " +
      "monitoring",
    () => {
      const endOn = londonDateOf(new Date(Date.now() - 86_400_000));
      const bidId = submittedBid(t.db, {
        group: "Abbey Fields Allotment Society",
        wards: ["Abbey Fields"],
        pence: 50_000,
        endOn,
      });
      const councillor = principal(COUNCILLOR);
      expect(
        decideBid(councillor, {
          bidId,
          hasInterest: false,
          outcome: "request-changes",
          reason: "Add a quote for the shed",
          idempotencyKey: key(),
        }),
      ).toMatchObject({ status: "changes-requested" });
      writeTransaction((tx) => resubmitBid(tx, bidId, principal("resident@eastbrook.example").id), t.db);
      const refusal = refusalOf(() =>
        decideBid(councillor, {
          bidId,
          hasInterest: false,
          outcome: "part-approve",
          amountPence: 50_000,
          reason: "x",
          idempotencyKey: key(),
        }),
      );
      expect(refusal.fieldErrors.amount).toMatch(/less than the amount asked for/);
      // The project has ended: approving it is retrospective funding, which this fund's rules refuse…
      const fundRow = t.db.select().from(funds).where(eq(funds.id, currentFundId())).get()!;
      const refused = refusalOf(() =>
        decideBid(councillor, {
          bidId,
          hasInterest: false,
          outcome: "part-approve",
          amountPence: 30_000,
          reason: "The shed only",
          retrospectiveOverride: true,
          retrospectiveReason: "Storm",
          idempotencyKey: key(),
        }),
      );
      expect(refused.fieldErrors.retrospective).toMatch(/this fund does not pay for work already done/);
      // …and a fund that allows it needs the decider's confirmation and a reason.
      const rules = {
        ...(JSON.parse(fundRow.grantRules ?? "{}") as Record<string, unknown>),
        noRetrospectiveCosts: false,
      };
      t.db
        .update(funds)
        .set({ grantRules: JSON.stringify(rules) })
        .where(eq(funds.id, fundRow.id))
        .run();
      const ended = refusalOf(() =>
        decideBid(councillor, {
          bidId,
          hasInterest: false,
          outcome: "part-approve",
          amountPence: 30_000,
          reason: "The shed only",
          idempotencyKey: key(),
        }),
      );
      expect(ended.fieldErrors.retrospective).toMatch(
        /The project ended on .* confirm that you are funding it retrospectively/,
      );
      const noReason = refusalOf(() =>
        decideBid(councillor, {
          bidId,
          hasInterest: false,
          outcome: "part-approve",
          amountPence: 30_000,
          reason: "The shed only",
          retrospectiveOverride: true,
          idempotencyKey: key(),
        }),
      );
      expect(noReason.fieldErrors.retrospectiveReason).toMatch(/Say why/);
      const decided = decideBid(councillor, {
        bidId,
        hasInterest: false,
        outcome: "part-approve",
        amountPence: 30_000,
        reason: "The shed only",
        retrospectiveOverride: true,
        retrospectiveReason: "The shed was built in an emergency after the storm",
        idempotencyKey: key(),
      });
      t.db.update(funds).set({ grantRules: fundRow.grantRules }).where(eq(funds.id, fundRow.id)).run();
      const audit = t.db
        .select()
        .from(auditEvents)
        .all()
        .filter((e) => e.action === "bid.retrospective-funding-approved" && e.entityId === String(bidId));
      expect(audit.map((e) => e.reason)).toEqual(["The shed was built in an emergency after the storm"]);
      expect(decided).toMatchObject({ status: "part-approved" });
      const mail = t.db
        .select()
        .from(outbox)
        .all()
        .filter((m) => m.subject.includes("approved in part"));
      expect(mail.map((m) => m.toAddress)).toContain("resident@eastbrook.example");

      const lead = principal("resident@eastbrook.example");
      expect(() => offerForMember(principal("yusuf.osman@residents.example"), bidId)).toThrow();
      const offer = offerForMember(lead, bidId);
      expect(offer.offer.amountPence).toBe(30_000);
      expect(offer.instalments).toHaveLength(1);
      const grantId = t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!.grantId;
      const unaccepted = refusalOf(() =>
        requestPayment(principal("finance@eastbrook.example"), { grantId, pence: 30_000, idempotencyKey: key() }),
      );
      expect(english(unaccepted.message)).toMatch(/not accepted/);
      expect(respondToOffer(lead, { bidId, accept: true })).toBe("offer-accepted");

      expect(paymentsQueue().find((g) => g.grantId === grantId)).toBeTruthy();
      const requested = requestPayment(principal("finance@eastbrook.example"), {
        grantId,
        pence: 30_000,
        idempotencyKey: key(),
      });
      confirmPayment(principal("finance2@eastbrook.example"), {
        payRequestEntryId: requested.entryId,
        paymentRef: "AP-TEST-1",
        idempotencyKey: key(),
      });
      const instalment = t.db
        .select()
        .from(grantInstalments)
        .where(eq(grantInstalments.payRequestEntryId, requested.entryId))
        .get()!;
      expect(instalment.paidAt).not.toBeNull();
      expect(statusOf(bidId)).toBe("paid");

      // The member turns reminders off; the lead keeps them.
      const member = t.db
        .select()
        .from(groupMembers)
        .where(eq(groupMembers.groupId, 1))
        .all()
        .find((m) => m.memberRole === "member")!;
      const memberPrincipal = loadPrincipal(member.userId)!;
      setNotificationPreferences(memberPrincipal, ["bid-updates", "payments", "ward-digest"]);
      expect(
        t.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, member.userId)).all(),
      ).toHaveLength(4);
      const before = t.db.select().from(outbox).all().length;
      const reminded = sendMonitoringReminders(new Date());
      expect(reminded).toContain(bidId);
      expect(statusOf(bidId)).toBe("monitoring-due");
      const sent = t.db
        .select()
        .from(outbox)
        .all()
        .slice(before)
        .filter(
          (m) =>
            m.subject ===
            `Monitoring report due: ${t.db.select().from(bids).where(eq(bids.id, bidId)).get()!.reference}`,
        );
      expect(sent.map((m) => m.toAddress)).toEqual(["resident@eastbrook.example"]);
      // Not again within the week.
      expect(sendMonitoringReminders(new Date())).not.toContain(bidId);

      expect(
        submitMonitoringReport(lead, bidId, {
          whatWasDone: "Built the shed with twelve volunteers",
          peopleReached: 40,
          spend: [{ lineNo: 1, actualPence: 28_000 }],
        }),
      ).toBe("closed");
      expect(
        t.db.select().from(monitoringReports).where(eq(monitoringReports.bidId, bidId)).get()!.whatWasDone,
      ).toMatch(/shed/);
    },
  );
});
