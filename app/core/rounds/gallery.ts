/**
 * Shared by the round pages and their forms: labels for a round's settings, cost bands for the
 * gallery filter and the public delivery statuses of winning projects.
 */
import { formatOptionalDate, formatOptionalDateTime } from "../time/format";

export const COUNTING_RULE_LABELS = {
  greedy: "Most points first, within the pot (Borda greedy)",
  mes: "Method of Equal Shares",
} as const;

export const TIE_BREAK_LABELS = {
  "project-id": "Lowest project number wins",
  "lowest-cost": "Cheaper project wins",
  "ballot-order": "Earlier on the ballot wins",
} as const;

export const DELIVERY_STATUSES = ["Not started", "Under way", "Done"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface CostBand {
  id: string;
  label: string;
  minPence: number;
  /** Exclusive upper bound; null for no upper bound. */
  maxPence: number | null;
}

export const COST_BANDS: readonly CostBand[] = [
  { id: "under-2500", label: "Under £2,500", minPence: 0, maxPence: 250_000 },
  { id: "2500-10000", label: "£2,500 to £9,999", minPence: 250_000, maxPence: 1_000_000 },
  { id: "10000-plus", label: "£10,000 or more", minPence: 1_000_000, maxPence: null },
];

export function inCostBand(pence: number, bandId: string | null | undefined): boolean {
  const band = COST_BANDS.find((b) => b.id === bandId);
  if (!band) return true;
  return pence >= band.minPence && (band.maxPence === null || pence < band.maxPence);
}

/** Bid statuses of a project that won (and what follows winning). */
export const WINNING_STATUSES = ["won", "offer-accepted", "paid", "monitoring-due", "closed"] as const;

export function isWinningStatus(status: string): boolean {
  return (WINNING_STATUSES as readonly string[]).includes(status);
}

/** A phase date as pages show it: "4 March 2026" or, with its time, "4 March 2026, 9am" (London time). */
export function formatRoundDate(iso: string | null | undefined, withTime = false): string {
  return withTime ? formatOptionalDateTime(iso) : formatOptionalDate(iso);
}

export interface ReviewTally {
  toReview: number;
  eligible: number;
  ineligible: number;
  merged: number;
  withdrawn: number;
}

/**
 * How a round's bids stand in review, counted the way voting's opening counts them: a withdrawn
 * or merged bid needs no review. The round page and the review page both show this one tally.
 */
export function reviewTally(
  projects: readonly { eligibility: string; mergedIntoBidId: number | null; status: string }[],
): ReviewTally {
  const tally: ReviewTally = { toReview: 0, eligible: 0, ineligible: 0, merged: 0, withdrawn: 0 };
  for (const p of projects) {
    if (p.status === "withdrawn") tally.withdrawn += 1;
    else if (p.mergedIntoBidId !== null) tally.merged += 1;
    else if (p.eligibility === "pending") tally.toReview += 1;
    else if (p.eligibility === "eligible") tally.eligible += 1;
    else tally.ineligible += 1;
  }
  return tally;
}

/** "3 to review, 2 eligible, 1 ineligible" (merged and withdrawn bids only when there are any). */
export function describeReviewTally(tally: ReviewTally): string {
  const parts = [`${tally.toReview} to review`, `${tally.eligible} eligible`, `${tally.ineligible} ineligible`];
  if (tally.merged > 0) parts.push(`${tally.merged} merged`);
  if (tally.withdrawn > 0) parts.push(`${tally.withdrawn} withdrawn`);
  return parts.join(", ");
}

const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  "round.created": "Round set up",
  "round.updated": "Settings changed",
  "round.phase-changed": "Phase changed",
  "round.ballot-order-fixed": "Ballot order fixed",
  "round.bid-merged": "Bid merged",
  "round.delivery-status-set": "Delivery status set",
  "pb-round.voting-closed": "Voting closed",
  "pb-round.counted": "Ballots counted",
  "pb-round.result-ratified": "Result ratified and published",
  "pb-round.result-released": "Result released (not adopted)",
  "pb.codes-generated": "Voting codes made",
  "pb.code-revoked": "Voting code cancelled",
  "pb.code-batch-revoked": "Batch of voting codes cancelled",
  "pb.paper-batch-entered": "Paper batch entered",
  "pb.paper-batch-resolved": "Paper batch checked",
};

/** A round's audit event as its history lists it: "Voting closed", not "pb-round.voting-closed". */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

/** When a round's results are expected, as its results page says before they are published. */
export function resultsExpected(
  round: { phase: string; votingClosesAt: string; resultsAt: string | null },
  nowIso: string,
): string {
  if (round.resultsAt && round.resultsAt > nowIso)
    return `They are expected on ${formatOptionalDateTime(round.resultsAt)}.`;
  if (round.votingClosesAt > nowIso)
    return `Voting closes on ${formatOptionalDateTime(round.votingClosesAt)}; the results are published once the votes are counted and the count is checked.`;
  return "Voting has closed; the results are published once the votes are counted and the count is checked.";
}
