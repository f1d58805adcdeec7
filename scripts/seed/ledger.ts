/**
 * The demo council's money: this financial year's ward budgets (a £250,000 pot split across the
 * wards pro rata by population, to the penny) and a realistic history of grants: commitments
 * approved by ward councillors, payments requested and confirmed, a failed payment, a payment
 * reversed because it was keyed against the wrong grant, a clawback raised and received, and a
 * grant that runs into next financial year: its first year's part committed and paid, its second
 * year's part pending until next year's ward budgets are set.
 * Every grant is made from a bid a group submitted and a ward councillor decided, through the same
 * model functions the app uses; the current year also has bids in every other state. Everything
 * goes through the ledger's own posting service, so the demo ledger verifies.
 */
import { and, asc, eq } from "drizzle-orm";
import { addDays, type ScheduleKind } from "~/core/bids/decision";
import {
  budgetSet,
  clawbackRaise,
  clawbackReceived,
  financialYearEnd,
  financialYearOf,
  financialYearStart,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  sharesFromWeights,
  type IsoDate,
} from "~/core/ledger";
import {
  approvals,
  bids,
  budgets,
  communityGroups,
  funds,
  grantInstalments,
  grantOffers,
  groupMembers,
  ORGANISATION_TYPES,
  roleGrants,
  users,
  wards,
} from "~/db/schema";
import type { Db } from "~/db/client.server";
import { insertBid } from "../../tests/factories";
import { withdrawBid } from "~/models/bids.server";
import { decideBid } from "~/models/decisions.server";
import { postEntry } from "~/models/ledger.server";
import { openDueMonitoring, submitMonitoringReport } from "~/models/monitoring.server";
import { linkPayRequest, recordInstalmentPaid, respondToOffer, unlinkPayRequest } from "~/models/offers.server";
import { loadPrincipal } from "~/utils/auth.server";

const POT_PENCE = 25_000_000;

interface DemoGrant {
  groupName: string;
  title: string;
  summary: string;
  pence: number;
  /** "first-year": the award year's instalment is paid; a later year's part waits for its budget. */
  paid: "paid" | "requested" | "failed" | "reversed-and-repaid" | "clawback" | "first-year" | "none";
  /** Days into the year the project ended (null: it runs to the year's end). */
  endOffset: number | null;
  /** A project that runs on into next financial year: it ends this many days after 31 March. */
  endDaysIntoNextYear?: number;
  schedule?: ScheduleKind;
  /** The ward (by GSS order) whose budget funds it; by default the grant's place in the list. */
  wardIndex?: number;
  /** The group's monitoring report, once sent (the bid is then closed). */
  report?: { whatWasDone: string; peopleReached: number; spentPence: number };
  lines?: { description: string; amountPence: number }[];
}

const DEMO_GRANTS: DemoGrant[] = [
  {
    groupName: "Abbey Fields Allotment Society",
    title: "Accessible raised growing beds",
    summary: "Two raised beds so members who use wheelchairs can garden at the allotments.",
    pence: 150_000,
    paid: "paid",
    endOffset: 120,
    report: {
      whatWasDone:
        "Volunteers built two waist-high beds by the main gate. Eight members who use wheelchairs or cannot kneel " +
        "now grow vegetables there, and the beds are booked all season.",
      peopleReached: 26,
      spentPence: 150_000,
    },
  },
  {
    groupName: "Brookside Community Larder",
    title: "Chest freezer for the larder",
    summary: "A freezer so the larder can accept frozen food donations from local shops.",
    pence: 85_000,
    paid: "reversed-and-repaid",
    endOffset: null,
  },
  {
    groupName: "Castle Hill Youth Football Club",
    title: "Goalposts and nets for the under-12s",
    summary: "Portable goals so the club can run a second training pitch.",
    pence: 120_000,
    paid: "paid",
    endOffset: 140,
  },
  {
    groupName: "Dyers Green Residents' Association",
    title: "Summer street party",
    summary: "Road closure, first aid cover and activities for the annual street party.",
    pence: 60_000,
    paid: "clawback",
    endOffset: 130,
    report: {
      whatWasDone:
        "About 300 neighbours came to the street party. First aid cover was cheaper than quoted, so we returned the " +
        "unspent money.",
      peopleReached: 300,
      spentPence: 47_500,
    },
  },
  {
    groupName: "Elmwood Primary PTA",
    title: "Reading garden benches",
    summary: "Benches and planters for an outdoor reading area.",
    pence: 95_050,
    paid: "requested",
    endOffset: null,
  },
  {
    groupName: "Ferry Lane Friends of the Park",
    title: "Bulb planting day",
    summary: "Spring bulbs and tools for a volunteer planting day along the river path.",
    pence: 40_000,
    paid: "failed",
    endOffset: null,
  },
  {
    groupName: "Granary Quarter Arts CIC",
    title: "Community mural",
    summary: "A mural designed with local young people on the underpass wall.",
    pence: 180_000,
    paid: "none",
    endOffset: null,
  },
  {
    groupName: "Ironbridge Men's Shed",
    title: "Woodwork mentoring over two seasons",
    summary:
      "Weekly sessions where experienced members teach woodwork to younger men, from this autumn to next summer.",
    pence: 240_000,
    paid: "first-year",
    endOffset: null,
    endDaysIntoNextYear: 120,
    schedule: "by-year",
    wardIndex: 8,
  },
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
      nameCy: `Cyllidebau Ward Cynghorwyr ${fy}`,
      fy,
      splitMethod: "population",
      potPence: POT_PENCE,
      budgetMode: "per-ward",
      minGrantPence: 10_000,
      maxGrantPence: 500_000,
      eligibleTypes: JSON.stringify(ORGANISATION_TYPES),
      grantRules: JSON.stringify({
        noRetrospectiveCosts: true,
        quotesAbovePence: 100_000,
        bankAccountInOrganisationName: true,
        matchFundingPercent: null,
      }),
      criteria:
        "Projects that bring neighbours together, improve shared spaces or help people who are isolated. Open to " +
        "groups based in or serving the ward.",
      criteriaCy:
        "Prosiectau sy'n dod â chymdogion at ei gilydd, yn gwella mannau a rennir neu'n helpu pobl sydd wedi'u " +
        "hynysu. Yn agored i grwpiau sydd wedi'u lleoli yn y ward neu sy'n ei gwasanaethu.",
      opensOn: financialYearStart(fy),
      closesOn: `${Number(fy.slice(0, 4)) + 1}-02-28`,
      commitmentCutoffOn: null,
      yearEnd: "lapse",
      createdBy: finance.id,
    })
    .run();
  const budgetIds = wardRows.map((ward) => {
    const id = `${fundId}-${ward.gssCode}`;
    database
      .insert(budgets)
      .values({ id, fundId, wardId: ward.id, name: `${ward.name} ward budget ${fy}` })
      .run();
    return id;
  });
  const allocations = sharesFromWeights(
    POT_PENCE,
    wardRows.map((ward, i) => ({ budgetId: budgetIds[i]!, weight: ward.population })),
  );
  postEntry(
    {
      draft: budgetSet({
        scheme: fundId,
        fy,
        allocations,
        resolutionRef: "Cabinet 2026-03-12 item 7",
        memo: "Ward budgets split pro rata by population",
      }),
      idempotencyKey: key(),
      actor: financeActor,
      effectiveDate: financialYearStart(fy),
    },
    database,
  );

  const leadOf = (groupId: number) =>
    database
      .select({ id: groupMembers.userId })
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberRole, "lead")))
      .get()!.id;
  const principal = (userId: string) => loadPrincipal(userId, database)!;
  const at = (date: IsoDate, time = "10:00:00") => new Date(`${date}T${time}.000Z`);
  const projectEnd = (offsetDays: number | null) => (offsetDays === null ? financialYearEnd(fy) : day(offsetDays));

  // Every demo grant is made from a bid the group submitted and a ward councillor approved.
  DEMO_GRANTS.forEach((demo, index) => {
    const group = database.select().from(communityGroups).where(eq(communityGroups.name, demo.groupName)).get()!;
    const ward = wardRows[demo.wardIndex ?? index % wardRows.length]!;
    const councillor = database.select().from(roleGrants).where(eq(roleGrants.wardId, ward.id)).get()!;
    const lead = leadOf(group.id);
    const awardDate = day(30 + index * 12);
    const bidId = insertBid(database, {
      fundId,
      groupId: group.id,
      wardIds: [ward.id],
      title: demo.title,
      summary: demo.summary,
      submittedBy: lead,
      lines: demo.lines ?? [{ description: demo.title, amountPence: demo.pence }],
      startOn: day(45 + index * 12),
      endOn: demo.endDaysIntoNextYear
        ? addDays(financialYearEnd(fy), demo.endDaysIntoNextYear)
        : projectEnd(demo.endOffset),
      submittedAt: `${day(20 + index * 12)}T09:00:00.000Z`,
    });
    const decided = decideBid(
      principal(councillor.userId),
      { bidId, hasInterest: false, outcome: "approve", schedule: demo.schedule ?? "single", idempotencyKey: key() },
      at(awardDate),
      database,
    );
    const grantId = decided.kind === "decided" ? decided.grantId! : "";
    respondToOffer(principal(lead), { bidId, accept: true }, at(day(31 + index * 12), "18:00:00"), database);
    if (demo.paid === "none") return;
    const pay = (offset: number, ref: string, pence = demo.pence) => {
      const requested = postEntry(
        {
          draft: payRequest({ grantId, pence }),
          idempotencyKey: key(),
          actor: financeActor,
          effectiveDate: day(35 + index * 12 + offset),
        },
        database,
      );
      linkPayRequest(database, grantId, requested.entryId);
      if (demo.paid === "requested" && offset === 0) return null;
      if (demo.paid === "failed" && offset === 0) {
        postEntry(
          {
            draft: payFailed({
              grantId,
              payRequestEntryId: requested.entryId,
              pence: demo.pence,
              reason: "Bank rejected the payment: account closed",
            }),
            idempotencyKey: key(),
            actor: financeActor,
            effectiveDate: day(38 + index * 12),
          },
          database,
        );
        unlinkPayRequest(database, requested.entryId);
        return null;
      }
      const confirmedOn = day(36 + index * 12 + offset);
      const confirmed = postEntry(
        {
          draft: payConfirm({ grantId, payRequestEntryId: requested.entryId, pence, paymentRef: ref }),
          idempotencyKey: key(),
          actor: confirmerActor,
          effectiveDate: confirmedOn,
        },
        database,
      );
      recordInstalmentPaid(database, {
        grantId,
        payRequestEntryId: requested.entryId,
        pence,
        actor: confirmerActor,
        at: `${confirmedOn}T15:00:00.000Z`,
      });
      return confirmed;
    };
    if (demo.paid === "reversed-and-repaid") {
      // A payment request raised for the wrong amount is reversed, then raised again and paid.
      const wrong = postEntry(
        {
          draft: payRequest({ grantId, pence: demo.pence }),
          idempotencyKey: key(),
          actor: financeActor,
          effectiveDate: day(33 + index * 12),
        },
        database,
      );
      const reversalApproval = `${grantId}-reversal-approval`;
      database
        .insert(approvals)
        .values({
          id: reversalApproval,
          entryType: "REVERSAL",
          subjectEntryId: wrong.entryId,
          requesterId: finance.id,
          approverId: admin.id,
          decidedAt: `${day(34 + index * 12)}T09:00:00.000Z`,
          amountPence: demo.pence,
          noInterestDeclared: true,
          note: "Payment request raised twice",
        })
        .run();
      const original = {
        entryId: wrong.entryId,
        postings: [
          { account: `COMMITTED:${grantId}`, dc: "D" as const, pence: demo.pence },
          { account: `PAYABLE:${grantId}`, dc: "C" as const, pence: demo.pence },
        ],
      };
      postEntry(
        {
          draft: reversal({ original, reason: "Payment request raised twice for the same instalment" }),
          idempotencyKey: key(),
          actor: financeActor,
          effectiveDate: day(34 + index * 12),
          approvalId: reversalApproval,
        },
        database,
      );
    }
    if (demo.paid === "first-year") {
      // Only the award year's part is committed on this grant; pay that instalment.
      const offer = database.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!;
      const first = database
        .select()
        .from(grantInstalments)
        .where(and(eq(grantInstalments.offerId, offer.id), eq(grantInstalments.seq, 1)))
        .get()!;
      pay(0, `AP-${fy.slice(0, 4)}-${String(118830 + index)}`, first.amountPence);
      return;
    }
    pay(0, `AP-${fy.slice(0, 4)}-${String(118830 + index)}`);
    if (demo.report !== undefined || demo.endOffset !== null) {
      // The project has ended: a monitoring report falls due.
      openDueMonitoring(at(day(demo.endOffset! + 1)), database);
    }
    if (demo.report) {
      submitMonitoringReport(
        principal(lead),
        bidId,
        {
          whatWasDone: demo.report.whatWasDone,
          peopleReached: demo.report.peopleReached,
          spend: [{ lineNo: 1, actualPence: demo.report.spentPence }],
        },
        at(day(demo.endOffset! + 10)),
        database,
      );
    }
    if (demo.paid === "clawback") {
      const unspent = demo.pence - (demo.report?.spentPence ?? demo.pence - 12_500);
      postEntry(
        {
          draft: clawbackRaise({
            grantId,
            pence: unspent,
            reason: "Event cost less than budgeted; unspent money returned",
            debtorInvoiceRef: `SI-${fy.slice(0, 4)}-0042`,
          }),
          idempotencyKey: key(),
          actor: financeActor,
          effectiveDate: day(200),
        },
        database,
      );
      postEntry(
        {
          draft: clawbackReceived({
            grantId,
            pence: unspent,
            destination: { budgetId: budgetIds[index % budgetIds.length]! },
            receiptRef: "RCPT-0042",
          }),
          idempotencyKey: key(),
          actor: financeActor,
          effectiveDate: day(210),
        },
        database,
      );
    }
  });

  seedOtherBids(database, { fundId, wardRows, day, key, principal, leadOf, at });
}

/**
 * Bids in the states the grant history above does not reach: waiting, sent back, part-approved, rejected, draft and
 * withdrawn.
 */
function seedOtherBids(
  database: Db,
  ctx: {
    fundId: string;
    wardRows: (typeof wards.$inferSelect)[];
    day: (offset: number) => IsoDate;
    key: () => string;
    principal: (userId: string) => NonNullable<ReturnType<typeof loadPrincipal>>;
    leadOf: (groupId: number) => string;
    at: (date: IsoDate, time?: string) => Date;
  },
): void {
  const { fundId, wardRows, day, key, principal, leadOf, at } = ctx;
  const groupNamed = (name: string) =>
    database.select().from(communityGroups).where(eq(communityGroups.name, name)).get()!;
  const councillorOf = (wardIndex: number) =>
    database.select().from(roleGrants).where(eq(roleGrants.wardId, wardRows[wardIndex]!.id)).get()!.userId;
  const bid = (
    groupName: string,
    wardIndex: number | number[],
    title: string,
    summary: string,
    lines: { description: string; amountPence: number }[],
    submittedOffset: number,
    status: "draft" | "submitted" = "submitted",
  ) => {
    const group = groupNamed(groupName);
    return insertBid(database, {
      fundId,
      groupId: group.id,
      wardIds: (Array.isArray(wardIndex) ? wardIndex : [wardIndex]).map((i) => wardRows[i]!.id),
      title,
      summary,
      submittedBy: leadOf(group.id),
      lines,
      startOn: day(240),
      endOn: day(330),
      submittedAt: `${day(submittedOffset)}T09:00:00.000Z`,
      status,
    });
  };
  // Waiting for the Abbey Fields councillors: the decision walkthrough starts from these two.
  bid(
    "Abbey Fields Allotment Society",
    0,
    "Tool shed for shared equipment",
    "A lockable shed so members can share tools instead of each buying their own.",
    [
      { description: "Timber shed, 8ft by 6ft", amountPence: 42_000 },
      { description: "Base, fixings and padlocks", amountPence: 13_000 },
    ],
    200,
  );
  bid(
    "Abbey Fields Allotment Society",
    0,
    "Water butts and a rainwater tank",
    "Collect rainwater for the allotments so members use less mains water in summer.",
    [
      { description: "Rainwater tank, 1,000 litres", amountPence: 38_000 },
      { description: "Six water butts with stands", amountPence: 24_000 },
    ],
    205,
  );
  const sentBack = bid(
    "Juniper Vale Food Bank",
    9,
    "Delivery van hire for the winter",
    "Hire a van to deliver food parcels to people who cannot get to the food bank.",
    [{ description: "Van hire, 12 weeks", amountPence: 240_000 }],
    150,
  );
  decideBid(
    principal(councillorOf(9)),
    {
      bidId: sentBack,
      hasInterest: false,
      outcome: "request-changes",
      reason: "Please add quotes from two hire companies and say how many households you will reach.",
      idempotencyKey: key(),
    },
    at(day(160)),
    database,
  );
  const part = bid(
    "Hollins Park Bowls Club",
    7,
    "Accessible path to the bowling green",
    "A level path and handrail so members with limited mobility can reach the green.",
    [
      { description: "Path surfacing", amountPence: 180_000 },
      { description: "Handrail", amountPence: 45_000 },
    ],
    170,
  );
  decideBid(
    principal(councillorOf(7)),
    {
      bidId: part,
      hasInterest: false,
      outcome: "part-approve",
      amountPence: 180_000,
      reason: "The path is funded; the club's insurer is paying for the handrail.",
      idempotencyKey: key(),
    },
    at(day(180)),
    database,
  );
  // Two bids across Abbey Fields and Brookside: each ward's councillor decides that ward's share.
  bid(
    "Abbey Fields Allotment Society",
    [0, 1],
    "Shared tool library for Abbey Fields and Brookside",
    "A lending library of garden tools for residents of both wards, kept at the allotments.",
    [{ description: "Garden tools and storage racks", amountPence: 60_000 }],
    206,
  );
  bid(
    "Abbey Fields Allotment Society",
    [0, 1],
    "Seed swap days in both wards",
    "Four seed swap days, two in each ward, with seeds, pots and compost to take home.",
    [{ description: "Seeds, pots and compost", amountPence: 40_000 }],
    207,
  );
  // Approved, with the grant offer not yet accepted by the group.
  const approved = bid(
    "Brookside Community Larder",
    1,
    "Shelving for the larder store room",
    "Sturdy shelving so donations can be sorted and stored safely.",
    [{ description: "Steel shelving units", amountPence: 65_000 }],
    195,
  );
  decideBid(
    principal(councillorOf(1)),
    { bidId: approved, hasInterest: false, outcome: "approve", idempotencyKey: key() },
    at(day(198)),
    database,
  );
  const rejected = bid(
    "Ironbridge Men's Shed",
    8,
    "Trip to the national woodworking show",
    "A coach trip for members to the woodworking show.",
    [{ description: "Coach hire and tickets", amountPence: 95_000 }],
    175,
  );
  decideBid(
    principal(councillorOf(8)),
    {
      bidId: rejected,
      hasInterest: false,
      outcome: "reject",
      reason: "Trips and outings are outside this fund's criteria.",
      idempotencyKey: key(),
    },
    at(day(185)),
    database,
  );
  bid(
    "St Mary's Church Hall Trust",
    2,
    "New chairs for the church hall",
    "Stackable chairs for community groups that use the hall.",
    [{ description: "60 stacking chairs", amountPence: 150_000 }],
    190,
    "draft",
  );
  const withdrawn = bid(
    "Eastbrook Carers' Network",
    0,
    "Carers' respite afternoons",
    "Monthly afternoons out for unpaid carers.",
    [{ description: "Venue and refreshments", amountPence: 80_000 }],
    120,
  );
  withdrawBid(
    principal(leadOf(groupNamed("Eastbrook Carers' Network").id)),
    withdrawn,
    "Funded by the carers' trust instead",
    database,
  );
  // The group withdrew it last year, not today.
  database
    .update(bids)
    .set({ withdrawnAt: at(day(130)).toISOString() })
    .where(eq(bids.id, withdrawn))
    .run();
}
