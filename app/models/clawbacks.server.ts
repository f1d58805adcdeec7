/**
 * Clawbacks prompted by monitoring, and clawback money counted as returned.
 *
 * When a group's monitoring report says it spent less than the council has paid on the grant, the
 * difference is a possible clawback: finance is mailed when the report arrives, and the finance home
 * lists every such grant with the underspend and a clawback form filled in with it. Nothing is raised
 * by itself: a finance officer decides, and raising goes through `raiseClawback` as any clawback.
 *
 * A clawback received goes back into the grant's ward budget (or to the fund's RETURNED account when
 * the ward has no budget); either way it is money returned, and the balances' "Returned" column
 * counts it, net of reversals.
 */
import { eq } from "drizzle-orm";
import { db, type Db } from "~/db/client.server";
import { roleGrants } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import type { FundBalances } from "~/models/finance.server";
import { notifyUsers } from "~/models/notifications.server";
import { formatMoney } from "~/core/locale-format";

export interface PossibleClawback {
  bidId: number;
  reference: string;
  title: string;
  groupName: string;
  grantId: string;
  reportSubmittedAt: string;
  awardedPence: number;
  /** Paid on the grant and its later years' parts, net of clawbacks already raised and reversals. */
  paidPence: number;
  spentPence: number;
  /** What was paid but not spent: the clawback to consider. */
  underspendPence: number;
}

interface ReportRow {
  bidId: number;
  reference: string;
  title: string;
  groupName: string;
  grantId: string;
  submittedAt: string;
  spend: string | null;
  awardedPence: number;
  paidPence: number;
}

const REPORTS = `
  select b.id as bidId, b.reference as reference, b.title as title, cg.name as groupName, g.id as grantId,
         m.submitted_at as submittedAt, m.spend as spend, g.amount_awarded_pence as awardedPence,
         coalesce((select sum(a.credits_posted - a.debits_posted) from ledger_accounts a
                    where a.kind = 'PAID'
                      and a.grant_id in (select id from grants where id = g.id or parent_grant_id = g.id)), 0)
           as paidPence
    from monitoring_reports m
    join bids b on b.id = m.bid_id
    join grants g on g.id = b.grant_id
    join community_groups cg on cg.id = b.group_id
   where m.submitted_at is not null
     and m.id = (select max(m2.id) from monitoring_reports m2
                  where m2.bid_id = m.bid_id and m2.submitted_at is not null)`;

function spentOf(spend: string | null): number {
  if (!spend) return 0;
  const lines = JSON.parse(spend) as { actualPence?: number }[];
  return lines.reduce((sum, line) => sum + (Number.isSafeInteger(line.actualPence) ? line.actualPence! : 0), 0);
}

function asPossible(row: ReportRow): PossibleClawback | null {
  const spentPence = spentOf(row.spend);
  const underspendPence = row.paidPence - spentPence;
  if (spentPence >= row.awardedPence || underspendPence <= 0) return null;
  return {
    bidId: row.bidId,
    reference: row.reference,
    title: row.title,
    groupName: row.groupName,
    grantId: row.grantId,
    reportSubmittedAt: row.submittedAt,
    awardedPence: row.awardedPence,
    paidPence: row.paidPence,
    spentPence,
    underspendPence,
  };
}

/** Grants whose latest monitoring report shows less spent than was paid, oldest report first. */
export function possibleClawbacks(database: Db = db()): PossibleClawback[] {
  const rows = database.$client.prepare(`${REPORTS} order by m.submitted_at, b.id`).all() as ReportRow[];
  return rows.map(asPossible).filter((p): p is PossibleClawback => p !== null);
}

/** The possible clawback a bid's monitoring report shows, if any. */
export function possibleClawbackOfBid(tx: Db, bidId: number): PossibleClawback | null {
  const row = tx.$client.prepare(`${REPORTS} and b.id = ?`).get(bidId) as ReportRow | undefined;
  return row ? asPossible(row) : null;
}

/**
 * Called, in the report's transaction, once a monitoring report is stored: when it shows less spent
 * than was paid, tells every finance officer and records the prompt on the bid's audit trail.
 */
export function promptUnderspendClawback(tx: Db, bidId: number, actor: Actor): PossibleClawback | null {
  const possible = possibleClawbackOfBid(tx, bidId);
  if (!possible) return null;
  const financeIds = tx
    .selectDistinct({ id: roleGrants.userId })
    .from(roleGrants)
    .where(eq(roleGrants.role, "finance"))
    .all()
    .map((r) => r.id);
  notifyUsers(tx, {
    userIds: financeIds,
    topic: "essential",
    subject: (t) => t("mail:clawback.subject", { reference: possible.reference }),
    body: (t, language) =>
      t("mail:clawback.body", {
        title: possible.title,
        group: possible.groupName,
        spent: formatMoney(possible.spentPence, language),
        awarded: formatMoney(possible.awardedPence, language),
        paid: formatMoney(possible.paidPence, language),
        underspend: formatMoney(possible.underspendPence, language),
        grant: possible.grantId,
      }),
  });
  recordAudit(tx, {
    actor,
    action: "bid.underspend-reported",
    entityType: "bid",
    entityId: bidId,
    after: {
      grantId: possible.grantId,
      spentPence: possible.spentPence,
      paidPence: possible.paidPence,
      underspendPence: possible.underspendPence,
    },
  });
  return possible;
}

/**
 * Received clawbacks that went back into a ward budget, per fund and ward, net of reversed receipts.
 * (Those returned to the fund's RETURNED account are already in that account's balance.)
 */
export function recycledClawbacks(database: Db = db()): { fundId: string; wardId: number | null; pence: number }[] {
  return database.$client
    .prepare(
      `select b.fund_id as fundId, b.ward_id as wardId, sum(p.amount_pence) as pence
         from journal_entries e
         join journal_postings p on p.entry_id = e.id and p.dc = 'C'
         join ledger_accounts a on a.id = p.account_id and a.kind = 'AVAILABLE'
         join budgets b on b.id = a.budget_id
        where e.type = 'CLAWBACK_RECEIVED'
          and not exists (select 1 from journal_entries r where r.reverses_id = e.id)
        group by 1, 2`,
    )
    .all() as { fundId: string; wardId: number | null; pence: number }[];
}

/** The funds' balances with received clawbacks counted in "Returned", per ward and in the fund's total. */
export function withReturnedClawbacks(funds: FundBalances[], recycled = recycledClawbacks()): FundBalances[] {
  return funds.map((fund) => {
    const mine = recycled.filter((r) => r.fundId === fund.fundId);
    if (mine.length === 0) return fund;
    const wards = fund.wards.map((w) => {
      const pence = mine.filter((r) => r.wardId === w.wardId).reduce((sum, r) => sum + r.pence, 0);
      return pence ? { ...w, balances: { ...w.balances, returned: w.balances.returned + pence } } : w;
    });
    const total = mine.reduce((sum, r) => sum + r.pence, 0);
    return { ...fund, wards, total: { ...fund.total, returned: fund.total.returned + total } };
  });
}
