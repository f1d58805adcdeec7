/**
 * Shared by the round pages and their forms: labels for a round's settings, cost bands for the
 * gallery filter and the public delivery statuses of winning projects.
 */

export const COUNTING_RULE_LABELS = {
  greedy: "Most points first, within the pot (Borda greedy)",
  mes: "Method of Equal Shares",
  "mes-add1": "Method of Equal Shares with add-one completion",
  irv: "One option from many: instant-runoff vote (IRV)",
  stv: "N places or ranked priorities: single transferable vote (Gregory, Droop)",
  "scottish-stv": "N places or ranked priorities: Scottish STV",
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

/** "4 March 2026, 09:00" in UK time, for a phase date. */
export function formatRoundDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return "Not set";
  return new Date(iso).toLocaleString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
    timeZone: "Europe/London",
  });
}
