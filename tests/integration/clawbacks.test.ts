/**
 * Underspends and clawbacks: a monitoring report that shows less spent than was paid prompts
 * finance (a mail to every finance officer and a "Possible clawbacks" list on the finance home with
 * the clawback form filled in), and a received clawback counts in the balances' "Returned" column.
 * On a fresh copy of the seeded council (tests/support/grant-world.ts) for each test.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bids, outbox, roleGrants, users } from "~/db/schema";
import { possibleClawbacks, withReturnedClawbacks } from "~/models/clawbacks.server";
import { decideBid } from "~/models/decisions.server";
import {
  confirmPayment,
  decideReversal,
  fundBalances,
  raiseClawback,
  receiveClawback,
  requestPayment,
  requestReversal,
} from "~/models/finance.server";
import { openDueMonitoring, submitMonitoringReport } from "~/models/monitoring.server";
import { respondToOffer } from "~/models/offers.server";
import { loader as financeHomeLoader } from "~/routes/finance._index";
import { loadPrincipal } from "~/utils/auth.server";
import { groupId, groupLead, submittedBid, wardId } from "../factories";
import { useGrantWorld, THIS_FY, type GrantTemplate, type GrantWorld } from "../support/grant-world";
import { getRequest, sessionCookieFor } from "../support/requests";

let template: GrantTemplate;
let world: GrantWorld;

useGrantWorld((w, t) => {
  world = w;
  template = t;
});

const year = Number(THIS_FY.slice(0, 4));
let keys = 0;
const key = () => `clawbacks-${(keys += 1)}`;
const byEmail = (email: string) =>
  loadPrincipal(world.db.select().from(users).where(eq(users.email, email)).get()!.id, world.db)!;
const finance = () => byEmail("finance@eastbrook.example");
const finance2 = () => byEmail("finance2@eastbrook.example");
const GROUP = "Brookside Community Larder";
const WARD = "Brookside";
const lead = () => loadPrincipal(groupLead(world.db, groupId(world.db, GROUP)), world.db)!;
const councillor = () =>
  loadPrincipal(
    world.db
      .select()
      .from(roleGrants)
      .where(eq(roleGrants.wardId, wardId(world.db, WARD)))
      .get()!.userId,
    world.db,
  )!;

/** A £400 grant, paid in full, whose project has ended, with its monitoring report due. */
function paidGrantWithReportDue() {
  const bidId = submittedBid(world.db, {
    group: GROUP,
    wards: [WARD],
    pence: 40_000,
    endOn: `${year + 1}-02-28`,
    fundId: template.thisFundId,
  });
  decideBid(
    councillor(),
    { bidId, hasInterest: false, outcome: "approve", schedule: "single", idempotencyKey: key() },
    new Date(),
    world.db,
  );
  respondToOffer(lead(), { bidId, accept: true }, new Date(), world.db);
  const grantId = world.db.select().from(bids).where(eq(bids.id, bidId)).get()!.grantId!;
  const request = requestPayment(finance(), { grantId, pence: 40_000, idempotencyKey: key() }, world.db);
  confirmPayment(
    finance2(),
    { payRequestEntryId: request.entryId, paymentRef: "AP-CLAW-1", idempotencyKey: key() },
    world.db,
  );
  openDueMonitoring(new Date(`${year + 2}-01-01T12:00:00Z`), world.db);
  expect(world.db.select().from(bids).where(eq(bids.id, bidId)).get()!.status).toBe("monitoring-due");
  return { bidId, grantId };
}

function report(bidId: number, spentPence: number) {
  return submitMonitoringReport(
    lead(),
    bidId,
    { whatWasDone: "Ran the larder", peopleReached: 60, spend: [{ lineNo: 1, actualPence: spentPence }] },
    new Date(),
    world.db,
  );
}

const clawbackMails = () =>
  world.db
    .select()
    .from(outbox)
    .all()
    .filter((m) => m.subject.startsWith("Possible clawback"));
const financeAddresses = () =>
  world.db.$client
    .prepare(
      `select distinct u.email as email from role_grants r join users u on u.id = r.user_id
        where r.role = 'finance' order by 1`,
    )
    .all()
    .map((r) => (r as { email: string }).email);

describe("a monitoring report that shows an underspend", () => {
  it("prompts finance by mail and on the finance home; the bid closes; what comes back is returned", async () => {
    const { bidId, grantId } = paidGrantWithReportDue();
    expect(report(bidId, 30_000)).toBe("closed");

    const mails = clawbackMails();
    expect(mails.map((m) => m.toAddress).sort()).toEqual(financeAddresses());
    expect(mails[0]!.body).toContain("£300.00 was spent of the £400.00 awarded; £400.00 has been paid");
    expect(mails[0]!.body).toContain(`clawback of £100.00 on grant ${grantId}`);

    expect(possibleClawbacks(world.db)).toEqual([
      expect.objectContaining({
        bidId,
        grantId,
        awardedPence: 40_000,
        paidPence: 40_000,
        spentPence: 30_000,
        underspendPence: 10_000,
      }),
    ]);
    // Part of it is clawed back: the rest is still listed, and what came back shows as returned.
    raiseClawback(
      finance(),
      { grantId, pence: 4_000, reason: "Underspend", invoiceRef: "SI-0", idempotencyKey: key() },
      world.db,
    );
    receiveClawback(finance(), { grantId, pence: 4_000, receiptRef: "RC-0", idempotencyKey: key() }, world.db);
    // One loader call per file: the session store keeps the first database handle it is given.
    const cookie = await sessionCookieFor("finance@eastbrook.example");
    const response = await financeHomeLoader({ request: getRequest("/finance", cookie), params: {}, context: {} });
    const home = (await response.json()) as {
      clawbacks: { grantId: string; underspendPence: number }[];
      formKey: string;
      funds: { fundId: string; wards: { wardName: string; balances: { returned: number } }[] }[];
    };
    expect(home.clawbacks).toEqual([expect.objectContaining({ grantId, underspendPence: 6_000 })]);
    expect(home.formKey).toMatch(/^[0-9a-f-]{36}$/);
    const fund = home.funds.find((f) => f.fundId === template.thisFundId)!;
    expect(fund.wards.find((w) => w.wardName === WARD)!.balances.returned).toBe(4_000);
  });

  it("drops off the list once the clawback is raised", () => {
    const { bidId, grantId } = paidGrantWithReportDue();
    report(bidId, 30_000);
    raiseClawback(
      finance(),
      { grantId, pence: 10_000, reason: "Underspend", invoiceRef: "SI-1", idempotencyKey: key() },
      world.db,
    );
    expect(possibleClawbacks(world.db)).toEqual([]);
  });

  it("does not prompt when everything paid was spent", () => {
    const { bidId } = paidGrantWithReportDue();
    expect(report(bidId, 40_000)).toBe("closed");
    expect(clawbackMails()).toEqual([]);
    expect(possibleClawbacks(world.db)).toEqual([]);
  });
});

describe("the balances' Returned column", () => {
  const brookside = () => {
    const fund = withReturnedClawbacks(fundBalances(THIS_FY, world.db), undefined).find(
      (f) => f.fundId === template.thisFundId,
    )!;
    return { ward: fund.wards.find((w) => w.wardName === WARD)!.balances, total: fund.total };
  };

  it("counts a received clawback, and stops counting it when the receipt is reversed", () => {
    const { bidId, grantId } = paidGrantWithReportDue();
    report(bidId, 30_000);
    const before = brookside();
    expect(before.ward.returned).toBe(0);
    raiseClawback(
      finance(),
      { grantId, pence: 10_000, reason: "Underspend", invoiceRef: "SI-2", idempotencyKey: key() },
      world.db,
    );
    expect(brookside().ward.returned).toBe(0);
    const received = receiveClawback(
      finance(),
      { grantId, pence: 10_000, receiptRef: "RC-2", idempotencyKey: key() },
      world.db,
    );
    const after = brookside();
    expect(after.ward.returned).toBe(10_000);
    expect(after.total.returned).toBe(before.total.returned + 10_000);
    // The money went back into the ward budget, so it is available again as well.
    expect(after.ward.available).toBe(before.ward.available + 10_000);

    requestReversal(
      finance(),
      { entryId: received.entryId, reason: "Receipt recorded against the wrong grant" },
      world.db,
    );
    decideReversal(finance2(), { entryId: received.entryId, approve: true, idempotencyKey: key() }, world.db);
    expect(brookside().ward.returned).toBe(0);
  });
});
