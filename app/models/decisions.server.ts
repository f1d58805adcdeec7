/**
 * Councillors' decisions on ward-budget bids, and the money that moves with them.
 *
 * A decision is one transaction: the interest declaration, the decision row, the bid's status
 * change (through the state machine), the grant, its approval (requester: the group member who
 * submitted the version; approver: the decider), the ledger entry (COMMIT from the ward budget or
 * budgets, or EARMARK while a pooled budget waits for its quorum), the grant offer with its
 * instalments and tranches, the audit events and the mail. If the ledger refuses (an overspend, a
 * closed year), nothing is kept and the decider sees how much is available.
 *
 * A grant whose schedule has instalments in a later financial year (a "by-year" or staged schedule
 * whose project runs past 31 March) commits, and reserves while a pooled budget waits, only the
 * award year's tranche: the later years' tranches are written to the offer as pending and are
 * committed against those years' budgets once they are set (models/tranches.server.ts).
 *
 * Who may decide: a councillor of one of the bid's wards who has not declared an interest and is
 * not a member of the bidding group; when every councillor of the wards has declared an interest,
 * the council's designated decision-maker. Finance officers never decide (core/access/duties).
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
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
  type ScheduleKind,
} from "~/core/bids";
import { commit, commitFromEarmark, earmark, londonDateOf, release, type EntryDraft } from "~/core/ledger";
import { formatPence } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  approvals,
  auditEvents,
  bidBudgetLines,
  bidDecisions,
  bidInterestDeclarations,
  bids,
  bidVersions,
  bidWards,
  budgets,
  communityGroups,
  councilSettings,
  funds,
  grants,
  ledgerAccounts,
  roleGrants,
  users,
  wards,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { answerOnce, keyedRequest } from "~/models/idempotency.server";
import { LedgerRefusal, postEntry } from "~/models/ledger.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import { createOffer, offerPlan } from "~/models/offers.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

export interface BudgetLine {
  lineNo: number;
  description: string;
  amountPence: number;
}

/** What the latest frozen version of a bid says (falls back to the working copy for older fields). */
export interface BidVersionView {
  version: number;
  title: string;
  summary: string;
  description: string;
  amountPence: number;
  beneficiaries: string;
  beneficiaryCount: number | null;
  startOn: string | null;
  endOn: string | null;
  budgetLines: BudgetLine[];
  submittedBy: string;
  submittedAt: string;
}

const actorOf = (user: { id: string; name: string }): Actor => ({ id: user.id, name: user.name });

/** The latest submitted version of a bid: the frozen snapshot, filled in from the working copy. */
export function latestVersion(tx: Db, bidId: number): BidVersionView | null {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) return null;
  const row = tx.select().from(bidVersions).where(eq(bidVersions.bidId, bidId)).orderBy(desc(bidVersions.version)).limit(1).get();
  if (!row) return null;
  let snap: Record<string, unknown> = {};
  try {
    snap = JSON.parse(row.snapshot) as Record<string, unknown>;
  } catch {
    snap = {};
  }
  const text = (key: string, fallback: string) => (typeof snap[key] === "string" ? (snap[key] as string) : fallback);
  const lines = Array.isArray(snap.budgetLines)
    ? (snap.budgetLines as Record<string, unknown>[]).map((l, i) => ({ lineNo: Number(l.lineNo ?? i + 1), description: String(l.description ?? ""), amountPence: Number(l.amountPence ?? 0) }))
    : tx.select().from(bidBudgetLines).where(eq(bidBudgetLines.bidId, bidId)).orderBy(asc(bidBudgetLines.lineNo)).all();
  const amount = typeof snap.amountPence === "number" ? snap.amountPence : (bid.amountPence ?? lines.reduce((s, l) => s + l.amountPence, 0));
  return {
    version: row.version,
    title: text("title", bid.title),
    summary: text("summary", bid.summary),
    description: text("description", bid.description),
    amountPence: amount,
    beneficiaries: text("beneficiaries", bid.beneficiaries),
    beneficiaryCount: typeof snap.beneficiaryCount === "number" ? snap.beneficiaryCount : bid.beneficiaryCount,
    startOn: typeof snap.startOn === "string" ? snap.startOn : bid.startOn,
    endOn: typeof snap.endOn === "string" ? snap.endOn : bid.endOn,
    budgetLines: lines.map((l) => ({ lineNo: l.lineNo, description: l.description, amountPence: l.amountPence })),
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt,
  };
}

function councillorsOfWards(tx: Db, wardIds: readonly number[]): { id: string; name: string; wardId: number }[] {
  if (wardIds.length === 0) return [];
  return tx
    .select({ id: users.id, name: users.name, wardId: roleGrants.wardId })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.role, "councillor"), inArray(roleGrants.wardId, [...wardIds])))
    .orderBy(asc(users.name))
    .all() as { id: string; name: string; wardId: number }[];
}

function designatedDecisionMakerId(tx: Db): string | null {
  return tx.select({ id: councilSettings.designatedDecisionMakerId }).from(councilSettings).get()?.id ?? null;
}

function bidFacts(tx: Db, bidId: number) {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) return null;
  const fund = tx.select().from(funds).where(eq(funds.id, bid.fundId)).get()!;
  const group = tx.select().from(communityGroups).where(eq(communityGroups.id, bid.groupId)).get()!;
  const wardRows = tx
    .select({ id: wards.id, name: wards.name, gssCode: wards.gssCode })
    .from(bidWards)
    .innerJoin(wards, eq(wards.id, bidWards.wardId))
    .where(eq(bidWards.bidId, bidId))
    .orderBy(asc(wards.name))
    .all();
  const wardIds = wardRows.map((w) => w.id);
  const councillors = councillorsOfWards(tx, wardIds);
  const declarations = tx.select().from(bidInterestDeclarations).where(eq(bidInterestDeclarations.bidId, bidId)).all();
  const declaredInterestIds = declarations.filter((d) => d.hasInterest).map((d) => d.userId);
  const allConflicted = needsDesignatedDecisionMaker(
    [...new Set(councillors.map((c) => c.id))],
    declaredInterestIds,
  );
  return { bid, fund, group, wards: wardRows, wardIds, councillors, declarations, declaredInterestIds, allConflicted, ddmId: designatedDecisionMakerId(tx) };
}
type BidFacts = NonNullable<ReturnType<typeof bidFacts>>;

/** How `user` stands to a ward-budget bid: a councillor of its ward, the designated decision-maker it was referred to, or neither. */
function standing(user: Principal, facts: BidFacts): "ward-councillor" | "designated" | null {
  if (user.roles.includes("councillor") && facts.wardIds.some((w) => user.councillorWardIds.includes(w))) return "ward-councillor";
  if (facts.ddmId === user.id && facts.allConflicted) return "designated";
  return null;
}

/**
 * Loads a bid for its decision page, or throws a Response: 404 when the bid does not exist or is
 * not in one of the user's wards (nor referred to them), 403 when they are not a councillor or the
 * designated decision-maker at all.
 */
export function bidForDecision(user: Principal, bidId: number, database: Db = db()) {
  const facts = bidFacts(database, bidId);
  const isDdm = designatedDecisionMakerId(database) === user.id;
  if (!user.roles.includes("councillor") && !isDdm) throw Refusal.forbidden("You do not have permission to see this page.");
  if (!facts || facts.fund.kind !== "ward-budget") throw Refusal.notFound("Bid not found");
  const role = standing(user, facts);
  if (!role) throw Refusal.notFound("Bid not found");
  const version = latestVersion(database, bidId);
  if (!version) throw Refusal.notFound("Bid not found");
  const duty = checkDuty(
    "decide-bid",
    { id: user.id, roles: user.roles, councillorWardIds: user.councillorWardIds, groupIds: user.groupIds, isDesignatedDecisionMaker: role === "designated" },
    { groupId: facts.bid.groupId, wardIds: facts.wardIds, declaredInterestIds: facts.declaredInterestIds },
  );
  const decisions = database
    .select({ id: bidDecisions.id, version: bidDecisions.version, outcome: bidDecisions.outcome, amountPence: bidDecisions.amountPence, reason: bidDecisions.reason, decidedAt: bidDecisions.decidedAt, deciderName: users.name, asDesignatedDecisionMaker: bidDecisions.asDesignatedDecisionMaker, deciderId: bidDecisions.deciderId })
    .from(bidDecisions)
    .innerJoin(users, eq(users.id, bidDecisions.deciderId))
    .where(eq(bidDecisions.bidId, bidId))
    .orderBy(asc(bidDecisions.id))
    .all();
  const own = facts.declarations.find((d) => d.userId === user.id) ?? null;
  const alreadyDecided = decisions.some((d) => d.deciderId === user.id && d.version === version.version);
  const available = availableByBudget(database, sourceBudgets(database, facts, user, role === "designated").map((b) => b.id));
  return {
    bid: { id: facts.bid.id, reference: facts.bid.reference, status: facts.bid.status as BidStatus, grantId: facts.bid.grantId },
    version,
    fund: { id: facts.fund.id, name: facts.fund.name, fy: facts.fund.fy, pooledQuorum: facts.fund.pooledQuorum, commitmentCutoffOn: facts.fund.commitmentCutoffOn },
    group: { id: facts.group.id, name: facts.group.name, verified: Boolean(facts.group.verifiedAt) },
    wards: facts.wards,
    role,
    canDecide: duty.allowed && facts.bid.status === "submitted" && !alreadyDecided,
    refusal: duty.allowed ? (alreadyDecided ? "You have already decided this version of the bid." : null) : duty.reason,
    ownDeclaration: own ? { hasInterest: own.hasInterest, details: own.details } : null,
    conflictedCount: facts.declaredInterestIds.length,
    referredToDesignated: facts.allConflicted,
    decisions,
    available,
  };
}

/** The budgets a decision by `user` draws on: the bid's ward budgets, or the decider's own budget. */
function sourceBudgets(tx: Db, facts: BidFacts, user: { id: string }, asDesignated: boolean) {
  const all = tx.select().from(budgets).where(eq(budgets.fundId, facts.fund.id)).all();
  if (facts.fund.budgetMode === "per-councillor") {
    if (!asDesignated) return all.filter((b) => b.councillorId === user.id);
    const wardCouncillors = new Set(facts.councillors.map((c) => c.id));
    return all.filter((b) => b.councillorId && wardCouncillors.has(b.councillorId)).slice(0, 1);
  }
  return all.filter((b) => b.wardId !== null && facts.wardIds.includes(b.wardId)).sort((a, b) => a.id.localeCompare(b.id));
}

function availableByBudget(tx: Db, budgetIds: readonly string[]) {
  return budgetIds.map((id) => {
    const budget = tx.select({ name: budgets.name, wardName: wards.name }).from(budgets).leftJoin(wards, eq(wards.id, budgets.wardId)).where(eq(budgets.id, id)).get();
    const row = tx.select({ b: sql<number>`credits_posted - debits_posted` }).from(ledgerAccounts).where(eq(ledgerAccounts.key, `AVAILABLE:${id}`)).get();
    return { budgetId: id, name: budget?.name ?? id, wardName: budget?.wardName ?? null, availablePence: row?.b ?? 0 };
  });
}

function nextGrantId(tx: Db, fundId: string): string {
  const rows = tx.select({ id: grants.id }).from(grants).where(eq(grants.fundId, fundId)).all();
  const prefix = `${fundId}-G`;
  const highest = rows.map((r) => (r.id.startsWith(prefix) ? Number(r.id.slice(prefix.length)) : 0)).filter(Number.isFinite).reduce((a, b) => Math.max(a, b), 0);
  return `${prefix}${String(highest + 1).padStart(3, "0")}`;
}

export interface DecideInput {
  bidId: number;
  hasInterest: boolean;
  interestDetails?: string | null;
  outcome?: DecisionOutcomeName | null;
  amountPence?: number | null;
  reason?: string | null;
  schedule?: ScheduleKind;
  idempotencyKey: string;
}

export type DecideResult =
  | { kind: "interest-declared"; referred: boolean }
  | { kind: "decided"; outcome: DecisionOutcomeName; status: BidStatus; grantId: string | null; awaitingQuorum: boolean };

const OUTCOME_WORDS: Record<DecisionOutcomeName, string> = {
  approve: "approved",
  "part-approve": "approved in part",
  reject: "not approved",
  "request-changes": "sent back for changes",
};

/**
 * Records a councillor's (or the designated decision-maker's) declaration and decision on a bid.
 * Throws a Refusal when the user may not decide, the decision is incomplete, or the money
 * is not there ("Only £X is available in <ward> ward budget").
 */
export function decideBid(user: Principal, input: DecideInput, now = new Date(), database: Db = db()): DecideResult {
  return answerOnce(database, keyedRequest("bid.decide", actorOf(user), input), () => decideBidOnce(user, input, now, database));
}

function decideBidOnce(user: Principal, input: DecideInput, now: Date, database: Db): DecideResult {
  try {
    return writeTransaction((tx) => decideInTransaction(tx, user, input, now), database);
  } catch (error) {
    if (error instanceof LedgerRefusal && error.code === "INSUFFICIENT_BALANCE") {
      const facts = bidFacts(database, input.bidId)!;
      const asDesignated = standing(user, facts) === "designated";
      const short = availableByBudget(database, sourceBudgets(database, facts, user, asDesignated).map((b) => b.id));
      const message = short.map((b) => `Only ${formatPence(b.availablePence)} is available in ${b.wardName ? `${b.wardName} ward budget` : b.name}`).join("; ");
      throw new Refusal(`${message}.`, { field: "amount" });
    }
    if (error instanceof LedgerRefusal) throw new Refusal(`The ledger refused this decision: ${error.message}`);
    throw error;
  }
}

function decideInTransaction(tx: Db, user: Principal, input: DecideInput, now: Date): DecideResult {
  const facts = bidFacts(tx, input.bidId);
  if (!facts || facts.fund.kind !== "ward-budget") throw new Refusal("Bid not found", { status: 404 });
  const role = standing(user, facts);
  if (!role) throw new Refusal("Bid not found", { status: 404 });
  const version = latestVersion(tx, facts.bid.id);
  if (!version) throw new Refusal("This bid has not been submitted.", { status: 409 });
  const actor = actorOf(user);
  const decidedAt = now.toISOString();
  const today = londonDateOf(now);
  const existingDeclaration = facts.declarations.find((d) => d.userId === user.id);

  if (input.hasInterest) {
    const details = (input.interestDetails ?? "").trim();
    if (!details) throw new Refusal("Describe your interest", { field: "interestDetails", fieldErrors: { interestDetails: "Describe your interest" } });
    if (role !== "ward-councillor") throw new Refusal("As the designated decision-maker, if you have an interest the council must appoint someone else.", { status: 409 });
    tx.insert(bidInterestDeclarations)
      .values({ bidId: facts.bid.id, userId: user.id, hasInterest: true, details, declaredAt: decidedAt })
      .onConflictDoUpdate({ target: [bidInterestDeclarations.bidId, bidInterestDeclarations.userId], set: { hasInterest: true, details, declaredAt: decidedAt } })
      .run();
    recordAudit(tx, { actor, action: "bid.interest-declared", entityType: "bid", entityId: facts.bid.id, reason: details });
    const referred = needsDesignatedDecisionMaker([...new Set(facts.councillors.map((c) => c.id))], [...facts.declaredInterestIds, user.id]);
    if (referred) {
      recordAudit(tx, { actor, action: "bid.referred-to-designated-decision-maker", entityType: "bid", entityId: facts.bid.id });
      if (facts.ddmId) {
        notifyUsers(tx, {
          userIds: [facts.ddmId],
          topic: "essential",
          subject: `Bid ${facts.bid.reference} needs your decision`,
          body: `Every councillor of ${facts.wards.map((w) => w.name).join(" and ")} ward has declared an interest in "${version.title}", so it comes to you as the designated decision-maker. Decide it at /decisions.`,
        });
      }
    }
    return { kind: "interest-declared", referred };
  }

  if (existingDeclaration?.hasInterest) throw new Refusal("You declared an interest in this bid, so you cannot decide it.", { status: 403 });
  const duty = checkDuty(
    "decide-bid",
    { id: user.id, roles: user.roles, councillorWardIds: user.councillorWardIds, groupIds: user.groupIds, isDesignatedDecisionMaker: role === "designated" },
    { groupId: facts.bid.groupId, wardIds: facts.wardIds, declaredInterestIds: facts.declaredInterestIds },
  );
  if (!duty.allowed) throw new Refusal(duty.reason, { status: 403 });
  const outcome = input.outcome;
  if (!outcome) throw new Refusal("Choose a decision", { field: "outcome", fieldErrors: { outcome: "Choose a decision" } });
  const move = transition("ward-budget", facts.bid.status as BidStatus, outcome);
  if (!move.ok) throw new Refusal(move.reason, { status: 409 });
  if (tx.select().from(bidDecisions).where(and(eq(bidDecisions.bidId, facts.bid.id), eq(bidDecisions.version, version.version), eq(bidDecisions.deciderId, user.id))).get()) {
    throw new Refusal("You have already decided this version of the bid.", { status: 409 });
  }
  const problems = checkDecision(
    { outcome, amountPence: input.amountPence, reason: input.reason },
    { requestedPence: version.amountPence, groupVerified: Boolean(facts.group.verifiedAt), fundFy: facts.fund.fy, commitmentCutoffOn: facts.fund.commitmentCutoffOn, today },
  );
  if (Object.keys(problems).length > 0) {
    const { form, ...fields } = problems;
    throw new Refusal(form ?? "Check the decision", { field: form ? "form" : Object.keys(fields)[0]!, fieldErrors: fields });
  }

  tx.insert(bidInterestDeclarations)
    .values({ bidId: facts.bid.id, userId: user.id, hasInterest: false, details: null, declaredAt: decidedAt })
    .onConflictDoUpdate({ target: [bidInterestDeclarations.bidId, bidInterestDeclarations.userId], set: { hasInterest: false, details: null, declaredAt: decidedAt } })
    .run();

  const asDesignated = role === "designated";
  const reason = (input.reason ?? "").trim() || null;
  const sources = sourceBudgets(tx, facts, user, asDesignated);
  const wardId = asDesignated ? null : (facts.wardIds.find((w) => user.councillorWardIds.includes(w)) ?? null);
  const priorOnVersion = tx.select().from(bidDecisions).where(and(eq(bidDecisions.bidId, facts.bid.id), eq(bidDecisions.version, version.version))).orderBy(asc(bidDecisions.id)).all();
  const openEarmark = priorOnVersion.find((d) => d.entryId && (d.outcome === "approve" || d.outcome === "part-approve"));
  const key = (suffix: string) => `${input.idempotencyKey}:${facts.bid.id}:${suffix}`;
  const post = (draft: EntryDraft, approvalId: string | null) =>
    postEntry({ draft, idempotencyKey: key(draft.type), actor, effectiveDate: today, approvalId }, tx).entryId;

  let entryId: string | null = null;
  let grantId: string | null = facts.bid.grantId;
  let newStatus: BidStatus | null = move.to;
  let awaitingQuorum = false;
  let awarded = 0;
  let plan: ReturnType<typeof offerPlan> | null = null;

  if (outcome === "approve" || outcome === "part-approve") {
    if (sources.length === 0) throw new Refusal(`No budget has been set in ${facts.fund.name} for this bid's ward.`);
    const amount = awardedPence({ outcome, amountPence: input.amountPence }, version.amountPence);
    const approvalsSoFar = priorOnVersion.filter((d) => d.outcome === "approve" || d.outcome === "part-approve").length;
    const step = pooledStep(facts.fund.pooledQuorum, approvalsSoFar + 1);
    if (!grantId) {
      grantId = nextGrantId(tx, facts.fund.id);
      tx.insert(grants)
        .values({
          id: grantId,
          fundId: facts.fund.id,
          groupId: facts.group.id,
          wardId: facts.wardIds[0] ?? null,
          title: version.title,
          summary: version.summary || version.title,
          amountRequestedPence: version.amountPence,
          amountAwardedPence: step === "commit" ? amount : 0,
          awardDate: today,
          plannedStart: version.startOn,
          plannedEnd: version.endOn,
        })
        .run();
    }
    const budgetIds = sources.map((b) => b.id);
    const schedule = input.schedule ?? "single";
    if (step === "earmark" || step === "keep-earmark") {
      // A reservation holds only the award year's part: a later year's part is never this year's money.
      const { tranches } = offerPlan({ schedule, amountPence: amount, today, endOn: version.endOn, fund: facts.fund });
      if (step === "earmark") entryId = post(earmark({ grantId, sources: splitAcrossBudgets(awardYearPence(tranches, facts.fund.fy), budgetIds), memo: version.title }), null);
      newStatus = null;
      awaitingQuorum = true;
    } else {
      const approvalId = `${grantId}-approval-v${version.version}`;
      // After a pooled reservation the award is at most what the first approval granted.
      awarded = openEarmark ? Math.min(amount, openEarmark.amountPence ?? amount) : amount;
      plan = offerPlan({ schedule, amountPence: awarded, today, endOn: version.endOn, fund: facts.fund });
      const thisYear = awardYearPence(plan.tranches, facts.fund.fy);
      tx.insert(approvals)
        .values({
          id: approvalId,
          entryType: "COMMIT",
          grantId,
          requesterId: version.submittedBy,
          approverId: user.id,
          decidedAt,
          amountPence: awarded,
          noInterestDeclared: true,
          note: asDesignated ? "Decided by the designated decision-maker" : (reason ?? OUTCOME_WORDS[outcome]),
        })
        .run();
      if (openEarmark) {
        const earmarked = earmarkedPence(tx, grantId);
        const fromEarmark = Math.min(thisYear, earmarked);
        const releases = splitAcrossBudgets(earmarked - fromEarmark, budgetIds);
        entryId = post(commitFromEarmark({ grantId, earmarkEntryId: openEarmark.entryId!, pence: fromEarmark, releases, memo: version.title }), approvalId);
        if (thisYear > fromEarmark) {
          // The final approver's schedule puts more in this year than the reservation held.
          postEntry({ draft: commit({ grantId, sources: splitAcrossBudgets(thisYear - fromEarmark, budgetIds), memo: version.title }), idempotencyKey: key("COMMIT-beyond-earmark"), actor, effectiveDate: today, approvalId }, tx);
        }
      } else {
        entryId = post(commit({ grantId, sources: splitAcrossBudgets(thisYear, budgetIds), memo: version.title }), approvalId);
      }
      const finalOutcome = awarded < version.amountPence ? "part-approve" : "approve";
      newStatus = transition("ward-budget", facts.bid.status as BidStatus, finalOutcome).ok ? (finalOutcome === "approve" ? "approved" : "part-approved") : move.to;
      tx.update(grants).set({ amountAwardedPence: awarded, awardDate: today, updatedAt: decidedAt }).where(eq(grants.id, grantId)).run();
      createOffer(tx, {
        bidId: facts.bid.id,
        grantId,
        amountPence: awarded,
        fund: facts.fund,
        title: version.title,
        endOn: version.endOn,
        schedule,
        today,
        createdAt: decidedAt,
        instalments: plan.instalments,
        commitment: { entryId, approvalId, committedBy: user.id },
      });
    }
  } else if (openEarmark && grantId) {
    // A rejection or a request for changes gives back what an earlier pooled approval reserved.
    const earmarked = earmarkedPence(tx, grantId);
    if (earmarked > 0) entryId = post(release({ grantId, earmarkEntryId: openEarmark.entryId!, returns: splitAcrossBudgets(earmarked, sources.map((b) => b.id)), memo: "Reservation released" }), null);
    grantId = null;
  }

  tx.insert(bidDecisions)
    .values({ bidId: facts.bid.id, version: version.version, deciderId: user.id, wardId, asDesignatedDecisionMaker: asDesignated, outcome, amountPence: outcome === "part-approve" ? (input.amountPence ?? null) : outcome === "approve" ? version.amountPence : null, reason, entryId, decidedAt })
    .run();
  if (newStatus) {
    tx.update(bids)
      .set({ status: newStatus, decidedAt, updatedAt: decidedAt, grantId: newStatus === "approved" || newStatus === "part-approved" ? grantId : openEarmark ? null : facts.bid.grantId })
      .where(eq(bids.id, facts.bid.id))
      .run();
  } else if (grantId && !facts.bid.grantId) {
    tx.update(bids).set({ grantId, updatedAt: decidedAt }).where(eq(bids.id, facts.bid.id)).run();
  }
  recordAudit(tx, {
    actor,
    action: awaitingQuorum ? "bid.approval-recorded" : `bid.${outcome}`,
    entityType: "bid",
    entityId: facts.bid.id,
    reason,
    before: { status: facts.bid.status },
    after: {
      status: newStatus ?? facts.bid.status,
      version: version.version,
      amountPence: awarded || null,
      grantId,
      asDesignatedDecisionMaker: asDesignated,
      entryId,
      ...(plan ? { tranches: plan.tranches.map((t) => ({ fy: t.fy, amountPence: t.amountPence, status: t.fy === facts.fund.fy ? "committed" : "pending" })) } : {}),
    },
  });
  if (newStatus) {
    const later = plan ? plan.tranches.filter((t) => t.fy !== facts.fund.fy) : [];
    const spanText = later.length
      ? ` ${formatPence(awardYearPence(plan!.tranches, facts.fund.fy))} of it comes from the ${facts.fund.fy} ward budget now; ${later.map((t) => `${formatPence(t.amountPence)} in ${t.fy}`).join(" and ")} will be committed once that year's ward budget is set.`
      : "";
    const amountText = awarded ? ` The grant is ${formatPence(awarded)}.${spanText}` : "";
    const offerText = awarded
      ? ` Read and accept the grant offer at /bids/${facts.bid.id}/offer.`
      : ` ${outcome === "request-changes" ? "Make the changes and send it again at" : "See the bid at"} /bids/${facts.bid.id}.`;
    const reasonText = reason ? `\n\n${outcome === "request-changes" ? "What to change" : "Reason"}: ${reason}` : "";
    notifyUsers(tx, {
      userIds: groupMemberIds(tx, facts.group.id),
      topic: "essential",
      subject: `Your bid ${facts.bid.reference} has been ${OUTCOME_WORDS[outcome]}`,
      body: `"${version.title}" has been ${OUTCOME_WORDS[outcome]}${asDesignated ? " by the council's designated decision-maker" : ""}.${amountText}${offerText}${reasonText}`,
    });
  }
  return { kind: "decided", outcome, status: newStatus ?? (facts.bid.status as BidStatus), grantId, awaitingQuorum };
}

function earmarkedPence(tx: Db, grantId: string): number {
  return tx.select({ b: sql<number>`credits_posted - debits_posted` }).from(ledgerAccounts).where(eq(ledgerAccounts.key, `EARMARKED:${grantId}`)).get()?.b ?? 0;
}

/** Ward-budget bids in `wardIds` with a given status, newest first. */
function bidsInWards(database: Db, wardIds: readonly number[], statuses: readonly BidStatus[]) {
  if (wardIds.length === 0) return [];
  return database
    .selectDistinct({ id: bids.id, reference: bids.reference, title: bids.title, amountPence: bids.amountPence, status: bids.status, submittedAt: bids.submittedAt, groupName: communityGroups.name, version: bids.version })
    .from(bids)
    .innerJoin(bidWards, eq(bidWards.bidId, bids.id))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .innerJoin(funds, eq(funds.id, bids.fundId))
    .where(and(inArray(bidWards.wardId, [...wardIds]), inArray(bids.status, [...statuses]), eq(funds.kind, "ward-budget")))
    .orderBy(desc(bids.submittedAt), desc(bids.id))
    .all();
}

/** Submitted bids in the councillor's wards that still wait for their own decision or declaration. */
export function bidsAwaitingDecision(user: Principal, database: Db = db()) {
  const rows = bidsInWards(database, user.councillorWardIds, ["submitted"]);
  const mine = database.select().from(bidDecisions).where(eq(bidDecisions.deciderId, user.id)).all();
  const declared = new Set(database.select().from(bidInterestDeclarations).where(and(eq(bidInterestDeclarations.userId, user.id), eq(bidInterestDeclarations.hasInterest, true))).all().map((d) => d.bidId));
  return rows.filter((b) => !declared.has(b.id) && !mine.some((d) => d.bidId === b.id && d.version === b.version));
}

/** Bids referred to the designated decision-maker (every ward councillor declared an interest). */
export function referredBids(user: Principal, database: Db = db()) {
  if (designatedDecisionMakerId(database) !== user.id) return [];
  const submitted = database.select({ id: bids.id }).from(bids).innerJoin(funds, eq(funds.id, bids.fundId)).where(and(eq(bids.status, "submitted"), eq(funds.kind, "ward-budget"))).all();
  return submitted
    .map((b) => bidFacts(database, b.id)!)
    .filter((f) => f.allConflicted)
    .map((f) => ({ id: f.bid.id, reference: f.bid.reference, title: f.bid.title, amountPence: f.bid.amountPence, groupName: f.group.name, wards: f.wards.map((w) => w.name) }));
}

export function isDesignatedDecisionMaker(userId: string, database: Db = db()): boolean {
  return designatedDecisionMakerId(database) === userId;
}

/** Recent bid events in the councillor's wards (audit trail, no personal data beyond names). */
export function recentWardActivity(user: Principal, limit = 10, database: Db = db()) {
  const ids = bidsInWards(database, user.councillorWardIds, ["submitted", "changes-requested", "approved", "part-approved", "rejected", "offer-accepted", "paid", "monitoring-due", "closed", "withdrawn"]).map((b) => String(b.id));
  if (ids.length === 0) return [];
  const titles = new Map(database.select({ id: bids.id, title: bids.title, reference: bids.reference }).from(bids).all().map((b) => [String(b.id), b]));
  return database
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "bid"), inArray(auditEvents.entityId, ids)))
    .orderBy(desc(auditEvents.id))
    .limit(limit)
    .all()
    .map((e) => ({ id: e.id, at: e.at, action: e.action, actorName: e.actorName, bidId: Number(e.entityId), title: titles.get(e.entityId!)?.title ?? "", reference: titles.get(e.entityId!)?.reference ?? "" }));
}
