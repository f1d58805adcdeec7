/**
 * What anyone may see of a decided bid: the project as the group described it, its wards, the
 * outcome and the published reason, who decided it (councillors' names are public office) or, for a
 * participatory-budgeting winner, the round whose residents chose it, which councillors declared an
 * interest and stood aside, and how delivery is going. Never the group's people, bank details,
 * contact details or files other than photos the group agreed to publish. Undecided bids stay private.
 */
import type { PublicOutcome } from "~/core/bids/public-outcome";
import { db, type Db } from "~/db/client.server";

/** Statuses of a bid whose decision is made and public. */
export const DECIDED_STATUSES = [
  "approved",
  "part-approved",
  "rejected",
  "offer-accepted",
  "paid",
  "monitoring-due",
  "closed",
  "won",
  "not-won",
] as const;

const decidedList = DECIDED_STATUSES.map((s) => `'${s}'`).join(", ");

export interface PublicDecision {
  bidId: number;
  reference: string;
  title: string;
  summary: string;
  /** Welsh versions of the council content (null: English only). */
  titleCy: string | null;
  summaryCy: string | null;
  groupName: string;
  fundName: string;
  fundNameCy: string | null;
  kind: "ward-budget" | "pb-round";
  outcome: PublicOutcome;
  askedPence: number | null;
  awardedPence: number | null;
  /** The published reason of the deciding councillor(s), or the round's published note. */
  reasons: string[];
  /** Who decided: councillors' names, or "residents in <round>". */
  decidedBy: string[];
  roundName: string | null;
  roundNameCy: string | null;
  decidedOn: string | null;
  /** Councillors who declared an interest and stood aside. */
  stoodAside: string[];
}

interface DecidedRow {
  bidId: number;
  reference: string;
  title: string;
  summary: string;
  titleCy: string | null;
  summaryCy: string | null;
  status: string;
  groupName: string;
  fundName: string;
  fundNameCy: string | null;
  kind: "ward-budget" | "pb-round";
  askedPence: number | null;
  awardedPence: number | null;
  grantAwardDate: string | null;
  roundName: string | null;
  roundNameCy: string | null;
  resultDecidedAt: string | null;
}

const DECIDED_SELECT = `
  select b.id as bidId, b.reference as reference, b.title as title, b.summary as summary, b.status as status,
         b.title_cy as titleCy, b.summary_cy as summaryCy, cg.name as groupName, f.name as fundName,
         f.name_cy as fundNameCy, f.kind as kind, b.amount_pence as askedPence,
         g.amount_awarded_pence as awardedPence, g.award_date as grantAwardDate, r.name as roundName,
         r.name_cy as roundNameCy,
         (select c.decided_at from pb_counts c where c.round_id = r.id and c.status = 'ratified') as resultDecidedAt
    from bids b
    join community_groups cg on cg.id = b.group_id
    join funds f on f.id = b.fund_id
    left join grants g on g.id = b.grant_id
    left join pb_rounds r on r.fund_id = f.id`;

function outcomeOf(row: DecidedRow): PublicOutcome {
  if (row.kind === "pb-round") return row.status === "not-won" ? "not-chosen" : "chosen-by-residents";
  if (row.status === "rejected") return "not-funded";
  if (row.awardedPence !== null && row.askedPence !== null && row.awardedPence < row.askedPence)
    return "funded-in-part";
  return row.status === "part-approved" ? "funded-in-part" : "funded";
}

function describe(database: Db, row: DecidedRow): PublicDecision {
  const decisions =
    row.kind === "ward-budget"
      ? (database.$client
          .prepare(
            `select d.reason as reason, d.decided_at as decidedAt, u.name as deciderName
               from bid_decisions d join users u on u.id = d.decider_id
              where d.bid_id = ? and d.outcome != 'request-changes'
                and d.version = (select max(version) from bid_decisions where bid_id = d.bid_id)
              order by d.id`,
          )
          .all(row.bidId) as { reason: string | null; decidedAt: string; deciderName: string }[])
      : [];
  const stoodAside = (
    database.$client
      .prepare(
        `select u.name as name from bid_interest_declarations i join users u on u.id = i.user_id
          where i.bid_id = ? and i.has_interest = 1 order by u.name`,
      )
      .all(row.bidId) as { name: string }[]
  ).map((r) => r.name);
  const pb = row.kind === "pb-round";
  return {
    bidId: row.bidId,
    reference: row.reference,
    title: row.title,
    summary: row.summary,
    titleCy: row.titleCy,
    summaryCy: row.summaryCy,
    groupName: row.groupName,
    fundName: row.fundName,
    fundNameCy: row.fundNameCy,
    kind: row.kind,
    outcome: outcomeOf(row),
    askedPence: row.askedPence,
    awardedPence: row.awardedPence,
    reasons: [...new Set(decisions.map((d) => d.reason?.trim() ?? "").filter(Boolean))],
    decidedBy: pb
      ? [`residents in ${row.roundName ?? row.fundName}`]
      : [...new Set(decisions.map((d) => d.deciderName))],
    roundName: row.roundName,
    roundNameCy: row.roundNameCy,
    decidedOn: pb
      ? (row.resultDecidedAt?.slice(0, 10) ?? row.grantAwardDate)
      : (decisions.at(-1)?.decidedAt.slice(0, 10) ?? row.grantAwardDate),
    stoodAside,
  };
}

/** Every decided bid that names the ward, in funds of the financial year `fy`, newest decision first. */
export function decidedBidsInWard(wardId: number, fy: string, database: Db = db()): PublicDecision[] {
  const rows = database.$client
    .prepare(
      `${DECIDED_SELECT}
        where b.status in (${decidedList}) and f.fy = ?
          and exists (select 1 from bid_wards bw where bw.bid_id = b.id and bw.ward_id = ?)
        order by b.id desc`,
    )
    .all(fy, wardId) as DecidedRow[];
  return rows
    .map((row) => describe(database, row))
    .sort((a, b) => (b.decidedOn ?? "").localeCompare(a.decidedOn ?? ""));
}

export interface PublicBid extends PublicDecision {
  description: string;
  beneficiaries: string;
  startOn: string | null;
  endOn: string | null;
  wards: { name: string; nameCy: string | null; gssCode: string }[];
  youSaidWeDid: string | null;
  photos: { url: string }[];
}

/** The public page of one decided bid, or null when there is no such bid or it is not decided (still private). */
export function publicBid(bidId: number, database: Db = db()): PublicBid | null {
  const row = database.$client
    .prepare(`${DECIDED_SELECT} where b.id = ? and b.status in (${decidedList})`)
    .get(bidId) as DecidedRow | undefined;
  if (!row) return null;
  const detail = database.$client
    .prepare("select description, beneficiaries, start_on as startOn, end_on as endOn from bids where id = ?")
    .get(bidId) as { description: string; beneficiaries: string; startOn: string | null; endOn: string | null };
  const wards = database.$client
    .prepare(
      `select w.name as name, w.name_cy as nameCy, w.gss_code as gssCode from bid_wards bw join wards w on w.id = bw.ward_id
        where bw.bid_id = ? order by w.name`,
    )
    .all(bidId) as { name: string; nameCy: string | null; gssCode: string }[];
  const report = database.$client
    .prepare(
      "select what_was_done as text from monitoring_reports where bid_id = ? and submitted_at is not null " +
        "order by id desc limit 1",
    )
    .get(bidId) as { text: string | null } | undefined;
  const photos = database.$client
    .prepare(
      `select a.id as id from attachments a
        where a.bid_id = ? and a.purpose = 'monitoring' and a.is_public = 1 and a.removed_at is null
          and a.content_type in ('image/png', 'image/jpeg', 'image/webp')
          and exists (select 1 from monitoring_reports m where m.bid_id = a.bid_id and m.submitted_at is not null)
        order by a.uploaded_at, a.id`,
    )
    .all(bidId) as { id: string }[];
  return {
    ...describe(database, row),
    description: detail.description,
    beneficiaries: detail.beneficiaries,
    startOn: detail.startOn,
    endOn: detail.endOn,
    wards,
    youSaidWeDid: report?.text ?? null,
    photos: photos.map((p) => ({ url: `/bids/${bidId}/files/${p.id}` })),
  };
}

/** Whether anyone may see the bid's public page. */
export function isPublicBid(bidId: number, database: Db = db()): boolean {
  return Boolean(database.$client.prepare(`select 1 from bids where id = ? and status in (${decidedList})`).get(bidId));
}
