/**
 * Grant offers and their instalments: the offer made when a bid is approved (terms from the fund's
 * criteria and rules, amount, conditions, payment schedule), the group's acceptance or refusal, and
 * the link from each instalment to the payment that pays it.
 *
 * A grant spanning financial years: every instalment records the year its due date falls in. The
 * whole award is committed against the deciding year's budget when the bid is approved; a later
 * year's tranche is shown as "due in {fy}" and paid from that commitment (a tranche is not
 * re-committed against next year's budget, which may not exist yet).
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { offerTerms, planInstalments, transition, type BidStatus, type ScheduleKind } from "~/core/bids";
import { formatPence } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { bids, communityGroups, funds, grantInstalments, grantOffers, monitoringReports } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import type { Principal } from "~/utils/auth.server";

export class OfferRefusal extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 409 = 409,
  ) {
    super(message);
  }
}

function parseRules(text: string | null): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Writes the offer and its instalments inside the decision's transaction. */
export function createOffer(
  tx: Db,
  input: { bidId: number; grantId: string; amountPence: number; fund: typeof funds.$inferSelect; title: string; endOn: string | null; schedule: ScheduleKind; today: string; createdAt: string; conditions?: string },
): number {
  const terms = offerTerms({ fundName: input.fund.name, criteria: input.fund.criteria, rules: parseRules(input.fund.grantRules), amountPence: input.amountPence, amountText: formatPence(input.amountPence), title: input.title });
  const plan = planInstalments(input.schedule, input.amountPence, input.today, input.endOn);
  const conditions = input.conditions ?? (plan.some((p) => p.afterMonitoring) ? "The second instalment is paid once the council has received the monitoring report." : "");
  const existing = tx.select().from(grantOffers).where(eq(grantOffers.bidId, input.bidId)).get();
  let offerId: number;
  if (existing) {
    // A bid approved again after changes gets a fresh offer in place of the earlier, unaccepted one.
    tx.delete(grantInstalments).where(eq(grantInstalments.offerId, existing.id)).run();
    tx.update(grantOffers).set({ grantId: input.grantId, amountPence: input.amountPence, terms, conditions, createdAt: input.createdAt, acceptedAt: null, acceptedBy: null, declinedAt: null }).where(eq(grantOffers.id, existing.id)).run();
    offerId = existing.id;
  } else {
    offerId = tx.insert(grantOffers).values({ bidId: input.bidId, grantId: input.grantId, amountPence: input.amountPence, terms, conditions, createdAt: input.createdAt }).returning({ id: grantOffers.id }).get().id;
  }
  for (const p of plan) tx.insert(grantInstalments).values({ offerId, seq: p.seq, amountPence: p.amountPence, dueOn: p.dueOn, fy: p.fy, afterMonitoring: p.afterMonitoring }).run();
  return offerId;
}

function loadOffer(database: Db, bidId: number) {
  const bid = database.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) return null;
  const offer = database.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get();
  if (!offer) return null;
  const instalments = database.select().from(grantInstalments).where(eq(grantInstalments.offerId, offer.id)).orderBy(asc(grantInstalments.seq)).all();
  const group = database.select({ id: communityGroups.id, name: communityGroups.name }).from(communityGroups).where(eq(communityGroups.id, bid.groupId)).get()!;
  return { bid, offer, instalments, group };
}

/** The offer on a bid, for a member of the bidding group (404 otherwise, so nothing leaks). */
export function offerForMember(user: Principal, bidId: number, database: Db = db()) {
  const loaded = loadOffer(database, bidId);
  if (!loaded || !user.groupIds.includes(loaded.bid.groupId)) throw new Response("Offer not found", { status: 404 });
  const { bid, offer, instalments, group } = loaded;
  return {
    bid: { id: bid.id, reference: bid.reference, title: bid.title, status: bid.status as BidStatus },
    group,
    offer: { id: offer.id, amountPence: offer.amountPence, terms: offer.terms, conditions: offer.conditions, createdAt: offer.createdAt, acceptedAt: offer.acceptedAt, declinedAt: offer.declinedAt },
    instalments: instalments.map((i) => ({ seq: i.seq, amountPence: i.amountPence, dueOn: i.dueOn, fy: i.fy, afterMonitoring: i.afterMonitoring, paidAt: i.paidAt })),
  };
}

/** The group accepts (status offer-accepted) or declines (the bid is withdrawn) its grant offer. */
export function respondToOffer(user: Principal, input: { bidId: number; accept: boolean; note?: string | null }, now = new Date(), database: Db = db()): BidStatus {
  return writeTransaction((tx) => {
    const loaded = loadOffer(tx, input.bidId);
    if (!loaded || !user.groupIds.includes(loaded.bid.groupId)) throw new OfferRefusal("Offer not found", 404);
    const { bid, offer } = loaded;
    if (offer.acceptedAt || offer.declinedAt) throw new OfferRefusal("This offer has already been answered.");
    const kind = tx.select({ kind: funds.kind }).from(funds).where(eq(funds.id, bid.fundId)).get()?.kind ?? "ward-budget";
    const move = transition(kind, bid.status as BidStatus, input.accept ? "accept-offer" : "withdraw");
    if (!move.ok) throw new OfferRefusal(move.reason);
    const at = now.toISOString();
    if (input.accept) tx.update(grantOffers).set({ acceptedAt: at, acceptedBy: user.id }).where(eq(grantOffers.id, offer.id)).run();
    else tx.update(grantOffers).set({ declinedAt: at }).where(eq(grantOffers.id, offer.id)).run();
    tx.update(bids)
      .set({ status: move.to, updatedAt: at, ...(input.accept ? {} : { withdrawnAt: at, withdrawnReason: input.note?.trim() || "The group declined the grant offer" }) })
      .where(eq(bids.id, bid.id))
      .run();
    recordAudit(tx, { actor: { id: user.id, name: user.name }, action: input.accept ? "offer.accepted" : "offer.declined", entityType: "bid", entityId: bid.id, reason: input.note ?? null, before: { status: bid.status }, after: { status: move.to, offerId: offer.id } });
    notifyUsers(tx, {
      userIds: groupMemberIds(tx, bid.groupId),
      topic: "essential",
      subject: input.accept ? `Grant offer accepted: ${bid.reference}` : `Grant offer declined: ${bid.reference}`,
      body: input.accept
        ? `${user.name} accepted the grant offer of ${formatPence(offer.amountPence)} for "${bid.title}" on behalf of the group. The council's finance team will pay it on the schedule in the offer.`
        : `${user.name} declined the grant offer for "${bid.title}". The money goes back to the ward budget.`,
    });
    return move.to;
  }, database);
}

/** Instalments of accepted offers not yet asked for, by grant, for the finance payments queue. */
export function dueInstalmentsByGrant(database: Db = db()) {
  const rows = database
    .select({ grantId: grantOffers.grantId, bidId: grantOffers.bidId, seq: grantInstalments.seq, amountPence: grantInstalments.amountPence, dueOn: grantInstalments.dueOn, fy: grantInstalments.fy, afterMonitoring: grantInstalments.afterMonitoring, payRequestEntryId: grantInstalments.payRequestEntryId, paidAt: grantInstalments.paidAt })
    .from(grantInstalments)
    .innerJoin(grantOffers, eq(grantOffers.id, grantInstalments.offerId))
    .where(sql`${grantOffers.acceptedAt} is not null`)
    .orderBy(asc(grantInstalments.dueOn), asc(grantInstalments.seq))
    .all();
  const submittedReports = new Set(database.select({ bidId: monitoringReports.bidId }).from(monitoringReports).where(sql`${monitoringReports.submittedAt} is not null`).all().map((r) => r.bidId));
  const map = new Map<string, (typeof rows[number] & { waitingForMonitoring: boolean })[]>();
  for (const row of rows) {
    if (row.paidAt) continue;
    const list = map.get(row.grantId) ?? [];
    list.push({ ...row, waitingForMonitoring: row.afterMonitoring && !submittedReports.has(row.bidId) });
    map.set(row.grantId, list);
  }
  return map;
}

/** Whether a grant comes from a bid whose offer the group has not accepted (no payment until it does). */
export function offerNotAccepted(database: Db, grantId: string): boolean {
  const offer = database.select().from(grantOffers).where(eq(grantOffers.grantId, grantId)).get();
  return Boolean(offer && !offer.acceptedAt);
}

/** Links a payment request to the first instalment of the grant's offer that is not yet asked for. */
export function linkPayRequest(tx: Db, grantId: string, payRequestEntryId: string): void {
  const offer = tx.select().from(grantOffers).where(eq(grantOffers.grantId, grantId)).get();
  if (!offer) return;
  const next = tx
    .select()
    .from(grantInstalments)
    .where(and(eq(grantInstalments.offerId, offer.id), isNull(grantInstalments.payRequestEntryId), isNull(grantInstalments.paidAt)))
    .orderBy(asc(grantInstalments.seq))
    .get();
  if (next) tx.update(grantInstalments).set({ payRequestEntryId }).where(eq(grantInstalments.id, next.id)).run();
}

/** A payment request failed or was reversed: its instalment waits for a new request. */
export function unlinkPayRequest(tx: Db, payRequestEntryId: string): void {
  tx.update(grantInstalments).set({ payRequestEntryId: null }).where(and(eq(grantInstalments.payRequestEntryId, payRequestEntryId), isNull(grantInstalments.paidAt))).run();
}

/**
 * A confirmed payment: marks its instalment paid and moves the bid to paid (through the state
 * machine), with an audit event and a mail to the group.
 */
export function recordInstalmentPaid(tx: Db, input: { grantId: string; payRequestEntryId: string; pence: number; actor: { id: string; name: string }; at: string }): void {
  const offer = tx.select().from(grantOffers).where(eq(grantOffers.grantId, input.grantId)).get();
  if (!offer) return;
  tx.update(grantInstalments).set({ paidAt: input.at }).where(and(eq(grantInstalments.offerId, offer.id), eq(grantInstalments.payRequestEntryId, input.payRequestEntryId))).run();
  const bid = tx.select().from(bids).where(eq(bids.id, offer.bidId)).get();
  if (!bid) return;
  const move = transition("ward-budget", bid.status as BidStatus, "record-payment");
  if (move.ok) {
    tx.update(bids).set({ status: move.to, updatedAt: input.at }).where(eq(bids.id, bid.id)).run();
    recordAudit(tx, { actor: input.actor, action: "bid.paid", entityType: "bid", entityId: bid.id, before: { status: bid.status }, after: { status: move.to, pence: input.pence, payRequestEntryId: input.payRequestEntryId } });
  }
  notifyUsers(tx, {
    userIds: groupMemberIds(tx, bid.groupId),
    topic: "payments",
    subject: `Payment made: ${bid.reference}`,
    body: `The council has paid ${formatPence(input.pence)} of your grant for "${bid.title}" into the group's bank account.`,
  });
}
