/**
 * What must hold between bids, grant offers, instalments and the ledger after any action, read
 * straight from the tables. Each check returns a list of violations (empty when it holds), so a
 * property test can name exactly which rule broke and on what.
 *
 * The rules, derived from the ledger's templates (core/ledger/templates.ts), its reference
 * (§2 items 3, 4 and 7) and the bid state machine (core/bids/status.ts):
 *
 * Ledger
 * - L1 trial balance: Σ debits = Σ credits over every account.
 * - L2 conservation per fund and year: FUNDING's debit balance = Σ credit balances of AVAILABLE
 *   (its budgets), EARMARKED, COMMITTED, PAYABLE, PAID, RECOVERABLE (its grants), RETURNED and
 *   LAPSED. (No action here moves money across funds: no carry-forward, clawbacks go to the
 *   grant's own fund's budget, a later year's tranche has a grant in that year's fund.)
 * - L3 no account other than FUNDING below zero.
 * - L4 cached running totals equal the totals recomputed from the postings.
 * - L5 the hash chain links: seq runs 1..N, each prev_hash is the previous row's hash.
 *
 * Grants ("paid out" on a grant = Σ of its PAY_CONFIRM entries not reversed; it equals the PAID
 * balance until money is clawed back, which moves PAID to RECOVERABLE and on)
 * - G1 per grant, Σ of its paid instalments = paid out.
 * - G2 an unpaid instalment linked to a payment request names a request still open (neither
 *   confirmed, failed nor reversed); every open request is linked to one unpaid instalment.
 * - G3 per grant of a live offer (bid not withdrawn), COMMITTED + PAYABLE = Σ of its unpaid
 *   instalments: what the payments queue offers to pay is what the ledger holds for it.
 *
 * Bid status against the ledger, over the bid's grants (the award's and its later years')
 * - S1 withdrawn (also: offer declined): nothing PAYABLE; nothing COMMITTED unless its year is
 *   closed (the withdrawal could not post the decommitment then); declined: nothing paid out.
 * - S2 submitted, changes-requested, rejected: no money reserved, committed, payable or paid.
 * - S3 approved, part-approved: nothing payable or paid out yet (the offer is not accepted);
 *   offer-accepted: nothing paid out yet (the first payment confirmed moves it to paid).
 * - S4 paid, monitoring-due: something is paid out.
 * - S5 closed: nothing committed or payable.
 */
import type { Db } from "~/db/client.server";

export interface Violation {
  rule: string;
  message: string;
}

type Row = Record<string, unknown>;

const statements = new WeakMap<Db["$client"], Map<string, ReturnType<Db["$client"]["prepare"]>>>();

/** Runs a query through a statement prepared once per connection (these run after every step). */
function all<T = Row>(database: Db, sql: string, ...args: unknown[]): T[] {
  const cache = statements.get(database.$client) ?? statements.set(database.$client, new Map()).get(database.$client)!;
  const statement = cache.get(sql) ?? cache.set(sql, database.$client.prepare(sql)).get(sql)!;
  return statement.all(...args) as T[];
}

/** Rows inserted, updated or deleted on this connection so far: unchanged means nothing to check. */
export function changesSoFar(database: Db): number {
  return all<{ n: number }>(database, "select total_changes() as n")[0]!.n;
}

/**
 * L1–L3 from the running totals; L4 (a scan of every posting) only when `totals` is set; L5 for the
 * log rows after `fromSeq` (0: all of them).
 */
export function ledgerViolations(database: Db, options: { totals?: boolean; fromSeq?: number } = {}): Violation[] {
  const out: Violation[] = [];
  const accounts = all<{ key: string; kind: string; debits: number; credits: number; scope: string | null }>(
    database,
    `select a.key as key, a.kind as kind, a.debits_posted as debits, a.credits_posted as credits,
            coalesce(b.fund_id, g.fund_id, case when a.kind in ('FUNDING','RETURNED','LAPSED')
              then substr(a.key, instr(a.key, ':') + 1, instr(substr(a.key, instr(a.key, ':') + 1), ':') - 1) end) as
                scope
       from ledger_accounts a left join budgets b on b.id = a.budget_id left join grants g on g.id = a.grant_id`,
  );
  let debits = 0;
  let credits = 0;
  const funding = new Map<string, number>();
  const held = new Map<string, number>();
  for (const a of accounts) {
    debits += a.debits;
    credits += a.credits;
    const scope = a.scope ?? `unscoped ${a.key}`;
    if (a.kind === "FUNDING") funding.set(scope, (funding.get(scope) ?? 0) + a.debits - a.credits);
    else {
      held.set(scope, (held.get(scope) ?? 0) + a.credits - a.debits);
      if (a.credits - a.debits < 0)
        out.push({ rule: "L3 non-negative", message: `${a.key} is ${a.credits - a.debits}p` });
    }
  }
  if (debits !== credits) out.push({ rule: "L1 trial balance", message: `debits ${debits}p, credits ${credits}p` });
  for (const scope of new Set([...funding.keys(), ...held.keys()])) {
    if ((funding.get(scope) ?? 0) !== (held.get(scope) ?? 0)) {
      out.push({
        rule: "L2 conservation",
        message: `${scope}: funding ${funding.get(scope) ?? 0}p, held ${held.get(scope) ?? 0}p`,
      });
    }
  }
  const stale = !options.totals
    ? []
    : all<{ key: string }>(
        database,
        `select a.key as key from ledger_accounts a left join (
        select account_id, sum(case when dc = 'D' then amount_pence else 0 end) as d, sum(case when dc = 'C'
          then amount_pence else 0 end) as c
          from journal_postings group by account_id) p on p.account_id = a.id
      where a.debits_posted <> coalesce(p.d, 0) or a.credits_posted <> coalesce(p.c, 0)`,
      );
  for (const s of stale) out.push({ rule: "L4 totals", message: `${s.key}: running totals differ from its postings` });
  const chain = all<{ seq: number; prev: string; hash: string; prevHash: string | null }>(
    database,
    `select l.seq as seq, l.prev_hash as prev, l.hash as hash, p.hash as prevHash from ledger_log l
       left join ledger_log p on p.seq = l.seq - 1
      where l.seq > ? order by l.seq`,
    options.fromSeq ?? 0,
  );
  chain.forEach((row, i) => {
    const position = (options.fromSeq ?? 0) + i + 1;
    if (row.seq !== position) out.push({ rule: "L5 chain", message: `seq ${row.seq} at position ${position}` });
    else if (position > 1 && row.prev !== row.prevHash)
      out.push({ rule: "L5 chain", message: `seq ${row.seq} does not link to seq ${row.seq - 1}` });
  });
  return out;
}

export interface GrantMoney {
  committed: number;
  payable: number;
  paid: number;
  earmarked: number;
  paidOut: number;
  fy: string;
  yearClosed: boolean;
}

export function grantMoney(database: Db): Map<string, GrantMoney> {
  const rows = all<{ id: string; fy: string; closed: string | null }>(
    database,
    `select g.id as id, f.fy as fy, y.closed_at as closed from grants g join funds f on f.id = g.fund_id
       left join financial_years y on y.fy = f.fy`,
  );
  const balance = new Map(
    all<{ key: string; b: number }>(
      database,
      `select key, credits_posted - debits_posted as b from ledger_accounts where grant_id is not null`,
    ).map((r) => [r.key, r.b]),
  );
  const paidOut = new Map(
    all<{ grantId: string; pence: number }>(
      database,
      `select a.grant_id as grantId, sum(p.amount_pence) as pence from journal_entries e
         join journal_postings p on p.entry_id = e.id and p.dc = 'C' join ledger_accounts a on a.id = p.account_id
           and a.kind = 'PAID'
        where e.type = 'PAY_CONFIRM' and not exists (select 1 from journal_entries r where r.reverses_id = e.id)
        group by a.grant_id`,
    ).map((r) => [r.grantId, r.pence]),
  );
  return new Map(
    rows.map((g) => [
      g.id,
      {
        committed: balance.get(`COMMITTED:${g.id}`) ?? 0,
        payable: balance.get(`PAYABLE:${g.id}`) ?? 0,
        paid: balance.get(`PAID:${g.id}`) ?? 0,
        earmarked: balance.get(`EARMARKED:${g.id}`) ?? 0,
        paidOut: paidOut.get(g.id) ?? 0,
        fy: g.fy,
        yearClosed: g.closed !== null,
      },
    ]),
  );
}

/** Every instalment with the grant that pays it (its year's tranche grant, or the offer's grant). */
function instalmentsWithGrant(database: Db) {
  return all<{
    id: number;
    bidId: number;
    seq: number;
    amount: number;
    fy: string;
    paidAt: string | null;
    payRequest: string | null;
    grantId: string | null;
    trancheStatus: string | null;
  }>(
    database,
    `select i.id as id, o.bid_id as bidId, i.seq as seq, i.amount_pence as amount, i.fy as fy, i.paid_at as paidAt,
            i.pay_request_entry_id as payRequest,
            case when exists (select 1 from grant_tranches t0 where t0.offer_id = o.id) then t.grant_id
              else o.grant_id end as grantId,
            t.status as trancheStatus
       from grant_instalments i join grant_offers o on o.id = i.offer_id
       left join grant_tranches t on t.offer_id = o.id and t.fy = i.fy`,
  );
}

export function grantViolations(database: Db, money = grantMoney(database)): Violation[] {
  const out: Violation[] = [];
  const instalments = instalmentsWithGrant(database);
  const bidStatus = new Map(
    all<{ id: number; status: string }>(database, `select id, status from bids`).map((b) => [b.id, b.status]),
  );
  const openRequests = all<{ id: string; grantId: string; pence: number }>(
    database,
    `select e.id as id, a.grant_id as grantId, p.amount_pence as pence from journal_entries e
       join journal_postings p on p.entry_id = e.id and p.dc = 'C' join ledger_accounts a on a.id = p.account_id
      where e.type = 'PAY_REQUEST' and not exists (select 1 from journal_entries r where r.resolves_id = e.id)
        and not exists (select 1 from journal_entries r where r.reverses_id = e.id)`,
  );
  const open = new Set(openRequests.map((r) => r.id));
  const byGrant = new Map<string, typeof instalments>();
  for (const i of instalments) {
    if (i.grantId === null) continue;
    byGrant.set(i.grantId, [...(byGrant.get(i.grantId) ?? []), i]);
    if (!i.paidAt && i.payRequest && !open.has(i.payRequest)) {
      out.push({
        rule: "G2 instalment links",
        message: `bid ${i.bidId} instalment ${i.seq} waits on payment request ${i.payRequest}, which is no longer open`,
      });
    }
  }
  for (const r of openRequests) {
    const linked = instalments.filter((i) => i.payRequest === r.id && !i.paidAt);
    if (linked.length !== 1)
      out.push({
        rule: "G2 instalment links",
        message:
          `open payment request ${r.id} of ${r.pence}p on ${r.grantId} is linked to ${linked.length} unpaid ` +
          `instalments`,
      });
  }
  for (const [grantId, list] of byGrant) {
    const m = money.get(grantId);
    if (!m) continue;
    const paidInstalments = list.filter((i) => i.paidAt).reduce((s, i) => s + i.amount, 0);
    if (paidInstalments !== m.paidOut) {
      out.push({
        rule: "G1 instalments = paid",
        message:
          `grant ${grantId}: instalments marked paid ${paidInstalments}p, paid out ${m.paidOut}p (PAID ` +
          `${m.paid}p)`,
      });
    }
    const status = bidStatus.get(list[0]!.bidId);
    if (status !== "withdrawn") {
      const unpaid = list.filter((i) => !i.paidAt).reduce((s, i) => s + i.amount, 0);
      if (m.committed + m.payable !== unpaid) {
        out.push({
          rule: "G3 queue = ledger",
          message:
            `grant ${grantId} (bid ${status}): COMMITTED ${m.committed}p + PAYABLE ${m.payable}p, unpaid ` +
            `instalments ${unpaid}p`,
        });
      }
    }
  }
  return out;
}

/** The grants of every bid: the award's and its later years' (by parent). */
export function grantsOfBids(database: Db): Map<number, string[]> {
  const rows = all<{ bidId: number; grantId: string }>(
    database,
    `select b.id as bidId, g.id as grantId from bids b
       join grants g on g.id = b.grant_id or g.parent_grant_id = b.grant_id
     union select o.bid_id, g.id from grant_offers o
       join grants g on g.id = o.grant_id or g.parent_grant_id = o.grant_id`,
  );
  const map = new Map<number, string[]>();
  for (const r of rows) map.set(r.bidId, [...new Set([...(map.get(r.bidId) ?? []), r.grantId])]);
  return map;
}

export function statusViolations(
  database: Db,
  money = grantMoney(database),
  grantsOf = grantsOfBids(database),
): Violation[] {
  const out: Violation[] = [];
  const bidRows = all<{ id: number; status: string; declinedAt: string | null }>(
    database,
    `select b.id as id, b.status as status, o.declined_at as declinedAt from bids b
       left join grant_offers o on o.bid_id = b.id`,
  );
  for (const bid of bidRows) {
    const grants = (grantsOf.get(bid.id) ?? [])
      .map((id) => ({ id, ...money.get(id)! }))
      .filter((g) => g.fy !== undefined);
    const sum = (pick: (g: GrantMoney) => number) => grants.reduce((s, g) => s + pick(g), 0);
    const say = (rule: string, what: string) =>
      out.push({
        rule,
        message: `bid ${bid.id} is ${bid.status}${bid.declinedAt ? " (offer declined)" : ""} but ${what} [${grants
          .map((g) => `${g.id}: C${g.committed} P${g.payable} PAID${g.paid} out${g.paidOut}`)
          .join("; ")}]`,
      });
    switch (bid.status) {
      case "withdrawn":
        if (sum((g) => g.payable) > 0) say("S1 withdrawn", `${sum((g) => g.payable)}p is PAYABLE`);
        if (grants.some((g) => g.committed > 0 && !g.yearClosed))
          say("S1 withdrawn", "money is still COMMITTED in an open year");
        if (bid.declinedAt && sum((g) => g.paidOut) > 0) say("S1 withdrawn", "the declined offer was paid");
        break;
      case "submitted":
      case "changes-requested":
      case "rejected":
        if (sum((g) => g.earmarked + g.committed + g.payable + g.paidOut) > 0)
          say("S2 undecided", "its grant holds money");
        break;
      case "approved":
      case "part-approved":
        if (sum((g) => g.payable + g.paidOut) > 0) say("S3 not yet paid", "a payment is requested or made");
        break;
      case "offer-accepted":
        if (sum((g) => g.paidOut) > 0) say("S3 not yet paid", "a payment is made");
        break;
      case "paid":
      case "monitoring-due":
        if (sum((g) => g.paidOut) === 0) say("S4 paid", "nothing is paid out");
        break;
      case "closed":
        if (sum((g) => g.committed + g.payable) > 0) say("S5 closed", "money is still committed or payable");
        break;
    }
  }
  return out;
}

/** AVAILABLE per budget, with the ward and fund of each. */
export function availableByBudget(database: Db): Map<string, { pence: number; wardId: number | null; fundId: string }> {
  return new Map(
    all<{ id: string; wardId: number | null; fundId: string; pence: number }>(
      database,
      `select b.id as id, b.ward_id as wardId, b.fund_id as fundId,
              coalesce(a.credits_posted - a.debits_posted, 0) as pence
         from budgets b left join ledger_accounts a on a.key = 'AVAILABLE:' || b.id`,
    ).map((r) => [r.id, { pence: r.pence, wardId: r.wardId, fundId: r.fundId }]),
  );
}

/** Paid out per bid (all its grants), for "nothing is paid after a withdrawal". */
export function paidOutByBid(
  database: Db,
  money = grantMoney(database),
  grantsOf = grantsOfBids(database),
): Map<number, number> {
  return new Map(
    [...grantsOf].map(([bidId, ids]) => [bidId, ids.reduce((s, id) => s + (money.get(id)?.paidOut ?? 0), 0)]),
  );
}

/** Every rule above, reading each thing once; L4 only with `totals`, L5 from `fromSeq`. */
export function allViolations(
  database: Db,
  options: { totals?: boolean; fromSeq?: number } = {},
): { violations: Violation[]; paidOutByBid: Map<number, number> } {
  const money = grantMoney(database);
  const grantsOf = grantsOfBids(database);
  return {
    violations: [
      ...ledgerViolations(database, options),
      ...grantViolations(database, money),
      ...statusViolations(database, money, grantsOf),
    ],
    paidOutByBid: paidOutByBid(database, money, grantsOf),
  };
}
