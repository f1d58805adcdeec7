/**
 * The rules of a councillor's decision on a ward-budget bid, before any money moves: what each
 * outcome needs (an amount below the request and a reason for a part approval, a reason for a
 * rejection, a message for a change request), whether the fund may still commit money (the
 * pre-election cut-off and the fund's own financial year), the group's verification, how a pooled
 * ward budget's quorum is reached, and the grant offer's payment schedule with the financial year
 * that pays each instalment (tranches.ts groups them into one tranche per year).
 *
 * Pure: the caller passes today's date and the facts; the answer is a list of problems by field.
 */
import { allocatePence } from "../money/split";
import {
  financialYearEnd,
  financialYearOf,
  financialYearStart,
  isDateInFinancialYear,
  nextFinancialYear,
  type FinancialYear,
  type IsoDate,
} from "../ledger/financial-year";

export const DECISION_OUTCOME_NAMES = ["approve", "part-approve", "reject", "request-changes"] as const;
export type DecisionOutcomeName = (typeof DECISION_OUTCOME_NAMES)[number];

export interface DecisionInput {
  outcome: DecisionOutcomeName;
  /** Amount approved, for a part approval. */
  amountPence?: number | null;
  reason?: string | null;
  /** The decider confirms approving a project whose end date has passed (retrospective funding). */
  retrospectiveOverride?: boolean;
  retrospectiveReason?: string | null;
}

export interface DecisionContext {
  requestedPence: number;
  groupVerified: boolean;
  fundFy: FinancialYear;
  commitmentCutoffOn: IsoDate | null;
  today: IsoDate;
  /** The project's end date, from the bid. */
  projectEndOn?: IsoDate | null;
  /** Whether the fund's grant rules allow funding work already done (no "no retrospective costs" rule). */
  retrospectiveAllowed?: boolean;
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
      else if (amount >= context.requestedPence)
        problems.amount = "To approve in part, the amount must be less than the amount asked for";
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
    if (!context.groupVerified)
      problems.form = "The group has not been verified by the council yet, so its bid cannot be approved.";
    else if (context.commitmentCutoffOn && context.today > context.commitmentCutoffOn) {
      problems.form = `No new grants can be approved after ${context.commitmentCutoffOn} (the pre-election period).`;
    } else if (!isDateInFinancialYear(context.today, context.fundFy)) {
      problems.form =
        `This fund is for ${context.fundFy}; grants from it can only be approved during that ` + `financial year.`;
    }
    Object.assign(problems, retrospectiveProblems(input, context));
  }
  return problems;
}

/**
 * Approving a project whose end date has passed is retrospective funding: the fund's grant rules
 * must allow it, and the decider must confirm it and say why.
 */
export function retrospectiveProblems(input: DecisionInput, context: DecisionContext): DecisionProblems {
  const endOn = context.projectEndOn;
  if (!endOn || endOn >= context.today) return {};
  if (!context.retrospectiveAllowed) {
    return {
      retrospective:
        `The project ended on ${endOn} and this fund does not pay for work already done, so the bid ` +
        `cannot be approved.`,
    };
  }
  if (!input.retrospectiveOverride) {
    return {
      retrospective: `The project ended on ${endOn}. To approve it, confirm that you are funding it retrospectively.`,
    };
  }
  const reason = (input.retrospectiveReason ?? "").trim();
  if (!reason) return { retrospectiveReason: "Say why the council should fund a project that has already ended" };
  if (reason.length > REASON_MAX)
    return { retrospectiveReason: `The reason must be ${REASON_MAX} characters or fewer` };
  return {};
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
export function pooledStep(
  quorum: number | null,
  approvalsIncludingThis: number,
): "commit" | "earmark" | "commit-from-earmark" | "keep-earmark" {
  if (!quorum || quorum <= 1) return "commit";
  if (approvalsIncludingThis >= quorum) return "commit-from-earmark";
  return approvalsIncludingThis === 1 ? "earmark" : "keep-earmark";
}

/** A bid's amount split across the budgets it is funded from, equally, to the penny (ties by budget id). */
export function splitAcrossBudgets(
  totalPence: number,
  budgetIds: readonly string[],
): { budgetId: string; pence: number }[] {
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
  /** The financial year whose budget pays this instalment (see `planInstalments`). */
  fy: FinancialYear;
  afterMonitoring: boolean;
}

export const SCHEDULES = ["single", "staged", "by-year"] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to`, both counted (0 when `to` is before `from`). */
export function daysInclusive(from: IsoDate, to: IsoDate): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return ms < 0 ? 0 : ms / 86_400_000 + 1;
}

export interface PlanOptions {
  /** The financial year of the fund the award is made from; defaults to the year of `decidedOn`. */
  awardFy?: FinancialYear;
  /**
   * False for a one-off pot (a PB round): every instalment is paid from the award's own year. True
   * (the default) for ward budgets: an instalment due after the award year's 31 March belongs to
   * the year its due date falls in, and is committed against that year's budget once it is set.
   */
  multiYear?: boolean;
}

/**
 * The payment schedule of a grant offer. Every instalment carries the financial year whose budget
 * pays it: the award's year for the payment on award, and for a later instalment the year its due
 * date falls in (Europe/London calendar dates, 1 April to 31 March).
 *
 * - "single": one payment, due 14 days after the decision but no later than 31 March of the
 *   award's year, so a grant decided in late March is paid from the budget that approved it.
 * - "staged": half on award (as "single"), the rest after the monitoring report, due at the
 *   project's end (or 180 days on); that half falls in a later year when the project ends after
 *   31 March.
 * - "by-year": one payment for each financial year the project runs in, from the decision to the
 *   project's end, in proportion to its days in that year (largest remainder, so the parts add up
 *   to the penny); the first on award, each later one due on 1 April of its year. Without an end
 *   date after the award year it is the same as "single".
 */
export function planInstalments(
  kind: ScheduleKind,
  amountPence: number,
  decidedOn: IsoDate,
  projectEndOn: IsoDate | null,
  options: PlanOptions = {},
): PlannedInstalment[] {
  const awardFy = options.awardFy ?? financialYearOf(decidedOn);
  const multiYear = options.multiYear ?? true;
  const awardYearEnd = financialYearEnd(awardFy);
  const onAward = addDays(decidedOn, 14);
  const first = decidedOn <= awardYearEnd && onAward > awardYearEnd ? awardYearEnd : onAward;
  const yearOf = (due: IsoDate): FinancialYear => {
    if (!multiYear || due <= awardYearEnd) return awardFy;
    return financialYearOf(due);
  };
  const single = (): PlannedInstalment[] => [
    { seq: 1, amountPence, dueOn: first, fy: awardFy, afterMonitoring: false },
  ];
  if (kind === "single" || amountPence < 2) return single();
  if (kind === "by-year") {
    if (!multiYear || !projectEndOn || projectEndOn <= awardYearEnd || decidedOn > awardYearEnd) return single();
    return planByYear(amountPence, decidedOn, projectEndOn, awardFy, first);
  }
  const [a, b] = allocatePence(amountPence, [
    { key: "1", weight: 1 },
    { key: "2", weight: 1 },
  ]).map((s) => s.pence) as [number, number];
  const secondDue = projectEndOn && projectEndOn > first ? projectEndOn : addDays(decidedOn, 180);
  return [
    { seq: 1, amountPence: a, dueOn: first, fy: awardFy, afterMonitoring: false },
    { seq: 2, amountPence: b, dueOn: secondDue, fy: yearOf(secondDue), afterMonitoring: true },
  ];
}

/** "by-year": one instalment per financial year from the award's year to the project's end. */
function planByYear(
  amountPence: number,
  decidedOn: IsoDate,
  endOn: IsoDate,
  awardFy: FinancialYear,
  firstDue: IsoDate,
): PlannedInstalment[] {
  const years: { fy: FinancialYear; days: number; dueOn: IsoDate }[] = [];
  for (let fy = awardFy; financialYearStart(fy) <= endOn; fy = nextFinancialYear(fy)) {
    const from = fy === awardFy ? decidedOn : financialYearStart(fy);
    const to = financialYearEnd(fy) < endOn ? financialYearEnd(fy) : endOn;
    years.push({ fy, days: daysInclusive(from, to), dueOn: fy === awardFy ? firstDue : financialYearStart(fy) });
  }
  const shares = allocatePence(
    amountPence,
    years.map((y) => ({ key: y.fy, weight: y.days })),
  ).map((s) => s.pence);
  // The award year always carries a payment (the commitment made on the decision), so a share
  // rounded to nothing there takes a penny from the largest later share.
  if (shares[0] === 0) {
    const largest = shares.indexOf(Math.max(...shares));
    shares[largest] = shares[largest]! - 1;
    shares[0] = 1;
  }
  return years
    .map((y, i) => ({ fy: y.fy, dueOn: y.dueOn, amountPence: shares[i]! }))
    .filter((y) => y.amountPence > 0)
    .map((y, i) => ({ seq: i + 1, amountPence: y.amountPence, dueOn: y.dueOn, fy: y.fy, afterMonitoring: false }));
}

/** The grant offer's terms, from the fund's criteria and rules. */
export function offerTerms(input: {
  fundName: string;
  criteria: string | null;
  rules: Record<string, unknown>;
  amountPence: number;
  amountText: string;
  title: string;
}): string {
  const lines = [
    `${input.fundName} offers ${input.amountText} towards "${input.title}".`,
    "The grant must be spent on the project as described in the bid, and on nothing else.",
  ];
  if (input.criteria) lines.push(`The fund's purpose: ${input.criteria}`);
  if (input.rules.noRetrospectiveCosts)
    lines.push("Costs incurred before this offer was accepted cannot be paid from the grant.");
  if (typeof input.rules.quotesAbovePence === "number")
    lines.push(`Keep quotes for any item costing more than £${(input.rules.quotesAbovePence / 100).toFixed(2)}.`);
  if (input.rules.bankAccountInOrganisationName)
    lines.push("Payment is made only to a bank account in the group's own name.");
  lines.push(
    "After the project ends the group sends a monitoring report: what was done, what was spent against each budget " +
      "line, and how many people took part. Money not spent must be returned.",
  );
  return lines.join("\n");
}

/** A monitoring reminder goes out when the report is due and none was sent in the last `everyDays` days. */
export function reminderDue(input: {
  dueOn: IsoDate;
  submitted: boolean;
  lastReminderOn: IsoDate | null;
  today: IsoDate;
  everyDays?: number;
}): boolean {
  if (input.submitted || input.today < input.dueOn) return false;
  if (!input.lastReminderOn) return true;
  return addDays(input.lastReminderOn, input.everyDays ?? 7) <= input.today;
}
