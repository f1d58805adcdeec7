/**
 * A bid that lists several wards is paid by each ward's budget in equal shares, and each ward
 * decides its own share: approve it, approve part of it, or decline it. The bid's overall offer is
 * made once every paying ward has decided, and it is the sum of the shares approved.
 *
 * Pure: the caller passes the request, the wards and the decisions recorded so far.
 */
import { allocatePence } from "../money/split";

export interface WardShare {
  wardId: number;
  sharePence: number;
}

export type WardOutcome = "approve" | "part-approve" | "reject";

export interface WardDecisionFact {
  wardId: number;
  outcome: WardOutcome;
  /** The part of the ward's share it approved (0 when it declined). */
  approvedPence: number;
}

/** Each ward's equal share of the request, to the penny (the odd pennies go to the lowest ward ids). */
export function wardShares(requestedPence: number, wardIds: readonly number[]): WardShare[] {
  const sorted = [...new Set(wardIds)].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const shares = allocatePence(
    requestedPence,
    sorted.map((id) => ({ key: String(id).padStart(9, "0"), weight: 1 })),
  );
  return sorted.map((wardId, i) => ({ wardId, sharePence: shares[i]!.pence }));
}

/** `totalPence` split across `parts` in proportion to their pence (largest remainder, to the penny). */
export function splitInProportion<K extends string>(
  totalPence: number,
  parts: readonly { key: K; pence: number }[],
): { key: K; pence: number }[] {
  const weighted = parts.filter((p) => p.pence > 0);
  if (weighted.length === 0 || totalPence <= 0) return parts.map((p) => ({ key: p.key, pence: 0 }));
  const split = allocatePence(
    totalPence,
    weighted.map((p) => ({ key: p.key, weight: p.pence })),
  );
  return parts.map((p) => ({ key: p.key, pence: split.find((s) => s.key === p.key)?.pence ?? 0 }));
}

/**
 * What one decision approves for each ward it covers: every share in full, `amountPence` split
 * across the shares in proportion, or nothing.
 */
export function approvedByWard(
  outcome: WardOutcome,
  amountPence: number | null | undefined,
  covered: readonly WardShare[],
): WardDecisionFact[] {
  if (outcome === "reject") return covered.map((w) => ({ wardId: w.wardId, outcome, approvedPence: 0 }));
  if (outcome === "approve") return covered.map((w) => ({ wardId: w.wardId, outcome, approvedPence: w.sharePence }));
  const split = splitInProportion(
    amountPence ?? 0,
    covered.map((w) => ({ key: String(w.wardId), pence: w.sharePence })),
  );
  return covered.map((w, i) => ({ wardId: w.wardId, outcome, approvedPence: split[i]!.pence }));
}

export interface WardBidState {
  /** Wards that have not decided yet. */
  pendingWardIds: number[];
  approvedPence: number;
  /** True once every paying ward has decided. */
  settled: boolean;
  /** The bid's overall outcome once settled, or while waiting when some share is approved already. */
  outcome: "approve" | "part-approve" | "reject" | null;
}

/** Where a multi-ward bid stands given the decisions recorded for its current version. */
export function wardBidState(
  requestedPence: number,
  shares: readonly WardShare[],
  decided: readonly WardDecisionFact[],
): WardBidState {
  const decidedIds = new Set(decided.map((d) => d.wardId));
  const pendingWardIds = shares.map((s) => s.wardId).filter((id) => !decidedIds.has(id));
  const approvedPence = decided.reduce((sum, d) => sum + d.approvedPence, 0);
  const settled = pendingWardIds.length === 0;
  let outcome: WardBidState["outcome"] = null;
  if (approvedPence >= requestedPence && settled) outcome = "approve";
  else if (approvedPence > 0) outcome = "part-approve";
  else if (settled) outcome = "reject";
  return { pendingWardIds, approvedPence, settled, outcome };
}
