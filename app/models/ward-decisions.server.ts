/**
 * A bid that lists several wards, paid from per-ward budgets, is decided ward by ward. Each ward's
 * share (core/bids/ward-shares.ts) is decided by one of that ward's councillors, or by the
 * designated decision-maker when the bid is referred to them; only the shares a ward approves are
 * drawn from that ward's budget (a COMMIT at its decision), and a ward that has not decided yet has
 * nothing drawn. A ward that declines gives up its share, and the group sees the new total.
 *
 * Once one ward has approved its share the bid is "approved in part" and holds that money; the
 * offer is made when every paying ward has decided, for the sum of the shares approved. Shares are
 * drawn whole; when the offer's schedule puts part of the grant in a later financial year, that
 * part goes back to the wards' budgets (DECOMMIT) and is committed against the later year's budget
 * once it is set (models/tranches.server.ts).
 */
import { and, asc, desc, eq } from "drizzle-orm";
import {
  approvedByWard,
  awardYearPence,
  splitInProportion,
  transition,
  wardBidState,
  wardShares,
  type BidStatus,
  type DecisionOutcomeName,
  type WardBidState,
  type WardDecisionFact,
  type WardShare,
} from "~/core/bids";
import { commit, decommit, londonDateOf } from "~/core/ledger";
import { formatMoney } from "~/core/locale-format";
import { db, type Db } from "~/db/client.server";
import { approvals, bids, bidWardDecisions, bidWards, grantOffers, grants, ledgerAccounts, users } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import {
  bidFacts,
  latestVersion,
  wardBudgetId,
  type BidFacts,
  type BidVersionView,
  type DecisionCtx,
  type MoneyMoved,
  type WardSummary,
} from "~/models/decision-facts.server";
import {
  checkDecisionRules,
  ensureGrant,
  makeOffer,
  postForDecision,
  recordCommitApproval,
} from "~/models/decisions.server";
import { postEntry } from "~/models/ledger.server";
import { offerPlan } from "~/models/offers.server";
import { inLanguage } from "~/utils/mail-words";
import { joinList } from "~/utils/translate";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

/** True when the bid is decided ward by ward: several wards, per-ward budgets, no pooled quorum. */
export function isWardByWard(facts: Pick<BidFacts, "fund" | "wardIds">): boolean {
  const pooled = facts.fund.pooledQuorum !== null && facts.fund.pooledQuorum > 1;
  return facts.fund.budgetMode === "per-ward" && !pooled && facts.wardIds.length > 1;
}

type WardRow = typeof bidWardDecisions.$inferSelect;

function wardRows(tx: Db, bidId: number, version: number): WardRow[] {
  const onVersion = and(eq(bidWardDecisions.bidId, bidId), eq(bidWardDecisions.version, version));
  return tx.select().from(bidWardDecisions).where(onVersion).orderBy(asc(bidWardDecisions.id)).all();
}

const factOf = (r: WardRow): WardDecisionFact => ({
  wardId: r.wardId,
  outcome: r.outcome,
  approvedPence: r.amountPence,
});
const sumOf = (xs: readonly { pence: number }[]) => xs.reduce((s, x) => s + x.pence, 0);

/** A multi-ward bid still waits for some ward while another has decided (it may be "approved in part"). */
function isWaiting(status: string, recorded: readonly WardRow[], state: WardBidState): boolean {
  if (status === "submitted") return !state.settled;
  return status === "part-approved" && recorded.length > 0 && !state.settled;
}

/** A ward's decision on its share (or the designated decision-maker's on every undecided share). */
export function decideForWards(ctx: DecisionCtx, outcome: DecisionOutcomeName): MoneyMoved {
  const { facts, version } = ctx;
  const shares = wardShares(version.amountPence, facts.wardIds);
  const recorded = wardRows(ctx.tx, facts.bid.id, version.version);
  const before = wardBidState(version.amountPence, shares, recorded.map(factOf));
  if (!isWaiting(facts.bid.status, recorded, before)) {
    const move = transition("ward-budget", facts.bid.status as BidStatus, outcome);
    throw new Refusal(move.ok ? "Every ward has decided this bid already." : move.reason, { status: 409 });
  }
  const covered = coveredShares(ctx, shares, before);
  if (outcome === "request-changes") return sendBackForChanges(ctx, before);
  checkDecisionRules(ctx, outcome, sumOf(covered.map((w) => ({ pence: w.sharePence }))));
  const decided = approvedByWard(outcome, ctx.input.amountPence, covered);
  const approvedNow = sumOf(decided.map((d) => ({ pence: d.approvedPence })));
  const grantId = approvedNow > 0 ? ensureGrant(ctx, 0) : facts.bid.grantId;
  const entryId = approvedNow > 0 ? commitWardShares(ctx, grantId!, decided, outcome) : null;
  insertWardRows(ctx, decided, shares, entryId);
  const after = wardBidState(version.amountPence, shares, [...recorded.map(factOf), ...decided]);
  const summary = wardSummary(ctx, decided, shares, after);
  const base = { entryId, grantId, bidGrantId: grantId, awaitingQuorum: false };
  if (!after.settled) {
    if (grantId)
      ctx.tx
        .update(grants)
        .set({ amountAwardedPence: after.approvedPence, updatedAt: ctx.decidedAt })
        .where(eq(grants.id, grantId))
        .run();
    const newStatus: BidStatus | null = after.approvedPence > 0 ? "part-approved" : null;
    return {
      ...base,
      newStatus,
      awarded: 0,
      plan: null,
      wards: { approvedPence: approvedNow, awaitingWards: namesOf(facts, after.pendingWardIds), summary },
    };
  }
  return settle(ctx, after, { grantId, entryId, approvedNow, summary });
}

/** The undecided shares this decider decides: their own wards', or every one on referral. */
function coveredShares(ctx: DecisionCtx, shares: readonly WardShare[], before: WardBidState): WardShare[] {
  const mine = ctx.asDesignated
    ? before.pendingWardIds
    : before.pendingWardIds.filter((w) => ctx.user.councillorWardIds.includes(w));
  const covered = shares.filter((s) => mine.includes(s.wardId));
  if (covered.length === 0) throw new Refusal("Your ward has already decided its share of this bid.", { status: 409 });
  return covered;
}

/** Changes can be asked for only while no ward has approved its share (nothing is drawn then). */
function sendBackForChanges(ctx: DecisionCtx, before: WardBidState): MoneyMoved {
  if (before.approvedPence > 0) {
    const message =
      "Another ward has approved its share, so the bid can no longer be sent back for changes. Approve or decline " +
      "your ward's share.";
    throw new Refusal(message, { status: 409, field: "outcome", fieldErrors: { outcome: message } });
  }
  checkDecisionRules(ctx, "request-changes", ctx.version.amountPence);
  return {
    entryId: null,
    grantId: null,
    newStatus: "changes-requested",
    bidGrantId: ctx.facts.bid.grantId,
    awaitingQuorum: false,
    awarded: 0,
    plan: null,
  };
}

/** Draws the approved shares from the deciding wards' own budgets, with the approval a COMMIT needs. */
function commitWardShares(
  ctx: DecisionCtx,
  grantId: string,
  decided: readonly WardDecisionFact[],
  outcome: DecisionOutcomeName,
): string {
  const approved = decided.filter((d) => d.approvedPence > 0);
  const sources = approved.map((d) => {
    const budgetId = wardBudgetId(ctx.tx, ctx.facts, d.wardId);
    const ward = ctx.facts.wards.find((w) => w.id === d.wardId)?.name ?? String(d.wardId);
    if (!budgetId) throw new Refusal(`No budget has been set in ${ctx.facts.fund.name} for ${ward} ward.`);
    return { budgetId, pence: d.approvedPence };
  });
  const wardKey = approved.map((d) => d.wardId).join("-");
  const total = sumOf(sources);
  const approvalId = recordCommitApproval(
    ctx,
    grantId,
    total,
    `${grantId}-approval-v${ctx.version.version}-w${wardKey}`,
    outcome,
  );
  return postForDecision(
    ctx,
    commit({ grantId, sources, memo: ctx.version.title }),
    approvalId,
    `COMMIT-wards-${wardKey}`,
  );
}

function insertWardRows(
  ctx: DecisionCtx,
  decided: readonly WardDecisionFact[],
  shares: readonly WardShare[],
  entryId: string | null,
): void {
  const reason = (ctx.input.reason ?? "").trim() || null;
  for (const d of decided) {
    ctx.tx
      .insert(bidWardDecisions)
      .values({
        bidId: ctx.facts.bid.id,
        version: ctx.version.version,
        wardId: d.wardId,
        outcome: d.outcome,
        sharePence: shares.find((s) => s.wardId === d.wardId)!.sharePence,
        amountPence: d.approvedPence,
        deciderId: ctx.user.id,
        asDesignatedDecisionMaker: ctx.asDesignated,
        reason,
        entryId: d.approvedPence > 0 ? entryId : null,
        decidedAt: ctx.decidedAt,
      })
      .run();
  }
}

/** Every paying ward has decided: the offer for the shares approved, or the bid is rejected. */
function settle(
  ctx: DecisionCtx,
  after: WardBidState,
  now: { grantId: string | null; entryId: string | null; approvedNow: number; summary: WardSummary },
): MoneyMoved {
  const { facts, version, tx } = ctx;
  const wardsDone = { approvedPence: now.approvedNow, awaitingWards: [], summary: now.summary };
  if (after.approvedPence === 0 || !now.grantId) {
    return {
      entryId: now.entryId,
      grantId: null,
      newStatus: "rejected",
      bidGrantId: facts.bid.grantId,
      awaitingQuorum: false,
      awarded: 0,
      plan: null,
      wards: wardsDone,
    };
  }
  const grantId = now.grantId;
  const awarded = after.approvedPence;
  const plan = offerPlan({
    schedule: ctx.input.schedule ?? "single",
    amountPence: awarded,
    today: ctx.today,
    endOn: version.endOn,
    fund: facts.fund,
  });
  returnLaterYears(ctx, grantId, awardYearPence(plan.tranches, facts.fund.fy));
  const approval = tx
    .select()
    .from(approvals)
    .where(and(eq(approvals.grantId, grantId), eq(approvals.entryType, "COMMIT")))
    .orderBy(desc(approvals.decidedAt), desc(approvals.id))
    .get()!;
  const firstCommit = wardRows(tx, facts.bid.id, version.version).find((r) => r.entryId)!.entryId!;
  makeOffer(ctx, { grantId, awarded, plan, entryId: now.entryId ?? firstCommit, approvalId: approval.id });
  const newStatus: BidStatus = after.outcome === "approve" ? "approved" : "part-approved";
  return {
    entryId: now.entryId,
    grantId,
    newStatus,
    bidGrantId: grantId,
    awaitingQuorum: false,
    awarded,
    plan,
    wards: wardsDone,
  };
}

function committedPence(tx: Db, grantId: string): number {
  const row = tx
    .select({ credits: ledgerAccounts.creditsPosted, debits: ledgerAccounts.debitsPosted })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.key, `COMMITTED:${grantId}`))
    .get();
  return row ? row.credits - row.debits : 0;
}

/** Shares were drawn whole; what the schedule puts in later years goes back to the wards' budgets. */
function returnLaterYears(ctx: DecisionCtx, grantId: string, thisYearPence: number): void {
  const excess = committedPence(ctx.tx, grantId) - thisYearPence;
  if (excess <= 0) return;
  const returns = approvedBudgets(ctx.tx, ctx.facts, ctx.version.version);
  const split = splitInProportion(
    excess,
    returns.map((r) => ({ key: r.budgetId, pence: r.pence })),
  )
    .filter((r) => r.pence > 0)
    .map((r) => ({ budgetId: r.key, pence: r.pence }));
  const reason = "The later years' part is committed against those years' budgets once they are set.";
  postForDecision(
    ctx,
    decommit({ grantId, returns: split, reason, memo: ctx.version.title }),
    null,
    "DECOMMIT-later-years",
  );
}

/** The budgets the approved shares were drawn from, with how much each gave. */
function approvedBudgets(tx: Db, facts: BidFacts, version: number): { budgetId: string; pence: number }[] {
  const byBudget = new Map<string, number>();
  for (const row of wardRows(tx, facts.bid.id, version)) {
    const budgetId = row.amountPence > 0 ? wardBudgetId(tx, facts, row.wardId) : null;
    if (budgetId) byBudget.set(budgetId, (byBudget.get(budgetId) ?? 0) + row.amountPence);
  }
  return [...byBudget].sort(([a], [b]) => a.localeCompare(b)).map(([budgetId, pence]) => ({ budgetId, pence }));
}

function namesOf(facts: Pick<BidFacts, "wards">, wardIds: readonly number[]): string[] {
  return wardIds.map((id) => facts.wards.find((w) => w.id === id)?.name ?? String(id));
}

/**
 * What the wards decided, written in the reader's language: "Brookside ward approved £1,000.00 of its
 * £1,000.00 share. £2,000.00 is approved so far; …"
 */
function wardSummary(
  ctx: DecisionCtx,
  decided: readonly WardDecisionFact[],
  shares: readonly WardShare[],
  after: WardBidState,
): WardSummary {
  const wardName = (wardId: number, language: string) => {
    const ward = ctx.facts.wards.find((w) => w.id === wardId);
    return ward ? inLanguage(ward.name, ward.nameCy, language) : String(wardId);
  };
  return (t, language) => {
    const money = (pence: number) => formatMoney(pence, language);
    const parts = decided.map((d) => {
      const values = {
        ward: wardName(d.wardId, language),
        share: money(shares.find((s) => s.wardId === d.wardId)!.sharePence),
        approved: money(d.approvedPence),
      };
      return t(d.approvedPence > 0 ? "mail:wardDecided.approved" : "mail:wardDecided.declined", values);
    });
    const pending = after.pendingWardIds.map((id) => wardName(id, language));
    const total = after.settled
      ? t("mail:wardDecided.total", { total: money(after.approvedPence) })
      : t("mail:wardDecided.soFar", {
          approved: money(after.approvedPence),
          wards: joinList(pending, language),
          count: pending.length,
        });
    return `${parts.join(" ")} ${total}`;
  };
}

export interface WardDecisionState {
  wardId: number;
  name: string;
  sharePence: number;
  state: "waiting" | "approved" | "approved in part" | "declined";
  amountPence: number;
  deciderName: string | null;
  decidedAt: string | null;
  reason: string | null;
}

/** Each ward's state on the bid's latest version, for the bid page and the decision page. */
export function wardStates(tx: Db, facts: BidFacts, version: Pick<BidVersionView, "version" | "amountPence">) {
  const shares = wardShares(version.amountPence, facts.wardIds);
  const rows = tx
    .select({ row: bidWardDecisions, deciderName: users.name })
    .from(bidWardDecisions)
    .innerJoin(users, eq(users.id, bidWardDecisions.deciderId))
    .where(and(eq(bidWardDecisions.bidId, facts.bid.id), eq(bidWardDecisions.version, version.version)))
    .all();
  const state = wardBidState(
    version.amountPence,
    shares,
    rows.map((r) => factOf(r.row)),
  );
  const list: WardDecisionState[] = shares.map((s) => {
    const found = rows.find((r) => r.row.wardId === s.wardId);
    const words = { approve: "approved", "part-approve": "approved in part", reject: "declined" } as const;
    return {
      wardId: s.wardId,
      name: namesOf(facts, [s.wardId])[0]!,
      sharePence: s.sharePence,
      state: found ? words[found.row.outcome] : "waiting",
      amountPence: found?.row.amountPence ?? 0,
      deciderName: found
        ? found.row.asDesignatedDecisionMaker
          ? `${found.deciderName} (designated decision-maker)`
          : found.deciderName
        : null,
      decidedAt: found?.row.decidedAt ?? null,
      reason: found?.row.reason ?? null,
    };
  });
  return {
    wards: list,
    approvedPence: state.approvedPence,
    settled: state.settled,
    pendingWardIds: state.pendingWardIds,
    recorded: rows.length,
  };
}

/** The ward-by-ward view for a decider's page: every ward's state, and the shares this user decides. */
export function wardDecisionView(
  tx: Db,
  facts: BidFacts,
  version: BidVersionView,
  user: Principal,
  asDesignated: boolean,
) {
  if (!isWardByWard(facts)) return null;
  const states = wardStates(tx, facts, version);
  const yours = states.wards.filter(
    (w) => w.state === "waiting" && (asDesignated || user.councillorWardIds.includes(w.wardId)),
  );
  const waiting =
    facts.bid.status === "submitted"
      ? !states.settled
      : facts.bid.status === "part-approved" && states.recorded > 0 && !states.settled;
  return {
    ...states,
    yourWards: yours.map((w) => w.name),
    yourSharePence: yours.reduce((s, w) => s + w.sharePence, 0),
    open: waiting && yours.length > 0,
  };
}

/** Each ward's state for the bid page, or null when the bid is not decided ward by ward. */
export function wardStatesForBid(bidId: number, tx: Db = db()) {
  const facts = bidFacts(tx, bidId);
  const version = latestVersion(tx, bidId);
  if (!facts || !version || facts.fund.kind !== "ward-budget" || !isWardByWard(facts)) return null;
  return wardStates(tx, facts, version);
}

/** True when the bid waits for a decision by one of `wardIds` while another ward has decided already. */
export function wardIsWaiting(tx: Db, bidId: number, version: number, wardIds: readonly number[]): boolean {
  const rows = wardRows(tx, bidId, version);
  if (rows.length === 0) return false;
  const bidWardIds = tx
    .select({ id: bidWards.wardId })
    .from(bidWards)
    .where(eq(bidWards.bidId, bidId))
    .all()
    .map((w) => w.id);
  const decided = new Set(rows.map((r) => r.wardId));
  return bidWardIds.some((w) => !decided.has(w) && wardIds.includes(w));
}

/** Names of the wards a multi-ward bid still waits for (empty when it waits for none). */
export function wardsWaitingOn(tx: Db, bidId: number): string[] {
  const states = wardStatesForBid(bidId, tx);
  return states ? states.wards.filter((w) => w.state === "waiting").map((w) => w.name) : [];
}

/**
 * A bid withdrawn while its wards were still deciding has no offer yet: the shares already drawn
 * go back to the wards' budgets, in the same transaction as the withdrawal.
 */
export function releaseWardShares(tx: Db, actor: Actor, input: { bidId: number; reason: string; now: Date }): void {
  const bid = tx.select().from(bids).where(eq(bids.id, input.bidId)).get();
  if (!bid?.grantId || tx.select().from(grantOffers).where(eq(grantOffers.bidId, input.bidId)).get()) return;
  const facts = bidFacts(tx, input.bidId);
  const version = latestVersion(tx, input.bidId);
  if (!facts || !version || !isWardByWard(facts)) return;
  const unpaid = committedPence(tx, bid.grantId);
  if (unpaid <= 0) return;
  const sources = approvedBudgets(tx, facts, version.version);
  const returns = splitInProportion(
    unpaid,
    sources.map((s) => ({ key: s.budgetId, pence: s.pence })),
  )
    .filter((r) => r.pence > 0)
    .map((r) => ({ budgetId: r.key, pence: r.pence }));
  const today = londonDateOf(input.now);
  const draft = decommit({ grantId: bid.grantId, returns, reason: input.reason, memo: `${bid.title}: withdrawn` });
  const entryId = postEntry(
    { draft, idempotencyKey: `withdraw-ward-shares-${input.bidId}`, actor, effectiveDate: today, now: input.now },
    tx,
  ).entryId;
  recordAudit(tx, {
    actor,
    action: "bid.ward-shares-released",
    entityType: "bid",
    entityId: input.bidId,
    reason: input.reason,
    after: { grantId: bid.grantId, amountPence: unpaid, entryId },
  });
}

/** True when the grant belongs to a bid whose wards have not all decided yet (no offer is made). */
export function grantAwaitingWards(tx: Db, grantId: string): boolean {
  const bid = tx.select({ id: bids.id }).from(bids).where(eq(bids.grantId, grantId)).get();
  if (!bid || tx.select().from(grantOffers).where(eq(grantOffers.bidId, bid.id)).get()) return false;
  return wardsWaitingOn(tx, bid.id).length > 0;
}
