/**
 * Later years' tranches of multi-year ward-budget grants: committing each against its own year's
 * budget once that budget is set, and giving the money back when a grant is withdrawn.
 *
 * When: a pending tranche is committed (1) automatically in the transaction that sets a year's
 * ward budgets (`createWardBudgetScheme` calls `commitPendingTranches`), and (2) by a finance
 * officer or administrator from the payments queue or the year's fund page, e.g. after a budget
 * top-up made room for one that was refused. A tranche whose year's budget cannot cover it is
 * refused with the balance shown and stays pending; the refusal is kept on the tranche, audited,
 * and sent to the finance officers.
 *
 * Against what: the budgets the award year's tranche came from, in the tranche's year. A ward's
 * budget maps to that ward's budget next year and a councillor's own budget to that councillor's,
 * as the year-end carry-forward maps them, taken from the earliest ward-budget fund of the year
 * that has them all. The tranche gets its own grant in that fund (`{award grant id}-{yyyy-yy}`,
 * `parent_grant_id` = the award), so its COMMITTED, PAYABLE and PAID accounts belong to that
 * fund and year and the ledger's conservation per fund and year holds.
 *
 * Rules, as for any COMMIT: an approval record (the original decision; the tranche's own approval
 * row copies its requester and approver and points back at it with `derived_from_id`), separation
 * of duties (whoever commits it neither approved the grant nor belongs to the group), and an
 * effective date in an open year: today, or 1 April of the tranche's year when its budget is set
 * ahead of the year. A year that has ended cannot take it any more.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { checkDuty } from "~/core/access/duties";
import {
  FUNDED_STATUSES,
  splitAcrossBudgets,
  trancheCommitDate,
  trancheGrantId,
  trancheStatusText,
  transition,
  type BidStatus,
} from "~/core/bids";
import { commit, decommit, londonDateOf, sharesFromWeights, type BudgetShare } from "~/core/ledger";
import { formatPence } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  approvals,
  bids,
  budgets,
  communityGroups,
  funds,
  grantInstalments,
  grantOffers,
  grants,
  grantTranches,
  ledgerAccounts,
  monitoringReports,
  roleGrants,
  wards,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { answerOnce, keyedRequest } from "~/models/idempotency.server";
import { LedgerRefusal, postEntry } from "~/models/ledger.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import { formatMoney } from "~/core/locale-format";
import { messageText } from "~/utils/message-text";
import { waitingInstalments } from "~/models/instalments.server";
import type { Principal } from "~/utils/auth.server";
import { grantStateOfBid, transitionOrRefuse } from "~/models/grant-state.server";
import { Refusal } from "~/utils/refusal";

/**
 * The code of a refusal about the tranche's budget or timing (no budget yet, no room in it): such a
 * refusal is written on the tranche and sent to the finance officers. Refusals about the person or
 * the tranche's state carry no code and are only returned.
 */
const KEPT_ON_TRANCHE = "kept-on-tranche";

/** A bid whose later years may still be committed: funded and not yet closed. */
const COMMITTABLE_STATUSES: readonly BidStatus[] = FUNDED_STATUSES.filter((s) => s !== "closed");

const balanceOf = (tx: Db, key: string) =>
  tx
    .select({ b: sql<number>`credits_posted - debits_posted` })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.key, key))
    .get()?.b ?? 0;

function trancheFacts(tx: Db, trancheId: number) {
  const tranche = tx.select().from(grantTranches).where(eq(grantTranches.id, trancheId)).get();
  if (!tranche) return null;
  const offer = tx.select().from(grantOffers).where(eq(grantOffers.id, tranche.offerId)).get()!;
  const bid = tx.select().from(bids).where(eq(bids.id, offer.bidId)).get()!;
  const award = tx.select().from(grants).where(eq(grants.id, offer.grantId)).get()!;
  return { tranche, offer, bid, award };
}

/**
 * The budgets a grant's money came from, with how much each gave: the AVAILABLE debits of the
 * COMMIT and EARMARK entries on the grant's own accounts.
 */
function sourceBudgetsOfGrant(tx: Db, grantId: string): { budgetId: string; pence: number }[] {
  return tx.$client
    .prepare(
      `select src.budget_id as budgetId, sum(sp.amount_pence) as pence
         from journal_entries e
         join journal_postings sp on sp.entry_id = e.id and sp.dc = 'D'
         join ledger_accounts src on src.id = sp.account_id and src.kind = 'AVAILABLE'
        where e.type in ('COMMIT', 'EARMARK')
          and exists (select 1 from journal_postings gp join ledger_accounts ga on ga.id = gp.account_id
                       where gp.entry_id = e.id and ga.grant_id = ?)
        group by src.budget_id order by src.budget_id`,
    )
    .all(grantId) as { budgetId: string; pence: number }[];
}

/**
 * Next year's budgets for the award's budgets: the same councillor's own budget, or the same
 * ward's, from the earliest ward-budget fund of `fy` that has every one of them.
 */
function targetBudgets(
  tx: Db,
  awardGrantId: string,
  fy: string,
): { fund: typeof funds.$inferSelect; budgetIds: string[] } | { missing: string } {
  const sourceIds = sourceBudgetsOfGrant(tx, awardGrantId).map((s) => s.budgetId);
  const sources = sourceIds.length
    ? tx
        .select({
          id: budgets.id,
          wardId: budgets.wardId,
          councillorId: budgets.councillorId,
          wardName: wards.name,
          name: budgets.name,
        })
        .from(budgets)
        .leftJoin(wards, eq(wards.id, budgets.wardId))
        .where(inArray(budgets.id, sourceIds))
        .all()
    : [];
  if (sources.length === 0)
    return {
      missing:
        "The budget this grant was first committed from is not known, so its later years cannot be matched to a " +
        "budget.",
    };
  const candidates = tx
    .select()
    .from(funds)
    .where(and(eq(funds.fy, fy), eq(funds.kind, "ward-budget")))
    .orderBy(asc(funds.createdAt), asc(funds.id))
    .all();
  for (const fund of candidates) {
    const yearBudgets = tx.select().from(budgets).where(eq(budgets.fundId, fund.id)).all();
    const matched = sources.map((s) =>
      yearBudgets.find((b) =>
        s.councillorId !== null ? b.councillorId === s.councillorId : b.councillorId === null && b.wardId === s.wardId,
      ),
    );
    if (matched.every((b) => b !== undefined))
      return { fund, budgetIds: [...new Set(matched.map((b) => b!.id))].sort() };
  }
  const names = sources.map((s) => (s.councillorId !== null ? s.name : `${s.wardName ?? s.name} ward`)).join(" and ");
  return {
    missing: `No ${fy} ward budget has been set for ${names} yet, so this part of the grant stays pending until it is.`,
  };
}

/** The decision that approved the award: its COMMIT approval (the latest, after any re-decision). */
function awardApproval(tx: Db, awardGrantId: string) {
  return tx
    .select()
    .from(approvals)
    .where(and(eq(approvals.grantId, awardGrantId), eq(approvals.entryType, "COMMIT")))
    .orderBy(desc(approvals.decidedAt))
    .get();
}

function describeLedgerRefusal(
  tx: Db,
  error: LedgerRefusal,
  facts: NonNullable<ReturnType<typeof trancheFacts>>,
  budgetIds: readonly string[],
): string {
  if (error.code !== "INSUFFICIENT_BALANCE") return `The ledger refused to commit it: ${error.message}`;
  const short = budgetIds
    .map((id) => {
      const budget = tx.select({ name: budgets.name }).from(budgets).where(eq(budgets.id, id)).get();
      return `${formatPence(balanceOf(tx, `AVAILABLE:${id}`))} is available in ${budget?.name ?? id}`;
    })
    .join("; ");
  return (
    `Only ${short}, and the ${facts.tranche.fy} part of this grant is ` +
    `${formatPence(facts.tranche.amountPence)}: it stays pending until the budget can cover it.`
  );
}

/** Commits one pending tranche; throws a Refusal and writes nothing when it cannot. */
function commitInTransaction(
  tx: Db,
  user: Principal,
  trancheId: number,
  idempotencyKey: string,
  now: Date,
): { entryId: string; grantId: string } {
  const facts = trancheFacts(tx, trancheId);
  if (!facts) throw new Refusal("That part of a grant does not exist.", { status: 404 });
  const { tranche, bid, award } = facts;
  if (tranche.status !== "pending")
    throw new Refusal(`The ${tranche.fy} part of this grant is already ${tranche.status}.`, { status: 409 });
  if (!COMMITTABLE_STATUSES.includes(bid.status as BidStatus))
    throw new Refusal(`The bid is ${bid.status}, so its ${tranche.fy} part cannot be committed.`, { status: 409 });
  const original = awardApproval(tx, award.id);
  if (!original)
    throw new Refusal(
      "The decision that approved this grant has no approval record, so its later years cannot be committed.",
      { code: KEPT_ON_TRANCHE },
    );
  const duty = checkDuty("commit-tranche", user, {
    groupId: bid.groupId,
    wardIds: award.wardId ? [award.wardId] : [],
    approverIds: [original.approverId],
  });
  if (!duty.allowed) throw new Refusal(duty.reason, { status: 403 });
  const timing = trancheCommitDate(londonDateOf(now), tranche.fy);
  if (!timing.ok) throw new Refusal(timing.reason, { code: KEPT_ON_TRANCHE });
  const target = targetBudgets(tx, award.id, tranche.fy);
  if ("missing" in target) throw new Refusal(target.missing, { code: KEPT_ON_TRANCHE });
  const sources = splitAcrossBudgets(tranche.amountPence, target.budgetIds);
  const machine = grantStateOfBid(tx, bid.id);
  if (machine) {
    const today = londonDateOf(now);
    transitionOrRefuse(machine, { type: "commit-part", fy: tranche.fy, scheme: target.fund.id, sources, today });
  }

  const grantId = trancheGrantId(award.id, tranche.fy);
  const at = now.toISOString();
  tx.insert(grants)
    .values({
      id: grantId,
      fundId: target.fund.id,
      groupId: award.groupId,
      wardId: award.wardId,
      title: award.title,
      summary: award.summary,
      amountRequestedPence: tranche.amountPence,
      amountAwardedPence: tranche.amountPence,
      awardDate: timing.effectiveDate,
      plannedStart: award.plannedStart,
      plannedEnd: award.plannedEnd,
      parentGrantId: award.id,
    })
    .run();
  const approvalId = `${grantId}-approval`;
  tx.insert(approvals)
    .values({
      id: approvalId,
      entryType: "COMMIT",
      grantId,
      requesterId: original.requesterId,
      approverId: original.approverId,
      decidedAt: original.decidedAt,
      amountPence: tranche.amountPence,
      noInterestDeclared: original.noInterestDeclared,
      note:
        `The ${tranche.fy} part of the grant approved on ${original.decidedAt.slice(0, 10)} (approval ` +
        `${original.id})`,
      derivedFromId: original.id,
    })
    .run();
  let entryId: string;
  try {
    entryId = postEntry(
      {
        draft: commit({ grantId, sources, memo: `${award.title}: the ${tranche.fy} part of the grant` }),
        idempotencyKey,
        actor: { id: user.id, name: user.name },
        effectiveDate: timing.effectiveDate,
        approvalId,
        now,
      },
      tx,
    ).entryId;
  } catch (error) {
    if (error instanceof LedgerRefusal)
      throw new Refusal(describeLedgerRefusal(tx, error, facts, target.budgetIds), {
        status: error.status,
        code: KEPT_ON_TRANCHE,
      });
    throw error;
  }
  tx.update(grantTranches)
    .set({
      status: "committed",
      grantId,
      commitEntryId: entryId,
      approvalId,
      committedAt: at,
      committedBy: user.id,
      lastRefusal: null,
      lastRefusedAt: null,
    })
    .where(eq(grantTranches.id, tranche.id))
    .run();
  recordAudit(tx, {
    actor: { id: user.id, name: user.name },
    action: "tranche.committed",
    entityType: "bid",
    entityId: bid.id,
    before: { trancheId: tranche.id, fy: tranche.fy, status: "pending" },
    after: {
      trancheId: tranche.id,
      fy: tranche.fy,
      status: "committed",
      amountPence: tranche.amountPence,
      grantId,
      fundId: target.fund.id,
      entryId,
      approvalId,
      derivedFromApprovalId: original.id,
      effectiveDate: timing.effectiveDate,
    },
  });
  notifyUsers(tx, {
    userIds: groupMemberIds(tx, bid.groupId),
    topic: "payments",
    subject: (t) => t("mail:tranche.committedSubject", { fy: tranche.fy, reference: bid.reference }),
    body: (t, language) =>
      t("mail:tranche.committedBody", {
        fy: tranche.fy,
        amount: formatMoney(tranche.amountPence, language),
        title: bid.title,
        id: bid.id,
      }),
  });
  return { entryId, grantId };
}

export type TrancheAttempt =
  | { ok: true; trancheId: number; entryId: string; grantId: string }
  | { ok: false; trancheId: number; message: string; status: Refusal["status"] };

/**
 * Tries to commit one tranche inside the caller's transaction, in a savepoint of its own: on a
 * refusal nothing of the attempt is kept except the refusal itself, which is written on the
 * tranche, audited and sent to the finance officers. Refusals about the person or the tranche's
 * state rather than its budget (not theirs to commit, already committed) are returned but not kept.
 */
function attempt(tx: Db, user: Principal, trancheId: number, idempotencyKey: string, now: Date): TrancheAttempt {
  try {
    return {
      ok: true,
      trancheId,
      ...writeTransaction((inner) => commitInTransaction(inner, user, trancheId, idempotencyKey, now), tx),
    };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.code !== KEPT_ON_TRANCHE) return { ok: false, trancheId, message: error.message, status: error.status };
    const facts = trancheFacts(tx, trancheId)!;
    tx.update(grantTranches)
      .set({ lastRefusal: error.message, lastRefusedAt: now.toISOString() })
      .where(eq(grantTranches.id, trancheId))
      .run();
    recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      action: "tranche.commit-refused",
      entityType: "bid",
      entityId: facts.bid.id,
      reason: error.message,
      after: { trancheId, fy: facts.tranche.fy, status: "pending", amountPence: facts.tranche.amountPence },
    });
    notifyUsers(tx, {
      userIds: financeOfficerIds(tx).filter((id) => id !== user.id),
      topic: "essential",
      subject: (t) => t("mail:tranche.refusedSubject", { fy: facts.tranche.fy, grant: facts.award.id }),
      body: (t, language) =>
        t("mail:tranche.refusedBody", {
          person: user.name,
          fy: facts.tranche.fy,
          amount: formatMoney(facts.tranche.amountPence, language),
          title: facts.bid.title,
          reference: facts.bid.reference,
          reason: messageText(error.message, language),
        }),
    });
    return { ok: false, trancheId, message: error.message, status: error.status };
  }
}

function financeOfficerIds(tx: Db): string[] {
  return tx
    .selectDistinct({ id: roleGrants.userId })
    .from(roleGrants)
    .where(eq(roleGrants.role, "finance"))
    .all()
    .map((r) => r.id);
}

/**
 * A finance officer or administrator commits one pending tranche against its year's budget.
 * Throws a Refusal when it cannot; a refusal about the budget is kept on the tranche, which
 * stays pending.
 */
export function commitTranche(
  user: Principal,
  input: { trancheId: number; idempotencyKey: string },
  now = new Date(),
  database: Db = db(),
): { entryId: string; grantId: string } {
  return answerOnce(database, keyedRequest("tranche.commit", user, input), () =>
    commitTrancheOnce(user, input, now, database),
  );
}

function commitTrancheOnce(
  user: Principal,
  input: { trancheId: number; idempotencyKey: string },
  now: Date,
  database: Db,
): { entryId: string; grantId: string } {
  const outcome = writeTransaction((tx) => attempt(tx, user, input.trancheId, input.idempotencyKey, now), database);
  if (!outcome.ok) throw new Refusal(outcome.message, { status: outcome.status });
  return { entryId: outcome.entryId, grantId: outcome.grantId };
}

/**
 * Commits every pending tranche of `fy` that can be committed, inside the caller's transaction
 * (the one that sets the year's budgets, or a finance officer's "commit all"). Each is tried on its
 * own; the refused stay pending with their reason.
 */
export function commitPendingTranches(
  tx: Db,
  user: Principal,
  input: { fy: string; keyPrefix: string; now: Date },
): TrancheAttempt[] {
  const pending = tx
    .select({ id: grantTranches.id, status: bids.status })
    .from(grantTranches)
    .innerJoin(grantOffers, eq(grantOffers.id, grantTranches.offerId))
    .innerJoin(bids, eq(bids.id, grantOffers.bidId))
    .where(and(eq(grantTranches.fy, input.fy), eq(grantTranches.status, "pending")))
    .orderBy(asc(grantTranches.id))
    .all()
    .filter((t) => COMMITTABLE_STATUSES.includes(t.status as BidStatus));
  return pending.map((t) => attempt(tx, user, t.id, `${input.keyPrefix}:tranche-${t.id}`, input.now));
}

/** The fund page's "commit pending tranches" for the fund's year. */
export function commitTranchesForFund(
  user: Principal,
  input: { fundId: string; idempotencyKey: string },
  now = new Date(),
  database: Db = db(),
): TrancheAttempt[] {
  return answerOnce(database, keyedRequest("tranche.commit-for-fund", user, input), () =>
    commitTranchesForFundOnce(user, input, now, database),
  );
}

function commitTranchesForFundOnce(
  user: Principal,
  input: { fundId: string; idempotencyKey: string },
  now: Date,
  database: Db,
): TrancheAttempt[] {
  return writeTransaction((tx) => {
    const fund = tx.select().from(funds).where(eq(funds.id, input.fundId)).get();
    if (!fund) throw new Refusal("That fund does not exist.", { status: 404 });
    if (!user.roles.includes("finance") && !user.roles.includes("admin"))
      throw new Refusal("Only finance officers and administrators commit or withdraw a year's part of a grant.", {
        status: 403,
      });
    return commitPendingTranches(tx, user, { fy: fund.fy, keyPrefix: input.idempotencyKey, now });
  }, database);
}

/** Every tranche of `fy` and later years still waiting for its year's budget, for finance. */
export function pendingTranches(database: Db = db()) {
  return trancheRows(database, sql`${grantTranches.status} = 'pending'`).filter((t) =>
    COMMITTABLE_STATUSES.includes(t.bidStatus as BidStatus),
  );
}

/**
 * Later-year tranches that fall to a fund's year: those committed against the fund, and those
 * still waiting for that year. (A grant's award-year part is not listed: it is the grant itself.)
 */
export function tranchesForFund(fundId: string, database: Db = db()) {
  const fund = database.select().from(funds).where(eq(funds.id, fundId)).get();
  if (!fund) return [];
  return trancheRows(
    database,
    sql`${grantTranches.fy} = ${fund.fy} and (${grantTranches.status} = 'pending' or (${grants.fundId} = ${fund.id}
      and ${grants.parentGrantId} is not null))`,
  ).filter((t) => t.status !== "pending" || COMMITTABLE_STATUSES.includes(t.bidStatus as BidStatus));
}

function trancheRows(database: Db, where: ReturnType<typeof sql>) {
  const rows = database
    .select({
      id: grantTranches.id,
      fy: grantTranches.fy,
      amountPence: grantTranches.amountPence,
      status: grantTranches.status,
      grantId: grantTranches.grantId,
      lastRefusal: grantTranches.lastRefusal,
      lastRefusedAt: grantTranches.lastRefusedAt,
      committedAt: grantTranches.committedAt,
      offerId: grantOffers.id,
      awardGrantId: grantOffers.grantId,
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      bidStatus: bids.status,
      groupName: communityGroups.name,
      awardFundName: funds.name,
      awardFy: funds.fy,
    })
    .from(grantTranches)
    .innerJoin(grantOffers, eq(grantOffers.id, grantTranches.offerId))
    .innerJoin(bids, eq(bids.id, grantOffers.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .innerJoin(funds, eq(funds.id, bids.fundId))
    .leftJoin(grants, eq(grants.id, grantTranches.grantId))
    .where(where)
    .orderBy(asc(grantTranches.fy), asc(bids.reference))
    .all();
  const paid = paidByOfferAndYear(database, [...new Set(rows.map((r) => r.offerId))]);
  return rows.map((r) => {
    const paidPence = paid.get(`${r.offerId}:${r.fy}`) ?? 0;
    return {
      ...r,
      paidPence,
      statusText: trancheStatusText({
        status: r.status,
        fy: r.fy,
        paid: r.status === "committed" && paidPence >= r.amountPence,
      }),
    };
  });
}

function paidByOfferAndYear(database: Db, offerIds: readonly number[]): Map<string, number> {
  if (offerIds.length === 0) return new Map();
  const rows = database
    .select({
      offerId: grantInstalments.offerId,
      fy: grantInstalments.fy,
      pence: sql<number>`sum(${grantInstalments.amountPence})`,
    })
    .from(grantInstalments)
    .where(and(inArray(grantInstalments.offerId, [...offerIds]), sql`${grantInstalments.paidAt} is not null`))
    .groupBy(grantInstalments.offerId, grantInstalments.fy)
    .all();
  return new Map(rows.map((r) => [`${r.offerId}:${r.fy}`, r.pence]));
}

/**
 * Gives a grant's unpaid commitment back to the budgets it came from (DECOMMIT, split in
 * proportion to what each gave), dated in the part's own year while that year lasts. Runs in a
 * savepoint; throws LedgerRefusal (leaving nothing) when the ledger refuses.
 */
function decommitUnpaid(
  tx: Db,
  actor: Actor,
  input: {
    grantId: string;
    fy: string | null;
    unpaidPence: number;
    reason: string;
    memo: string;
    idempotencyKey: string;
    now: Date;
  },
): string {
  const returns: BudgetShare[] = sharesFromWeights(
    input.unpaidPence,
    sourceBudgetsOfGrant(tx, input.grantId).map((s) => ({ budgetId: s.budgetId, weight: s.pence })),
  );
  const today = londonDateOf(input.now);
  const timing = input.fy ? trancheCommitDate(today, input.fy) : null;
  const effectiveDate = timing?.ok ? timing.effectiveDate : today;
  return writeTransaction(
    (inner) =>
      postEntry(
        {
          draft: decommit({ grantId: input.grantId, returns, reason: input.reason, memo: input.memo }),
          idempotencyKey: input.idempotencyKey,
          actor,
          effectiveDate,
          now: input.now,
        },
        inner,
      ).entryId,
    tx,
  );
}

/**
 * A finance officer or administrator withdraws one financial year's part of a grant, with a
 * reason: the project ended early, or the group no longer needs a later year's money. A pending
 * part is cancelled; a committed part's unpaid money is decommitted to the budgets it came from.
 * Refused while a payment of that part is in progress, and when nothing of it is left unpaid.
 */
export function withdrawTranche(
  user: Principal,
  input: { trancheId: number; reason: string; idempotencyKey: string },
  now = new Date(),
  database: Db = db(),
): void {
  return answerOnce(database, keyedRequest("tranche.withdraw", user, input), () =>
    withdrawTrancheOnce(user, input, now, database),
  );
}

function withdrawTrancheOnce(
  user: Principal,
  input: { trancheId: number; reason: string; idempotencyKey: string },
  now: Date,
  database: Db,
): void {
  const reason = input.reason.trim();
  if (reason.length < 3) throw new Refusal("Say why this part of the grant is withdrawn.");
  try {
    writeTransaction((tx) => {
      const facts = trancheFacts(tx, input.trancheId);
      if (!facts) throw new Refusal("That part of a grant does not exist.", { status: 404 });
      const { tranche, bid, award } = facts;
      const original = awardApproval(tx, award.id);
      const duty = checkDuty("commit-tranche", user, {
        groupId: bid.groupId,
        wardIds: award.wardId ? [award.wardId] : [],
        approverIds: original ? [original.approverId] : [],
      });
      if (!duty.allowed) throw new Refusal(duty.reason, { status: 403 });
      const machine = grantStateOfBid(tx, bid.id);
      if (machine) transitionOrRefuse(machine, { type: "withdraw-part", fy: tranche.fy, reason });
      const actor = { id: user.id, name: user.name };
      const at = now.toISOString();
      let entryId: string | null = null;
      let unpaid = tranche.amountPence;
      if (tranche.status === "pending") {
        tx.update(grantTranches)
          .set({ status: "cancelled", closedAt: at, closedReason: reason })
          .where(eq(grantTranches.id, tranche.id))
          .run();
      } else if (tranche.status === "committed" && tranche.grantId) {
        if (balanceOf(tx, `PAYABLE:${tranche.grantId}`) > 0)
          throw new Refusal(`A payment of the ${tranche.fy} part is in progress: confirm or fail it first.`, {
            status: 409,
          });
        unpaid = balanceOf(tx, `COMMITTED:${tranche.grantId}`);
        if (unpaid <= 0) throw new Refusal(`Nothing of the ${tranche.fy} part is left unpaid.`, { status: 409 });
        entryId = decommitUnpaid(tx, actor, {
          grantId: tranche.grantId,
          fy: tranche.fy,
          unpaidPence: unpaid,
          reason,
          memo: `${bid.title}: the ${tranche.fy} part withdrawn`,
          idempotencyKey: input.idempotencyKey,
          now,
        });
        tx.update(grantTranches)
          .set({ status: "decommitted", decommitEntryId: entryId, closedAt: at, closedReason: reason })
          .where(eq(grantTranches.id, tranche.id))
          .run();
      } else {
        throw new Refusal(`The ${tranche.fy} part of this grant is already ${tranche.status}.`, { status: 409 });
      }
      recordAudit(tx, {
        actor,
        action: tranche.status === "pending" ? "tranche.cancelled" : "tranche.decommitted",
        entityType: "bid",
        entityId: bid.id,
        reason,
        before: { trancheId: tranche.id, fy: tranche.fy, status: tranche.status },
        after: {
          trancheId: tranche.id,
          fy: tranche.fy,
          status: tranche.status === "pending" ? "cancelled" : "decommitted",
          amountPence: unpaid,
          grantId: tranche.grantId,
          entryId,
        },
      });
      // A bid whose report is in and which now waits for nothing more is done.
      const reportIn = tx
        .select({ at: monitoringReports.submittedAt })
        .from(monitoringReports)
        .where(eq(monitoringReports.bidId, bid.id))
        .all()
        .some((r) => r.at !== null);
      if (reportIn && waitingInstalments(tx, bid.id).length === 0) {
        const move = transition("ward-budget", bid.status as BidStatus, "close");
        if (move.ok) {
          tx.update(bids).set({ status: move.to, updatedAt: at }).where(eq(bids.id, bid.id)).run();
          recordAudit(tx, {
            actor,
            action: "bid.closed",
            entityType: "bid",
            entityId: bid.id,
            before: { status: bid.status },
            after: { status: move.to },
          });
        }
      }
      notifyUsers(tx, {
        userIds: groupMemberIds(tx, bid.groupId),
        topic: "essential",
        subject: (t) => t("mail:tranche.withdrawnSubject", { fy: tranche.fy, reference: bid.reference }),
        body: (t, language) =>
          t("mail:tranche.withdrawnBody", {
            fy: tranche.fy,
            amount: formatMoney(unpaid, language),
            title: bid.title,
            reason: messageText(reason, language),
          }),
      });
    }, database);
  } catch (error) {
    if (error instanceof LedgerRefusal)
      throw new Refusal(`The ledger refused to give the money back: ${error.message}`);
    throw error;
  }
}

/**
 * A withdrawn or declined grant gives back what is not yet paid, year by year: a pending tranche
 * is cancelled; a committed one's unpaid commitment is decommitted (DECOMMIT) to the budgets it
 * came from, in its own year. Runs inside the withdrawal's transaction. If the ledger refuses a
 * decommitment (its year is closed), that tranche stays committed for finance to deal with, and
 * the refusal is audited and sent to the finance officers; the withdrawal itself goes ahead.
 */
export function releaseTranches(tx: Db, actor: Actor, input: { bidId: number; reason: string; now: Date }): void {
  const offer = tx.select().from(grantOffers).where(eq(grantOffers.bidId, input.bidId)).get();
  if (!offer) return;
  const rows = tx
    .select()
    .from(grantTranches)
    .where(eq(grantTranches.offerId, offer.id))
    .orderBy(asc(grantTranches.fy))
    .all();
  const at = input.now.toISOString();
  const bid = tx.select().from(bids).where(eq(bids.id, input.bidId)).get()!;
  const parts = rows.length ? rows : [{ id: null, fy: null, status: "committed" as const, grantId: offer.grantId }];
  for (const tranche of parts) {
    if (tranche.status === "pending" && tranche.id !== null) {
      tx.update(grantTranches)
        .set({ status: "cancelled", closedAt: at, closedReason: input.reason })
        .where(eq(grantTranches.id, tranche.id))
        .run();
      recordAudit(tx, {
        actor,
        action: "tranche.cancelled",
        entityType: "bid",
        entityId: input.bidId,
        reason: input.reason,
        before: { trancheId: tranche.id, fy: tranche.fy, status: "pending" },
        after: { trancheId: tranche.id, fy: tranche.fy, status: "cancelled" },
      });
      continue;
    }
    if (tranche.status !== "committed" || !tranche.grantId) continue;
    const grantId = tranche.grantId;
    const unpaid = balanceOf(tx, `COMMITTED:${grantId}`);
    if (unpaid <= 0) continue;
    const fy = tranche.fy;
    try {
      const entryId = decommitUnpaid(tx, actor, {
        grantId,
        fy,
        unpaidPence: unpaid,
        reason: input.reason,
        memo: `${bid.title}: withdrawn`,
        idempotencyKey: `withdraw-bid-${input.bidId}-${grantId}`,
        now: input.now,
      });
      if (tranche.id !== null)
        tx.update(grantTranches)
          .set({ status: "decommitted", decommitEntryId: entryId, closedAt: at, closedReason: input.reason })
          .where(eq(grantTranches.id, tranche.id))
          .run();
      recordAudit(tx, {
        actor,
        action: "tranche.decommitted",
        entityType: "bid",
        entityId: input.bidId,
        reason: input.reason,
        after: { trancheId: tranche.id, fy, grantId, amountPence: unpaid, entryId },
      });
    } catch (error) {
      if (!(error instanceof LedgerRefusal)) throw error;
      recordAudit(tx, {
        actor,
        action: "tranche.decommit-refused",
        entityType: "bid",
        entityId: input.bidId,
        reason: error.message,
        after: { trancheId: tranche.id, fy, grantId, amountPence: unpaid },
      });
      notifyUsers(tx, {
        userIds: financeOfficerIds(tx),
        topic: "essential",
        subject: (t) => t("mail:tranche.stillCommittedSubject", { grant: grantId }),
        body: (t, language) =>
          t("mail:tranche.stillCommittedBody", {
            title: bid.title,
            reference: bid.reference,
            amount: formatMoney(unpaid, language),
            grant: grantId,
            reason: messageText(error.message, language),
          }),
      });
    }
  }
}
