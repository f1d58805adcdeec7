import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import {
  BID_EVENTS,
  BID_STATUSES,
  allowedEvents,
  transition,
  type BidEvent,
  type BidKind,
  type BidStatus,
} from "./status";

/** Every allowed move, written out independently of the tables in status.ts. */
const ALLOWED: Record<BidKind, [BidStatus, BidEvent, BidStatus][]> = {
  "ward-budget": [
    ["draft", "submit", "submitted"],
    ["draft", "withdraw", "withdrawn"],
    ["submitted", "approve", "approved"],
    ["submitted", "part-approve", "part-approved"],
    ["submitted", "reject", "rejected"],
    ["submitted", "request-changes", "changes-requested"],
    ["submitted", "withdraw", "withdrawn"],
    ["changes-requested", "submit", "submitted"],
    ["changes-requested", "withdraw", "withdrawn"],
    ["approved", "accept-offer", "offer-accepted"],
    ["approved", "withdraw", "withdrawn"],
    ["part-approved", "accept-offer", "offer-accepted"],
    ["part-approved", "withdraw", "withdrawn"],
    ["offer-accepted", "record-payment", "paid"],
    ["offer-accepted", "withdraw", "withdrawn"],
    ["paid", "record-payment", "paid"],
    ["paid", "request-monitoring", "monitoring-due"],
    ["paid", "close", "closed"],
    ["monitoring-due", "record-payment", "paid"],
    ["monitoring-due", "close", "closed"],
  ],
  "pb-round": [
    ["draft", "submit", "submitted"],
    ["draft", "withdraw", "withdrawn"],
    ["submitted", "mark-eligible", "eligible"],
    ["submitted", "mark-ineligible", "ineligible"],
    ["submitted", "withdraw", "withdrawn"],
    ["eligible", "mark-ineligible", "ineligible"],
    ["eligible", "put-on-ballot", "on-ballot"],
    ["eligible", "withdraw", "withdrawn"],
    ["ineligible", "mark-eligible", "eligible"],
    ["on-ballot", "win", "won"],
    ["on-ballot", "lose", "not-won"],
    ["won", "accept-offer", "offer-accepted"],
    ["won", "withdraw", "withdrawn"],
    ["offer-accepted", "record-payment", "paid"],
    ["offer-accepted", "withdraw", "withdrawn"],
    ["paid", "record-payment", "paid"],
    ["paid", "request-monitoring", "monitoring-due"],
    ["paid", "close", "closed"],
    ["monitoring-due", "record-payment", "paid"],
    ["monitoring-due", "close", "closed"],
  ],
};

describe.each(Object.keys(ALLOWED) as BidKind[])("the %s bid state machine", (kind) => {
  const allowed = new Map(ALLOWED[kind].map(([from, event, to]) => [`${from} ${event}`, to]));
  const every = BID_STATUSES.flatMap((status) => BID_EVENTS.map((event) => [status, event] as const));

  it.each(every)("%s --%s-->", (status, event) => {
    const result = transition(kind, status, event);
    const expected = allowed.get(`${status} ${event}`);
    if (expected) {
      expect(result).toEqual({ ok: true, to: expected });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(messageText(result.reason, "en")).toMatch(/^A bid that is [a-z ]+ cannot be [a-z ]+\.$/);
        expect(messageText(result.reason, "cy")).toMatch(/^Ni ellir .+“.+”.*\.$/);
      }
    }
  });

  it("lists the allowed events of each status", () => {
    for (const status of BID_STATUSES) {
      const expected = ALLOWED[kind].filter(([from]) => from === status).map(([, event]) => event);
      expect(allowedEvents(kind, status).sort()).toEqual(expected.sort());
    }
  });

  it("never leaves a withdrawn, rejected or closed bid", () => {
    for (const status of ["withdrawn", "rejected", "closed", "not-won"] as const)
      expect(allowedEvents(kind, status)).toEqual([]);
  });

  it("cannot withdraw once money has been paid", () => {
    for (const status of ["paid", "monitoring-due", "closed"] as const)
      expect(transition(kind, status, "withdraw").ok).toBe(false);
  });
});
