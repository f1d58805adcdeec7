/**
 * The rules of a councillor's decision on a ward-budget bid, before any money moves: what each
 * outcome needs (an amount below the request and a reason for a part approval, a reason for a
 * rejection, a message for a change request), whether the fund may still commit money (the
 * pre-election cut-off and the fund's own financial year), the group's verification, how a pooled
 * ward budget's quorum is reached, and the grant offer's default payment schedule.
 *
 * Pure: the caller passes today's date and the facts; the answer is a list of problems by field.
 */
import { allocatePence } from "../money/split";
import { financialYearOf, isDateInFinancialYear, type FinancialYear, type IsoDate } from "../ledger/financial-year";

export const DECISION_OUTCOME_NAMES = ["approve", "part-approve", "reject", "request-changes"] as const;
export type DecisionOutcomeName = (typeof DECISION_OUTCOME_NAMES)[number];

export interface DecisionInput {
  outcome: DecisionOutcomeName;
  /** Amount approved, for a part approval. */
  amountPence?: number | null;
  reason?: string | null;
}

export interface DecisionContext {
  requestedPence: number;
  groupVerified: boolean;
  fundFy: FinancialYear;
  commitmentCutoffOn: IsoDate | null;
  today: IsoDate;
}

export type DecisionProblems = Record<string, string>;

export const REASON_MAX = 2000;

/** Problems with a decision, keyed by the form field they belong to ("form" for the whole decision). */
export function checkDecision(input: DecisionInput, context: DecisionContext): DecisionProblems {
  const problems: DecisionProblems = {};
  const reason = (input.reason ?? "").trim();
  if (reason.length > REASON_MAX) problems.reason = `The reason must be ${REASON_MAX} characters or fewer`;
  switch (input.outcome) {
    case "part-approve": {
      const amount = input.amountPence;
      if (amount === null || amount === undefined) problems.amount = "Enter the amount you approve";
      else if (amount <= 0) problems.amount = "The amount must be more than £0";
      else if (amount >= context.requestedPence) problems.amount = "To approve in part, the amount must be less than the amount asked for";
      if (!reason) problems.reason = "Say why you approve only part of the bid";
      break;
    }
    case "reject":
      if (!reason) problems.reason = "Say why you reject the bid";
      break;
    case "request-changes":
      if (!reason) problems.reason = "Say what the group should change";
      break;
    case "approve":
      break;
  }
  if (input.outcome === "approve" || input.outcome === "part-approve") {
    if (!context.groupVerified) problems.form = "The group has not been verified by the council yet, so its bid cannot be approved.";
    else if (context.commitmentCutoffOn && context.today > context.commitmentCutoffOn) {
      problems.form = `No new grants can be approved after ${context.commitmentCutoffOn} (the pre-election period).`;
    } else if (!isDateInFinancialYear(context.today, context.fundFy)) {
      problems.form = `This fund is for ${context.fundFy}; grants from it can only be approved during that financial year.`;
    }
  }
  return problems;
}

/** The amount a decision awards: the whole request, the part approved, or nothing. */
export function awardedPence(input: DecisionInput, requestedPence: number): number {
  if (input.outcome === "approve") return requestedPence;
  if (input.outcome === "part-approve") return input.amountPence ?? 0;
  return 0;
}

/**
 * A pooled ward budget needs `quorum` of the ward's councillors to approve before money is
 * committed; until then the first approval only reserves (earmarks) it. Null or 1: any one.
 */
export function pooledStep(quorum: number | null, approvalsIncludingThis: number): "commit" | "earmark" | "commit-from-earmark" | "keep-earmark" {
  if (!quorum || quorum <= 1) return "commit";
  if (approvalsIncludingThis >= quorum) return "commit-from-earmark";
  return approvalsIncludingThis === 1 ? "earmark" : "keep-earmark";
}

/** A bid's amount split across the budgets it is funded from, equally, to the penny (ties by budget id). */
export function splitAcrossBudgets(totalPence: number, budgetIds: readonly string[]): { budgetId: string; pence: number }[] {
  return allocatePence(
    totalPence,
    budgetIds.map((id) => ({ key: id, weight: 1 })),
  )
    .filter((share) => share.pence > 0)
    .map((share) => ({ budgetId: share.key, pence: share.pence }));
}

export interface PlannedInstalment {
  seq: number;
  amountPence: number;
  dueOn: IsoDate;
  fy: FinancialYear;
  afterMonitoring: boolean;
}

export const SCHEDULES = ["single", "staged"] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The payment schedule of a grant offer. "single": one payment due 14 days after the decision.
 * "staged": half due in 14 days, the rest after the monitoring report, due at the project's end
 * (or 180 days on); each instalment carries the financial year its due date falls in.
 */
export function planInstalments(kind: ScheduleKind, amountPence: number, decidedOn: IsoDate, projectEndOn: IsoDate | null): PlannedInstalment[] {
  const first = addDays(decidedOn, 14);
  if (kind === "single" || amountPence < 2) return [{ seq: 1, amountPence, dueOn: first, fy: financialYearOf(first), afterMonitoring: false }];
  const [a, b] = allocatePence(amountPence, [
    { key: "1", weight: 1 },
    { key: "2", weight: 1 },
  ]).map((s) => s.pence) as [number, number];
  const secondDue = projectEndOn && projectEndOn > first ? projectEndOn : addDays(decidedOn, 180);
  return [
    { seq: 1, amountPence: a, dueOn: first, fy: financialYearOf(first), afterMonitoring: false },
    { seq: 2, amountPence: b, dueOn: secondDue, fy: financialYearOf(secondDue), afterMonitoring: true },
  ];
}

/** The grant offer's terms, from the fund's criteria and rules. */
export function offerTerms(input: { fundName: string; criteria: string | null; rules: Record<string, unknown>; amountPence: number; amountText: string; title: string }): string {
  const lines = [
    `${input.fundName} offers ${input.amountText} towards "${input.title}".`,
    "The grant must be spent on the project as described in the bid, and on nothing else.",
  ];
  if (input.criteria) lines.push(`The fund's purpose: ${input.criteria}`);
  if (input.rules.noRetrospectiveCosts) lines.push("Costs incurred before this offer was accepted cannot be paid from the grant.");
  if (typeof input.rules.quotesAbovePence === "number") lines.push(`Keep quotes for any item costing more than £${(input.rules.quotesAbovePence / 100).toFixed(2)}.`);
  if (input.rules.bankAccountInOrganisationName) lines.push("Payment is made only to a bank account in the group's own name.");
  lines.push("After the project ends the group sends a monitoring report: what was done, what was spent against each budget line, and how many people took part. Money not spent must be returned.");
  return lines.join("\n");
}

/** A monitoring reminder goes out when the report is due and none was sent in the last `everyDays` days. */
export function reminderDue(input: { dueOn: IsoDate; submitted: boolean; lastReminderOn: IsoDate | null; today: IsoDate; everyDays?: number }): boolean {
  if (input.submitted || input.today < input.dueOn) return false;
  if (!input.lastReminderOn) return true;
  return addDays(input.lastReminderOn, input.everyDays ?? 7) <= input.today;
}
