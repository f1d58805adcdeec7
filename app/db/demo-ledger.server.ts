/**
 * The demo council's money: this financial year's ward budgets (a £250,000 pot split across the
 * wards pro rata by population, to the penny) and a realistic history of grants: commitments
 * approved by ward councillors, payments requested and confirmed, a failed payment, a payment
 * reversed because it was keyed against the wrong grant, and a clawback raised and received.
 * Everything goes through the ledger's own posting service, so the demo ledger verifies.
 */
import { asc, eq } from "drizzle-orm";
import {
  budgetSet,
  clawbackRaise,
  clawbackReceived,
  commit,
  financialYearOf,
  financialYearStart,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  sharesFromWeights,
  type IsoDate,
} from "~/core/ledger";
import { approvals, budgets, communityGroups, funds, grants, ORGANISATION_TYPES, roleGrants, users, wards } from "./schema";
import type { Db } from "./client.server";
import { postEntry } from "~/models/ledger.server";

const POT_PENCE = 25_000_000;

interface DemoGrant {
  groupName: string;
  title: string;
  summary: string;
  pence: number;
  paid: "paid" | "requested" | "failed" | "reversed-and-repaid" | "clawback" | "none";
}

const DEMO_GRANTS: DemoGrant[] = [
  { groupName: "Abbey Fields Allotment Society", title: "Accessible raised growing beds", summary: "Two raised beds so members who use wheelchairs can garden at the allotments.", pence: 150_000, paid: "paid" },
  { groupName: "Brookside Community Larder", title: "Chest freezer for the larder", summary: "A freezer so the larder can accept frozen food donations from local shops.", pence: 85_000, paid: "reversed-and-repaid" },
  { groupName: "Castle Hill Youth Football Club", title: "Goalposts and nets for the under-12s", summary: "Portable goals so the club can run a second training pitch.", pence: 120_000, paid: "paid" },
  { groupName: "Dyers Green Residents' Association", title: "Summer street party", summary: "Road closure, first aid cover and activities for the annual street party.", pence: 60_000, paid: "clawback" },
  { groupName: "Elmwood Primary PTA", title: "Reading garden benches", summary: "Benches and planters for an outdoor reading area.", pence: 95_050, paid: "requested" },
  { groupName: "Ferry Lane Friends of the Park", title: "Bulb planting day", summary: "Spring bulbs and tools for a volunteer planting day along the river path.", pence: 40_000, paid: "failed" },
  { groupName: "Granary Quarter Arts CIC", title: "Community mural", summary: "A mural designed with local young people on the underpass wall.", pence: 180_000, paid: "none" },
];

/** The date `offsetDays` into the year, but never after `today`: the demo has no future entries. */
function dayOf(fy: string, offsetDays: number, today: IsoDate): IsoDate {
  const start = new Date(`${financialYearStart(fy)}T12:00:00Z`);
  start.setUTCDate(start.getUTCDate() + offsetDays);
  const day = start.toISOString().slice(0, 10);
  return day < today ? day : today;
}

export function seedDemoLedger(database: Db, today: IsoDate): void {
  const fy = financialYearOf(today);
  const fundId = `WB-${fy.replace("/", "-")}`;
  const wardRows = database.select().from(wards).orderBy(asc(wards.gssCode)).all();
  const finance = database.select().from(users).where(eq(users.email, "finance@eastbrook.example")).get()!;
  const admin = database.select().from(users).where(eq(users.email, "admin@eastbrook.example")).get()!;
  const financeActor = { id: finance.id, name: finance.name };
  // A second finance officer confirms payments: whoever requests a payment does not confirm it.
  const confirmer = database.select().from(users).where(eq(users.email, "finance2@eastbrook.example")).get()!;
  const confirmerActor = { id: confirmer.id, name: confirmer.name };
  const day = (offsetDays: number) => dayOf(fy, offsetDays, today);
  let keyNumber = 0;
  const key = () => `demo-${fy}-${(keyNumber += 1)}`;

  database
    .insert(funds)
    .values({
      id: fundId,
      kind: "ward-budget",
      name: `Councillor Ward Budgets ${fy}`,
      fy,
      splitMethod: "population",
      potPence: POT_PENCE,
      budgetMode: "per-ward",
      minGrantPence: 10_000,
      maxGrantPence: 500_000,
      eligibleTypes: JSON.stringify(ORGANISATION_TYPES),
      grantRules: JSON.stringify({ noRetrospectiveCosts: true, quotesAbovePence: 100_000, bankAccountInOrganisationName: true, matchFundingPercent: null }),
      criteria: "Projects that bring neighbours together, improve shared spaces or help people who are isolated. Open to groups based in or serving the ward.",
      opensOn: financialYearStart(fy),
      closesOn: `${Number(fy.slice(0, 4)) + 1}-02-28`,
      commitmentCutoffOn: null,
      yearEnd: "lapse",
      createdBy: finance.id,
    })
    .run();
  const budgetIds = wardRows.map((ward) => {
    const id = `${fundId}-${ward.gssCode}`;
    database.insert(budgets).values({ id, fundId, wardId: ward.id, name: `${ward.name} ward budget ${fy}` }).run();
    return id;
  });
  const allocations = sharesFromWeights(
    POT_PENCE,
    wardRows.map((ward, i) => ({ budgetId: budgetIds[i]!, weight: ward.population })),
  );
  postEntry(
    {
      draft: budgetSet({ scheme: fundId, fy, allocations, resolutionRef: "Cabinet 2026-03-12 item 7", memo: "Ward budgets split pro rata by population" }),
      idempotencyKey: key(),
      actor: financeActor,
      effectiveDate: financialYearStart(fy),
    },
    database,
  );

  DEMO_GRANTS.forEach((demo, index) => {
    const group = database.select().from(communityGroups).where(eq(communityGroups.name, demo.groupName)).get()!;
    const ward = wardRows[index % wardRows.length]!;
    const budgetId = budgetIds[index % budgetIds.length]!;
    const councillor = database.select().from(roleGrants).where(eq(roleGrants.wardId, ward.id)).get()!;
    const grantId = `${fundId}-G${String(index + 1).padStart(3, "0")}`;
    const awardDate = day(30 + index * 12);
    database
      .insert(grants)
      .values({
        id: grantId,
        fundId,
        groupId: group.id,
        wardId: ward.id,
        title: demo.title,
        summary: demo.summary,
        amountRequestedPence: demo.pence,
        amountAwardedPence: demo.pence,
        awardDate,
        plannedStart: day(45 + index * 12),
        plannedEnd: day(300),
      })
      .run();
    const approvalId = `${grantId}-approval`;
    database
      .insert(approvals)
      .values({ id: approvalId, entryType: "COMMIT", grantId, requesterId: admin.id, approverId: councillor.userId, decidedAt: `${awardDate}T10:00:00.000Z`, amountPence: demo.pence, noInterestDeclared: true, note: "Approved in full" })
      .run();
    postEntry({ draft: commit({ grantId, sources: [{ budgetId, pence: demo.pence }], memo: demo.title }), idempotencyKey: key(), actor: { id: councillor.userId, name: "Ward councillor" }, effectiveDate: awardDate, approvalId }, database);
    if (demo.paid === "none") return;
    const pay = (offset: number, ref: string) => {
      const requested = postEntry({ draft: payRequest({ grantId, pence: demo.pence }), idempotencyKey: key(), actor: financeActor, effectiveDate: day(35 + index * 12 + offset) }, database);
      if (demo.paid === "requested" && offset === 0) return null;
      if (demo.paid === "failed" && offset === 0) {
        postEntry({ draft: payFailed({ grantId, payRequestEntryId: requested.entryId, pence: demo.pence, reason: "Bank rejected the payment: account closed" }), idempotencyKey: key(), actor: financeActor, effectiveDate: day(38 + index * 12) }, database);
        return null;
      }
      return postEntry(
        { draft: payConfirm({ grantId, payRequestEntryId: requested.entryId, pence: demo.pence, paymentRef: ref }), idempotencyKey: key(), actor: confirmerActor, effectiveDate: day(36 + index * 12 + offset) },
        database,
      );
    };
    if (demo.paid === "reversed-and-repaid") {
      // A payment request raised for the wrong amount is reversed, then raised again and paid.
      const wrong = postEntry({ draft: payRequest({ grantId, pence: demo.pence }), idempotencyKey: key(), actor: financeActor, effectiveDate: day(33 + index * 12) }, database);
      const reversalApproval = `${grantId}-reversal-approval`;
      database
        .insert(approvals)
        .values({ id: reversalApproval, entryType: "REVERSAL", subjectEntryId: wrong.entryId, requesterId: finance.id, approverId: admin.id, decidedAt: `${day(34 + index * 12)}T09:00:00.000Z`, amountPence: demo.pence, noInterestDeclared: true, note: "Payment request raised twice" })
        .run();
      const original = { entryId: wrong.entryId, postings: [{ account: `COMMITTED:${grantId}`, dc: "D" as const, pence: demo.pence }, { account: `PAYABLE:${grantId}`, dc: "C" as const, pence: demo.pence }] };
      postEntry({ draft: reversal({ original, reason: "Payment request raised twice for the same instalment" }), idempotencyKey: key(), actor: financeActor, effectiveDate: day(34 + index * 12), approvalId: reversalApproval }, database);
    }
    pay(0, `AP-${fy.slice(0, 4)}-${String(118830 + index)}`);
    if (demo.paid === "clawback") {
      const unspent = 12_500;
      postEntry({ draft: clawbackRaise({ grantId, pence: unspent, reason: "Event cost less than budgeted; unspent money returned", debtorInvoiceRef: `SI-${fy.slice(0, 4)}-0042` }), idempotencyKey: key(), actor: financeActor, effectiveDate: day(200) }, database);
      postEntry({ draft: clawbackReceived({ grantId, pence: unspent, destination: { budgetId }, receiptRef: "RCPT-0042" }), idempotencyKey: key(), actor: financeActor, effectiveDate: day(210) }, database);
    }
  });
}
