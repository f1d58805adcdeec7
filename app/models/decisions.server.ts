/**
 * Councillors' decisions on ward-budget bids, and the money that moves with them.
 *
 * A decision is one transaction: the interest declaration, the decision row, the bid's status
 * change (through the state machine), the grant, its approval (requester: the group member who
 * submitted the version; approver: the decider), the ledger entry (COMMIT from the ward budget, or
 * EARMARK while a pooled budget waits for its quorum), the grant offer with its instalments and
 * tranches, the audit events and the mail. If the ledger refuses (an overspend, a closed year),
 * nothing is kept and the decider sees how much is available.
 *
 * A bid that lists several wards (per-ward budgets) is decided ward by ward: each ward's
 * councillor decides that ward's share, and only that share is drawn from that ward's budget
 * (models/ward-decisions.server.ts). The offer is made once every paying ward has decided.
 *
 * A grant whose schedule has instalments in a later financial year (a "by-year" or staged schedule
 * whose project runs past 31 March) commits, and reserves while a pooled budget waits, only the
 * award year's tranche: the later years' tranches are written to the offer as pending and are
 * committed against those years' budgets once they are set (models/tranches.server.ts).
 *
 * Who may decide: a councillor of one of the bid's wards who has not declared an interest and is
 * not a member of the bidding group; when every councillor of the wards has declared an interest,
 * the council's designated decision-maker. Finance officers never decide (core/access/duties).
 * Approving a project whose end date has passed needs the fund to allow retrospective funding,
 * and the decider's confirmation with a reason (core/bids/decision.ts).
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { checkDuty, needsDesignatedDecisionMaker } from "~/core/access/duties";
import {
  awardYearPence,
  awardedPence,
  checkDecision,
  pooledStep,
  splitAcrossBudgets,
  transition,
  type BidStatus,
  type DecisionOutcomeName,
} from "~/core/bids";
import { commit, commitFromEarmark, earmark, londonDateOf, release, type EntryDraft } from "~/core/ledger";
import { formatPence } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  approvals,
  auditEvents,
  bidDecisions,
  bidInterestDeclarations,
  bids,
  bidWards,
  communityGroups,
  funds,
  grants,
  users,
} from "~/db/schema";
import {
  actorOf,
  availableByBudget,
  bidFacts,
  designatedDecisionMakerId,
  earmarkedPence,
  latestVersion,
  nextGrantId,
  OUTCOME_WORDS,
  sourceBudgets,
  standing,
  type DecideInput,
  type DecideResult,
  type DecisionCtx,
  type MoneyMoved,
} from "~/models/decision-facts.server";
import { recordAudit } from "~/models/audit.server";
import { answerOnce, keyedRequest } from "~/models/idempotency.server";
import { LedgerRefusal, postEntry } from "~/models/ledger.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import type { TFunction } from "i18next";
import { formatMoney } from "~/core/locale-format";
import type { Language } from "~/i18n";
import { inLanguage, outcomeKey } from "~/utils/mail-words";
import { joinList } from "~/utils/translate";
import { createOffer, offerPlan } from "~/models/offers.server";
import {
  decideForWards,
  isWardByWard,
  wardDecisionView,
  wardIsWaiting,
  wardsWaitingOn,
} from "~/models/ward-decisions.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

export {
  latestVersion,
  type BidVersionView,
  type BudgetLine,
  type DecideInput,
  type DecideResult,
} from "~/models/decision-facts.server";

/**
 * Loads a bid for its decision page, or throws a Response: 404 when the bid does not exist or is
 * not in one of the user's wards (nor referred to them), 403 when they are not a councillor or the
 * designated decision-maker at all.
 */
export function bidForDecision(user: Principal, bidId: number, database: Db = db()) {
  const facts = bidFacts(database, bidId);
  const isDdm = designatedDecisionMakerId(database) === user.id;
  if (!user.roles.includes("councillor") && !isDdm)
    throw Refusal.forbidden("You do not have permission to see this page.");
  if (!facts || facts.fund.kind !== "ward-budget") throw Refusal.notFound("Bid not found");
  const role = standing(user, facts);
  if (!role) throw Refusal.notFound("Bid not found");
  const version = latestVersion(database, bidId);
  if (!version) throw Refusal.notFound("Bid not found");
  const duty = checkDuty(
    "decide-bid",
    {
      id: user.id,
      roles: user.roles,
      councillorWardIds: user.councillorWardIds,
      groupIds: user.groupIds,
      isDesignatedDecisionMaker: role === "designated",
    },
    { groupId: facts.bid.groupId, wardIds: facts.wardIds, declaredInterestIds: facts.declaredInterestIds },
  );
  const decisions = database
    .select({
      id: bidDecisions.id,
      version: bidDecisions.version,
      outcome: bidDecisions.outcome,
      amountPence: bidDecisions.amountPence,
      reason: bidDecisions.reason,
      decidedAt: bidDecisions.decidedAt,
      deciderName: users.name,
      asDesignatedDecisionMaker: bidDecisions.asDesignatedDecisionMaker,
      deciderId: bidDecisions.deciderId,
    })
    .from(bidDecisions)
    .innerJoin(users, eq(users.id, bidDecisions.deciderId))
    .where(eq(bidDecisions.bidId, bidId))
    .orderBy(asc(bidDecisions.id))
    .all();
  const own = facts.declarations.find((d) => d.userId === user.id) ?? null;
  const alreadyDecided = decisions.some((d) => d.deciderId === user.id && d.version === version.version);
  const wardView = wardDecisionView(database, facts, version, user, role === "designated");
  const open = wardView ? wardView.open : facts.bid.status === "submitted";
  const available = availableByBudget(
    database,
    sourceBudgets(database, facts, user, role === "designated").map((b) => b.id),
  );
  return {
    bid: {
      id: facts.bid.id,
      reference: facts.bid.reference,
      status: facts.bid.status as BidStatus,
      grantId: facts.bid.grantId,
    },
    version,
    fund: {
      id: facts.fund.id,
      name: facts.fund.name,
      nameCy: facts.fund.nameCy,
      fy: facts.fund.fy,
      pooledQuorum: facts.fund.pooledQuorum,
      commitmentCutoffOn: facts.fund.commitmentCutoffOn,
      retrospectiveAllowed: retrospectiveAllowed(facts.fund.grantRules),
    },
    group: { id: facts.group.id, name: facts.group.name, verified: Boolean(facts.group.verifiedAt) },
    wards: facts.wards,
    wardDecisions: wardView,
    role,
    canDecide: duty.allowed && open && !alreadyDecided,
    refusal: duty.allowed ? (alreadyDecided ? "bids:decide.alreadyDecided" : null) : duty.reason,
    ownDeclaration: own ? { hasInterest: own.hasInterest, details: own.details } : null,
    conflictedCount: facts.declaredInterestIds.length,
    referredToDesignated: facts.allConflicted,
    decisions,
    available,
  };
}

/** Whether a fund's grant rules allow funding work already done (no "no retrospective costs" rule). */
export function retrospectiveAllowed(grantRules: string | null): boolean {
  try {
    return !(grantRules && (JSON.parse(grantRules) as Record<string, unknown>).noRetrospectiveCosts);
  } catch {
    return false;
  }
}

/**
 * Records a councillor's (or the designated decision-maker's) declaration and decision on a bid.
 * Throws a Refusal when the user may not decide, the decision is incomplete, or the money
 * is not there ("Only £X is available in <ward> ward budget").
 */
export function decideBid(user: Principal, input: DecideInput, now = new Date(), database: Db = db()): DecideResult {
  return answerOnce(database, keyedRequest("bid.decide", actorOf(user), input), () =>
    decideBidOnce(user, input, now, database),
  );
}

function decideBidOnce(user: Principal, input: DecideInput, now: Date, database: Db): DecideResult {
  try {
    return writeTransaction((tx) => decideInTransaction(tx, user, input, now), database);
  } catch (error) {
    if (error instanceof LedgerRefusal && error.code === "INSUFFICIENT_BALANCE") {
      const facts = bidFacts(database, input.bidId)!;
      const asDesignated = standing(user, facts) === "designated";
      const short = availableByBudget(
        database,
        sourceBudgets(database, facts, user, asDesignated).map((b) => b.id),
      );
      const message = short
        .map(
          (b) =>
            `Only ${formatPence(b.availablePence)} is available in ${b.wardName ? `${b.wardName} ward budget` : b.name}`,
        )
        .join("; ");
      throw new Refusal(`${message}.`, { field: "amount" });
    }
    if (error instanceof LedgerRefusal) throw new Refusal(`The ledger refused this decision: ${error.message}`);
    throw error;
  }
}

/** The decision, step by step: who decides, on what, whether they may, the money, the record, the mail. */
function decideInTransaction(tx: Db, user: Principal, input: DecideInput, now: Date): DecideResult {
  const ctx = openDecision(tx, user, input, now);
  if (input.hasInterest) return declareInterest(ctx);
  const outcome = checkMayDecide(ctx);
  recordNoInterest(ctx);
  const money = isWardByWard(ctx.facts) ? decideForWards(ctx, outcome) : decideWholeBid(ctx, outcome);
  recordDecision(ctx, outcome, money);
  notifyGroupOfDecision(ctx, outcome, money);
  const status = money.newStatus ?? (ctx.facts.bid.status as BidStatus);
  const awaiting = money.awaitingQuorum || Boolean(money.wards?.awaitingWards.length);
  return {
    kind: "decided",
    outcome,
    status,
    grantId: money.grantId,
    awaitingQuorum: awaiting,
    awaitingWards: money.wards?.awaitingWards,
  };
}

function openDecision(tx: Db, user: Principal, input: DecideInput, now: Date): DecisionCtx {
  const facts = bidFacts(tx, input.bidId);
  if (!facts || facts.fund.kind !== "ward-budget") throw new Refusal("Bid not found", { status: 404 });
  const role = standing(user, facts);
  if (!role) throw new Refusal("Bid not found", { status: 404 });
  const version = latestVersion(tx, facts.bid.id);
  if (!version) throw new Refusal("This bid has not been submitted.", { status: 409 });
  const decidedAt = now.toISOString();
  return {
    tx,
    user,
    input,
    facts,
    role,
    asDesignated: role === "designated",
    version,
    actor: actorOf(user),
    decidedAt,
    today: londonDateOf(now),
  };
}

function declareInterest(ctx: DecisionCtx): DecideResult {
  const { tx, facts, actor, decidedAt, version } = ctx;
  const details = (ctx.input.interestDetails ?? "").trim();
  if (!details)
    throw new Refusal("Describe your interest", {
      field: "interestDetails",
      fieldErrors: { interestDetails: "Describe your interest" },
    });
  if (ctx.role !== "ward-councillor")
    throw new Refusal(
      "As the designated decision-maker, if you have an interest the council must appoint someone else.",
      { status: 409 },
    );
  tx.insert(bidInterestDeclarations)
    .values({ bidId: facts.bid.id, userId: ctx.user.id, hasInterest: true, details, declaredAt: decidedAt })
    .onConflictDoUpdate({
      target: [bidInterestDeclarations.bidId, bidInterestDeclarations.userId],
      set: { hasInterest: true, details, declaredAt: decidedAt },
    })
    .run();
  recordAudit(tx, {
    actor,
    action: "bid.interest-declared",
    entityType: "bid",
    entityId: facts.bid.id,
    reason: details,
  });
  const referred = needsDesignatedDecisionMaker(
    [...new Set(facts.councillors.map((c) => c.id))],
    [...facts.declaredInterestIds, ctx.user.id],
  );
  if (!referred) return { kind: "interest-declared", referred };
  recordAudit(tx, {
    actor,
    action: "bid.referred-to-designated-decision-maker",
    entityType: "bid",
    entityId: facts.bid.id,
  });
  if (facts.ddmId) {
    notifyUsers(tx, {
      userIds: [facts.ddmId],
      topic: "essential",
      subject: (t) => t("mail:referred.subject", { reference: facts.bid.reference }),
      body: (t, language) =>
        t("mail:referred.body", {
          wards: joinList(
            facts.wards.map((w) => inLanguage(w.name, w.nameCy, language)),
            language,
          ),
          count: facts.wards.length,
          title: version.title,
        }),
    });
  }
  return { kind: "interest-declared", referred };
}

/** Refuses a decision the user may not make (an interest, their duty, a missing outcome, a second decision). */
function checkMayDecide(ctx: DecisionCtx): DecisionOutcomeName {
  const { tx, facts, user, version } = ctx;
  if (facts.declarations.find((d) => d.userId === user.id)?.hasInterest)
    throw new Refusal("You declared an interest in this bid, so you cannot decide it.", { status: 403 });
  const duty = checkDuty(
    "decide-bid",
    {
      id: user.id,
      roles: user.roles,
      councillorWardIds: user.councillorWardIds,
      groupIds: user.groupIds,
      isDesignatedDecisionMaker: ctx.asDesignated,
    },
    { groupId: facts.bid.groupId, wardIds: facts.wardIds, declaredInterestIds: facts.declaredInterestIds },
  );
  if (!duty.allowed) throw new Refusal(duty.reason, { status: 403 });
  const outcome = ctx.input.outcome;
  if (!outcome)
    throw new Refusal("Choose a decision", { field: "outcome", fieldErrors: { outcome: "Choose a decision" } });
  if (!isWardByWard(facts)) {
    const move = transition("ward-budget", facts.bid.status as BidStatus, outcome);
    if (!move.ok) throw new Refusal(move.reason, { status: 409 });
  }
  const mine = and(
    eq(bidDecisions.bidId, facts.bid.id),
    eq(bidDecisions.version, version.version),
    eq(bidDecisions.deciderId, user.id),
  );
  if (tx.select().from(bidDecisions).where(mine).get())
    throw new Refusal("You have already decided this version of the bid.", { status: 409 });
  return outcome;
}

/** Refuses a decision that breaks the rules of core/bids/decision.ts, with each problem by its field. */
export function checkDecisionRules(ctx: DecisionCtx, outcome: DecisionOutcomeName, requestedPence: number): void {
  const { facts, input } = ctx;
  const problems = checkDecision(
    {
      outcome,
      amountPence: input.amountPence,
      reason: input.reason,
      retrospectiveOverride: input.retrospectiveOverride,
      retrospectiveReason: input.retrospectiveReason,
    },
    {
      requestedPence,
      groupVerified: Boolean(facts.group.verifiedAt),
      fundFy: facts.fund.fy,
      commitmentCutoffOn: facts.fund.commitmentCutoffOn,
      today: ctx.today,
      projectEndOn: ctx.version.endOn,
      retrospectiveAllowed: retrospectiveAllowed(facts.fund.grantRules),
    },
  );
  if (Object.keys(problems).length === 0) return;
  const { form, ...fields } = problems;
  throw new Refusal(form ?? "Check the decision", {
    field: form ? "form" : Object.keys(fields)[0]!,
    fieldErrors: fields,
  });
}

function recordNoInterest(ctx: DecisionCtx): void {
  const { tx, facts, user, decidedAt } = ctx;
  tx.insert(bidInterestDeclarations)
    .values({ bidId: facts.bid.id, userId: user.id, hasInterest: false, details: null, declaredAt: decidedAt })
    .onConflictDoUpdate({
      target: [bidInterestDeclarations.bidId, bidInterestDeclarations.userId],
      set: { hasInterest: false, details: null, declaredAt: decidedAt },
    })
    .run();
}

/** Posts a ledger entry for this decision, keyed by the request's idempotency key, the bid and `suffix`. */
export function postForDecision(
  ctx: DecisionCtx,
  draft: EntryDraft,
  approvalId: string | null,
  suffix: string = draft.type,
): string {
  const idempotencyKey = `${ctx.input.idempotencyKey}:${ctx.facts.bid.id}:${suffix}`;
  return postEntry({ draft, idempotencyKey, actor: ctx.actor, effectiveDate: ctx.today, approvalId }, ctx.tx).entryId;
}

/** Earlier decisions on the version being decided, and the open pooled reservation among them. */
function priorDecisions(ctx: DecisionCtx) {
  const { tx, facts, version } = ctx;
  const onVersion = and(eq(bidDecisions.bidId, facts.bid.id), eq(bidDecisions.version, version.version));
  const prior = tx.select().from(bidDecisions).where(onVersion).orderBy(asc(bidDecisions.id)).all();
  const approving = prior.filter((d) => d.outcome === "approve" || d.outcome === "part-approve");
  return { approvalsSoFar: approving.length, openEarmark: approving.find((d) => d.entryId) ?? null };
}

/** The decision on a bid decided as a whole (one ward, per-councillor budgets, or a pooled quorum). */
function decideWholeBid(ctx: DecisionCtx, outcome: DecisionOutcomeName): MoneyMoved {
  checkDecisionRules(ctx, outcome, ctx.version.amountPence);
  const move = transition("ward-budget", ctx.facts.bid.status as BidStatus, outcome);
  const to = move.ok ? move.to : null;
  const prior = priorDecisions(ctx);
  if (outcome === "approve" || outcome === "part-approve") return approveWholeBid(ctx, outcome, prior);
  const none: MoneyMoved = {
    entryId: null,
    grantId: ctx.facts.bid.grantId,
    newStatus: to,
    bidGrantId: ctx.facts.bid.grantId,
    awaitingQuorum: false,
    awarded: 0,
    plan: null,
  };
  const grantId = ctx.facts.bid.grantId;
  if (!prior.openEarmark || !grantId) return none;
  // A rejection or a request for changes gives back what an earlier pooled approval reserved.
  const earmarked = earmarkedPence(ctx.tx, grantId);
  const returns = splitAcrossBudgets(
    earmarked,
    sourceBudgets(ctx.tx, ctx.facts, ctx.user, ctx.asDesignated).map((b) => b.id),
  );
  const entryId =
    earmarked > 0
      ? postForDecision(
          ctx,
          release({ grantId, earmarkEntryId: prior.openEarmark.entryId!, returns, memo: "Reservation released" }),
          null,
        )
      : null;
  return { ...none, entryId, grantId: null, bidGrantId: null };
}

/** Creates the bid's grant on its first approval. */
export function ensureGrant(ctx: DecisionCtx, awardedNow: number): string {
  const { tx, facts, version } = ctx;
  if (facts.bid.grantId) return facts.bid.grantId;
  const grantId = nextGrantId(tx, facts.fund.id);
  tx.insert(grants)
    .values({
      id: grantId,
      fundId: facts.fund.id,
      groupId: facts.group.id,
      wardId: facts.wardIds[0] ?? null,
      title: version.title,
      summary: version.summary || version.title,
      amountRequestedPence: version.amountPence,
      amountAwardedPence: awardedNow,
      awardDate: ctx.today,
      plannedStart: version.startOn,
      plannedEnd: version.endOn,
    })
    .run();
  return grantId;
}

/** An approval: commits the award (or reserves it while a pooled budget waits for its quorum). */
function approveWholeBid(
  ctx: DecisionCtx,
  outcome: "approve" | "part-approve",
  prior: ReturnType<typeof priorDecisions>,
): MoneyMoved {
  const { facts, version } = ctx;
  const sources = sourceBudgets(ctx.tx, facts, ctx.user, ctx.asDesignated);
  if (sources.length === 0) throw new Refusal(`No budget has been set in ${facts.fund.name} for this bid's ward.`);
  const amount = awardedPence({ outcome, amountPence: ctx.input.amountPence }, version.amountPence);
  const step = pooledStep(facts.fund.pooledQuorum, prior.approvalsSoFar + 1);
  const grantId = ensureGrant(ctx, step === "commit" ? amount : 0);
  const budgetIds = sources.map((b) => b.id);
  const schedule = ctx.input.schedule ?? "single";
  if (step === "earmark" || step === "keep-earmark") {
    // A reservation holds only the award year's part: a later year's part is never this year's money.
    const { tranches } = offerPlan({
      schedule,
      amountPence: amount,
      today: ctx.today,
      endOn: version.endOn,
      fund: facts.fund,
    });
    const draft = earmark({
      grantId,
      sources: splitAcrossBudgets(awardYearPence(tranches, facts.fund.fy), budgetIds),
      memo: version.title,
    });
    const entryId = step === "earmark" ? postForDecision(ctx, draft, null) : null;
    return { entryId, grantId, newStatus: null, bidGrantId: grantId, awaitingQuorum: true, awarded: 0, plan: null };
  }
  // After a pooled reservation the award is at most what the first approval granted.
  const awarded = prior.openEarmark ? Math.min(amount, prior.openEarmark.amountPence ?? amount) : amount;
  const plan = offerPlan({ schedule, amountPence: awarded, today: ctx.today, endOn: version.endOn, fund: facts.fund });
  const approvalId = recordCommitApproval(ctx, grantId, awarded, `${grantId}-approval-v${version.version}`, outcome);
  const entryId = commitAward(ctx, {
    grantId,
    approvalId,
    budgetIds,
    thisYear: awardYearPence(plan.tranches, facts.fund.fy),
    openEarmark: prior.openEarmark,
  });
  const finalOutcome = awarded < version.amountPence ? "part-approve" : "approve";
  const newStatus = finalOutcome === "approve" ? "approved" : "part-approved";
  makeOffer(ctx, { grantId, awarded, plan, entryId, approvalId });
  return { entryId, grantId, newStatus, bidGrantId: grantId, awaitingQuorum: false, awarded, plan };
}

/** The approval record a COMMIT needs (requester: who submitted the version; approver: the decider). */
export function recordCommitApproval(
  ctx: DecisionCtx,
  grantId: string,
  pence: number,
  approvalId: string,
  outcome: DecisionOutcomeName,
): string {
  const reason = (ctx.input.reason ?? "").trim() || null;
  ctx.tx
    .insert(approvals)
    .values({
      id: approvalId,
      entryType: "COMMIT",
      grantId,
      requesterId: ctx.version.submittedBy,
      approverId: ctx.user.id,
      decidedAt: ctx.decidedAt,
      amountPence: pence,
      noInterestDeclared: true,
      note: ctx.asDesignated ? "Decided by the designated decision-maker" : (reason ?? OUTCOME_WORDS[outcome]),
    })
    .run();
  return approvalId;
}

/** Commits the award year's part: from the pooled reservation when there is one, else from the budgets. */
function commitAward(
  ctx: DecisionCtx,
  a: {
    grantId: string;
    approvalId: string;
    budgetIds: string[];
    thisYear: number;
    openEarmark: { entryId: string | null } | null;
  },
): string {
  const { grantId, approvalId, budgetIds, thisYear } = a;
  const memo = ctx.version.title;
  if (!a.openEarmark)
    return postForDecision(
      ctx,
      commit({ grantId, sources: splitAcrossBudgets(thisYear, budgetIds), memo }),
      approvalId,
    );
  const earmarked = earmarkedPence(ctx.tx, grantId);
  const fromEarmark = Math.min(thisYear, earmarked);
  const releases = splitAcrossBudgets(earmarked - fromEarmark, budgetIds);
  const entryId = postForDecision(
    ctx,
    commitFromEarmark({ grantId, earmarkEntryId: a.openEarmark.entryId!, pence: fromEarmark, releases, memo }),
    approvalId,
  );
  if (thisYear > fromEarmark) {
    // The final approver's schedule puts more in this year than the reservation held.
    postForDecision(
      ctx,
      commit({ grantId, sources: splitAcrossBudgets(thisYear - fromEarmark, budgetIds), memo }),
      approvalId,
      "COMMIT-beyond-earmark",
    );
  }
  return entryId;
}

/** Writes the grant's award and the offer with its instalments and tranches. */
export function makeOffer(
  ctx: DecisionCtx,
  a: { grantId: string; awarded: number; plan: ReturnType<typeof offerPlan>; entryId: string; approvalId: string },
): void {
  const { tx, facts, version } = ctx;
  tx.update(grants)
    .set({ amountAwardedPence: a.awarded, awardDate: ctx.today, updatedAt: ctx.decidedAt })
    .where(eq(grants.id, a.grantId))
    .run();
  createOffer(tx, {
    bidId: facts.bid.id,
    grantId: a.grantId,
    amountPence: a.awarded,
    fund: facts.fund,
    title: version.title,
    endOn: version.endOn,
    schedule: ctx.input.schedule ?? "single",
    today: ctx.today,
    createdAt: ctx.decidedAt,
    instalments: a.plan.instalments,
    commitment: { entryId: a.entryId, approvalId: a.approvalId, committedBy: ctx.user.id },
  });
}

/** The decision row, the bid's new status and grant, and the audit event. */
function recordDecision(ctx: DecisionCtx, outcome: DecisionOutcomeName, money: MoneyMoved): void {
  const { tx, facts, version, input, decidedAt } = ctx;
  const reason = (input.reason ?? "").trim() || null;
  const wardId = ctx.asDesignated ? null : (facts.wardIds.find((w) => ctx.user.councillorWardIds.includes(w)) ?? null);
  const decidedPence = money.wards
    ? money.wards.approvedPence
    : outcome === "part-approve"
      ? (input.amountPence ?? null)
      : outcome === "approve"
        ? version.amountPence
        : null;
  tx.insert(bidDecisions)
    .values({
      bidId: facts.bid.id,
      version: version.version,
      deciderId: ctx.user.id,
      wardId,
      asDesignatedDecisionMaker: ctx.asDesignated,
      outcome,
      amountPence: decidedPence,
      reason,
      entryId: money.entryId,
      decidedAt,
    })
    .run();
  if (money.newStatus) {
    tx.update(bids)
      .set({ status: money.newStatus, decidedAt, updatedAt: decidedAt, grantId: money.bidGrantId })
      .where(eq(bids.id, facts.bid.id))
      .run();
  } else if (money.bidGrantId !== facts.bid.grantId) {
    tx.update(bids).set({ grantId: money.bidGrantId, updatedAt: decidedAt }).where(eq(bids.id, facts.bid.id)).run();
  }
  const retrospective =
    input.retrospectiveOverride &&
    (outcome === "approve" || outcome === "part-approve") &&
    version.endOn &&
    version.endOn < ctx.today;
  recordAudit(tx, {
    actor: ctx.actor,
    action: money.awaitingQuorum ? "bid.approval-recorded" : money.wards ? `bid.ward-${outcome}` : `bid.${outcome}`,
    entityType: "bid",
    entityId: facts.bid.id,
    reason,
    before: { status: facts.bid.status },
    after: {
      status: money.newStatus ?? facts.bid.status,
      version: version.version,
      amountPence: money.awarded || null,
      grantId: money.grantId,
      asDesignatedDecisionMaker: ctx.asDesignated,
      entryId: money.entryId,
      ...(money.wards
        ? { wardShareApprovedPence: money.wards.approvedPence, awaitingWards: money.wards.awaitingWards }
        : {}),
      ...(money.plan
        ? {
            tranches: money.plan.tranches.map((t) => ({
              fy: t.fy,
              amountPence: t.amountPence,
              status: t.fy === facts.fund.fy ? "committed" : "pending",
            })),
          }
        : {}),
    },
  });
  if (retrospective) {
    const endOn = version.endOn;
    recordAudit(tx, {
      actor: ctx.actor,
      action: "bid.retrospective-funding-approved",
      entityType: "bid",
      entityId: facts.bid.id,
      reason: (input.retrospectiveReason ?? "").trim(),
      after: { projectEndOn: endOn, decidedOn: ctx.today },
    });
  }
}

/** Tells the group what was decided: the offer once made, or a ward's part while others still decide. */
function notifyGroupOfDecision(ctx: DecisionCtx, outcome: DecisionOutcomeName, money: MoneyMoved): void {
  const { tx, facts, version } = ctx;
  const reason = (ctx.input.reason ?? "").trim() || null;
  const reasonText = (t: TFunction) =>
    reason ? t(outcome === "request-changes" ? "mail:decided.whatToChange" : "mail:decided.reason", { reason }) : "";
  const userIds = groupMemberIds(tx, facts.group.id);
  const id = facts.bid.id;
  if (money.wards && (money.wards.awaitingWards.length > 0 || !money.newStatus)) {
    const summary = money.wards.summary;
    notifyUsers(tx, {
      userIds,
      topic: "essential",
      subject: (t) => t("mail:wardDecided.subject", { reference: facts.bid.reference }),
      body: (t, language) => t("mail:wardDecided.body", { summary: summary(t, language), id, reason: reasonText(t) }),
    });
    return;
  }
  if (!money.newStatus) return;
  const fy = facts.fund.fy;
  const plan = money.plan;
  const later = plan ? plan.tranches.filter((t) => t.fy !== fy) : [];
  const spanText = (t: TFunction, language: Language) =>
    plan && later.length
      ? t("mail:decided.span", {
          now: formatMoney(awardYearPence(plan.tranches, fy), language),
          fy,
          later: joinList(
            later.map((part) =>
              t("mail:decided.laterPart", { amount: formatMoney(part.amountPence, language), fy: part.fy }),
            ),
            language,
          ),
        })
      : "";
  const wards = money.wards;
  const awarded = money.awarded;
  const said: DecisionOutcomeName = wards
    ? awarded
      ? awarded < version.amountPence
        ? "part-approve"
        : "approve"
      : outcome
    : outcome;
  const key = outcomeKey(said);
  notifyUsers(tx, {
    userIds,
    topic: "essential",
    subject: (t) => t(`mail:decided.subject.${key}`, { reference: facts.bid.reference }),
    body: (t, language) => {
      const next = awarded
        ? t("mail:decided.offer", { id })
        : t(outcome === "request-changes" ? "mail:decided.makeChanges" : "mail:decided.seeBid", { id });
      return (
        t(`mail:decided.said.${key}`, { title: version.title, designated: ctx.asDesignated ? "yes" : "no" }) +
        (wards ? ` ${wards.summary(t, language)}` : "") +
        (awarded ? t("mail:decided.amount", { amount: formatMoney(awarded, language) }) + spanText(t, language) : "") +
        next +
        reasonText(t)
      );
    },
  });
}

/** Ward-budget bids in `wardIds` with a given status, newest first. */
function bidsInWards(database: Db, wardIds: readonly number[], statuses: readonly BidStatus[]) {
  if (wardIds.length === 0) return [];
  return database
    .selectDistinct({
      id: bids.id,
      reference: bids.reference,
      title: bids.title,
      amountPence: bids.amountPence,
      status: bids.status,
      submittedAt: bids.submittedAt,
      groupName: communityGroups.name,
      version: bids.version,
    })
    .from(bids)
    .innerJoin(bidWards, eq(bidWards.bidId, bids.id))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .innerJoin(funds, eq(funds.id, bids.fundId))
    .where(
      and(inArray(bidWards.wardId, [...wardIds]), inArray(bids.status, [...statuses]), eq(funds.kind, "ward-budget")),
    )
    .orderBy(desc(bids.submittedAt), desc(bids.id))
    .all();
}

/** Submitted bids in the councillor's wards that still wait for their own decision or declaration. */
export function bidsAwaitingDecision(user: Principal, database: Db = db()) {
  const rows = bidsInWards(database, user.councillorWardIds, ["submitted", "part-approved"]);
  const mine = database.select().from(bidDecisions).where(eq(bidDecisions.deciderId, user.id)).all();
  const declared = new Set(
    database
      .select()
      .from(bidInterestDeclarations)
      .where(and(eq(bidInterestDeclarations.userId, user.id), eq(bidInterestDeclarations.hasInterest, true)))
      .all()
      .map((d) => d.bidId),
  );
  return rows
    .filter((b) => !declared.has(b.id) && !mine.some((d) => d.bidId === b.id && d.version === b.version))
    .filter((b) => b.status === "submitted" || wardIsWaiting(database, b.id, b.version, user.councillorWardIds))
    .map((b) => ({ ...b, waitingOnWards: wardsWaitingOn(database, b.id) }));
}

/** Bids referred to the designated decision-maker (every ward councillor declared an interest). */
export function referredBids(user: Principal, database: Db = db()) {
  if (designatedDecisionMakerId(database) !== user.id) return [];
  const submitted = database
    .select({ id: bids.id })
    .from(bids)
    .innerJoin(funds, eq(funds.id, bids.fundId))
    .where(and(eq(bids.status, "submitted"), eq(funds.kind, "ward-budget")))
    .all();
  return submitted
    .map((b) => bidFacts(database, b.id)!)
    .filter((f) => f.allConflicted)
    .map((f) => ({
      id: f.bid.id,
      reference: f.bid.reference,
      title: f.bid.title,
      amountPence: f.bid.amountPence,
      groupName: f.group.name,
      wards: f.wards.map((w) => w.name),
    }));
}

export function isDesignatedDecisionMaker(userId: string, database: Db = db()): boolean {
  return designatedDecisionMakerId(database) === userId;
}

/** Recent bid events in the councillor's wards (audit trail, no personal data beyond names). */
export function recentWardActivity(user: Principal, limit = 10, database: Db = db()) {
  const ids = bidsInWards(database, user.councillorWardIds, [
    "submitted",
    "changes-requested",
    "approved",
    "part-approved",
    "rejected",
    "offer-accepted",
    "paid",
    "monitoring-due",
    "closed",
    "withdrawn",
  ]).map((b) => String(b.id));
  if (ids.length === 0) return [];
  const titles = new Map(
    database
      .select({ id: bids.id, title: bids.title, reference: bids.reference })
      .from(bids)
      .all()
      .map((b) => [String(b.id), b]),
  );
  return database
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "bid"), inArray(auditEvents.entityId, ids)))
    .orderBy(desc(auditEvents.id))
    .limit(limit)
    .all()
    .map((e) => ({
      id: e.id,
      at: e.at,
      action: e.action,
      actorName: e.actorName,
      bidId: Number(e.entityId),
      title: titles.get(e.entityId!)?.title ?? "",
      reference: titles.get(e.entityId!)?.reference ?? "",
    }));
}
