/**
 * What the public ward pages show: each ward's councillors, this year's budget (set, committed,
 * paid, available) and the projects it funded, with the amount, the decision date and the deciding
 * councillor. No personal data beyond councillors' names, which are public office.
 */
import { and, asc, eq, or, sql } from "drizzle-orm";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import { db, type Db } from "~/db/client.server";
import { approvals, communityGroups, funds, grants, roleGrants, users, wards } from "~/db/schema";
import { fundBalances } from "~/models/finance.server";
import { decidedBidsInWard } from "~/models/public-bids.server";

export interface WardBudget {
  setPence: number;
  committedPence: number;
  paidPence: number;
  availablePence: number;
}

const noBudget = (): WardBudget => ({ setPence: 0, committedPence: 0, paidPence: 0, availablePence: 0 });

/** Budget set for each ward in a year: the net of BUDGET_SET and BUDGET_ADJUST on its budgets. */
function budgetsSet(database: Db, fy: string): Map<number, number> {
  const rows = database.$client
    .prepare(
      `select b.ward_id as wardId,
              sum(case when p.dc = 'C' then p.amount_pence else -p.amount_pence end) as pence
         from journal_postings p
         join journal_entries e on e.id = p.entry_id
         join ledger_accounts a on a.id = p.account_id
         join budgets b on b.id = a.budget_id
         join funds f on f.id = b.fund_id
        where e.type in ('BUDGET_SET', 'BUDGET_ADJUST') and f.fy = ? and f.kind = 'ward-budget'
        group by b.ward_id`,
    )
    .all(fy) as { wardId: number; pence: number }[];
  return new Map(rows.map((r) => [r.wardId, r.pence]));
}

function wardBudgets(database: Db, fy: string): Map<number, WardBudget> {
  const result = new Map<number, WardBudget>();
  const set = budgetsSet(database, fy);
  const wardFunds = fundBalances(fy, database).filter(
    (f) => database.select().from(funds).where(eq(funds.id, f.fundId)).get()?.kind === "ward-budget",
  );
  for (const fund of wardFunds) {
    for (const w of fund.wards) {
      if (w.wardId === null) continue;
      const budget = result.get(w.wardId) ?? noBudget();
      budget.committedPence += w.balances.committed + w.balances.earmarked + w.balances.payable;
      budget.paidPence += w.balances.paid;
      budget.availablePence += w.balances.available;
      result.set(w.wardId, budget);
    }
  }
  for (const [wardId, pence] of set) {
    const budget = result.get(wardId) ?? noBudget();
    budget.setPence = pence;
    result.set(wardId, budget);
  }
  return result;
}

export function currentFinancialYear(): string {
  return financialYearOf(londonDateOf(new Date()));
}

export function listPublicWards(fy = currentFinancialYear(), database: Db = db()) {
  const budgets = wardBudgets(database, fy);
  const councillors = councillorsByWard(database);
  return database
    .select()
    .from(wards)
    .orderBy(asc(wards.name))
    .all()
    .map((w) => ({
      name: w.name,
      gssCode: w.gssCode,
      population: w.population,
      councillors: councillors.get(w.id) ?? [],
      budget: budgets.get(w.id) ?? noBudget(),
    }));
}

function councillorsByWard(database: Db): Map<number, string[]> {
  const rows = database
    .select({ wardId: roleGrants.wardId, name: users.name })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(eq(roleGrants.role, "councillor"))
    .orderBy(asc(users.name))
    .all();
  const map = new Map<number, string[]>();
  for (const r of rows) if (r.wardId !== null) map.set(r.wardId, [...(map.get(r.wardId) ?? []), r.name]);
  return map;
}

export function publicWard(gssCode: string, fy = currentFinancialYear(), database: Db = db()) {
  const ward = database.select().from(wards).where(eq(wards.gssCode, gssCode)).get();
  if (!ward) return null;
  const projects = database
    .select({
      id: grants.id,
      title: grants.title,
      summary: grants.summary,
      amountAwardedPence: grants.amountAwardedPence,
      awardDate: grants.awardDate,
      groupName: communityGroups.name,
      decidedBy: users.name,
      fundName: funds.name,
      fundNameCy: funds.nameCy,
    })
    .from(grants)
    .innerJoin(funds, eq(funds.id, grants.fundId))
    .innerJoin(communityGroups, eq(communityGroups.id, grants.groupId))
    .leftJoin(approvals, eq(approvals.grantId, grants.id))
    .leftJoin(users, eq(users.id, approvals.approverId))
    .where(
      and(
        sql`${grants.amountAwardedPence} > 0`,
        // A later year's part of a multi-year grant is shown as part of its award, not as a project of its own.
        sql`${grants.parentGrantId} is null`,
        or(
          eq(grants.wardId, ward.id),
          sql`${grants.id} in (select b.grant_id from bids b join bid_wards bw on bw.bid_id = b.id where bw.ward_id
            = ${ward.id} and b.grant_id is not null)`,
        ),
      ),
    )
    .orderBy(asc(grants.awardDate))
    .all()
    .filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i)
    .map((p) => {
      const origin = projectOrigin(database, p.id);
      return {
        ...p,
        // A PB winner was chosen by residents, not by the officer who ratified the count.
        decidedBy: origin.roundName ? null : p.decidedBy,
        bidId: origin.bidId,
        titleCy: origin.titleCy,
        summaryCy: origin.summaryCy,
        roundName: origin.roundName,
        roundNameCy: origin.roundNameCy,
        youSaidWeDid: monitoringText(database, p.id),
        photos: monitoringPhotos(database, p.id),
      };
    });
  const decided = decidedBidsInWard(ward.id, fy, database);
  return {
    ward: { name: ward.name, nameCy: ward.nameCy, gssCode: ward.gssCode, population: ward.population },
    fy,
    councillors: councillorsByWard(database).get(ward.id) ?? [],
    budget: wardBudgets(database, fy).get(ward.id) ?? noBudget(),
    projects,
    decided,
    rejectedCount: decided.filter((d) => d.outcome === "not-funded").length,
  };
}

interface ProjectOrigin {
  bidId: number | null;
  /** The bid's Welsh title and summary (the grant keeps the English ones). */
  titleCy: string | null;
  summaryCy: string | null;
  roundName: string | null;
  roundNameCy: string | null;
}

/** The bid a grant came from (for its public page) and, for a PB winner, the round whose residents chose it. */
function projectOrigin(database: Db, grantId: string): ProjectOrigin {
  const row = database.$client
    .prepare(
      `select b.id as bidId, b.title_cy as titleCy, b.summary_cy as summaryCy, r.name as roundName,
              r.name_cy as roundNameCy from bids b join funds f on f.id = b.fund_id
         left join pb_rounds r on r.fund_id = f.id and f.kind = 'pb-round'
        where b.grant_id = ? order by b.id limit 1`,
    )
    .get(grantId) as ProjectOrigin | undefined;
  return {
    bidId: row?.bidId ?? null,
    titleCy: row?.titleCy ?? null,
    summaryCy: row?.summaryCy ?? null,
    roundName: row?.roundName ?? null,
    roundNameCy: row?.roundNameCy ?? null,
  };
}

/** The group's submitted monitoring report ("you said, we did"), once there is one. */
function monitoringText(database: Db, grantId: string): string | null {
  const row = database.$client
    .prepare(
      "select m.what_was_done as text from monitoring_reports m join bids b on b.id = m.bid_id where b.grant_id = ? " +
        "and m.submitted_at is not null order by m.id desc limit 1",
    )
    .get(grantId) as { text: string | null } | undefined;
  return row?.text ?? null;
}

/**
 * The photos the group agreed to publish with its submitted monitoring report: only their address
 * (served by the bid file route, which gives public files to anyone), never the file name or who
 * sent them.
 */
function monitoringPhotos(database: Db, grantId: string): { url: string }[] {
  const rows = database.$client
    .prepare(
      `select a.id as id, a.bid_id as bidId
         from attachments a
         join bids b on b.id = a.bid_id
        where b.grant_id = ? and a.purpose = 'monitoring' and a.is_public = 1 and a.removed_at is null
          and a.content_type in ('image/png', 'image/jpeg', 'image/webp')
          and exists (select 1 from monitoring_reports m where m.bid_id = b.id and m.submitted_at is not null)
        order by a.uploaded_at, a.id`,
    )
    .all(grantId) as { id: string; bidId: number }[];
  return rows.map((r) => ({ url: `/bids/${r.bidId}/files/${r.id}` }));
}
