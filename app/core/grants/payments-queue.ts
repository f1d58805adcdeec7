/**
 * The finance payments queue, sorted and cut into tabs and pages: what needs a finance officer now
 * comes first (an instalment due, a payment waiting for a second officer to confirm it, money owed
 * back), then every grant by where it stands. Pure: the page passes in the grants it read.
 */

/** An instalment counts as due from this many days before its due date, so it can be paid on time. */
export const DUE_WITHIN_DAYS = 14;
export const QUEUE_PAGE_SIZE = 10;

export const QUEUE_TABS = ["needs-action", "awaiting-offer", "paying", "paid", "all"] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export const QUEUE_TAB_LABELS: Readonly<Record<QueueTab, string>> = {
  "needs-action": "Needs action",
  "awaiting-offer": "Waiting for the offer",
  paying: "Being paid",
  paid: "Paid in full",
  all: "All grants",
};

export type ActionReason = "payment-due" | "second-officer" | "owed-back";

/** What the queue needs to know of a grant. */
export interface QueueGrant {
  grantId: string;
  title: string;
  groupName: string;
  wardName: string | null;
  fundName: string;
  groupVerifiedAt: string | null;
  committed: number;
  payable: number;
  paid: number;
  recoverable: number;
  offerPending: boolean;
  openRequests: readonly { requesterId: string }[];
  instalments: readonly { dueOn: string; requested: boolean; waitingForMonitoring: boolean }[];
}

export interface QueueFilter {
  tab: QueueTab;
  /** Words to find in the title, group, grant id, ward or fund. */
  q: string;
  fund: string;
  ward: string;
  page: number;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The next instalment finance could ask to pay: not requested yet and not waiting for a monitoring report. */
export function nextPayableInstalment<G extends QueueGrant>(grant: G): G["instalments"][number] | null {
  return grant.instalments.find((i) => !i.requested && !i.waitingForMonitoring) ?? null;
}

/** Why a grant needs a finance officer now (empty when it does not), in the order they are shown. */
export function actionReasons(grant: QueueGrant, today: string): ActionReason[] {
  const reasons: ActionReason[] = [];
  if (grant.committed > 0 && !grant.offerPending && grant.groupVerifiedAt) {
    const next = nextPayableInstalment(grant);
    const scheduled = grant.instalments.length > 0;
    if ((!scheduled || next) && (!next || next.dueOn <= addDays(today, DUE_WITHIN_DAYS))) reasons.push("payment-due");
  }
  if (grant.openRequests.length > 0) reasons.push("second-officer");
  if (grant.recoverable > 0) reasons.push("owed-back");
  return reasons;
}

/** The tab a grant sits in besides "Needs action" and "All grants". */
export function standingTab(grant: QueueGrant): Exclude<QueueTab, "needs-action" | "all"> {
  if (grant.offerPending) return "awaiting-offer";
  if (grant.committed > 0 || grant.payable > 0 || grant.recoverable > 0) return "paying";
  return grant.paid > 0 ? "paid" : "paying";
}

const norm = (text: string) => text.toLocaleLowerCase("en-GB").replace(/\s+/g, " ").trim();

function matches(grant: QueueGrant, filter: Pick<QueueFilter, "q" | "fund" | "ward">): boolean {
  if (filter.fund && grant.fundName !== filter.fund) return false;
  if (filter.ward && (grant.wardName ?? "") !== filter.ward) return false;
  const words = norm(filter.q).split(" ").filter(Boolean);
  if (!words.length) return true;
  const haystack = norm([grant.title, grant.groupName, grant.grantId, grant.wardName ?? "", grant.fundName].join(" "));
  return words.every((w) => haystack.includes(w));
}

/** Reads the queue's filter from the page's query string; anything unknown falls back to its default. */
export function readQueueFilter(params: URLSearchParams): Omit<QueueFilter, "tab"> & { tab: QueueTab | null } {
  const tab = params.get("tab");
  const page = Number(params.get("page") ?? "1");
  return {
    tab: (QUEUE_TABS as readonly string[]).includes(tab ?? "") ? (tab as QueueTab) : null,
    q: (params.get("q") ?? "").slice(0, 100),
    fund: (params.get("fund") ?? "").slice(0, 200),
    ward: (params.get("ward") ?? "").slice(0, 200),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export interface QueueView<G extends QueueGrant> {
  tab: QueueTab;
  counts: Record<QueueTab, number>;
  /** How many grants (after the filters) need action for each reason. */
  reasonCounts: Record<ActionReason, number>;
  /** The grants of this page, each with why it needs action (if it does). */
  grants: (G & { reasons: ActionReason[] })[];
  page: number;
  pages: number;
  total: number;
  funds: string[];
  wards: string[];
}

/**
 * The page of the queue to show. Without a chosen tab it opens on "Needs action" when anything
 * does, otherwise on "All grants". Grants needing action come first on every tab; the rest newest first.
 */
export function queueView<G extends QueueGrant>(
  grants: readonly G[],
  filter: Omit<QueueFilter, "tab"> & { tab: QueueTab | null },
  today: string,
): QueueView<G> {
  const withReasons = grants.map((g, order) => ({ ...g, reasons: actionReasons(g, today), order }));
  const filtered = withReasons.filter((g) => matches(g, filter));
  const inTab = (tab: QueueTab) =>
    filtered.filter((g) =>
      tab === "all" ? true : tab === "needs-action" ? g.reasons.length > 0 : standingTab(g) === tab,
    );
  const counts = Object.fromEntries(QUEUE_TABS.map((t) => [t, inTab(t).length])) as Record<QueueTab, number>;
  const reasonCounts: Record<ActionReason, number> = { "payment-due": 0, "second-officer": 0, "owed-back": 0 };
  for (const g of filtered) for (const r of g.reasons) reasonCounts[r] += 1;
  const tab = filter.tab ?? (counts["needs-action"] > 0 ? "needs-action" : "all");
  const sorted = inTab(tab).sort(
    (a, b) => Number(b.reasons.length > 0) - Number(a.reasons.length > 0) || b.order - a.order,
  );
  const pages = Math.max(1, Math.ceil(sorted.length / QUEUE_PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const shown = sorted.slice((page - 1) * QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE).map(({ order: _order, ...g }) => g);
  const distinct = (values: (string | null)[]) =>
    [...new Set(values.filter((v): v is string => Boolean(v)))].sort((a, b) => a.localeCompare(b, "en-GB"));
  return {
    tab,
    counts,
    reasonCounts,
    grants: shown as unknown as (G & { reasons: ActionReason[] })[],
    page,
    pages,
    total: sorted.length,
    funds: distinct(grants.map((g) => g.fundName)),
    wards: distinct(grants.map((g) => g.wardName)),
  };
}

/** The query string of the queue with some parts changed (empty parts and page 1 left out). */
export function queueHref(filter: Partial<QueueFilter> & { tab?: QueueTab | null }): string {
  const params = new URLSearchParams();
  if (filter.tab) params.set("tab", filter.tab);
  if (filter.q) params.set("q", filter.q);
  if (filter.fund) params.set("fund", filter.fund);
  if (filter.ward) params.set("ward", filter.ward);
  if (filter.page && filter.page > 1) params.set("page", String(filter.page));
  const text = params.toString();
  return text ? `?${text}` : "?";
}
