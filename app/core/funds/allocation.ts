/**
 * How a ward-budget scheme's pot is shared out: pro rata by ward population, equally between
 * wards, by custom weights, or a fixed amount per councillor. Shares are whole pence and add up to
 * the pot exactly: largest remainder, ties broken by ward GSS code (then councillor id), so the
 * same inputs always give the same pennies.
 */
import { allocatePence, type Pence } from "../money";

export const SPLIT_METHODS = ["population", "equal", "weights", "per-councillor"] as const;
export type SplitMethod = (typeof SPLIT_METHODS)[number];

export interface WardForSplit {
  gssCode: string;
  population: number;
  /** Custom weight (for "weights"): a whole number or decimal string. */
  weight?: number | string;
  councillorIds: readonly string[];
}

export interface BudgetShareOfWard {
  gssCode: string;
  /** Set for per-councillor budgets. */
  councillorId: string | null;
  pence: Pence;
}

export class AllocationError extends Error {}

export function allocateScheme(input: {
  method: SplitMethod;
  potPence?: Pence;
  perCouncillorPence?: Pence;
  perCouncillorBudgets: boolean;
  wards: readonly WardForSplit[];
}): BudgetShareOfWard[] {
  const wards = [...input.wards].sort((a, b) => (a.gssCode < b.gssCode ? -1 : a.gssCode > b.gssCode ? 1 : 0));
  if (wards.length === 0) throw new AllocationError("There are no wards to share the budget between.");
  if (input.method === "per-councillor") {
    const each = input.perCouncillorPence;
    if (!each || each <= 0) throw new AllocationError("Give the amount for each councillor.");
    return wards
      .flatMap((w): BudgetShareOfWard[] =>
        input.perCouncillorBudgets
          ? w.councillorIds.map((id) => ({ gssCode: w.gssCode, councillorId: id, pence: each }))
          : [{ gssCode: w.gssCode, councillorId: null, pence: each * w.councillorIds.length }],
      )
      .filter((s) => s.pence > 0);
  }
  const pot = input.potPence;
  if (!pot || pot <= 0) throw new AllocationError("Give the total pot to share.");
  const weightOf = (w: WardForSplit): number | string => {
    if (input.method === "population") return w.population;
    if (input.method === "equal") return 1;
    if (w.weight === undefined) throw new AllocationError(`Give a weight for ward ${w.gssCode}.`);
    return w.weight;
  };
  const wardShares = allocatePence(
    pot,
    wards.map((w) => ({ key: w.gssCode, weight: weightOf(w) })),
  );
  if (!input.perCouncillorBudgets)
    return wardShares.map((s) => ({ gssCode: s.key, councillorId: null, pence: s.pence }));
  // Each ward's share is split equally between its councillors, to the penny.
  return wardShares.flatMap((share): BudgetShareOfWard[] => {
    const ward = wards.find((w) => w.gssCode === share.key)!;
    if (ward.councillorIds.length === 0) return [{ gssCode: share.key, councillorId: null, pence: share.pence }];
    const ids = [...ward.councillorIds].sort();
    return allocatePence(
      share.pence,
      ids.map((id) => ({ key: id, weight: 1 })),
    ).map((s) => ({ gssCode: share.key, councillorId: s.key, pence: s.pence }));
  });
}
