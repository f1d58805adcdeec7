/**
 * The life of a bid, as a state machine. A ward-budget bid and a PB bid share the start
 * (draft → submitted) and the end (offer accepted → paid → monitoring due → closed); between them a
 * ward-budget bid is decided by councillors and a PB bid is reviewed, put on the ballot and won or
 * lost. Every move not listed here is refused, with the reason a person can read.
 */
import { messageKey } from "../messages/message-key";

export const BID_STATUSES = [
  "draft",
  "submitted",
  "changes-requested",
  "approved",
  "part-approved",
  "rejected",
  "offer-accepted",
  "paid",
  "monitoring-due",
  "closed",
  "withdrawn",
  // PB only
  "eligible",
  "ineligible",
  "on-ballot",
  "won",
  "not-won",
] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

export type BidKind = "ward-budget" | "pb-round";

export const BID_EVENTS = [
  "submit",
  "withdraw",
  "approve",
  "part-approve",
  "reject",
  "request-changes",
  "accept-offer",
  "record-payment",
  "request-monitoring",
  "close",
  "mark-eligible",
  "mark-ineligible",
  "put-on-ballot",
  "win",
  "lose",
] as const;
export type BidEvent = (typeof BID_EVENTS)[number];

type Table = Readonly<Partial<Record<BidStatus, Readonly<Partial<Record<BidEvent, BidStatus>>>>>>;

/** Shared by both kinds once money is offered. */
const DELIVERY: Table = {
  "offer-accepted": { "record-payment": "paid", withdraw: "withdrawn" },
  // A further instalment keeps the bid paid; monitoring is asked for after the project's end date.
  paid: { "record-payment": "paid", "request-monitoring": "monitoring-due", close: "closed" },
  "monitoring-due": { "record-payment": "paid", close: "closed" },
};

const WARD_BUDGET: Table = {
  draft: { submit: "submitted", withdraw: "withdrawn" },
  submitted: {
    approve: "approved",
    "part-approve": "part-approved",
    reject: "rejected",
    "request-changes": "changes-requested",
    withdraw: "withdrawn",
  },
  "changes-requested": { submit: "submitted", withdraw: "withdrawn" },
  approved: { "accept-offer": "offer-accepted", withdraw: "withdrawn" },
  "part-approved": { "accept-offer": "offer-accepted", withdraw: "withdrawn" },
  ...DELIVERY,
};

const PB_ROUND: Table = {
  draft: { submit: "submitted", withdraw: "withdrawn" },
  submitted: { "mark-eligible": "eligible", "mark-ineligible": "ineligible", withdraw: "withdrawn" },
  eligible: { "mark-ineligible": "ineligible", "put-on-ballot": "on-ballot", withdraw: "withdrawn" },
  ineligible: { "mark-eligible": "eligible" },
  "on-ballot": { win: "won", lose: "not-won" },
  won: { "accept-offer": "offer-accepted", withdraw: "withdrawn" },
  ...DELIVERY,
};

const TABLES: Readonly<Record<BidKind, Table>> = { "ward-budget": WARD_BUDGET, "pb-round": PB_ROUND };

export type Transition = { ok: true; to: BidStatus } | { ok: false; reason: string };

export const STATUS_LABELS: Readonly<Record<BidStatus, string>> = {
  draft: "Draft",
  submitted: "Submitted",
  "changes-requested": "Changes requested",
  approved: "Approved",
  "part-approved": "Approved in part",
  rejected: "Rejected",
  "offer-accepted": "Offer accepted",
  paid: "Paid",
  "monitoring-due": "Monitoring report due",
  closed: "Closed",
  withdrawn: "Withdrawn",
  eligible: "Eligible",
  ineligible: "Ineligible",
  "on-ballot": "On the ballot",
  won: "Won",
  "not-won": "Not won",
};

/** Where `event` takes a bid of `kind` in `status`, or why it cannot. */
export function transition(kind: BidKind, status: BidStatus, event: BidEvent): Transition {
  const to = TABLES[kind][status]?.[event];
  if (to) return { ok: true, to };
  return {
    ok: false,
    // A message key: "A bid that is draft cannot be approved." in the reader's language.
    reason: messageKey(`bids:transition.${event}`, { status: `=bids:statusLower.${status}` }),
  };
}

export function allowedEvents(kind: BidKind, status: BidStatus): BidEvent[] {
  return BID_EVENTS.filter((event) => TABLES[kind][status]?.[event] !== undefined);
}

/** A bid whose content the group can still edit. */
export function isEditable(status: BidStatus): boolean {
  return status === "draft" || status === "changes-requested";
}

/** A bid that is waiting for a councillor's decision. */
export function awaitsDecision(status: BidStatus): boolean {
  return status === "submitted";
}

/** Statuses in which money has been promised to the group (shown as funded projects). */
export const FUNDED_STATUSES: readonly BidStatus[] = [
  "approved",
  "part-approved",
  "offer-accepted",
  "paid",
  "monitoring-due",
  "closed",
  "won",
];
