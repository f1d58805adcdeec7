/**
 * Grant offers and their instalments: the offer made when a bid is approved (terms from the fund's
 * criteria and rules, amount, conditions, payment schedule), the group's acceptance or refusal, and
 * the link from each instalment to the payment that pays it.
 *
 * A grant spanning financial years is committed one year at a time. Every instalment records the
 * financial year whose budget pays it (core/bids planInstalments), and the offer's instalments are
 * grouped into one tranche per year (`grant_tranches`). The decision commits only the award year's
 * tranche against the award year's ward budget; a later year's tranche is recorded as pending,
 * "to be committed in {fy}", because a council cannot commit next year's money before next year's
 * budget is set. The offer shows the whole award, its schedule, each year's tranche with its state,
 * and the condition that later years depend on those years' budgets.
 *
 * Once a later year's ward budget is set, its pending tranches are committed against it
 * (models/tranches.server.ts), each under its own grant in that year's fund, with an approval that
 * derives from the original decision. Paying an instalment draws on its own year's grant:
 * `grantForInstalment` maps an instalment to that grant, `offerOfGrant` maps a grant (the award's
 * or a later tranche's) back to its offer and year. Offers made before tranches existed have no
 * tranche rows; their whole award sits on the offer's grant, as it was committed then.
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  laterTranchesCondition,
  offerTerms,
  planInstalments,
  planTranches,
  transition,
  trancheStatusText,
  type BidStatus,
  type PlannedInstalment,
  type PlannedTranche,
  type ScheduleKind,
  type TrancheStatus,
} from "~/core/bids";
import type { FinancialYear, IsoDate } from "~/core/ledger";
import { formatPence } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  bids,
  communityGroups,
  funds,
  grantInstalments,
  grantOffers,
  grants,
  grantTranches,
  monitoringReports,
} from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import { formatMoney } from "~/core/locale-format";
import { grantStateOfBid, transitionOrRefuse } from "~/models/grant-state.server";
import { releaseTranches } from "~/models/tranches.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

function parseRules(text: string | null): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The payment schedule and its tranches for an award from `fund`. A ward budget's grant may span
 * financial years; a PB round's pot is a one-off, so all of its grant is paid from the round's year.
 */
export function offerPlan(input: {
  schedule: ScheduleKind;
  amountPence: number;
  today: IsoDate;
  endOn: IsoDate | null;
  fund: { fy: string; kind: string };
}): { instalments: PlannedInstalment[]; tranches: PlannedTranche[] } {
  const instalments = planInstalments(input.schedule, input.amountPence, input.today, input.endOn, {
    awardFy: input.fund.fy,
    multiYear: input.fund.kind === "ward-budget",
  });
  return { instalments, tranches: planTranches(instalments) };
}

/** The award year's commitment, posted with the decision before the offer is written. */
export interface AwardCommitment {
  /** The COMMIT entry that credits the offer's grant with the award year's tranche. */
  entryId: string;
  approvalId: string | null;
  committedBy: string;
}

/**
 * Writes the offer, its instalments and its tranches inside the decision's transaction. The award
 * year's tranche is committed (by `commitment`); every later year's tranche is pending.
 */
export function createOffer(
  tx: Db,
  input: {
    bidId: number;
    grantId: string;
    amountPence: number;
    fund: typeof funds.$inferSelect;
    title: string;
    endOn: string | null;
    schedule: ScheduleKind;
    today: string;
    createdAt: string;
    conditions?: string;
    /** The schedule, when the caller planned it already (to commit the award year's part). */
    instalments?: PlannedInstalment[];
    commitment: AwardCommitment;
  },
): number {
  const terms = offerTerms({
    fundName: input.fund.name,
    criteria: input.fund.criteria,
    rules: parseRules(input.fund.grantRules),
    amountPence: input.amountPence,
    amountText: formatPence(input.amountPence),
    title: input.title,
  });
  const plan =
    input.instalments ??
    offerPlan({
      schedule: input.schedule,
      amountPence: input.amountPence,
      today: input.today,
      endOn: input.endOn,
      fund: input.fund,
    }).instalments;
  const tranches = planTranches(plan);
  const conditions =
    input.conditions ??
    [
      plan.some((p) => p.afterMonitoring)
        ? "The second instalment is paid once the council has received the monitoring report."
        : "",
      laterTranchesCondition(tranches, input.fund.fy, formatPence) ?? "",
    ]
      .filter(Boolean)
      .join("\n");
  const existing = tx.select().from(grantOffers).where(eq(grantOffers.bidId, input.bidId)).get();
  let offerId: number;
  if (existing) {
    // A bid approved again after changes gets a fresh offer in place of the earlier, unaccepted one.
    tx.delete(grantInstalments).where(eq(grantInstalments.offerId, existing.id)).run();
    tx.delete(grantTranches).where(eq(grantTranches.offerId, existing.id)).run();
    tx.update(grantOffers)
      .set({
        grantId: input.grantId,
        amountPence: input.amountPence,
        terms,
        conditions,
        createdAt: input.createdAt,
        acceptedAt: null,
        acceptedBy: null,
        declinedAt: null,
      })
      .where(eq(grantOffers.id, existing.id))
      .run();
    offerId = existing.id;
  } else {
    offerId = tx
      .insert(grantOffers)
      .values({
        bidId: input.bidId,
        grantId: input.grantId,
        amountPence: input.amountPence,
        terms,
        conditions,
        createdAt: input.createdAt,
      })
      .returning({ id: grantOffers.id })
      .get().id;
  }
  for (const p of plan)
    tx.insert(grantInstalments)
      .values({
        offerId,
        seq: p.seq,
        amountPence: p.amountPence,
        dueOn: p.dueOn,
        fy: p.fy,
        afterMonitoring: p.afterMonitoring,
      })
      .run();
  for (const t of tranches) {
    const awardYear = t.fy === input.fund.fy;
    tx.insert(grantTranches)
      .values({
        offerId,
        fy: t.fy,
        amountPence: t.amountPence,
        status: awardYear ? "committed" : "pending",
        grantId: awardYear ? input.grantId : null,
        commitEntryId: awardYear ? input.commitment.entryId : null,
        approvalId: awardYear ? input.commitment.approvalId : null,
        committedAt: awardYear ? input.createdAt : null,
        committedBy: awardYear ? input.commitment.committedBy : null,
      })
      .run();
  }
  return offerId;
}

/** One year's part of an offer, as the pages show it. */
export interface TrancheView {
  id: number | null;
  fy: FinancialYear;
  amountPence: number;
  status: TrancheStatus;
  grantId: string | null;
  paidPence: number;
  paid: boolean;
  statusText: string;
  lastRefusal: string | null;
  committedAt: string | null;
}

/**
 * The tranches of an offer with what each has paid. An offer made before tranches existed shows
 * one committed tranche: its whole award, on the offer's grant, in the fund's year.
 */
export function tranchesOfOffer(
  database: Db,
  offer: { id: number; grantId: string; amountPence: number },
): TrancheView[] {
  const instalments = database.select().from(grantInstalments).where(eq(grantInstalments.offerId, offer.id)).all();
  const rows = database
    .select()
    .from(grantTranches)
    .where(eq(grantTranches.offerId, offer.id))
    .orderBy(asc(grantTranches.fy))
    .all();
  const paidIn = (fy: string | null) =>
    instalments.filter((i) => i.paidAt && (fy === null || i.fy === fy)).reduce((s, i) => s + i.amountPence, 0);
  if (rows.length === 0) {
    const fy =
      database
        .select({ fy: funds.fy })
        .from(grants)
        .innerJoin(funds, eq(funds.id, grants.fundId))
        .where(eq(grants.id, offer.grantId))
        .get()?.fy ?? "";
    const paidPence = paidIn(null);
    const paid = paidPence >= offer.amountPence;
    return [
      {
        id: null,
        fy,
        amountPence: offer.amountPence,
        status: "committed",
        grantId: offer.grantId,
        paidPence,
        paid,
        statusText: trancheStatusText({ status: "committed", fy, paid }),
        lastRefusal: null,
        committedAt: null,
      },
    ];
  }
  return rows.map((t) => {
    const paidPence = paidIn(t.fy);
    const paid = t.status === "committed" && paidPence >= t.amountPence;
    return {
      id: t.id,
      fy: t.fy,
      amountPence: t.amountPence,
      status: t.status,
      grantId: t.grantId,
      paidPence,
      paid,
      statusText: trancheStatusText({ status: t.status, fy: t.fy, paid }),
      lastRefusal: t.lastRefusal,
      committedAt: t.committedAt,
    };
  });
}

/** The offer a grant pays, and the year it pays (null: every year, for an offer without tranches). */
export function offerOfGrant(
  database: Db,
  grantId: string,
): { offer: typeof grantOffers.$inferSelect; fy: string | null } | null {
  const tranche = database.select().from(grantTranches).where(eq(grantTranches.grantId, grantId)).get();
  if (tranche) {
    const offer = database.select().from(grantOffers).where(eq(grantOffers.id, tranche.offerId)).get();
    return offer ? { offer, fy: tranche.fy } : null;
  }
  const offer = database.select().from(grantOffers).where(eq(grantOffers.grantId, grantId)).get();
  return offer ? { offer, fy: null } : null;
}

/**
 * The grant an instalment is paid from: its year's tranche grant, the offer's own grant for an
 * offer without tranches, or null while its year's tranche is not committed.
 */
function grantForInstalment(
  offer: { id: number; grantId: string },
  fy: string,
  tranches: readonly (typeof grantTranches.$inferSelect)[],
): string | null {
  const mine = tranches.filter((t) => t.offerId === offer.id);
  if (mine.length === 0) return offer.grantId;
  const tranche = mine.find((t) => t.fy === fy);
  return tranche?.status === "committed" ? tranche.grantId : null;
}

function loadOffer(database: Db, bidId: number) {
  const bid = database.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) return null;
  const offer = database.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get();
  if (!offer) return null;
  const instalments = database
    .select()
    .from(grantInstalments)
    .where(eq(grantInstalments.offerId, offer.id))
    .orderBy(asc(grantInstalments.seq))
    .all();
  const group = database
    .select({ id: communityGroups.id, name: communityGroups.name })
    .from(communityGroups)
    .where(eq(communityGroups.id, bid.groupId))
    .get()!;
  return { bid, offer, instalments, group };
}

/** The offer on a bid, for a member of the bidding group (404 otherwise, so nothing leaks). */
export function offerForMember(user: Principal, bidId: number, database: Db = db()) {
  const loaded = loadOffer(database, bidId);
  if (!loaded || !user.groupIds.includes(loaded.bid.groupId)) throw Refusal.notFound("Offer not found");
  const { bid, offer, instalments, group } = loaded;
  return {
    bid: { id: bid.id, reference: bid.reference, title: bid.title, status: bid.status as BidStatus },
    group,
    offer: {
      id: offer.id,
      amountPence: offer.amountPence,
      terms: offer.terms,
      conditions: offer.conditions,
      createdAt: offer.createdAt,
      acceptedAt: offer.acceptedAt,
      declinedAt: offer.declinedAt,
    },
    instalments: instalments.map((i) => ({
      seq: i.seq,
      amountPence: i.amountPence,
      dueOn: i.dueOn,
      fy: i.fy,
      afterMonitoring: i.afterMonitoring,
      paidAt: i.paidAt,
    })),
    tranches: tranchesOfOffer(database, offer),
  };
}

/** A bid's offer with its tranches, for the bid page (whoever may see the bid), or null. */
export function offerSummaryForBid(bidId: number, database: Db = db()) {
  const offer = database.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get();
  if (!offer) return null;
  return {
    amountPence: offer.amountPence,
    acceptedAt: offer.acceptedAt,
    declinedAt: offer.declinedAt,
    tranches: tranchesOfOffer(database, offer),
  };
}

/** The group accepts (status offer-accepted) or declines (the bid is withdrawn) its grant offer. */
export function respondToOffer(
  user: Principal,
  input: { bidId: number; accept: boolean; note?: string | null },
  now = new Date(),
  database: Db = db(),
): BidStatus {
  return writeTransaction((tx) => {
    const loaded = loadOffer(tx, input.bidId);
    if (!loaded || !user.groupIds.includes(loaded.bid.groupId)) throw new Refusal("Offer not found", { status: 404 });
    const { bid, offer } = loaded;
    if (offer.acceptedAt || offer.declinedAt)
      throw new Refusal("This offer has already been answered.", { status: 409 });
    const kind =
      tx.select({ kind: funds.kind }).from(funds).where(eq(funds.id, bid.fundId)).get()?.kind ?? "ward-budget";
    const move = transition(kind, bid.status as BidStatus, input.accept ? "accept-offer" : "withdraw");
    if (!move.ok) throw new Refusal(move.reason, { status: 409 });
    const grant = grantStateOfBid(tx, bid.id);
    if (grant) {
      const reason = input.note?.trim() || "The group declined the grant offer";
      transitionOrRefuse(grant, input.accept ? { type: "accept-offer" } : { type: "decline-offer", reason });
    }
    const at = now.toISOString();
    if (input.accept)
      tx.update(grantOffers).set({ acceptedAt: at, acceptedBy: user.id }).where(eq(grantOffers.id, offer.id)).run();
    else tx.update(grantOffers).set({ declinedAt: at }).where(eq(grantOffers.id, offer.id)).run();
    tx.update(bids)
      .set({
        status: move.to,
        updatedAt: at,
        ...(input.accept
          ? {}
          : { withdrawnAt: at, withdrawnReason: input.note?.trim() || "The group declined the grant offer" }),
      })
      .where(eq(bids.id, bid.id))
      .run();
    recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      action: input.accept ? "offer.accepted" : "offer.declined",
      entityType: "bid",
      entityId: bid.id,
      reason: input.note ?? null,
      before: { status: bid.status },
      after: { status: move.to, offerId: offer.id },
    });
    if (!input.accept)
      releaseTranches(
        tx,
        { id: user.id, name: user.name },
        { bidId: bid.id, reason: input.note?.trim() || "The group declined the grant offer", now },
      );
    notifyUsers(tx, {
      userIds: groupMemberIds(tx, bid.groupId),
      topic: "essential",
      subject: (t) =>
        t(input.accept ? "mail:offer.acceptedSubject" : "mail:offer.declinedSubject", { reference: bid.reference }),
      body: (t, language) =>
        t(input.accept ? "mail:offer.acceptedBody" : "mail:offer.declinedBody", {
          person: user.name,
          amount: formatMoney(offer.amountPence, language),
          title: bid.title,
        }),
    });
    return move.to;
  }, database);
}

/**
 * Unpaid instalments of accepted offers, by the grant that pays them (each year's tranche grant),
 * for the finance payments queue. Instalments of a tranche not yet committed belong to no grant.
 */
export function dueInstalmentsByGrant(database: Db = db()) {
  const rows = database
    .select({
      offerId: grantOffers.id,
      grantId: grantOffers.grantId,
      bidId: grantOffers.bidId,
      seq: grantInstalments.seq,
      amountPence: grantInstalments.amountPence,
      dueOn: grantInstalments.dueOn,
      fy: grantInstalments.fy,
      afterMonitoring: grantInstalments.afterMonitoring,
      payRequestEntryId: grantInstalments.payRequestEntryId,
      paidAt: grantInstalments.paidAt,
    })
    .from(grantInstalments)
    .innerJoin(grantOffers, eq(grantOffers.id, grantInstalments.offerId))
    .where(sql`${grantOffers.acceptedAt} is not null`)
    .orderBy(asc(grantInstalments.dueOn), asc(grantInstalments.seq))
    .all();
  const offerIds = [...new Set(rows.map((r) => r.offerId))];
  const tranches = offerIds.length
    ? database.select().from(grantTranches).where(inArray(grantTranches.offerId, offerIds)).all()
    : [];
  const submittedReports = new Set(
    database
      .select({ bidId: monitoringReports.bidId })
      .from(monitoringReports)
      .where(sql`${monitoringReports.submittedAt} is not null`)
      .all()
      .map((r) => r.bidId),
  );
  const map = new Map<string, ((typeof rows)[number] & { waitingForMonitoring: boolean })[]>();
  for (const row of rows) {
    if (row.paidAt) continue;
    const grantId = grantForInstalment({ id: row.offerId, grantId: row.grantId }, row.fy, tranches);
    if (!grantId) continue;
    const list = map.get(grantId) ?? [];
    list.push({ ...row, grantId, waitingForMonitoring: row.afterMonitoring && !submittedReports.has(row.bidId) });
    map.set(grantId, list);
  }
  return map;
}

/** Whether a grant comes from a bid whose offer the group has not accepted (no payment until it does). */
export function offerNotAccepted(database: Db, grantId: string): boolean {
  const found = offerOfGrant(database, grantId);
  return Boolean(found && !found.offer.acceptedAt);
}

/**
 * Links a payment request to the first instalment, not yet asked for, that the grant pays: for a
 * later year's tranche grant, an instalment of that year.
 */
export function linkPayRequest(tx: Db, grantId: string, payRequestEntryId: string): void {
  const found = offerOfGrant(tx, grantId);
  if (!found) return;
  const next = tx
    .select()
    .from(grantInstalments)
    .where(
      and(
        eq(grantInstalments.offerId, found.offer.id),
        isNull(grantInstalments.payRequestEntryId),
        isNull(grantInstalments.paidAt),
        found.fy === null ? undefined : eq(grantInstalments.fy, found.fy),
      ),
    )
    .orderBy(asc(grantInstalments.seq))
    .get();
  if (next) tx.update(grantInstalments).set({ payRequestEntryId }).where(eq(grantInstalments.id, next.id)).run();
}

/** A payment request failed or was reversed: its instalment waits for a new request. */
export function unlinkPayRequest(tx: Db, payRequestEntryId: string): void {
  tx.update(grantInstalments)
    .set({ payRequestEntryId: null })
    .where(and(eq(grantInstalments.payRequestEntryId, payRequestEntryId), isNull(grantInstalments.paidAt)))
    .run();
}

/**
 * A confirmed payment: marks its instalment paid and moves the bid to paid (through the state
 * machine), with an audit event and a mail to the group.
 */
export function recordInstalmentPaid(
  tx: Db,
  input: { grantId: string; payRequestEntryId: string; pence: number; actor: { id: string; name: string }; at: string },
): void {
  const offer = offerOfGrant(tx, input.grantId)?.offer;
  if (!offer) return;
  tx.update(grantInstalments)
    .set({ paidAt: input.at })
    .where(and(eq(grantInstalments.offerId, offer.id), eq(grantInstalments.payRequestEntryId, input.payRequestEntryId)))
    .run();
  const bid = tx.select().from(bids).where(eq(bids.id, offer.bidId)).get();
  if (!bid) return;
  const move = transition("ward-budget", bid.status as BidStatus, "record-payment");
  if (move.ok) {
    tx.update(bids).set({ status: move.to, updatedAt: input.at }).where(eq(bids.id, bid.id)).run();
    recordAudit(tx, {
      actor: input.actor,
      action: "bid.paid",
      entityType: "bid",
      entityId: bid.id,
      before: { status: bid.status },
      after: { status: move.to, pence: input.pence, payRequestEntryId: input.payRequestEntryId },
    });
  }
  notifyUsers(tx, {
    userIds: groupMemberIds(tx, bid.groupId),
    topic: "payments",
    subject: (t) => t("mail:offer.paidSubject", { reference: bid.reference }),
    body: (t, language) => t("mail:offer.paidBody", { amount: formatMoney(input.pence, language), title: bid.title }),
  });
}
