/**
 * The plain description of one grant that the grant machine (machine.ts) moves between states:
 * the bid's status, the offer, the instalments, each financial year's part (tranche) with the
 * grant id its ledger accounts carry, the payment requests, and the part's balances as the grant's
 * own postings left them.
 *
 * The balances are never set by hand: every transition folds the postings it makes into them
 * (`foldGrantPostings`), so they are what the ledger would show for the part's grant accounts, and
 * `invariants` (invariants.ts) can compare them with the instalments and the requests.
 */
import type { BidKind, BidStatus, TrancheStatus } from "../bids";
import { parseAccountKey } from "../ledger/accounts";
import type { EntryDraft } from "../ledger/entry";
import type { FinancialYear, IsoDate } from "../ledger/financial-year";
import type { BudgetShare } from "../ledger/builders";
import type { Pence } from "../money/pence";

/** The statuses a bid has once a grant exists for it (its offer has been made). */
export const GRANT_STATUSES = [
  "approved",
  "part-approved",
  "won",
  "offer-accepted",
  "paid",
  "monitoring-due",
  "closed",
  "withdrawn",
] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number] & BidStatus;

export type OfferState = "made" | "accepted" | "declined";

/**
 * An instalment's state. "split": replaced by two recorded parts (see `SplitRecord`), kept for
 * the record; "cancelled": its year's part was withdrawn before it was paid.
 */
export type InstalmentState = "unpaid" | "requested" | "paid" | "split" | "cancelled";

export interface Instalment {
  seq: number;
  amountPence: Pence;
  dueOn: IsoDate;
  /** The financial year whose part pays it. */
  fy: FinancialYear;
  /** Paid only once the monitoring report has been accepted. */
  afterMonitoring: boolean;
  state: InstalmentState;
  /** The open or confirmed payment request that pays it. */
  requestId: string | null;
  /** The instalment this one was split from, if any. */
  splitFrom: number | null;
}

/** A recorded split: `seq` became `intoSeqs` (amounts in the same order), for `reason`. */
export interface SplitRecord {
  seq: number;
  intoSeqs: [number, number];
  reason: string;
}

export type RequestState = "open" | "confirmed" | "failed" | "reversed";

export interface PaymentRequest {
  /** The PAY_REQUEST entry's id. */
  requestId: string;
  seq: number;
  fy: FinancialYear;
  pence: Pence;
  state: RequestState;
  /** The PAY_CONFIRM entry's id, once confirmed. */
  confirmId: string | null;
  paymentRef: string | null;
}

/** A part's grant accounts, as its own postings left them (normal-side balances, pence). */
export interface PartBalances {
  committed: Pence;
  payable: Pence;
  paid: Pence;
  recoverable: Pence;
  /** Clawed-back money received (recycled to a budget or returned): left the grant. */
  recovered: Pence;
  /** Unpaid commitment given back to its budgets (DECOMMIT): left the grant. */
  decommitted: Pence;
}

/** One financial year's part of the grant (a tranche). */
export interface YearPart {
  fy: FinancialYear;
  /** The grant id its ledger accounts carry: the award's for the award year, `{award}-{yyyy-yy}` later. */
  grantId: string;
  amountPence: Pence;
  status: TrancheStatus;
  /** The fund (ledger scheme) whose budgets committed it; null while pending. */
  scheme: string | null;
  /** The budgets it was committed from, with what each gave (DECOMMIT returns pro rata). */
  sources: BudgetShare[];
  balances: PartBalances;
}

export interface GrantState {
  grantId: string;
  kind: BidKind;
  awardFy: FinancialYear;
  status: GrantStatus;
  offer: OfferState;
  /** The project has ended and a monitoring report was asked for. */
  monitoringRequested: boolean;
  reportAccepted: boolean;
  instalments: Instalment[];
  splits: SplitRecord[];
  parts: YearPart[];
  requests: PaymentRequest[];
}

export const emptyBalances = (): PartBalances => ({
  committed: 0,
  payable: 0,
  paid: 0,
  recoverable: 0,
  recovered: 0,
  decommitted: 0,
});

/** Gross paid on a part: what payments put in PAID, before any clawback. */
export function grossPaid(b: PartBalances): Pence {
  return b.paid + b.recoverable + b.recovered;
}

function signed(dc: "D" | "C", pence: Pence): Pence {
  return dc === "C" ? pence : -pence;
}

/**
 * Folds entries into the parts' balances: each grant account posting moves its part's balance
 * (credit-normal), and money leaving the grant is counted as recovered (CLAWBACK_RECEIVED) or
 * decommitted (DECOMMIT), mirrored by their reversals. Returns new parts; the input is not changed.
 */
export function foldGrantPostings(parts: readonly YearPart[], drafts: readonly EntryDraft[]): YearPart[] {
  const next = parts.map((p) => ({ ...p, balances: { ...p.balances } }));
  const byGrant = new Map(next.map((p) => [p.grantId, p]));
  for (const draft of drafts) {
    for (const posting of draft.postings) {
      const ref = parseAccountKey(posting.account);
      if (ref === null || !("grantId" in ref)) continue;
      const part = byGrant.get(ref.grantId);
      if (!part) throw new RangeError(`posting to ${posting.account}, which is not an account of this grant`);
      const amount = signed(posting.dc, posting.pence);
      const b = part.balances;
      if (ref.kind === "COMMITTED") {
        b.committed += amount;
        if (draft.type === "DECOMMIT") b.decommitted -= amount;
      } else if (ref.kind === "PAYABLE") b.payable += amount;
      else if (ref.kind === "PAID") b.paid += amount;
      else if (ref.kind === "RECOVERABLE") {
        b.recoverable += amount;
        if (draft.type === "CLAWBACK_RECEIVED") b.recovered -= amount;
      } else throw new RangeError(`${ref.kind} accounts are not part of a grant's life after its award`);
    }
  }
  return next;
}
