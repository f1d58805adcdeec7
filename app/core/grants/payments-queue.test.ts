import { describe, expect, it } from "vitest";
import {
  actionReasons,
  queueHref,
  queueView,
  readQueueFilter,
  standingTab,
  QUEUE_PAGE_SIZE,
  type QueueGrant,
} from "./payments-queue";

const TODAY = "2026-12-03";
let next = 0;
function grant(overrides: Partial<QueueGrant> = {}): QueueGrant {
  next += 1;
  return {
    grantId: `WB-G${String(next).padStart(3, "0")}`,
    title: `Project ${next}`,
    groupName: "Abbey Fields Allotment Society",
    wardName: "Abbey Fields",
    fundName: "Councillor Ward Budgets 2026/27",
    groupVerifiedAt: "2026-01-01T00:00:00Z",
    committed: 0,
    payable: 0,
    paid: 50_000,
    recoverable: 0,
    offerPending: false,
    openRequests: [],
    instalments: [],
    ...overrides,
  };
}
const instalment = (dueOn: string, extra: Partial<QueueGrant["instalments"][number]> = {}) => ({
  dueOn,
  requested: false,
  waitingForMonitoring: false,
  ...extra,
});

describe("what needs action", () => {
  it("is an instalment due within 14 days, a payment to confirm, or money owed back", () => {
    expect(actionReasons(grant({ committed: 500, instalments: [instalment("2026-12-17")] }), TODAY)).toEqual([
      "payment-due",
    ]);
    expect(actionReasons(grant({ committed: 500, instalments: [instalment("2026-12-18")] }), TODAY)).toEqual([]);
    expect(actionReasons(grant({ committed: 500 }), TODAY)).toEqual(["payment-due"]);
    expect(actionReasons(grant({ payable: 500, openRequests: [{ requesterId: "u1" }] }), TODAY)).toEqual([
      "second-officer",
    ]);
    expect(actionReasons(grant({ recoverable: 100 }), TODAY)).toEqual(["owed-back"]);
  });

  it("is not a payment that cannot be made yet", () => {
    const waiting = instalment("2026-11-01", { waitingForMonitoring: true });
    expect(actionReasons(grant({ committed: 500, instalments: [waiting] }), TODAY)).toEqual([]);
    const requested = instalment("2026-11-01", { requested: true });
    expect(actionReasons(grant({ committed: 500, instalments: [requested] }), TODAY)).toEqual([]);
    expect(actionReasons(grant({ committed: 500, offerPending: true }), TODAY)).toEqual([]);
    expect(actionReasons(grant({ committed: 500, groupVerifiedAt: null }), TODAY)).toEqual([]);
  });

  it("sorts grants into where they stand", () => {
    expect(standingTab(grant({ offerPending: true, committed: 500 }))).toBe("awaiting-offer");
    expect(standingTab(grant({ committed: 500 }))).toBe("paying");
    expect(standingTab(grant({ paid: 500 }))).toBe("paid");
  });
});

describe("the queue view", () => {
  const paid = Array.from({ length: 23 }, () => grant());
  const due = grant({ title: "Bench repairs", committed: 900, instalments: [instalment(TODAY)] });
  const confirm = grant({ title: "Water butts", payable: 500, openRequests: [{ requesterId: "u" }] });
  const offer = grant({ title: "Bulbs", offerPending: true, committed: 300, wardName: "Brookside" });
  const all = [...paid.slice(0, 10), due, ...paid.slice(10), confirm, offer];

  it("opens on what needs action, counted by tab and reason", () => {
    const view = queueView(all, readQueueFilter(new URLSearchParams()), TODAY);
    expect(view.tab).toBe("needs-action");
    expect(view.grants.map((g) => g.title)).toEqual(["Water butts", "Bench repairs"]);
    expect(view.counts).toEqual({ "needs-action": 2, "awaiting-offer": 1, paying: 2, paid: 23, all: 26 });
    expect(view.reasonCounts).toEqual({ "payment-due": 1, "second-officer": 1, "owed-back": 0 });
    expect(queueView(paid, readQueueFilter(new URLSearchParams()), TODAY).tab).toBe("all");
  });

  it("puts what needs action first on every tab and pages the rest, newest first", () => {
    const first = queueView(all, readQueueFilter(new URLSearchParams("tab=all")), TODAY);
    expect(first.grants).toHaveLength(QUEUE_PAGE_SIZE);
    expect(first.grants.slice(0, 2).map((g) => g.title)).toEqual(["Water butts", "Bench repairs"]);
    expect(first.grants[2]!.title).toBe("Bulbs");
    expect(first.pages).toBe(3);
    const last = queueView(all, readQueueFilter(new URLSearchParams("tab=all&page=3")), TODAY);
    expect(last.grants).toHaveLength(6);
    expect(last.grants.at(-1)!.grantId).toBe(paid[0]!.grantId);
    // A page past the end shows the last page.
    expect(queueView(all, readQueueFilter(new URLSearchParams("tab=all&page=99")), TODAY).page).toBe(3);
  });

  it("filters by words, fund and ward", () => {
    const byWords = queueView(all, readQueueFilter(new URLSearchParams("tab=all&q=water%20BUTTS")), TODAY);
    expect(byWords.grants.map((g) => g.title)).toEqual(["Water butts"]);
    const byWard = queueView(all, readQueueFilter(new URLSearchParams("tab=all&ward=Brookside")), TODAY);
    expect(byWard.grants.map((g) => g.title)).toEqual(["Bulbs"]);
    expect(byWard.wards).toEqual(["Abbey Fields", "Brookside"]);
    const byGrantId = queueView(all, readQueueFilter(new URLSearchParams(`tab=all&q=${due.grantId}`)), TODAY);
    expect(byGrantId.total).toBe(1);
  });

  it("reads and writes its query string, ignoring what it does not know", () => {
    expect(readQueueFilter(new URLSearchParams("tab=nonsense&page=-2"))).toMatchObject({ tab: null, page: 1 });
    expect(queueHref({ tab: "paid", q: "bench", page: 2 })).toBe("?tab=paid&q=bench&page=2");
    expect(queueHref({ tab: "all", page: 1 })).toBe("?tab=all");
  });
});
