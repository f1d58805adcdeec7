/**
 * The monthly ward digest: for each councillor, what happened in their wards in a month (bids
 * received, decisions, payments, monitoring reports due, PB rounds and funds open). Each digest is
 * kept in ward_digests (one per councillor and month) so it can be read in the app, and mailed to
 * councillors who have not turned the digest off.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { renderDigest, type DigestFacts } from "~/core/bids/digest";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { roleGrants, users, wardDigests, wards } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { notifyUsers } from "~/models/notifications.server";
import { currentFinancialYear, listPublicWards } from "~/models/public-wards.server";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "~/i18n";
import { inLanguage } from "~/utils/mail-words";
import { translatorFor } from "~/utils/translate";

function monthBounds(month: string): { start: string; end: string; lastDay: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { start: `${month}-01`, end: `${next}-01`, lastDay: last };
}

/**
 * The facts and text of one councillor's digest for `month` ("YYYY-MM"), in `language` (by default
 * the councillor's mail language).
 */
export function buildWardDigest(councillorId: string, month: string, database: Db = db(), language?: Language) {
  const councillor = database
    .select({ name: users.name, language: users.language })
    .from(users)
    .where(eq(users.id, councillorId))
    .get();
  if (!councillor) throw new Error(`No user ${councillorId}`);
  const lang: Language = language ?? (isLanguage(councillor.language) ? councillor.language : DEFAULT_LANGUAGE);
  const wardIds = database
    .select({ wardId: roleGrants.wardId })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, councillorId), eq(roleGrants.role, "councillor")))
    .all()
    .map((r) => r.wardId)
    .filter((w): w is number => w !== null);
  const { start, end, lastDay } = monthBounds(month);
  const wardRows = wardIds.length
    ? database.select().from(wards).where(inArray(wards.id, wardIds)).orderBy(asc(wards.name)).all()
    : [];
  const budgets = new Map(listPublicWards(currentFinancialYear(), database).map((w) => [w.gssCode, w.budget]));
  const client = database.$client;
  const placeholders = wardIds.map(() => "?").join(",") || "null";
  const inWards = `exists (select 1 from bid_wards bw where bw.bid_id = b.id and bw.ward_id in (${placeholders}))`;
  const received = client
    .prepare(
      `select b.reference, b.title, cg.name as groupName, b.amount_pence as amountPence from bids b join
        community_groups cg on cg.id = b.group_id where ${inWards} and b.submitted_at >= ? and b.submitted_at < ?
        order by b.submitted_at`,
    )
    .all(...wardIds, start, end) as DigestFacts["received"];
  const decisions = client
    .prepare(
      `select b.reference, b.title, d.outcome, d.amount_pence as amountPence, u.name as deciderName from
        bid_decisions d join bids b on b.id = d.bid_id join users u on u.id = d.decider_id where ${inWards} and
        d.decided_at >= ? and d.decided_at < ? order by d.decided_at`,
    )
    .all(...wardIds, start, end) as DigestFacts["decisions"];
  const payments = client
    .prepare(
      `select g.title, p.amount_pence as pence, e.effective_date as date from journal_entries e join journal_postings p
        on p.entry_id = e.id and p.dc = 'C'
         join ledger_accounts a on a.id = p.account_id join grants g on g.id = a.grant_id
        where e.type = 'PAY_CONFIRM' and g.ward_id in (${placeholders}) and e.effective_date >= ? and e.effective_date
          < ? order by e.effective_date`,
    )
    .all(...wardIds, start, end) as DigestFacts["payments"];
  const monitoringDue = client
    .prepare(
      `select b.reference, b.title, m.due_on as dueOn from monitoring_reports m join bids b on b.id = m.bid_id
        where ${inWards} and m.submitted_at is null and m.due_on <= ? order by m.due_on`,
    )
    .all(...wardIds, lastDay) as DigestFacts["monitoringDue"];
  const roundsOpen = client
    .prepare(
      `select r.name, r.name_cy as nameCy, r.phase from pb_rounds r where r.phase in ('accepting-bids', 'voting')
         and (not exists (select 1 from pb_round_wards rw where rw.round_id = r.id) or exists (select 1 from
           pb_round_wards rw where rw.round_id = r.id and rw.ward_id in (${placeholders})))
        order by r.name`,
    )
    .all(...wardIds) as (DigestFacts["roundsOpen"][number] & { nameCy: string | null })[];
  const fundsOpen = client
    .prepare(
      `select name, name_cy as nameCy, closes_on as closesOn from funds where kind = 'ward-budget' and opens_on <= ? and (closes_on is
        null or closes_on >= ?) order by name`,
    )
    .all(lastDay, start) as (DigestFacts["fundsOpen"][number] & { nameCy: string | null })[];
  const facts: DigestFacts = {
    councillorName: councillor.name,
    month,
    wards: wardRows.map((w) => ({
      name: inLanguage(w.name, w.nameCy, lang),
      ...(budgets.get(w.gssCode) ?? { setPence: 0, committedPence: 0, paidPence: 0, availablePence: 0 }),
    })),
    received,
    decisions,
    payments,
    monitoringDue,
    roundsOpen: roundsOpen.map((r) => ({ name: inLanguage(r.name, r.nameCy, lang), phase: r.phase })),
    fundsOpen: fundsOpen.map((f) => ({ name: inLanguage(f.name, f.nameCy, lang), closesOn: f.closesOn })),
  };
  return { facts, language: lang, ...renderDigest(facts, translatorFor(lang), lang) };
}

/** Builds, stores and mails every councillor's digest for `month`; a month already sent is not sent again. */
export function sendWardDigests(
  month: string,
  now = new Date(),
  database: Db = db(),
): { stored: number; mailed: number } {
  const councillorIds = [
    ...new Set(
      database
        .select({ id: roleGrants.userId })
        .from(roleGrants)
        .where(sql`${roleGrants.role} = 'councillor' and ${roleGrants.wardId} is not null`)
        .all()
        .map((r) => r.id),
    ),
  ];
  let stored = 0;
  let mailed = 0;
  for (const id of councillorIds) {
    const digest = buildWardDigest(id, month, database);
    writeTransaction((tx) => {
      const existing = tx
        .select()
        .from(wardDigests)
        .where(and(eq(wardDigests.councillorId, id), eq(wardDigests.month, month)))
        .get();
      if (existing) return;
      tx.insert(wardDigests)
        .values({ councillorId: id, month, subject: digest.subject, body: digest.body, createdAt: now.toISOString() })
        .run();
      mailed += notifyUsers(tx, {
        userIds: [id],
        topic: "ward-digest",
        subject: digest.subject,
        // The digest is written in the councillor's language already; notifyUsers adds the greeting.
        body: digest.text,
      }).length;
      stored += 1;
    }, database);
  }
  writeTransaction(
    (tx) =>
      recordAudit(tx, {
        actor: null,
        action: "digest.sent",
        entityType: "ward_digest",
        entityId: month,
        after: { stored, mailed },
      }),
    database,
  );
  return { stored, mailed };
}

export function listDigests(councillorId: string, database: Db = db()) {
  return database
    .select()
    .from(wardDigests)
    .where(eq(wardDigests.councillorId, councillorId))
    .orderBy(desc(wardDigests.month))
    .all();
}
