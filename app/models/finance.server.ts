/**
 * What the finance officer's pages read and do: balances per fund and ward, the ledger with filters,
 * an entry with its postings, approval and audit trail, the payments queue, and the actions that
 * post payments, failed payments, clawbacks, reversals and year closes through the ledger.
 *
 * Separation of duties is checked here with the domain rule (core/access/duties): the approver of a
 * grant never pays it, and whoever requested a payment does not confirm it.
 *
 * Each financial year's part of a multi-year grant is a grant of its own in the queue (the award's,
 * and `{award}-{yyyy-yy}` once a later year is committed), so a payment draws on the commitment
 * of the year its instalment belongs to, and a later year's part is not paid before its year.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { checkDuty } from "~/core/access/duties";
import {
  clawbackRaise,
  clawbackReceived,
  financialYearOf,
  londonDateOf,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  type EntryType,
  type IsoDate,
  type Posting,
} from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  approvals,
  auditEvents,
  budgets,
  financialYears,
  funds,
  grants,
  journalEntries,
  journalPostings,
  ledgerAccounts,
  ledgerCheckpoints,
  ledgerLog,
  reversalRequests,
  users,
  wards,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { assertPayableBankDetails } from "~/models/groups.server";
import { answerOnce, keyedRequest } from "~/models/idempotency.server";
import {
  closeFinancialYear,
  LedgerRefusal,
  postEntry,
  type PostRequest,
  type PostedEntry,
} from "~/models/ledger.server";
import {
  dueInstalmentsByGrant,
  offerNotAccepted,
  offerOfGrant,
  recordInstalmentPaid,
  tranchesOfOffer,
  unlinkPayRequest,
} from "~/models/offers.server";
import { grantAwaitingWards } from "~/models/ward-decisions.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";
import type { GrantAction } from "~/core/grants";
import { messageKey, type MessageValues } from "~/core/messages/message-key";
import { formatPence } from "~/core/money";
import { applyGrantState, grantStateOfGrant, transitionOrRefuse, type LoadedGrant } from "~/models/grant-state.server";

/** A refusal's message: payments:refusal.<name> with its values, shown in the reader's language. */
const says = (name: string, values?: MessageValues): string => messageKey(`payments:refusal.${name}`, values);

export const BALANCE_COLUMNS = [
  "available",
  "earmarked",
  "committed",
  "payable",
  "paid",
  "recoverable",
  "returned",
] as const;
export type BalanceColumn = (typeof BALANCE_COLUMNS)[number];
export type Balances = Record<BalanceColumn, number>;

const emptyBalances = (): Balances => ({
  available: 0,
  earmarked: 0,
  committed: 0,
  payable: 0,
  paid: 0,
  recoverable: 0,
  returned: 0,
});

const KIND_COLUMN: Record<string, BalanceColumn | undefined> = {
  AVAILABLE: "available",
  EARMARKED: "earmarked",
  COMMITTED: "committed",
  PAYABLE: "payable",
  PAID: "paid",
  RECOVERABLE: "recoverable",
  RETURNED: "returned",
};

export interface WardBalances {
  wardId: number | null;
  wardName: string;
  /** The ward's Welsh name, when it has one (null for the whole-fund row). */
  wardNameCy: string | null;
  balances: Balances;
}

export interface FundBalances {
  fundId: string;
  fundName: string;
  fundNameCy: string | null;
  fy: string;
  total: Balances;
  wards: WardBalances[];
}

/** Balances of every fund (optionally one financial year), split by ward. */
export function fundBalances(fy?: string, database: Db = db()): FundBalances[] {
  const rows = database.$client
    .prepare(
      `select coalesce(a.fund_id, b.fund_id, g.fund_id) as fundId, a.kind as kind,
              coalesce(b.ward_id, g.ward_id) as wardId,
              sum(a.credits_posted - a.debits_posted) as balance
         from ledger_accounts a
         left join budgets b on b.id = a.budget_id
         left join grants g on g.id = a.grant_id
        where a.kind <> 'FUNDING'
        group by 1, 2, 3`,
    )
    .all() as { fundId: string | null; kind: string; wardId: number | null; balance: number }[];
  const fundRows = database.select().from(funds).orderBy(desc(funds.fy), asc(funds.name)).all();
  const wardNames = new Map(
    database
      .select({ id: wards.id, name: wards.name, nameCy: wards.nameCy })
      .from(wards)
      .all()
      .map((w) => [w.id, w]),
  );
  return fundRows
    .filter((f) => !fy || f.fy === fy)
    .map((fund) => {
      const total = emptyBalances();
      const byWard = new Map<number | null, Balances>();
      for (const row of rows.filter((r) => r.fundId === fund.id)) {
        const column = KIND_COLUMN[row.kind];
        if (!column) continue;
        total[column] += row.balance;
        const ward = byWard.get(row.wardId) ?? emptyBalances();
        ward[column] += row.balance;
        byWard.set(row.wardId, ward);
      }
      const wardList = [...byWard.entries()]
        .map(([wardId, balances]) => ({
          wardId,
          // The page names the whole-fund row in the reader's language.
          wardName: wardId === null ? "Whole fund" : (wardNames.get(wardId)?.name ?? `Ward ${wardId}`),
          wardNameCy: wardId === null ? null : (wardNames.get(wardId)?.nameCy ?? null),
          balances,
        }))
        .sort((a, b) => a.wardName.localeCompare(b.wardName, "en-GB"));
      return { fundId: fund.id, fundName: fund.name, fundNameCy: fund.nameCy, fy: fund.fy, total, wards: wardList };
    });
}

export interface LedgerFilter {
  fy?: string;
  from?: IsoDate;
  to?: IsoDate;
  fundId?: string;
  wardId?: number;
  type?: EntryType;
}

function filterConditions(filter: LedgerFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.fy) conditions.push(eq(journalEntries.fy, filter.fy));
  if (filter.from) conditions.push(gte(journalEntries.effectiveDate, filter.from));
  if (filter.to) conditions.push(lte(journalEntries.effectiveDate, filter.to));
  if (filter.type) conditions.push(eq(journalEntries.type, filter.type));
  if (filter.fundId || filter.wardId) {
    const scope: SQL[] = [];
    if (filter.fundId) scope.push(sql`coalesce(a.fund_id, b.fund_id, g.fund_id) = ${filter.fundId}`);
    if (filter.wardId) scope.push(sql`coalesce(b.ward_id, g.ward_id) = ${filter.wardId}`);
    conditions.push(sql`exists (select 1 from journal_postings p join ledger_accounts a on a.id = p.account_id
      left join budgets b on b.id = a.budget_id left join grants g on g.id = a.grant_id
      where p.entry_id = ${journalEntries.id} and ${sql.join(scope, sql` and `)})`);
  }
  return conditions;
}

export function listLedgerEntries(filter: LedgerFilter, page: number, pageSize = 25, database: Db = db()) {
  const where = and(...filterConditions(filter));
  const total =
    database
      .select({ n: sql<number>`count(*)` })
      .from(journalEntries)
      .where(where)
      .get()?.n ?? 0;
  const rows = database
    .select({
      id: journalEntries.id,
      seq: journalEntries.seq,
      type: journalEntries.type,
      effectiveDate: journalEntries.effectiveDate,
      reason: journalEntries.reason,
      memo: journalEntries.memo,
      externalRef: journalEntries.externalRef,
      amountPence: sql<number>`(select sum(amount_pence) from journal_postings p where p.entry_id =
        ${journalEntries.id} and p.dc = 'D')`,
      reversedBy: sql<string | null>`(select r.id from journal_entries r where r.reverses_id = ${journalEntries.id})`,
    })
    .from(journalEntries)
    .where(where)
    .orderBy(desc(journalEntries.seq))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { rows, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

export function ledgerFilterOptions(database: Db = db()) {
  return {
    years: database
      .selectDistinct({ fy: journalEntries.fy })
      .from(journalEntries)
      .orderBy(desc(journalEntries.fy))
      .all()
      .map((r) => r.fy),
    funds: database.select({ id: funds.id, name: funds.name }).from(funds).orderBy(desc(funds.fy)).all(),
    wards: database.select({ id: wards.id, name: wards.name }).from(wards).orderBy(asc(wards.name)).all(),
  };
}

export function getEntryDetail(entryId: string, database: Db = db()) {
  const entry = database.select().from(journalEntries).where(eq(journalEntries.id, entryId)).get();
  if (!entry) return null;
  const postings = database
    .select({
      lineNo: journalPostings.lineNo,
      account: ledgerAccounts.key,
      kind: ledgerAccounts.kind,
      dc: journalPostings.dc,
      pence: journalPostings.amountPence,
    })
    .from(journalPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalPostings.accountId))
    .where(eq(journalPostings.entryId, entryId))
    .orderBy(asc(journalPostings.lineNo))
    .all();
  const log = database.select().from(ledgerLog).where(eq(ledgerLog.entryId, entryId)).get();
  const approval = entry.approvalId
    ? database.select().from(approvals).where(eq(approvals.id, entry.approvalId)).get()
    : undefined;
  const names = new Map(
    database
      .select({ id: users.id, name: users.name })
      .from(users)
      .all()
      .map((u) => [u.id, u.name]),
  );
  const audit = database
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "ledger_entry"), eq(auditEvents.entityId, entryId)))
    .orderBy(asc(auditEvents.id))
    .all();
  const reversedBy = database
    .select({ id: journalEntries.id, seq: journalEntries.seq })
    .from(journalEntries)
    .where(eq(journalEntries.reversesId, entryId))
    .get();
  const pendingReversal = database
    .select()
    .from(reversalRequests)
    .where(and(eq(reversalRequests.entryId, entryId), sql`${reversalRequests.decidedAt} is null`))
    .get();
  return {
    entry: { ...entry, actorName: names.get(entry.actorId) ?? entry.actorId },
    postings,
    hash: log?.hash ?? null,
    prevHash: log?.prevHash ?? null,
    payload: log?.payload ?? null,
    approval: approval
      ? {
          ...approval,
          requesterName: names.get(approval.requesterId) ?? approval.requesterId,
          approverName: names.get(approval.approverId) ?? approval.approverId,
        }
      : null,
    audit,
    reversedBy: reversedBy ?? null,
    pendingReversal: pendingReversal
      ? { ...pendingReversal, requesterName: names.get(pendingReversal.requestedBy) ?? pendingReversal.requestedBy }
      : null,
  };
}

const actorOf = (user: Principal): Actor => ({ id: user.id, name: user.name });
const today = (now = new Date()) => londonDateOf(now);

/**
 * Posts an entry and, when it is new, does the follow-up work (an instalment link, a bid's status)
 * in the same transaction. A refusal is still remembered against its idempotency key.
 */
function postWithFollowUp(
  database: Db,
  request: PostRequest,
  followUp: (tx: Db, posted: PostedEntry) => void,
): PostedEntry {
  const outcome = writeTransaction((tx) => {
    try {
      const posted = postEntry(request, tx);
      if (posted.status === "created") followUp(tx, posted);
      return { posted };
    } catch (error) {
      if (error instanceof LedgerRefusal) return { refusal: error };
      throw error;
    }
  }, database);
  if ("refusal" in outcome) throw outcome.refusal;
  return outcome.posted;
}

function grantAccountBalance(database: Db, kind: string, grantId: string): number {
  const row = database
    .select({ b: sql<number>`credits_posted - debits_posted` })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.key, `${kind}:${grantId}`))
    .get();
  return row?.b ?? 0;
}

function grantDutySubject(database: Db, grantId: string, paymentRequesterId: string | null = null) {
  const grant = database.select().from(grants).where(eq(grants.id, grantId)).get();
  if (!grant) throw new Refusal(says("noGrant"));
  const approverIds = database
    .select({ id: approvals.approverId })
    .from(approvals)
    .where(eq(approvals.grantId, grantId))
    .all()
    .map((a) => a.id);
  return { groupId: grant.groupId, wardIds: grant.wardId ? [grant.wardId] : [], approverIds, paymentRequesterId };
}

function assertDuty(duty: Parameters<typeof checkDuty>[0], user: Principal, subject: Parameters<typeof checkDuty>[2]) {
  const check = checkDuty(duty, user, subject);
  if (!check.allowed) throw new Refusal(check.reason);
}

/** The payments queue: grants with committed money to pay, and payment requests awaiting confirmation. */
export function paymentsQueue(database: Db = db()) {
  const rows = database.$client
    .prepare(
      `select g.id as grantId, g.title as title, cg.name as groupName, w.name as wardName, f.name as fundName,
              (select b.title_cy from bids b where b.grant_id = coalesce(g.parent_grant_id, g.id)) as titleCy,
              w.name_cy as wardNameCy, f.name_cy as fundNameCy,
              cg.verified_at as groupVerifiedAt, g.parent_grant_id as parentGrantId, f.fy as fy,
              (select b.account_name || ', ' || b.sort_code || ', ' || b.account_number from group_bank_details b
                where b.group_id = cg.id order by b.id desc limit 1) as bankAccount,
              coalesce((select credits_posted - debits_posted from ledger_accounts where key = 'COMMITTED:' || g.id),
                0) as committed,
              coalesce((select credits_posted - debits_posted from ledger_accounts where key = 'PAYABLE:' || g.id), 0)
                as payable,
              coalesce((select credits_posted - debits_posted from ledger_accounts where key = 'PAID:' || g.id), 0) as
                paid,
              coalesce((select credits_posted - debits_posted from ledger_accounts where key = 'RECOVERABLE:' || g.id),
                0) as recoverable
         from grants g join community_groups cg on cg.id = g.group_id join funds f on f.id = g.fund_id left join wards
           w on w.id = g.ward_id
        order by g.award_date, g.id`,
    )
    .all() as {
    grantId: string;
    title: string;
    titleCy: string | null;
    groupName: string;
    wardName: string | null;
    wardNameCy: string | null;
    fundName: string;
    fundNameCy: string | null;
    groupVerifiedAt: string | null;
    parentGrantId: string | null;
    fy: string;
    bankAccount: string | null;
    committed: number;
    payable: number;
    paid: number;
    recoverable: number;
  }[];
  const openRequests = database.$client
    .prepare(
      `select e.id as entryId, e.seq as seq, e.effective_date as date, e.actor_id as requesterId, u.name as
        requesterName, a.grant_id as grantId, p.amount_pence as pence
         from journal_entries e
         join journal_postings p on p.entry_id = e.id and p.dc = 'C'
         join ledger_accounts a on a.id = p.account_id
         left join users u on u.id = e.actor_id
        where e.type = 'PAY_REQUEST'
          and not exists (select 1 from journal_entries r where r.resolves_id = e.id)
          and not exists (select 1 from journal_entries r where r.reverses_id = e.id)
        order by e.seq`,
    )
    .all() as {
    entryId: string;
    seq: number;
    date: string;
    requesterId: string;
    requesterName: string | null;
    grantId: string;
    pence: number;
  }[];
  const instalments = dueInstalmentsByGrant(database);
  return rows.map((row) => ({
    ...row,
    openRequests: openRequests.filter((r) => r.grantId === row.grantId),
    instalments: (instalments.get(row.grantId) ?? []).map((i) => ({
      seq: i.seq,
      amountPence: i.amountPence,
      dueOn: i.dueOn,
      fy: i.fy,
      requested: i.payRequestEntryId !== null,
      waitingForMonitoring: i.waitingForMonitoring,
    })),
    offerPending: offerNotAccepted(database, row.grantId),
    monitoring: monitoringSummary(database, row.grantId),
    tranches: yearsOfGrant(database, row.grantId),
  }));
}

/** For a grant that spans financial years, every year's part (the award's own and the later ones); otherwise empty. */
function yearsOfGrant(database: Db, grantId: string) {
  const found = offerOfGrant(database, grantId);
  if (!found) return [];
  const tranches = tranchesOfOffer(database, found.offer);
  return tranches.length > 1
    ? tranches.map((t) => ({
        id: t.id,
        fy: t.fy,
        amountPence: t.amountPence,
        status: t.status,
        paid: t.paid,
        grantId: t.grantId,
        thisGrant: t.grantId === grantId,
      }))
    : [];
}

/**
 * The grant's monitoring report, if the group has sent it: when, and what it says was spent (for
 * clawbacks). A later year's tranche grant reads its award's report.
 */
function monitoringSummary(database: Db, grantId: string): { submittedAt: string; spentPence: number } | null {
  const row = database.$client
    .prepare(
      `select m.submitted_at as submittedAt, m.spend as spend from monitoring_reports m join bids b on b.id = m.bid_id
        where b.grant_id = coalesce((select parent_grant_id from grants where id = ?), ?) and m.submitted_at is not
          null order by m.id desc limit 1`,
    )
    .get(grantId, grantId) as { submittedAt: string; spend: string | null } | undefined;
  if (!row) return null;
  const lines = row.spend ? (JSON.parse(row.spend) as { actualPence?: number }[]) : [];
  return { submittedAt: row.submittedAt, spentPence: lines.reduce((sum, l) => sum + (l.actualPence ?? 0), 0) };
}

/**
 * The instalment a request pays: the one named, or the first unpaid instalment of this grant's year.
 * A request pays one due instalment, whole; anything else is refused with the amount it should be.
 */
function instalmentToRequest(loaded: LoadedGrant, grantId: string, pence: number, seq?: number) {
  const part = loaded.state.parts.find((p) => p.grantId === grantId);
  if (!part) throw new Refusal(says("noInstalments"), { field: "amount" });
  const unpaid = loaded.state.instalments.filter((i) => i.fy === part.fy && i.state === "unpaid");
  const target =
    seq !== undefined
      ? loaded.state.instalments.find((i) => i.seq === seq && i.fy === part.fy)
      : (unpaid.find((i) => i.amountPence === pence) ?? unpaid[0]);
  const { status, offer } = loaded.state;
  // A withdrawn, closed or unaccepted grant: the grant machine says why nothing can be paid.
  if (status === "withdrawn" || status === "closed" || offer !== "accepted")
    return target ?? loaded.state.instalments[0]!;
  if (!target) {
    const requested = loaded.state.instalments.some((i) => i.fy === part.fy && i.state === "requested");
    throw new Refusal(says(requested ? "allRequested" : "noneWaiting"), { field: "amount" });
  }
  if (pence > part.balances.committed) {
    throw new Refusal(says("onlyCommitted", { amount: formatPence(part.balances.committed) }), { field: "amount" });
  }
  if (target.state === "unpaid" && pence !== target.amountPence) {
    throw new Refusal(
      says("wholeInstalment", { seq: target.seq, amount: formatPence(target.amountPence), pence: formatPence(pence) }),
      { field: "amount" },
    );
  }
  return target;
}

export function requestPayment(
  user: Principal,
  input: { grantId: string; pence: number; idempotencyKey: string; seq?: number },
  database: Db = db(),
  now = new Date(),
): PostedEntry {
  return answerOnce(database, keyedRequest("finance.request-payment", actorOf(user), input), () =>
    requestPaymentOnce(user, input, database, now),
  );
}

function requestPaymentOnce(
  user: Principal,
  input: { grantId: string; pence: number; idempotencyKey: string; seq?: number },
  database: Db,
  now: Date,
): PostedEntry {
  const subject = grantDutySubject(database, input.grantId);
  assertDuty("request-payment", user, subject);
  assertPayableBankDetails(database, subject.groupId);
  const recipient = database.$client
    .prepare(
      "select cg.verified_at as verifiedAt from grants g join community_groups cg on cg.id = g.group_id where g.id = ?",
    )
    .get(input.grantId) as { verifiedAt: string | null } | undefined;
  if (!recipient?.verifiedAt) {
    throw new Refusal(says("notVerified"), { field: "amount" });
  }
  if (grantAwaitingWards(database, input.grantId)) {
    throw new Refusal(says("wardsUndecided"), { field: "amount" });
  }
  const outcome = writeTransaction((tx) => {
    const loaded = grantStateOfGrant(tx, input.grantId);
    let next: ReturnType<typeof transitionOrRefuse> | null = null;
    const placeholder = `request-${randomUUID()}`;
    if (loaded) {
      const target = instalmentToRequest(loaded, input.grantId, input.pence, input.seq);
      next = transitionOrRefuse(
        loaded,
        { type: "request-payment", requestId: placeholder, seq: target.seq, pence: input.pence, today: today(now) },
        { field: "amount", status: 422 },
      );
    } else {
      // A grant recorded in the ledger alone (no offer, no instalments): only its commitment bounds a payment.
      const committed = grantAccountBalance(tx, "COMMITTED", input.grantId);
      if (input.pence > committed)
        throw new Refusal(says("onlyCommitted", { amount: formatPence(committed) }), { field: "amount" });
    }
    const draft = next ? next.postings[0]!.draft : payRequest({ grantId: input.grantId, pence: input.pence });
    try {
      const posted = postEntry(
        { draft, idempotencyKey: input.idempotencyKey, actor: actorOf(user), effectiveDate: today(now) },
        tx,
      );
      if (posted.status === "created" && loaded && next) {
        applyGrantState(tx, loaded, next.state, {
          actor: actorOf(user),
          at: now.toISOString(),
          entryIds: new Map([[placeholder, posted.entryId]]),
        });
      }
      return { posted };
    } catch (error) {
      if (error instanceof LedgerRefusal) return { refusal: error };
      throw error;
    }
  }, database);
  if ("refusal" in outcome) throw outcome.refusal;
  return outcome.posted;
}

function openPayRequest(database: Db, payRequestEntryId: string) {
  const request = paymentsQueue(database)
    .flatMap((g) => g.openRequests)
    .find((r) => r.entryId === payRequestEntryId);
  if (!request) throw new Refusal(says("requestGone"));
  return request;
}

/** Refuses what the grant machine refuses on the grant of an open payment request. */
function checkGrantMachine(database: Db, grantId: string, action: GrantAction): void {
  const loaded = grantStateOfGrant(database, grantId);
  if (loaded) transitionOrRefuse(loaded, action);
}

export function confirmPayment(
  user: Principal,
  input: { payRequestEntryId: string; paymentRef: string; idempotencyKey: string },
  database: Db = db(),
  now = new Date(),
): PostedEntry {
  return answerOnce(database, keyedRequest("finance.confirm-payment", actorOf(user), input), () =>
    confirmPaymentOnce(user, input, database, now),
  );
}

function confirmPaymentOnce(
  user: Principal,
  input: { payRequestEntryId: string; paymentRef: string; idempotencyKey: string },
  database: Db,
  now: Date,
): PostedEntry {
  const request = openPayRequest(database, input.payRequestEntryId);
  const subject = grantDutySubject(database, request.grantId, request.requesterId);
  assertDuty("confirm-payment", user, subject);
  assertPayableBankDetails(database, subject.groupId);
  const at = now.toISOString();
  const outcome = writeTransaction((tx) => {
    // The grant machine decides inside the transaction: nothing is confirmed on a withdrawn or closed grant.
    const loaded = grantStateOfGrant(tx, request.grantId);
    if (loaded)
      transitionOrRefuse(loaded, {
        type: "confirm-payment",
        requestId: request.entryId,
        confirmId: `confirm-${randomUUID()}`,
        paymentRef: input.paymentRef,
      });
    try {
      const posted = postEntry(
        {
          draft: payConfirm({
            grantId: request.grantId,
            payRequestEntryId: request.entryId,
            pence: request.pence,
            paymentRef: input.paymentRef,
          }),
          idempotencyKey: input.idempotencyKey,
          actor: actorOf(user),
          effectiveDate: today(now),
        },
        tx,
      );
      if (posted.status === "created")
        recordInstalmentPaid(tx, {
          grantId: request.grantId,
          payRequestEntryId: request.entryId,
          pence: request.pence,
          actor: actorOf(user),
          at,
        });
      return { posted };
    } catch (error) {
      if (error instanceof LedgerRefusal) return { refusal: error };
      throw error;
    }
  }, database);
  if ("refusal" in outcome) throw outcome.refusal;
  return outcome.posted;
}

export function failPayment(
  user: Principal,
  input: { payRequestEntryId: string; reason: string; idempotencyKey: string },
  database: Db = db(),
): PostedEntry {
  return answerOnce(database, keyedRequest("finance.fail-payment", actorOf(user), input), () =>
    failPaymentOnce(user, input, database),
  );
}

function failPaymentOnce(
  user: Principal,
  input: { payRequestEntryId: string; reason: string; idempotencyKey: string },
  database: Db,
): PostedEntry {
  const request = openPayRequest(database, input.payRequestEntryId);
  assertDuty("request-payment", user, grantDutySubject(database, request.grantId));
  checkGrantMachine(database, request.grantId, {
    type: "fail-payment",
    requestId: request.entryId,
    reason: input.reason,
  });
  return postWithFollowUp(
    database,
    {
      draft: payFailed({
        grantId: request.grantId,
        payRequestEntryId: request.entryId,
        pence: request.pence,
        reason: input.reason,
      }),
      idempotencyKey: input.idempotencyKey,
      actor: actorOf(user),
      effectiveDate: today(),
    },
    (tx) => unlinkPayRequest(tx, request.entryId),
  );
}

export function raiseClawback(
  user: Principal,
  input: { grantId: string; pence: number; reason: string; invoiceRef: string; idempotencyKey: string },
  database: Db = db(),
  now = new Date(),
): PostedEntry {
  return answerOnce(database, keyedRequest("finance.raise-clawback", actorOf(user), input), () =>
    raiseClawbackOnce(user, input, database, now),
  );
}

function raiseClawbackOnce(
  user: Principal,
  input: { grantId: string; pence: number; reason: string; invoiceRef: string; idempotencyKey: string },
  database: Db,
  now: Date,
): PostedEntry {
  assertDuty("request-payment", user, grantDutySubject(database, input.grantId));
  const paid = grantAccountBalance(database, "PAID", input.grantId);
  if (input.pence > paid) throw new Refusal(says("onlyPaid", { amount: formatPence(paid) }), { field: "amount" });
  return postEntry(
    {
      draft: clawbackRaise({
        grantId: input.grantId,
        pence: input.pence,
        reason: input.reason,
        debtorInvoiceRef: input.invoiceRef,
      }),
      idempotencyKey: input.idempotencyKey,
      actor: actorOf(user),
      effectiveDate: today(now),
    },
    database,
  );
}

/** Received clawback money goes back into the grant's own ward budget for this year. */
export function receiveClawback(
  user: Principal,
  input: { grantId: string; pence: number; receiptRef: string; idempotencyKey: string },
  database: Db = db(),
  now = new Date(),
): PostedEntry {
  return answerOnce(database, keyedRequest("finance.receive-clawback", actorOf(user), input), () =>
    receiveClawbackOnce(user, input, database, now),
  );
}

function receiveClawbackOnce(
  user: Principal,
  input: { grantId: string; pence: number; receiptRef: string; idempotencyKey: string },
  database: Db,
  now: Date,
): PostedEntry {
  const subject = grantDutySubject(database, input.grantId);
  assertDuty("request-payment", user, subject);
  const recoverable = grantAccountBalance(database, "RECOVERABLE", input.grantId);
  if (input.pence > recoverable)
    throw new Refusal(says("onlyOwed", { amount: formatPence(recoverable) }), { field: "amount" });
  const grant = database.select().from(grants).where(eq(grants.id, input.grantId)).get()!;
  const budget = database
    .select({ id: budgets.id })
    .from(budgets)
    .where(and(eq(budgets.fundId, grant.fundId), grant.wardId ? eq(budgets.wardId, grant.wardId) : sql`1 = 1`))
    .get();
  const fund = database.select().from(funds).where(eq(funds.id, grant.fundId)).get()!;
  const destination = budget ? { budgetId: budget.id } : { returnedTo: { scheme: fund.id, fy: fund.fy } };
  return postEntry(
    {
      draft: clawbackReceived({
        grantId: input.grantId,
        pence: input.pence,
        destination,
        receiptRef: input.receiptRef,
      }),
      idempotencyKey: input.idempotencyKey,
      actor: actorOf(user),
      effectiveDate: today(now),
    },
    database,
  );
}

/** First step of a reversal: a finance officer asks, with a reason. A second person approves. */
export function requestReversal(user: Principal, input: { entryId: string; reason: string }, database: Db = db()) {
  return writeTransaction((tx) => {
    const entry = tx.select().from(journalEntries).where(eq(journalEntries.id, input.entryId)).get();
    if (!entry) throw new Refusal(says("noEntry"));
    if (entry.type === "REVERSAL") throw new Refusal(says("reverseReversal"));
    if (tx.select().from(journalEntries).where(eq(journalEntries.reversesId, entry.id)).get())
      throw new Refusal(says("alreadyReversed"));
    if (
      tx
        .select()
        .from(reversalRequests)
        .where(and(eq(reversalRequests.entryId, entry.id), sql`${reversalRequests.decidedAt} is null`))
        .get()
    ) {
      throw new Refusal(says("reversalWaiting"));
    }
    const id = randomUUID();
    tx.insert(reversalRequests)
      .values({
        id,
        entryId: entry.id,
        requestedBy: user.id,
        reason: input.reason,
        requestedAt: new Date().toISOString(),
      })
      .run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "ledger.reversal-requested",
      entityType: "ledger_entry",
      entityId: entry.id,
      reason: input.reason,
    });
    return id;
  }, database);
}

/** The postings of a stored entry, as a reversal mirrors them. */
function storedPostings(database: Db, entryId: string): Posting[] {
  return (getEntryDetail(entryId, database)?.postings ?? []).map((p): Posting => ({
    account: p.account,
    dc: p.dc as "D" | "C",
    pence: p.pence,
  }));
}

function reversalApproval(
  tx: Db,
  input: {
    id: string;
    subjectEntryId: string;
    requesterId: string;
    approverId: string;
    decidedAt: string;
    amountPence: number;
    note: string | null;
  },
) {
  if (!tx.select().from(approvals).where(eq(approvals.id, input.id)).get()) {
    tx.insert(approvals)
      .values({
        id: input.id,
        entryType: "REVERSAL",
        subjectEntryId: input.subjectEntryId,
        requesterId: input.requesterId,
        approverId: input.approverId,
        decidedAt: input.decidedAt,
        amountPence: input.amountPence,
        noInterestDeclared: true,
        note: input.note,
      })
      .run();
  }
}

/**
 * The grant a payment entry belongs to, for the grant machine: a PAY_REQUEST's own id, or the
 * request a PAY_CONFIRM resolves. Null for any other entry.
 */
function paymentOfEntry(
  database: Db,
  entryId: string,
): { kind: "request" | "confirmation"; requestId: string; grantId: string } | null {
  const entry = database.select().from(journalEntries).where(eq(journalEntries.id, entryId)).get();
  if (!entry || (entry.type !== "PAY_REQUEST" && entry.type !== "PAY_CONFIRM")) return null;
  const requestId = entry.type === "PAY_REQUEST" ? entry.id : entry.resolvesId;
  if (!requestId) return null;
  const row = database.$client
    .prepare(
      `select a.grant_id as grantId from journal_postings p join ledger_accounts a on a.id = p.account_id
        where p.entry_id = ? and a.kind = 'PAYABLE' and a.grant_id is not null limit 1`,
    )
    .get(requestId) as { grantId: string } | undefined;
  return row
    ? { kind: entry.type === "PAY_REQUEST" ? "request" : "confirmation", requestId, grantId: row.grantId }
    : null;
}

/**
 * Second step: another finance officer or an administrator approves, and the reversal is posted.
 * Reversing a payment request or a confirmed payment goes through the grant machine: the
 * instalment and the bid go back with the ledger, in the same transaction. A confirmed payment's
 * request is reversed with it, so the money is committed again and the instalment can be requested anew.
 */
export function decideReversal(
  user: Principal,
  input: { entryId: string; approve: boolean; idempotencyKey: string; note?: string },
  database: Db = db(),
): PostedEntry | null {
  return answerOnce(database, keyedRequest("finance.decide-reversal", actorOf(user), input), () =>
    decideReversalOnce(user, input, database),
  );
}

function decideReversalOnce(
  user: Principal,
  input: { entryId: string; approve: boolean; idempotencyKey: string; note?: string },
  database: Db,
): PostedEntry | null {
  const request = database
    .select()
    .from(reversalRequests)
    .where(and(eq(reversalRequests.entryId, input.entryId), sql`${reversalRequests.decidedAt} is null`))
    .get();
  if (!request) throw new Refusal(says("noReversalWaiting"));
  if (request.requestedBy === user.id) throw new Refusal(says("ownReversal"));
  const original = { entryId: input.entryId, postings: storedPostings(database, input.entryId) };
  const amount = original.postings.filter((p) => p.dc === "D").reduce((s, p) => s + p.pence, 0);
  const decidedAt = new Date().toISOString();
  if (!input.approve) {
    writeTransaction((tx) => {
      tx.update(reversalRequests)
        .set({ decidedAt, decidedBy: user.id, outcome: "refused" })
        .where(eq(reversalRequests.id, request.id))
        .run();
      recordAudit(tx, {
        actor: actorOf(user),
        action: "ledger.reversal-refused",
        entityType: "ledger_entry",
        entityId: input.entryId,
        reason: input.note ?? null,
      });
    }, database);
    return null;
  }
  const approvalId = `reversal-${request.id}`;
  const outcome = writeTransaction((tx) => {
    reversalApproval(tx, {
      id: approvalId,
      subjectEntryId: input.entryId,
      requesterId: request.requestedBy,
      approverId: user.id,
      decidedAt,
      amountPence: amount,
      note: input.note ?? null,
    });
    const payment = paymentOfEntry(tx, input.entryId);
    const loaded = payment ? grantStateOfGrant(tx, payment.grantId) : null;
    let posted: PostedEntry;
    try {
      posted = postEntry(
        {
          draft: reversal({ original, reason: request.reason }),
          idempotencyKey: input.idempotencyKey,
          actor: actorOf(user),
          effectiveDate: today(),
          approvalId,
        },
        tx,
      );
    } catch (error) {
      if (error instanceof LedgerRefusal) return { refusal: error };
      throw error;
    }
    if (posted.status === "created" && payment && loaded) {
      const action = payment.kind === "request" ? "reverse-request" : "reverse-confirmation";
      const next = transitionOrRefuse(loaded, { type: action, requestId: payment.requestId, reason: request.reason });
      if (payment.kind === "confirmation") {
        // The confirmation's request is reversed with it, and a withdrawn year's money goes back to its budgets.
        const requestPostings = storedPostings(tx, payment.requestId);
        const requestApproval = `${approvalId}-request`;
        const requestPence = requestPostings.filter((p) => p.dc === "D").reduce((s, p) => s + p.pence, 0);
        reversalApproval(tx, {
          id: requestApproval,
          subjectEntryId: payment.requestId,
          requesterId: request.requestedBy,
          approverId: user.id,
          decidedAt,
          amountPence: requestPence,
          note: input.note ?? null,
        });
        postEntry(
          {
            draft: reversal({
              original: { entryId: payment.requestId, postings: requestPostings },
              reason: request.reason,
            }),
            idempotencyKey: `${input.idempotencyKey}:request`,
            actor: actorOf(user),
            effectiveDate: today(),
            approvalId: requestApproval,
          },
          tx,
        );
        next.postings.slice(2).forEach((planned, i) => {
          postEntry(
            {
              draft: planned.draft,
              idempotencyKey: `${input.idempotencyKey}:${i + 2}`,
              actor: actorOf(user),
              effectiveDate: today(),
            },
            tx,
          );
        });
      }
      applyGrantState(tx, loaded, next.state, {
        actor: actorOf(user),
        at: decidedAt,
        auditAction: "bid.payment-reversed",
      });
    }
    tx.update(reversalRequests)
      .set({ decidedAt, decidedBy: user.id, outcome: "approved" })
      .where(eq(reversalRequests.id, request.id))
      .run();
    return { posted };
  }, database);
  if ("refusal" in outcome) throw outcome.refusal;
  return outcome.posted;
}

export function listFinancialYears(database: Db = db()) {
  const used = database
    .selectDistinct({ fy: funds.fy })
    .from(funds)
    .all()
    .map((r) => r.fy);
  const closed = new Map(
    database
      .select()
      .from(financialYears)
      .all()
      .map((r) => [r.fy, r]),
  );
  const current = financialYearOf(today());
  return [...new Set([...used, current])]
    .sort()
    .reverse()
    .map((fy) => ({ fy, closedAt: closed.get(fy)?.closedAt ?? null, current: fy === current }));
}

export function closeYear(user: Principal, fy: string, database: Db = db()) {
  return closeFinancialYear(actorOf(user), fy, new Date(), database);
}

export function latestCheckpoints(limit = 20, database: Db = db()) {
  return database.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.id)).limit(limit).all();
}
