/**
 * One state machine for a grant's life, from the award to closure: the offer's answer, each later
 * year's commitment, payment requests, confirmations, failures, reversals, clawbacks, withdrawal
 * of the grant or of one year's part, monitoring, and closure.
 *
 * `transition(state, action)` either refuses with a reason a person can read, or returns the next
 * state and the ledger entries that must be written with it, built by the ledger's own builders
 * (so every entry already fits its template). The caller writes the entries and the new state in
 * one transaction, or nothing. An entry that a later transition must point at (a PAY_REQUEST that
 * a confirmation resolves, a PAY_CONFIRM that a reversal mirrors) carries the id the action chose
 * for it; the others leave the id to the ledger.
 *
 * The bid's status moves only through the bid state machine (core/bids/status.ts), so the two
 * never disagree; this machine adds the money rules on top:
 * - a payment request is for one unpaid instalment, whole; paying part of one needs an explicit
 *   split with a reason, recorded in the state, and the request takes the first part;
 * - an instalment that waits for the monitoring report is not requested before the report is
 *   accepted, and a later year's part is not requested before its year begins;
 * - reversing a request or a confirmation puts the instalment back to unpaid (and the bid back
 *   to offer-accepted when nothing else is paid);
 * - nothing is requested or confirmed on a withdrawn, declined or closed grant;
 * - a clawback only after payment, up to what the year's part has paid;
 * - closure only when no request is open, every instalment is paid or cancelled, and the
 *   monitoring report is accepted.
 *
 * Refusals are message keys in the `payments` namespace (payments:grant.*), with their values, so
 * each reader sees them in their own language.
 *
 * Pure: the caller passes today's Europe/London date in the actions that depend on it.
 */
import { transition as bidTransition, trancheGrantId, type BidEvent, type PlannedInstalment } from "../bids";
import {
  clawbackRaise,
  clawbackReceived,
  clawbackWriteOff,
  commit,
  decommit,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  sharesFromWeights,
  type BudgetShare,
} from "../ledger/builders";
import type { EntryDraft } from "../ledger/entry";
import { isEntityId } from "../ledger/entry";
import { LedgerError } from "../ledger/errors";
import { financialYearEnd, financialYearStart, type FinancialYear, type IsoDate } from "../ledger/financial-year";
import { messageKey, type MessageValues } from "../messages/message-key";
import { formatPence } from "../money/format";
import {
  emptyBalances,
  foldGrantPostings,
  grossPaid,
  type GrantState,
  type GrantStatus,
  type Instalment,
  type PaymentRequest,
  type YearPart,
} from "./state";

/** An entry to write; `id` is set when a later transition refers to the entry by it. */
export interface PlannedEntry {
  id: string | null;
  draft: EntryDraft;
}

export type TransitionResult =
  { ok: true; state: GrantState; postings: PlannedEntry[] } | { ok: false; reason: string };

export type GrantAction =
  | { type: "accept-offer" }
  | { type: "decline-offer"; reason: string }
  | { type: "commit-part"; fy: FinancialYear; scheme: string; sources: BudgetShare[]; today: IsoDate; memo?: string }
  | {
      type: "request-payment";
      requestId: string;
      seq: number;
      pence: number;
      today: IsoDate;
      splitReason?: string | null;
    }
  | { type: "confirm-payment"; requestId: string; confirmId: string; paymentRef: string }
  | { type: "fail-payment"; requestId: string; reason: string }
  | { type: "reverse-request"; requestId: string; reason: string }
  | { type: "reverse-confirmation"; requestId: string; reason: string }
  | { type: "request-monitoring" }
  | { type: "accept-report" }
  | { type: "raise-clawback"; fy: FinancialYear; pence: number; reason: string; invoiceRef: string }
  | {
      type: "receive-clawback";
      fy: FinancialYear;
      pence: number;
      destination: { budgetId: string } | "returned";
      receiptRef?: string | null;
    }
  | { type: "write-off-clawback"; fy: FinancialYear; pence: number; reason: string }
  | { type: "withdraw"; reason: string }
  | { type: "withdraw-part"; fy: FinancialYear; reason: string }
  | { type: "close" };

export type GrantActionType = GrantAction["type"];

export interface AwardInput {
  grantId: string;
  kind: GrantState["kind"];
  /** The fund the award is made from (the ledger scheme of the award year). */
  scheme: string;
  awardFy: FinancialYear;
  /** "approved" or "part-approved" for a ward decision, "won" for a PB round. */
  status: "approved" | "part-approved" | "won";
  instalments: readonly PlannedInstalment[];
  /** The award year's budgets and what each gives; they add up to the award year's instalments. */
  sources: readonly BudgetShare[];
  memo?: string;
}

const refuse = (reason: string): TransitionResult => ({ ok: false, reason });

/** A refusal's message: payments:grant.<name> with its values. */
const says = (name: string, values?: MessageValues): string => messageKey(`payments:grant.${name}`, values);

/** Runs a ledger builder; a LedgerError becomes a refusal with its message. */
function build(make: () => EntryDraft): EntryDraft | string {
  try {
    return make();
  } catch (error) {
    if (error instanceof LedgerError) return says("ledger", { detail: error.message });
    throw error;
  }
}

/**
 * A new grant from an award: the award year's part committed (one COMMIT from `sources`), every
 * later year's part pending until that year's budget is set. Throws RangeError on a schedule that
 * does not fit (no instalment in the award year, sources that do not add up).
 */
export function awardGrant(input: AwardInput): { state: GrantState; postings: PlannedEntry[] } {
  if (input.instalments.length === 0) throw new RangeError("an award needs at least one instalment");
  const years = [...new Set(input.instalments.map((i) => i.fy))].sort();
  const parts: YearPart[] = years.map((fy) => ({
    fy,
    grantId: fy === input.awardFy ? input.grantId : trancheGrantId(input.grantId, fy),
    amountPence: input.instalments.filter((i) => i.fy === fy).reduce((s, i) => s + i.amountPence, 0),
    status: fy === input.awardFy ? "committed" : "pending",
    scheme: fy === input.awardFy ? input.scheme : null,
    sources: fy === input.awardFy ? input.sources.map((s) => ({ ...s })) : [],
    balances: emptyBalances(),
  }));
  const awardPart = parts.find((p) => p.fy === input.awardFy);
  if (!awardPart) throw new RangeError(`no instalment is paid from the award year ${input.awardFy}`);
  const fromSources = input.sources.reduce((s, b) => s + b.pence, 0);
  if (fromSources !== awardPart.amountPence) {
    throw new RangeError(`the sources give ${fromSources}p but the award year's part is ${awardPart.amountPence}p`);
  }
  const draft = commit({ grantId: input.grantId, sources: input.sources, memo: input.memo ?? null });
  const state: GrantState = {
    grantId: input.grantId,
    kind: input.kind,
    awardFy: input.awardFy,
    status: input.status,
    offer: "made",
    monitoringRequested: false,
    reportAccepted: false,
    instalments: input.instalments.map((i) => ({
      seq: i.seq,
      amountPence: i.amountPence,
      dueOn: i.dueOn,
      fy: i.fy,
      afterMonitoring: i.afterMonitoring,
      state: "unpaid",
      requestId: null,
      splitFrom: null,
    })),
    splits: [],
    parts: foldGrantPostings(parts, [draft]),
    requests: [],
  };
  return { state, postings: [{ id: null, draft }] };
}

const FINAL_STATUSES: readonly GrantStatus[] = ["withdrawn", "closed"];

/** The grant's status as a value to name inside a sentence ("=payments:grantStatus.closed"). */
function statusWords(state: GrantState): string {
  const status = state.status === "withdrawn" && state.offer === "declined" ? "declined" : state.status;
  return `=payments:grantStatus.${status}`;
}

/** The bid's next status for `event`, from the bid state machine, or the reason it refuses. */
function moveBid(state: GrantState, event: BidEvent): { to: GrantStatus } | { reason: string } {
  const move = bidTransition(state.kind, state.status, event);
  return move.ok ? { to: move.to as GrantStatus } : { reason: move.reason };
}

function done(state: GrantState, drafts: PlannedEntry[]): TransitionResult {
  return {
    ok: true,
    state: {
      ...state,
      parts: foldGrantPostings(
        state.parts,
        drafts.map((p) => p.draft),
      ),
    },
    postings: drafts,
  };
}

const partOf = (state: GrantState, fy: FinancialYear) => state.parts.find((p) => p.fy === fy);
const requestOf = (state: GrantState, id: string) => state.requests.find((r) => r.requestId === id);

function replaceInstalment(instalments: readonly Instalment[], seq: number, change: Partial<Instalment>): Instalment[] {
  return instalments.map((i) => (i.seq === seq ? { ...i, ...change } : i));
}

function replaceRequest(
  requests: readonly PaymentRequest[],
  id: string,
  change: Partial<PaymentRequest>,
): PaymentRequest[] {
  return requests.map((r) => (r.requestId === id ? { ...r, ...change } : r));
}

const isBlank = (text: string | null | undefined) => !text || text.trim() === "";

/** How many payment requests are open and what they add up to, for the reason a withdrawal is refused. */
function describeOpen(requests: readonly PaymentRequest[]): { count: number; amount: string } {
  return { count: requests.length, amount: formatPence(requests.reduce((s, r) => s + r.pence, 0)) };
}

/**
 * Gives every year's unpaid commitment back and cancels what is still pending, for a withdrawal
 * or a declined offer. Instalments of those years that are unpaid become cancelled.
 */
function releaseAll(
  state: GrantState,
  reason: string,
  memo: string,
): { parts: YearPart[]; instalments: Instalment[]; postings: PlannedEntry[] } | string {
  const postings: PlannedEntry[] = [];
  const parts = state.parts.map((part): YearPart => {
    if (part.status === "pending") return { ...part, status: "cancelled" };
    return part.status === "committed" ? { ...part, status: "decommitted" } : part;
  });
  for (const part of state.parts) {
    if (part.status !== "committed" || part.balances.committed <= 0) continue;
    const draft = build(() =>
      decommit({ grantId: part.grantId, returns: returnsFor(part, part.balances.committed), reason, memo }),
    );
    if (typeof draft === "string") return draft;
    postings.push({ id: null, draft });
  }
  const closedYears = new Set(
    parts.filter((p) => p.status === "cancelled" || p.status === "decommitted").map((p) => p.fy),
  );
  const instalments = state.instalments.map((i) =>
    i.state === "unpaid" && closedYears.has(i.fy) ? { ...i, state: "cancelled" as const } : i,
  );
  return { parts, instalments, postings };
}

/** A part's unpaid money split back over the budgets it came from, in proportion to what each gave. */
function returnsFor(part: YearPart, pence: number): BudgetShare[] {
  return sharesFromWeights(
    pence,
    part.sources.map((s) => ({ budgetId: s.budgetId, weight: s.pence })),
  );
}

/**
 * Withdrawal and decline with a payment request open are refused, not resolved by failing the
 * request. A PAY_REQUEST means the instruction has gone to finance and may already be on its way
 * to the bank; only finance knows whether it left. Failing it here would record "the payment
 * failed" when nobody saw it fail, and a payment that does go out would then be money paid with
 * no PAID in the ledger. So the group is told a payment is with finance, finance confirms or
 * fails it, and then the withdrawal (or, once paid, a clawback) follows from a true state.
 */
function refuseWhileRequestsOpen(state: GrantState, what: "withdrawn" | "declined"): string | null {
  const open = state.requests.filter((r) => r.state === "open");
  if (open.length === 0) return null;
  return says(`openRequests.${what}`, describeOpen(open));
}

function withdraw(state: GrantState, reason: string, decline: boolean): TransitionResult {
  if (isBlank(reason)) return refuse(says(decline ? "declineReason" : "withdrawReason"));
  if (decline && state.offer !== "made") return refuse(says(`offerAlready.${state.offer}`));
  const move = moveBid(state, "withdraw");
  if ("reason" in move) return refuse(move.reason);
  const blocked = refuseWhileRequestsOpen(state, decline ? "declined" : "withdrawn");
  if (blocked) return refuse(blocked);
  if (state.parts.some((p) => grossPaid(p.balances) > 0)) return refuse(says("paidCannotWithdraw"));
  const released = releaseAll(state, reason.trim(), decline ? "Offer declined" : "Grant withdrawn");
  if (typeof released === "string") return refuse(released);
  return done(
    {
      ...state,
      status: move.to,
      offer: decline ? "declined" : state.offer,
      parts: released.parts,
      instalments: released.instalments,
    },
    released.postings,
  );
}

function commitPart(state: GrantState, action: Extract<GrantAction, { type: "commit-part" }>): TransitionResult {
  const part = partOf(state, action.fy);
  if (!part) return refuse(says("noPart", { fy: action.fy }));
  if (part.status !== "pending")
    return refuse(says("partAlready", { fy: action.fy, status: `=payments:partStatus.${part.status}` }));
  if (FINAL_STATUSES.includes(state.status))
    return refuse(says("commitFinal", { fy: action.fy, status: statusWords(state) }));
  if (action.today > financialYearEnd(action.fy)) return refuse(says("yearEnded", { fy: action.fy }));
  const given = action.sources.reduce((s, b) => s + b.pence, 0);
  if (given !== part.amountPence)
    return refuse(
      says("partAmountMismatch", { fy: action.fy, amount: formatPence(part.amountPence), given: formatPence(given) }),
    );
  const draft = build(() => commit({ grantId: part.grantId, sources: action.sources, memo: action.memo ?? null }));
  if (typeof draft === "string") return refuse(draft);
  const parts = state.parts.map((p) =>
    p.fy === action.fy
      ? { ...p, status: "committed" as const, scheme: action.scheme, sources: action.sources.map((s) => ({ ...s })) }
      : p,
  );
  return done({ ...state, parts }, [{ id: null, draft }]);
}

function splitInstalment(
  state: GrantState,
  target: Instalment,
  firstPence: number,
  reason: string,
): { state: GrantState; seq: number } {
  const nextSeq = Math.max(...state.instalments.map((i) => i.seq)) + 1;
  const parts: Instalment[] = [
    { ...target, seq: nextSeq, amountPence: firstPence, splitFrom: target.seq, state: "unpaid", requestId: null },
    {
      ...target,
      seq: nextSeq + 1,
      amountPence: target.amountPence - firstPence,
      splitFrom: target.seq,
      state: "unpaid",
      requestId: null,
    },
  ];
  return {
    state: {
      ...state,
      instalments: [...replaceInstalment(state.instalments, target.seq, { state: "split" }), ...parts],
      splits: [...state.splits, { seq: target.seq, intoSeqs: [nextSeq, nextSeq + 1], reason: reason.trim() }],
    },
    seq: nextSeq,
  };
}

function requestPayment(
  state: GrantState,
  action: Extract<GrantAction, { type: "request-payment" }>,
): TransitionResult {
  if (state.status === "withdrawn" || state.status === "closed")
    return refuse(says("nothingMorePaid", { status: statusWords(state) }));
  if (state.offer !== "accepted") return refuse(says("offerNotAccepted"));
  if (!isEntityId(action.requestId) || requestOf(state, action.requestId)) return refuse(says("requestNoId"));
  const target = state.instalments.find((i) => i.seq === action.seq);
  if (!target) return refuse(says("noInstalment", { seq: action.seq }));
  if (target.state !== "unpaid")
    return refuse(
      target.state === "requested"
        ? says("instalmentRequested", { seq: action.seq })
        : says("instalmentState", { seq: action.seq, state: `=payments:instalmentState.${target.state}` }),
    );
  const part = partOf(state, target.fy)!;
  if (part.status !== "committed")
    return refuse(says(part.status === "pending" ? "partNotCommitted" : "partWithdrawn", { fy: part.fy }));
  if (action.today < financialYearStart(part.fy))
    return refuse(says("partNotYet", { fy: part.fy, date: financialYearStart(part.fy) }));
  if (target.afterMonitoring && !state.reportAccepted) return refuse(says("afterMonitoring", { seq: action.seq }));
  if (!Number.isSafeInteger(action.pence) || action.pence <= 0) return refuse(says("wholePence"));
  if (action.pence > target.amountPence)
    return refuse(says("requestTooMuch", { seq: action.seq, amount: formatPence(target.amountPence) }));
  let next = state;
  let seq = target.seq;
  if (action.pence < target.amountPence) {
    if (isBlank(action.splitReason)) {
      return refuse(
        says("wholeInstalment", { amount: formatPence(target.amountPence), part: formatPence(action.pence) }),
      );
    }
    ({ state: next, seq } = splitInstalment(state, target, action.pence, action.splitReason!));
  }
  if (part.balances.committed < action.pence)
    return refuse(says("onlyCommitted", { amount: formatPence(part.balances.committed), fy: part.fy }));
  const draft = build(() => payRequest({ grantId: part.grantId, pence: action.pence, memo: `Instalment ${seq}` }));
  if (typeof draft === "string") return refuse(draft);
  const request: PaymentRequest = {
    requestId: action.requestId,
    seq,
    fy: part.fy,
    pence: action.pence,
    state: "open",
    confirmId: null,
    paymentRef: null,
  };
  return done(
    {
      ...next,
      instalments: replaceInstalment(next.instalments, seq, { state: "requested", requestId: action.requestId }),
      requests: [...next.requests, request],
    },
    [{ id: action.requestId, draft }],
  );
}

function openRequest(state: GrantState, requestId: string): PaymentRequest | string {
  const request = requestOf(state, requestId);
  if (!request) return says("requestNotOurs");
  if (request.state !== "open") return says("requestNotWaiting", { state: `=payments:requestState.${request.state}` });
  return request;
}

function confirmPayment(
  state: GrantState,
  action: Extract<GrantAction, { type: "confirm-payment" }>,
): TransitionResult {
  if (state.status === "withdrawn" || state.status === "closed")
    return refuse(says("noConfirm", { status: statusWords(state) }));
  const request = openRequest(state, action.requestId);
  if (typeof request === "string") return refuse(request);
  if (!isEntityId(action.confirmId) || action.confirmId === action.requestId) return refuse(says("confirmNoId"));
  const move = moveBid(state, "record-payment");
  if ("reason" in move) return refuse(move.reason);
  const part = partOf(state, request.fy)!;
  const draft = build(() =>
    payConfirm({
      grantId: part.grantId,
      payRequestEntryId: request.requestId,
      pence: request.pence,
      paymentRef: action.paymentRef,
      memo: `Instalment ${request.seq}`,
    }),
  );
  if (typeof draft === "string") return refuse(draft);
  return done(
    {
      ...state,
      status: move.to,
      instalments: replaceInstalment(state.instalments, request.seq, { state: "paid" }),
      requests: replaceRequest(state.requests, request.requestId, {
        state: "confirmed",
        confirmId: action.confirmId,
        paymentRef: action.paymentRef,
      }),
    },
    [{ id: action.confirmId, draft }],
  );
}

function failPayment(state: GrantState, action: Extract<GrantAction, { type: "fail-payment" }>): TransitionResult {
  const request = openRequest(state, action.requestId);
  if (typeof request === "string") return refuse(request);
  if (isBlank(action.reason)) return refuse(says("failReason"));
  const part = partOf(state, request.fy)!;
  const draft = build(() =>
    payFailed({
      grantId: part.grantId,
      payRequestEntryId: request.requestId,
      pence: request.pence,
      reason: action.reason.trim(),
      memo: `Instalment ${request.seq}`,
    }),
  );
  if (typeof draft === "string") return refuse(draft);
  return done(
    {
      ...state,
      instalments: replaceInstalment(state.instalments, request.seq, { state: "unpaid", requestId: null }),
      requests: replaceRequest(state.requests, request.requestId, { state: "failed" }),
    },
    [{ id: null, draft }],
  );
}

function requestDraft(state: GrantState, request: PaymentRequest): EntryDraft {
  return payRequest({
    grantId: partOf(state, request.fy)!.grantId,
    pence: request.pence,
    memo: `Instalment ${request.seq}`,
  });
}

function reverseRequest(
  state: GrantState,
  action: Extract<GrantAction, { type: "reverse-request" }>,
): TransitionResult {
  const request = openRequest(state, action.requestId);
  if (typeof request === "string") return refuse(request);
  if (isBlank(action.reason)) return refuse(says("reverseRequestReason"));
  const original = { entryId: request.requestId, postings: requestDraft(state, request).postings };
  const draft = build(() => reversal({ original, reason: action.reason.trim() }));
  if (typeof draft === "string") return refuse(draft);
  return done(
    {
      ...state,
      instalments: replaceInstalment(state.instalments, request.seq, { state: "unpaid", requestId: null }),
      requests: replaceRequest(state.requests, request.requestId, { state: "reversed" }),
    },
    [{ id: null, draft }],
  );
}

/**
 * Undoing a confirmation recorded in error. The PAY_CONFIRM is reversed, and so is its PAY_REQUEST:
 * the request stays resolved by the reversed confirmation, so neither a new confirmation nor a
 * failure could ever clear it, and its money would sit in PAYABLE for good. With both reversed
 * the money is committed again and the instalment waits for a new request (or, when its year's
 * part has been withdrawn since, goes back to its budgets). The bid goes back to offer-accepted
 * when no other instalment is paid.
 */
function reverseConfirmation(
  state: GrantState,
  action: Extract<GrantAction, { type: "reverse-confirmation" }>,
): TransitionResult {
  const request = requestOf(state, action.requestId);
  if (!request || request.state !== "confirmed" || request.confirmId === null) return refuse(says("notConfirmed"));
  if (isBlank(action.reason)) return refuse(says("reverseReason"));
  if (state.status === "closed" || state.status === "withdrawn")
    return refuse(says("noReverse", { status: statusWords(state) }));
  const part = partOf(state, request.fy)!;
  if (part.balances.paid < request.pence) {
    return refuse(
      says("demandedBack", {
        paid: formatPence(part.balances.paid),
        fy: part.fy,
        amount: formatPence(request.pence),
      }),
    );
  }
  const confirmDraft = payConfirm({
    grantId: part.grantId,
    payRequestEntryId: request.requestId,
    pence: request.pence,
    paymentRef: request.paymentRef ?? "",
    memo: `Instalment ${request.seq}`,
  });
  const undoConfirm = build(() =>
    reversal({
      original: { entryId: request.confirmId!, postings: confirmDraft.postings },
      reason: action.reason.trim(),
    }),
  );
  if (typeof undoConfirm === "string") return refuse(undoConfirm);
  const undoRequest = build(() =>
    reversal({
      original: { entryId: request.requestId, postings: requestDraft(state, request).postings },
      reason: action.reason.trim(),
    }),
  );
  if (typeof undoRequest === "string") return refuse(undoRequest);
  const postings: PlannedEntry[] = [
    { id: null, draft: undoConfirm },
    { id: null, draft: undoRequest },
  ];
  // A year's part withdrawn since the payment will pay nothing more: the money committed again
  // goes straight back to its budgets and the instalment is cancelled with the rest of the year.
  const partWithdrawn = part.status !== "committed";
  if (partWithdrawn) {
    const back = build(() =>
      decommit({
        grantId: part.grantId,
        returns: returnsFor(part, request.pence),
        reason: action.reason.trim(),
        memo: `The ${part.fy} part was withdrawn`,
      }),
    );
    if (typeof back === "string") return refuse(back);
    postings.push({ id: null, draft: back });
  }
  const instalments = replaceInstalment(
    state.instalments,
    request.seq,
    partWithdrawn ? { state: "cancelled", requestId: null } : { state: "unpaid", requestId: null },
  );
  const stillPaid = instalments.some((i) => i.state === "paid");
  return done(
    {
      ...state,
      status: stillPaid ? state.status : "offer-accepted",
      instalments,
      requests: replaceRequest(state.requests, request.requestId, { state: "reversed" }),
    },
    postings,
  );
}

function clawbackPart(state: GrantState, fy: FinancialYear, pence: number): YearPart | string {
  const part = partOf(state, fy);
  if (!part) return says("noPart", { fy });
  if (!Number.isSafeInteger(pence) || pence <= 0) return says("wholePence");
  return part;
}

function raiseClawback(state: GrantState, action: Extract<GrantAction, { type: "raise-clawback" }>): TransitionResult {
  const part = clawbackPart(state, action.fy, action.pence);
  if (typeof part === "string") return refuse(part);
  if (part.balances.paid <= 0) return refuse(says("nothingPaid", { fy: part.fy }));
  if (action.pence > part.balances.paid)
    return refuse(says("clawbackTooMuch", { amount: formatPence(part.balances.paid), fy: part.fy }));
  const draft = build(() =>
    clawbackRaise({
      grantId: part.grantId,
      pence: action.pence,
      reason: action.reason,
      debtorInvoiceRef: action.invoiceRef,
    }),
  );
  if (typeof draft === "string") return refuse(draft);
  return done(state, [{ id: null, draft }]);
}

function receiveClawback(
  state: GrantState,
  action: Extract<GrantAction, { type: "receive-clawback" }>,
): TransitionResult {
  const part = clawbackPart(state, action.fy, action.pence);
  if (typeof part === "string") return refuse(part);
  if (action.pence > part.balances.recoverable)
    return refuse(says("owedOnly", { amount: formatPence(part.balances.recoverable), fy: part.fy }));
  let destination: { budgetId: string } | { returnedTo: { scheme: string; fy: FinancialYear } };
  if (action.destination === "returned") destination = { returnedTo: { scheme: part.scheme!, fy: part.fy } };
  else if (part.sources.some((s) => s.budgetId === (action.destination as { budgetId: string }).budgetId))
    destination = action.destination;
  else return refuse(says("clawbackDestination", { fy: part.fy }));
  const draft = build(() =>
    clawbackReceived({
      grantId: part.grantId,
      pence: action.pence,
      destination,
      receiptRef: action.receiptRef ?? null,
    }),
  );
  if (typeof draft === "string") return refuse(draft);
  return done(state, [{ id: null, draft }]);
}

function writeOffClawback(
  state: GrantState,
  action: Extract<GrantAction, { type: "write-off-clawback" }>,
): TransitionResult {
  const part = clawbackPart(state, action.fy, action.pence);
  if (typeof part === "string") return refuse(part);
  if (action.pence > part.balances.recoverable)
    return refuse(says("owedOnly", { amount: formatPence(part.balances.recoverable), fy: part.fy }));
  const draft = build(() => clawbackWriteOff({ grantId: part.grantId, pence: action.pence, reason: action.reason }));
  if (typeof draft === "string") return refuse(draft);
  return done(state, [{ id: null, draft }]);
}

function withdrawPart(state: GrantState, action: Extract<GrantAction, { type: "withdraw-part" }>): TransitionResult {
  if (isBlank(action.reason)) return refuse(says("withdrawPartReason"));
  if (FINAL_STATUSES.includes(state.status)) return refuse(says("grantIs", { status: statusWords(state) }));
  const part = partOf(state, action.fy);
  if (!part) return refuse(says("noPart", { fy: action.fy }));
  const postings: PlannedEntry[] = [];
  let status: YearPart["status"];
  if (part.status === "pending") status = "cancelled";
  else if (part.status === "committed") {
    if (state.requests.some((r) => r.state === "open" && r.fy === part.fy))
      return refuse(says("partPaymentInProgress", { fy: part.fy }));
    if (part.balances.committed <= 0) return refuse(says("nothingUnpaid", { fy: part.fy }));
    const draft = build(() =>
      decommit({
        grantId: part.grantId,
        returns: returnsFor(part, part.balances.committed),
        reason: action.reason.trim(),
        memo: `The ${part.fy} part withdrawn`,
      }),
    );
    if (typeof draft === "string") return refuse(draft);
    postings.push({ id: null, draft });
    status = "decommitted";
  } else return refuse(says("partAlready", { fy: part.fy, status: `=payments:partStatus.${part.status}` }));
  return done(
    {
      ...state,
      parts: state.parts.map((p) => (p.fy === part.fy ? { ...p, status } : p)),
      instalments: state.instalments.map((i) =>
        i.fy === part.fy && i.state === "unpaid" ? { ...i, state: "cancelled" as const } : i,
      ),
    },
    postings,
  );
}

/** What keeps the grant from closing: its name (open, unpaid, report) and values. */
function closureBlocking(state: GrantState): { name: string; values?: MessageValues } | null {
  const open = state.requests.filter((r) => r.state === "open");
  if (open.length > 0) return { name: "open", values: describeOpen(open) };
  const unpaid = state.instalments.filter((i) => i.state === "unpaid");
  if (unpaid.length > 0) {
    const amount = formatPence(unpaid.reduce((s, i) => s + i.amountPence, 0));
    return { name: "unpaid", values: { count: unpaid.length, amount } };
  }
  if (!state.reportAccepted) return { name: "report" };
  return null;
}

/** Why the grant cannot be closed yet (a message key), or null when it can (the status machine still decides). */
export function closureBlocker(state: GrantState): string | null {
  const blocking = closureBlocking(state);
  return blocking ? says(`blocker.${blocking.name}`, blocking.values) : null;
}

function close(state: GrantState): TransitionResult {
  const move = moveBid(state, "close");
  if ("reason" in move) return refuse(move.reason);
  const blocking = closureBlocking(state);
  if (blocking) return refuse(says(`closeBlocked.${blocking.name}`, blocking.values));
  return done({ ...state, status: move.to }, []);
}

/** Moves the grant by `action`, or refuses it with a reason; `state` itself is never changed. */
export function transition(state: GrantState, action: GrantAction): TransitionResult {
  switch (action.type) {
    case "accept-offer": {
      if (state.offer !== "made") return refuse(says(`offerAlready.${state.offer}`));
      const move = moveBid(state, "accept-offer");
      if ("reason" in move) return refuse(move.reason);
      return done({ ...state, status: move.to, offer: "accepted" }, []);
    }
    case "decline-offer":
      return withdraw(state, action.reason, true);
    case "withdraw":
      return withdraw(state, action.reason, false);
    case "commit-part":
      return commitPart(state, action);
    case "request-payment":
      return requestPayment(state, action);
    case "confirm-payment":
      return confirmPayment(state, action);
    case "fail-payment":
      return failPayment(state, action);
    case "reverse-request":
      return reverseRequest(state, action);
    case "reverse-confirmation":
      return reverseConfirmation(state, action);
    case "request-monitoring": {
      const move = moveBid(state, "request-monitoring");
      if ("reason" in move) return refuse(move.reason);
      return done({ ...state, status: move.to, monitoringRequested: true }, []);
    }
    case "accept-report":
      if (!state.monitoringRequested) return refuse(says("noMonitoringDue"));
      if (state.reportAccepted) return refuse(says("reportAccepted"));
      return done({ ...state, reportAccepted: true }, []);
    case "raise-clawback":
      return raiseClawback(state, action);
    case "receive-clawback":
      return receiveClawback(state, action);
    case "write-off-clawback":
      return writeOffClawback(state, action);
    case "withdraw-part":
      return withdrawPart(state, action);
    case "close":
      return close(state);
  }
}
