/**
 * The grant machine's state (core/grants) for one grant, read from the database inside the write
 * transaction that is about to change it, and the writes that make the instalments and the bid
 * follow the machine's next state.
 *
 * The models call `transition` on the loaded state, refuse with the machine's reason when it
 * refuses, post the entries, and then `applyGrantState` records what the machine says the
 * instalments and the bid have become, in the same transaction.
 */
import { asc, eq } from "drizzle-orm";
import type { BidKind } from "~/core/bids";
import { trancheGrantId } from "~/core/bids";
import {
  emptyBalances,
  transition,
  type GrantAction,
  type GrantState,
  type GrantStatus,
  type Instalment,
  type PaymentRequest,
  type PlannedEntry,
  type YearPart,
} from "~/core/grants";
import type { BudgetShare } from "~/core/ledger/builders";
import type { Db } from "~/db/client.server";
import { bids, funds, grantInstalments, grantOffers, grants, grantTranches, monitoringReports } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { Refusal } from "~/utils/refusal";

export interface LoadedGrant {
  bidId: number;
  offerId: number;
  state: GrantState;
}

function partBalances(tx: Db, grantId: string): YearPart["balances"] {
  const balances = emptyBalances();
  const rows = tx.$client
    .prepare("select kind, credits_posted - debits_posted as b from ledger_accounts where grant_id = ?")
    .all(grantId) as { kind: string; b: number }[];
  for (const row of rows) {
    if (row.kind === "COMMITTED") balances.committed = row.b;
    else if (row.kind === "PAYABLE") balances.payable = row.b;
    else if (row.kind === "PAID") balances.paid = row.b;
    else if (row.kind === "RECOVERABLE") balances.recoverable = row.b;
  }
  const left = tx.$client
    .prepare(
      `select e.type as type, a.kind as kind, sum(p.amount_pence) as pence from journal_entries e
         join journal_postings p on p.entry_id = e.id and p.dc = 'D'
         join ledger_accounts a on a.id = p.account_id
        where a.grant_id = ? and e.type in ('CLAWBACK_RECEIVED', 'DECOMMIT') group by 1, 2`,
    )
    .all(grantId) as { type: string; kind: string; pence: number }[];
  for (const row of left) {
    if (row.type === "CLAWBACK_RECEIVED" && row.kind === "RECOVERABLE") balances.recovered += row.pence;
    if (row.type === "DECOMMIT" && row.kind === "COMMITTED") balances.decommitted += row.pence;
  }
  return balances;
}

/** The budgets a part was committed from and what each gave (its COMMIT entries' budget debits). */
function partSources(tx: Db, grantId: string): BudgetShare[] {
  return tx.$client
    .prepare(
      `select ab.budget_id as budgetId, sum(pb.amount_pence) as pence from journal_entries e
         join journal_postings pc on pc.entry_id = e.id and pc.dc = 'C'
         join ledger_accounts ac on ac.id = pc.account_id and ac.kind = 'COMMITTED' and ac.grant_id = ?
         join journal_postings pb on pb.entry_id = e.id and pb.dc = 'D'
         join ledger_accounts ab on ab.id = pb.account_id and ab.budget_id is not null
        where e.type = 'COMMIT' group by ab.budget_id order by ab.budget_id`,
    )
    .all(grantId) as BudgetShare[];
}

function paymentRequests(tx: Db, parts: readonly YearPart[], linked: Map<string, number>): PaymentRequest[] {
  const out: PaymentRequest[] = [];
  for (const part of parts) {
    const rows = tx.$client
      .prepare(
        `select e.id as id, p.amount_pence as pence,
                (select r.id from journal_entries r where r.reverses_id = e.id) as reversedBy,
                (select r.id from journal_entries r where r.resolves_id = e.id) as resolvedBy,
                (select r.type from journal_entries r where r.resolves_id = e.id) as resolvedType,
                (select r.external_ref from journal_entries r where r.resolves_id = e.id) as paymentRef,
                (select x.id from journal_entries x where x.reverses_id =
                  (select r.id from journal_entries r where r.resolves_id = e.id)) as confirmReversedBy
           from journal_entries e
           join journal_postings p on p.entry_id = e.id and p.dc = 'C'
           join ledger_accounts a on a.id = p.account_id and a.kind = 'PAYABLE' and a.grant_id = ?
          where e.type = 'PAY_REQUEST' order by e.seq`,
      )
      .all(part.grantId) as {
      id: string;
      pence: number;
      reversedBy: string | null;
      resolvedBy: string | null;
      resolvedType: string | null;
      paymentRef: string | null;
      confirmReversedBy: string | null;
    }[];
    for (const row of rows) {
      let state: PaymentRequest["state"] = "open";
      if (row.reversedBy || row.confirmReversedBy) state = "reversed";
      else if (row.resolvedType === "PAY_CONFIRM") state = "confirmed";
      else if (row.resolvedType === "PAY_FAILED") state = "failed";
      out.push({
        requestId: row.id,
        seq: linked.get(row.id) ?? 0,
        fy: part.fy,
        pence: row.pence,
        state,
        confirmId: state === "confirmed" ? row.resolvedBy : null,
        paymentRef: state === "confirmed" ? row.paymentRef : null,
      });
    }
  }
  return out;
}

function kindOfFund(tx: Db, fundId: string): BidKind {
  return tx.select({ kind: funds.kind }).from(funds).where(eq(funds.id, fundId)).get()?.kind === "pb-round"
    ? "pb-round"
    : "ward-budget";
}

/** The machine's state of the grant on a bid's offer, or null when the bid has no offer. */
export function grantStateOfBid(tx: Db, bidId: number): LoadedGrant | null {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get();
  const offer = tx.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get();
  if (!bid || !offer) return null;
  const awardGrant = tx.select().from(grants).where(eq(grants.id, offer.grantId)).get();
  const awardFy = awardGrant
    ? (tx.select({ fy: funds.fy }).from(funds).where(eq(funds.id, awardGrant.fundId)).get()?.fy ?? "")
    : "";
  const tranches = tx
    .select()
    .from(grantTranches)
    .where(eq(grantTranches.offerId, offer.id))
    .orderBy(asc(grantTranches.fy))
    .all();
  const rows = tx
    .select()
    .from(grantInstalments)
    .where(eq(grantInstalments.offerId, offer.id))
    .orderBy(asc(grantInstalments.seq))
    .all();
  const schemeOf = (grantId: string | null) =>
    grantId
      ? (tx.select({ fundId: grants.fundId }).from(grants).where(eq(grants.id, grantId)).get()?.fundId ?? null)
      : null;
  const partRows =
    tranches.length > 0
      ? tranches.map((t) => ({
          fy: t.fy,
          grantId: t.grantId ?? trancheGrantId(offer.grantId, t.fy),
          amountPence: t.amountPence,
          status: t.status,
          stored: t.grantId,
        }))
      : [
          {
            fy: awardFy,
            grantId: offer.grantId,
            amountPence: offer.amountPence,
            status: "committed" as const,
            stored: offer.grantId,
          },
        ];
  const parts: YearPart[] = partRows.map((p) => ({
    fy: p.fy,
    grantId: p.grantId,
    amountPence: p.amountPence,
    status: p.status,
    scheme: schemeOf(p.stored),
    sources: p.stored ? partSources(tx, p.stored) : [],
    balances: p.stored ? partBalances(tx, p.stored) : emptyBalances(),
  }));
  // An offer without tranches pays every instalment from its one grant, whatever year they name.
  const fyOf = (fy: string) => (tranches.length > 0 ? fy : awardFy);
  const linked = new Map(rows.filter((r) => r.payRequestEntryId).map((r) => [r.payRequestEntryId!, r.seq]));
  const requests = paymentRequests(tx, parts, linked);
  const openIds = new Set(requests.filter((r) => r.state === "open").map((r) => r.requestId));
  const closedYears = new Set(
    parts.filter((p) => p.status === "cancelled" || p.status === "decommitted").map((p) => p.fy),
  );
  const instalments: Instalment[] = rows.map((r) => {
    const requested = r.payRequestEntryId !== null && openIds.has(r.payRequestEntryId);
    const state: Instalment["state"] = r.paidAt
      ? "paid"
      : requested
        ? "requested"
        : closedYears.has(fyOf(r.fy))
          ? "cancelled"
          : "unpaid";
    return {
      seq: r.seq,
      amountPence: r.amountPence,
      dueOn: r.dueOn,
      fy: fyOf(r.fy),
      afterMonitoring: r.afterMonitoring,
      state,
      requestId: state === "paid" || state === "requested" ? r.payRequestEntryId : null,
      splitFrom: null,
    };
  });
  const report = tx
    .select({ submittedAt: monitoringReports.submittedAt })
    .from(monitoringReports)
    .where(eq(monitoringReports.bidId, bidId))
    .all();
  const reportAccepted = report.some((r) => r.submittedAt !== null);
  const status = bid.status as GrantStatus;
  const state: GrantState = {
    grantId: offer.grantId,
    kind: kindOfFund(tx, bid.fundId),
    awardFy,
    status,
    offer: offer.acceptedAt ? "accepted" : offer.declinedAt ? "declined" : "made",
    monitoringRequested: report.length > 0 || status === "monitoring-due" || status === "closed",
    reportAccepted,
    instalments,
    splits: [],
    parts,
    requests,
  };
  return { bidId, offerId: offer.id, state };
}

/** The machine's state of the grant a ledger grant id belongs to (the award's or a later year's part). */
export function grantStateOfGrant(tx: Db, grantId: string): LoadedGrant | null {
  const tranche = tx.select().from(grantTranches).where(eq(grantTranches.grantId, grantId)).get();
  const offer = tranche
    ? tx.select().from(grantOffers).where(eq(grantOffers.id, tranche.offerId)).get()
    : tx.select().from(grantOffers).where(eq(grantOffers.grantId, grantId)).get();
  return offer ? grantStateOfBid(tx, offer.bidId) : null;
}

/** The machine's answer to `action`, or a Refusal with its reason. */
export function transitionOrRefuse(
  loaded: LoadedGrant,
  action: GrantAction,
  options: { field?: string; status?: 409 | 422 } = {},
): { state: GrantState; postings: PlannedEntry[] } {
  const result = transition(loaded.state, action);
  if (!result.ok) throw new Refusal(result.reason, { field: options.field, status: options.status ?? 409 });
  return { state: result.state, postings: result.postings };
}

/**
 * Records the instalments and the bid status of the machine's next state. `entryIds` maps an id the
 * action chose for an entry (a payment request's) to the id the ledger gave it.
 */
export function applyGrantState(
  tx: Db,
  loaded: LoadedGrant,
  next: GrantState,
  input: { actor: Actor; at: string; entryIds?: ReadonlyMap<string, string>; auditAction?: string },
): void {
  const before = new Map(loaded.state.instalments.map((i) => [i.seq, i]));
  const idOf = (id: string | null) => (id === null ? null : (input.entryIds?.get(id) ?? id));
  for (const instalment of next.instalments) {
    const was = before.get(instalment.seq);
    if (!was) throw new RangeError(`instalment ${instalment.seq} is not stored (splits are not recorded here)`);
    if (was.state === instalment.state && was.requestId === instalment.requestId) continue;
    const where = eq(grantInstalments.id, instalmentRowId(tx, loaded.offerId, instalment.seq));
    if (instalment.state === "paid") {
      tx.update(grantInstalments)
        .set({ paidAt: input.at, payRequestEntryId: idOf(instalment.requestId) })
        .where(where)
        .run();
    } else if (instalment.state === "requested") {
      tx.update(grantInstalments)
        .set({ paidAt: null, payRequestEntryId: idOf(instalment.requestId) })
        .where(where)
        .run();
    } else {
      tx.update(grantInstalments).set({ paidAt: null, payRequestEntryId: null }).where(where).run();
    }
  }
  if (next.status !== loaded.state.status) {
    tx.update(bids).set({ status: next.status, updatedAt: input.at }).where(eq(bids.id, loaded.bidId)).run();
    recordAudit(tx, {
      actor: input.actor,
      action: input.auditAction ?? "bid.status",
      entityType: "bid",
      entityId: loaded.bidId,
      before: { status: loaded.state.status },
      after: { status: next.status },
    });
  }
}

function instalmentRowId(tx: Db, offerId: number, seq: number): number {
  const rows = tx
    .select({ id: grantInstalments.id, seq: grantInstalments.seq })
    .from(grantInstalments)
    .where(eq(grantInstalments.offerId, offerId))
    .all();
  const row = rows.find((r) => r.seq === seq);
  if (!row) throw new RangeError(`offer ${offerId} has no instalment ${seq}`);
  return row.id;
}
