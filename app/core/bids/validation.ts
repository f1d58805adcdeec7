/**
 * What a bid must say before it can be submitted, and whether a fund takes bids at all. A draft may
 * be incomplete; `bidIssues` lists every problem at once, each tied to the form step and field where
 * the group can put it right, so the review page can link straight to it.
 */
import { formatPence } from "../money";
import { checkBudgetLines, type BudgetLine } from "./budget-lines";
import type { BidKind } from "./status";

export const BID_STEPS = ["about", "money", "where", "files", "review"] as const;
export type BidStep = (typeof BID_STEPS)[number];

export const BID_STEP_TITLES: Readonly<Record<BidStep, string>> = {
  about: "About the project",
  money: "Money",
  where: "Who and where",
  files: "Files",
  review: "Check and submit",
};

export const BID_FIELD_LABELS: Readonly<Record<string, string>> = {
  title: "Project title",
  summary: "Summary",
  description: "Description",
  amount: "Amount requested",
  lines: "Budget lines",
  wardIds: "Wards",
  beneficiaries: "Who benefits",
  beneficiaryCount: "How many people benefit",
  startOn: "Start date",
  endOn: "End date",
  files: "Files",
  fund: "Fund",
};

export const TEXT_LIMITS = {
  title: { min: 3, max: 120 },
  summary: { min: 10, max: 300 },
  description: { min: 20, max: 5000 },
  beneficiaries: { min: 5, max: 1000 },
  lineDescription: { max: 200 },
} as const;
export const MAX_BUDGET_LINES = 30;
export const MAX_BENEFICIARY_COUNT = 10_000_000;

export interface BidIssue {
  step: BidStep;
  field: string;
  message: string;
}

/** The working copy of a bid, as far as validation needs it. */
export interface BidContent {
  title: string;
  summary: string;
  description: string;
  amountPence: number | null;
  budgetLines: readonly BudgetLine[];
  wardIds: readonly number[];
  beneficiaries: string;
  beneficiaryCount: number | null;
  startOn: string | null;
  endOn: string | null;
  fileCount: number;
}

export interface FundGrantRules {
  noRetrospectiveCosts?: boolean;
  quotesAbovePence?: number | null;
  matchFundingPercent?: number | null;
}

/** What a fund asks of a bid: its kind, limits, wards, dates or phase, and grant rules. */
export interface FundTerms {
  kind: BidKind;
  name: string;
  minPence: number | null;
  maxPence: number | null;
  /** Wards a bid may name (the wards with a budget in the fund, or the round's area). */
  wardIds: readonly number[];
  eligibleTypes: readonly string[] | null;
  rules: FundGrantRules;
  /** Ward budgets: open from `opensOn` to `closesOn` inclusive. */
  opensOn: string | null;
  closesOn: string | null;
  /** PB rounds: bids only while the round is accepting them. */
  phase: string | null;
}

/** Why a group of `organisationType` cannot bid to the fund on `today`, or null when it can. */
export function fundRefusal(terms: FundTerms, today: string, organisationType: string): string | null {
  if (terms.kind === "pb-round") {
    if (terms.phase !== "accepting-bids") return `${terms.name} is not accepting bids.`;
  } else {
    if (terms.opensOn && today < terms.opensOn) return `${terms.name} opens for bids on ${terms.opensOn}.`;
    if (terms.closesOn && today > terms.closesOn) return `${terms.name} closed for bids on ${terms.closesOn}.`;
    if (!terms.opensOn || !terms.closesOn) return `${terms.name} is not open for bids.`;
  }
  if (terms.eligibleTypes && !terms.eligibleTypes.includes(organisationType))
    return `${terms.name} does not take bids from this kind of organisation.`;
  return null;
}

const textIssue = (
  value: string,
  limits: { min: number; max: number },
  missing: string,
  label: string,
): string | null => {
  const length = value.trim().length;
  if (length === 0) return missing;
  if (length < limits.min) return `${label} must be at least ${limits.min} characters.`;
  if (length > limits.max) return `${label} must be ${limits.max} characters or fewer.`;
  return null;
};

/**
 * Every problem that stops the bid being submitted on `today`. An empty list means it can go.
 */
export function bidIssues(bid: BidContent, terms: FundTerms, today: string): BidIssue[] {
  const issues: BidIssue[] = [];
  const add = (step: BidStep, field: string, message: string | null) => {
    if (message) issues.push({ step, field, message });
  };

  add("about", "title", textIssue(bid.title, TEXT_LIMITS.title, "Enter a title for the project.", "The title"));
  add(
    "about",
    "summary",
    textIssue(bid.summary, TEXT_LIMITS.summary, "Enter a short summary of the project.", "The summary"),
  );
  add(
    "about",
    "description",
    textIssue(
      bid.description,
      TEXT_LIMITS.description,
      "Describe the project: what you will do and why.",
      "The description",
    ),
  );

  if (bid.amountPence === null) add("money", "amount", "Enter the amount you are asking for.");
  else {
    if (terms.minPence !== null && bid.amountPence < terms.minPence)
      add(
        "money",
        "amount",
        `Ask for at least ${formatPence(terms.minPence)}, the smallest grant ${terms.name} makes.`,
      );
    if (terms.maxPence !== null && bid.amountPence > terms.maxPence)
      add(
        "money",
        "amount",
        `Ask for no more than ${formatPence(terms.maxPence)}, the largest grant ${terms.name} makes.`,
      );
    const lines = checkBudgetLines(bid.amountPence, bid.budgetLines);
    if (!lines.ok) add("money", "lines", lines.message);
  }
  if (bid.amountPence === null && bid.budgetLines.length === 0) add("money", "lines", "Add at least one budget line.");
  if (bid.budgetLines.length > MAX_BUDGET_LINES) add("money", "lines", `Use at most ${MAX_BUDGET_LINES} budget lines.`);

  if (bid.wardIds.length === 0) add("where", "wardIds", "Choose at least one ward the project benefits.");
  else if (bid.wardIds.some((id) => !terms.wardIds.includes(id)))
    add("where", "wardIds", `Choose only wards that ${terms.name} covers.`);
  add(
    "where",
    "beneficiaries",
    textIssue(bid.beneficiaries, TEXT_LIMITS.beneficiaries, "Say who will benefit from the project.", "Who benefits"),
  );
  if (bid.beneficiaryCount === null) add("where", "beneficiaryCount", "Enter about how many people will benefit.");
  if (!bid.startOn) add("where", "startOn", "Enter the date the project starts.");
  else if (terms.rules.noRetrospectiveCosts && bid.startOn < today)
    add(
      "where",
      "startOn",
      `${terms.name} does not pay for work already started: the start date must be today or later.`,
    );
  if (!bid.endOn) add("where", "endOn", "Enter the date the project ends.");
  else if (bid.startOn && bid.endOn < bid.startOn)
    add("where", "endOn", "The end date must be the same as or after the start date.");

  const quotesAbove = terms.rules.quotesAbovePence;
  if (quotesAbove != null && bid.amountPence !== null && bid.amountPence > quotesAbove && bid.fileCount === 0) {
    add(
      "files",
      "files",
      `For bids over ${formatPence(quotesAbove)}, attach at least one quote or supporting document.`,
    );
  }
  return issues;
}

/** A sentence telling the group what the fund's grant rules ask of them, one per rule switched on. */
export function ruleNotes(terms: FundTerms): string[] {
  const notes: string[] = [];
  if (terms.rules.noRetrospectiveCosts) notes.push("The fund does not pay for work that has already started.");
  if (terms.rules.quotesAbovePence != null)
    notes.push(`For bids over ${formatPence(terms.rules.quotesAbovePence)}, attach at least one quote.`);
  if (terms.rules.matchFundingPercent != null)
    notes.push(
      `The fund expects you to find at least ${terms.rules.matchFundingPercent}% of the project's cost from ` +
        `elsewhere; say where in the description.`,
    );
  return notes;
}

/** Parses a whole non-negative count typed by a person ("1,200" is fine), or null. */
export function parseCount(text: string): number | null {
  const cleaned = text.replace(/[,\s]/g, "");
  if (!/^\d+$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isSafeInteger(n) && n <= MAX_BENEFICIARY_COUNT ? n : null;
}

/** The public reference of the `sequence`-th bid of `year` to a fund of `kind`, e.g. WB-2026-0007. */
export function bidReference(kind: BidKind, year: number, sequence: number): string {
  return `${kind === "pb-round" ? "PB" : "WB"}-${year}-${String(sequence).padStart(4, "0")}`;
}
