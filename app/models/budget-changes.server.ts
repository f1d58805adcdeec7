/**
 * Changes to a fund's budgets after they are set, each by two people: an adjustment of one budget
 * (BUDGET_ADJUST, with a reason), and the year-end run once the fund's year is over: every budget's
 * unspent money lapses (LAPSE) or is carried forward into next year's budget for the same ward
 * (CARRY_FORWARD), as the fund's `yearEnd` setting says. One admin or finance officer asks; another
 * approves, and the entries are posted with the approval in the same transaction (or refuses).
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import {
  budgetAdjust,
  carryForward,
  financialYearEnd,
  isDateInFinancialYear,
  lapse,
  londonDateOf,
  nextFinancialYear,
} from "~/core/ledger";
import { formatPence } from "~/core/money";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { approvals, budgetChangeRequests, budgets, funds, ledgerAccounts, users, wards } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { answerOnce, keyedRequest } from "~/models/idempotency.server";
import { LedgerRefusal, postEntry } from "~/models/ledger.server";
import type { Principal } from "~/utils/auth.server";
import { messageKey } from "~/core/messages/message-key";
import { Refusal } from "~/utils/refusal";

const balance = (tx: Db, key: string) =>
  tx
    .select({ b: sql<number>`credits_posted - debits_posted` })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.key, key))
    .get()?.b ?? 0;

/**
 * The fund page: its budgets with what is available, pending and past changes, and whether the year-end run is open.
 */
export function fundOverview(fundId: string, now = new Date(), database: Db = db()) {
  const fund = database.select().from(funds).where(eq(funds.id, fundId)).get();
  if (!fund) return null;
  const budgetRows = database
    .select({
      id: budgets.id,
      name: budgets.name,
      councillorId: budgets.councillorId,
      wardName: wards.name,
      wardNameCy: wards.nameCy,
    })
    .from(budgets)
    .leftJoin(wards, eq(wards.id, budgets.wardId))
    .where(eq(budgets.fundId, fundId))
    .orderBy(asc(budgets.name))
    .all()
    .map((b) => ({ ...b, availablePence: balance(database, `AVAILABLE:${b.id}`) }));
  const names = new Map(
    database
      .select({ id: users.id, name: users.name })
      .from(users)
      .all()
      .map((u) => [u.id, u.name]),
  );
  const requests = database
    .select()
    .from(budgetChangeRequests)
    .where(eq(budgetChangeRequests.fundId, fundId))
    .orderBy(desc(budgetChangeRequests.id))
    .all()
    .map((r) => ({
      ...r,
      requesterName: names.get(r.requestedBy) ?? r.requestedBy,
      deciderName: r.decidedBy ? (names.get(r.decidedBy) ?? r.decidedBy) : null,
    }));
  const today = londonDateOf(now);
  return {
    fund: {
      id: fund.id,
      name: fund.name,
      nameCy: fund.nameCy,
      fy: fund.fy,
      kind: fund.kind,
      yearEnd: fund.yearEnd,
      criteria: fund.criteria,
      commitmentCutoffOn: fund.commitmentCutoffOn,
    },
    budgets: budgetRows,
    pending: requests.filter((r) => !r.decidedAt),
    history: requests.filter((r) => r.decidedAt),
    yearOver: today > financialYearEnd(fund.fy),
    inYear: isDateInFinancialYear(today, fund.fy),
    yearEndDone: requests.some((r) => r.kind === "year-end" && r.outcome === "approved"),
  };
}

function requireOfficer(user: Principal) {
  if (!user.roles.includes("admin") && !user.roles.includes("finance"))
    throw new Refusal("funds:budgetChange.officersOnly");
}

/** Asks for a change to one budget (positive: more money, negative: less). */
export function requestBudgetAdjust(
  user: Principal,
  input: { fundId: string; budgetId: string; changePence: number; reason: string },
  now = new Date(),
  database: Db = db(),
): number {
  requireOfficer(user);
  return writeTransaction((tx) => {
    const fund = tx.select().from(funds).where(eq(funds.id, input.fundId)).get();
    if (!fund) throw new Refusal("funds:budgetChange.noFund");
    if (!isDateInFinancialYear(londonDateOf(now), fund.fy))
      throw new Refusal(messageKey("funds:budgetChange.outsideYear", { fy: fund.fy }));
    const budget = tx
      .select()
      .from(budgets)
      .where(and(eq(budgets.id, input.budgetId), eq(budgets.fundId, fund.id)))
      .get();
    if (!budget) throw new Refusal("funds:budgetChange.chooseBudget", { field: "budgetId" });
    if (input.changePence < 0 && balance(tx, `AVAILABLE:${budget.id}`) < -input.changePence) {
      throw new Refusal(
        messageKey("funds:budgetChange.notAvailable", {
          amount: formatPence(balance(tx, `AVAILABLE:${budget.id}`)),
          budget: budget.name,
        }),
        {
          field: "amount",
        },
      );
    }
    const row = tx
      .insert(budgetChangeRequests)
      .values({
        fundId: fund.id,
        kind: "adjust",
        budgetId: budget.id,
        changePence: input.changePence,
        reason: input.reason,
        requestedBy: user.id,
        requestedAt: now.toISOString(),
      })
      .returning({ id: budgetChangeRequests.id })
      .get();
    recordAudit(tx, {
      actor: user,
      action: "budget.adjust-requested",
      entityType: "fund",
      entityId: fund.id,
      reason: input.reason,
      after: { requestId: row.id, budgetId: budget.id, changePence: input.changePence },
    });
    return row.id;
  }, database);
}

/** Asks for the year-end run (after the fund's financial year has ended). */
export function requestYearEnd(
  user: Principal,
  input: { fundId: string; reason: string },
  now = new Date(),
  database: Db = db(),
): number {
  requireOfficer(user);
  return writeTransaction((tx) => {
    const fund = tx.select().from(funds).where(eq(funds.id, input.fundId)).get();
    if (!fund) throw new Refusal("funds:budgetChange.noFund");
    if (londonDateOf(now) <= financialYearEnd(fund.fy))
      throw new Refusal(messageKey("funds:budgetChange.yearEndNotYet", { date: financialYearEnd(fund.fy) }));
    const open = tx
      .select()
      .from(budgetChangeRequests)
      .where(and(eq(budgetChangeRequests.fundId, fund.id), eq(budgetChangeRequests.kind, "year-end")))
      .all();
    if (open.some((r) => !r.decidedAt || r.outcome === "approved"))
      throw new Refusal("funds:budgetChange.yearEndAsked");
    const row = tx
      .insert(budgetChangeRequests)
      .values({
        fundId: fund.id,
        kind: "year-end",
        reason: input.reason,
        requestedBy: user.id,
        requestedAt: now.toISOString(),
      })
      .returning({ id: budgetChangeRequests.id })
      .get();
    recordAudit(tx, {
      actor: user,
      action: "budget.year-end-requested",
      entityType: "fund",
      entityId: fund.id,
      reason: input.reason,
      after: { requestId: row.id, yearEnd: fund.yearEnd },
    });
    return row.id;
  }, database);
}

/**
 * A second admin or finance officer approves (posting the entries) or refuses a request. Throws
 * a Refusal for the requester themself, an answered request, a missing next-year budget
 * for a carry-forward, or a ledger refusal (shown with its reason).
 */
export function decideBudgetChange(
  user: Principal,
  input: { requestId: number; approve: boolean; idempotencyKey: string },
  now = new Date(),
  database: Db = db(),
): string[] {
  return answerOnce(database, keyedRequest("budget.decide-change", user, input), () =>
    decideOnce(user, input, now, database),
  );
}

function decideOnce(
  user: Principal,
  input: { requestId: number; approve: boolean; idempotencyKey: string },
  now: Date,
  database: Db,
): string[] {
  requireOfficer(user);
  try {
    return writeTransaction((tx) => {
      const request = tx
        .select()
        .from(budgetChangeRequests)
        .where(and(eq(budgetChangeRequests.id, input.requestId), isNull(budgetChangeRequests.decidedAt)))
        .get();
      if (!request) throw new Refusal("funds:budgetChange.notWaiting");
      if (request.requestedBy === user.id) throw new Refusal("funds:budgetChange.ownRequest");
      const fund = tx.select().from(funds).where(eq(funds.id, request.fundId)).get()!;
      const decidedAt = now.toISOString();
      const actor = { id: user.id, name: user.name };
      if (!input.approve) {
        tx.update(budgetChangeRequests)
          .set({ decidedBy: user.id, decidedAt, outcome: "refused" })
          .where(eq(budgetChangeRequests.id, request.id))
          .run();
        recordAudit(tx, {
          actor,
          action: "budget.change-refused",
          entityType: "fund",
          entityId: fund.id,
          after: { requestId: request.id },
        });
        return [];
      }
      const approval = (entryType: string, amountPence: number, suffix: string) => {
        const id = `budget-change-${request.id}-${suffix}`;
        tx.insert(approvals)
          .values({
            id,
            entryType,
            requesterId: request.requestedBy,
            approverId: user.id,
            decidedAt,
            amountPence,
            noInterestDeclared: true,
            note: request.reason,
          })
          .run();
        return id;
      };
      const entryIds: string[] = [];
      const key = (suffix: string) => `${input.idempotencyKey}:${request.id}:${suffix}`;
      if (request.kind === "adjust") {
        const approvalId = approval("BUDGET_ADJUST", Math.abs(request.changePence!), "adjust");
        entryIds.push(
          postEntry(
            {
              draft: budgetAdjust({
                scheme: fund.id,
                fy: fund.fy,
                budgetId: request.budgetId!,
                changePence: request.changePence!,
                reason: request.reason,
              }),
              idempotencyKey: key("adjust"),
              actor,
              effectiveDate: londonDateOf(now),
              approvalId,
            },
            tx,
          ).entryId,
        );
      } else {
        const yearEnd = financialYearEnd(fund.fy);
        const unspent = tx
          .select()
          .from(budgets)
          .where(eq(budgets.fundId, fund.id))
          .orderBy(asc(budgets.id))
          .all()
          .map((b) => ({ budget: b, pence: balance(tx, `AVAILABLE:${b.id}`) }))
          .filter((b) => b.pence > 0);
        if (fund.yearEnd === "lapse") {
          if (unspent.length) {
            const approvalId = approval(
              "LAPSE",
              unspent.reduce((s, b) => s + b.pence, 0),
              "lapse",
            );
            entryIds.push(
              postEntry(
                {
                  draft: lapse({
                    scheme: fund.id,
                    fy: fund.fy,
                    lapses: unspent.map((b) => ({ budgetId: b.budget.id, pence: b.pence })),
                    memo: request.reason,
                  }),
                  idempotencyKey: key("lapse"),
                  actor,
                  effectiveDate: yearEnd,
                  approvalId,
                },
                tx,
              ).entryId,
            );
          }
        } else {
          const next = nextFinancialYear(fund.fy);
          const nextBudgets = tx
            .select({ id: budgets.id, wardId: budgets.wardId, councillorId: budgets.councillorId })
            .from(budgets)
            .innerJoin(funds, eq(funds.id, budgets.fundId))
            .where(and(eq(funds.fy, next), eq(funds.kind, fund.kind)))
            .all();
          for (const { budget, pence } of unspent) {
            const target = nextBudgets.find(
              (b) =>
                (budget.wardId !== null && b.wardId === budget.wardId) ||
                (budget.councillorId !== null && b.councillorId === budget.councillorId),
            );
            if (!target)
              throw new Refusal(messageKey("funds:budgetChange.noNextBudget", { fy: next, budget: budget.name }));
            const approvalId = approval("CARRY_FORWARD", pence, budget.id);
            entryIds.push(
              postEntry(
                {
                  draft: carryForward({
                    fromBudgetId: budget.id,
                    toBudgetId: target.id,
                    pence,
                    reason: request.reason,
                  }),
                  idempotencyKey: key(budget.id),
                  actor,
                  effectiveDate: yearEnd,
                  approvalId,
                },
                tx,
              ).entryId,
            );
          }
        }
      }
      tx.update(budgetChangeRequests)
        .set({ decidedBy: user.id, decidedAt, outcome: "approved", entryIds: JSON.stringify(entryIds) })
        .where(eq(budgetChangeRequests.id, request.id))
        .run();
      recordAudit(tx, {
        actor,
        action: request.kind === "adjust" ? "budget.adjusted" : `budget.year-end-${fund.yearEnd}`,
        entityType: "fund",
        entityId: fund.id,
        reason: request.reason,
        after: { requestId: request.id, entryIds },
      });
      return entryIds;
    }, database);
  } catch (error) {
    if (error instanceof LedgerRefusal)
      throw new Refusal(messageKey("funds:budgetChange.ledgerRefused", { detail: error.message }));
    throw error;
  }
}
