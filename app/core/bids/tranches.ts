/**
 * Tranches: how a ward-budget grant that spans financial years is committed, one year at a time.
 *
 * A council cannot commit next year's money before next year's budget is set, so an award is
 * split by the financial year that pays each instalment (see `planInstalments`): the award year's
 * tranche is committed against the award year's budget with the decision; each later year's
 * tranche waits ("to be committed in 2027/28") until that year's ward budget exists, and is then
 * committed against it under its own grant id in that year's fund, so every fund and year keeps
 * its own conservation identity in the ledger.
 *
 * A tranche's life: pending → committed (→ paid, when every instalment of the year is paid), or
 * pending → cancelled (the grant was withdrawn or declined before the year's budget took it), or
 * committed → decommitted (withdrawn after commitment: the unpaid money goes back to its budget).
 *
 * Pure: dates are Europe/London calendar dates the caller passes in.
 */
import { messageKey } from "../messages/message-key";
import { financialYearEnd, financialYearStart, type FinancialYear, type IsoDate } from "../ledger/financial-year";
import type { PlannedInstalment } from "./decision";

export const TRANCHE_STATUSES = ["pending", "committed", "cancelled", "decommitted"] as const;
export type TrancheStatus = (typeof TRANCHE_STATUSES)[number];

export interface PlannedTranche {
  fy: FinancialYear;
  amountPence: number;
  /** The instalments the tranche pays, by their `seq`. */
  instalmentSeqs: number[];
}

/**
 * Groups a payment schedule into one tranche per financial year, earliest year first. The
 * tranches add up to the schedule (and so to the award) to the penny.
 */
export function planTranches(instalments: readonly PlannedInstalment[]): PlannedTranche[] {
  const byYear = new Map<FinancialYear, PlannedTranche>();
  for (const instalment of instalments) {
    const tranche = byYear.get(instalment.fy) ?? { fy: instalment.fy, amountPence: 0, instalmentSeqs: [] };
    tranche.amountPence += instalment.amountPence;
    tranche.instalmentSeqs.push(instalment.seq);
    byYear.set(instalment.fy, tranche);
  }
  return [...byYear.values()].sort((a, b) => (a.fy < b.fy ? -1 : a.fy > b.fy ? 1 : 0));
}

/** The amount of the award year's tranche: what the decision itself commits. */
export function awardYearPence(tranches: readonly PlannedTranche[], awardFy: FinancialYear): number {
  return tranches.find((t) => t.fy === awardFy)?.amountPence ?? 0;
}

/**
 * The grant id of a later year's tranche: the award's grant id followed by the year, so the
 * ledger's accounts read as what they are (COMMITTED:WB-2026-27-G004-2027-28). At most 64
 * characters, as every grant id in an account key.
 */
export function trancheGrantId(parentGrantId: string, fy: FinancialYear): string {
  const id = `${parentGrantId}-${fy.replace("/", "-")}`;
  if (id.length > 64) throw new RangeError(`tranche grant id longer than 64 characters: ${id}`);
  return id;
}

export type TrancheTiming = { ok: true; effectiveDate: IsoDate } | { ok: false; reason: string };

/**
 * When a tranche's commitment takes effect: today, or 1 April of its year when its budget is set
 * ahead of the year (as BUDGET_SET is), so the entry belongs to the tranche's own year. A year
 * that has already ended can no longer take a commitment.
 */
export function trancheCommitDate(today: IsoDate, fy: FinancialYear): TrancheTiming {
  if (today > financialYearEnd(fy)) return { ok: false, reason: messageKey("payments:grant.yearEnded", { fy }) };
  const start = financialYearStart(fy);
  return { ok: true, effectiveDate: today < start ? start : today };
}

/** A tranche's state in words, for the group, councillors and finance. */
export function trancheStatusText(tranche: { status: TrancheStatus; fy: FinancialYear; paid: boolean }): string {
  switch (tranche.status) {
    case "pending":
      return `To be committed in ${tranche.fy}: awaiting that year's ward budget`;
    case "committed":
      return tranche.paid ? "Paid" : `Committed against the ${tranche.fy} budget`;
    case "cancelled":
      return "Cancelled: the grant was withdrawn before this year's budget was committed";
    case "decommitted":
      return `Withdrawn: the unpaid money went back to the ${tranche.fy} budget`;
  }
}

/**
 * The condition the offer states when part of the award falls in later years, or null when the
 * whole award is paid from the award year's budget.
 */
export function laterTranchesCondition(
  tranches: readonly PlannedTranche[],
  awardFy: FinancialYear,
  formatPence: (pence: number) => string,
): string | null {
  const later = tranches.filter((t) => t.fy !== awardFy);
  if (later.length === 0) return null;
  const parts = later.map((t) => `${formatPence(t.amountPence)} in ${t.fy}`).join(" and ");
  return (
    `This grant spans financial years. ${formatPence(awardYearPence(tranches, awardFy))} is committed now from the ` +
    `${awardFy} ward budget; ` +
    `the rest (${parts}) will be committed against each year's ward budget once the council has set it. ` +
    "A later year's payment depends on that year's budget being set and able to cover it, and is not made before then."
  );
}
