/**
 * What a bid must say before it can be submitted, and whether a fund takes bids at all. A draft may
 * be incomplete; `bidIssues` lists every problem at once, each tied to the form step and field where
 * the group can put it right, so the review page can link straight to it.
 */
import { messageKey, withWelsh } from "../messages/message-key";
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
  /** The fund's (or round's) Welsh name, when it has one. */
  nameCy?: string | null;
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

const fundName = (terms: FundTerms) => withWelsh("fund", terms.name, terms.nameCy);

/** Why a group of `organisationType` cannot bid to the fund on `today`, or null when it can. */
export function fundRefusal(terms: FundTerms, today: string, organisationType: string): string | null {
  if (terms.kind === "pb-round") {
    if (terms.phase !== "accepting-bids") return messageKey("bids:fundRefusal.notAccepting", fundName(terms));
  } else {
    if (terms.opensOn && today < terms.opensOn)
      return messageKey("bids:fundRefusal.opensOn", { ...fundName(terms), date: terms.opensOn });
    if (terms.closesOn && today > terms.closesOn)
      return messageKey("bids:fundRefusal.closedOn", { ...fundName(terms), date: terms.closesOn });
    if (!terms.opensOn || !terms.closesOn) return messageKey("bids:fundRefusal.notOpen", fundName(terms));
  }
  if (terms.eligibleTypes && !terms.eligibleTypes.includes(organisationType))
    return messageKey("bids:fundRefusal.organisationType", fundName(terms));
  return null;
}

const textIssue = (value: string, limits: { min: number; max: number }, field: string): string | null => {
  const length = value.trim().length;
  if (length === 0) return `bids:issue.${field}Missing`;
  if (length < limits.min) return messageKey(`bids:issue.${field}TooShort`, { min: limits.min });
  if (length > limits.max) return messageKey(`bids:issue.${field}TooLong`, { max: limits.max });
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

  add("about", "title", textIssue(bid.title, TEXT_LIMITS.title, "title"));
  add("about", "summary", textIssue(bid.summary, TEXT_LIMITS.summary, "summary"));
  add("about", "description", textIssue(bid.description, TEXT_LIMITS.description, "description"));

  if (bid.amountPence === null) add("money", "amount", "bids:issue.amountMissing");
  else {
    if (terms.minPence !== null && bid.amountPence < terms.minPence)
      add(
        "money",
        "amount",
        messageKey("bids:issue.amountMin", { min: formatPence(terms.minPence), ...fundName(terms) }),
      );
    if (terms.maxPence !== null && bid.amountPence > terms.maxPence)
      add(
        "money",
        "amount",
        messageKey("bids:issue.amountMax", { max: formatPence(terms.maxPence), ...fundName(terms) }),
      );
    const lines = checkBudgetLines(bid.amountPence, bid.budgetLines);
    if (!lines.ok) add("money", "lines", lines.message);
  }
  if (bid.amountPence === null && bid.budgetLines.length === 0) add("money", "lines", "bids:issue.linesMissing");
  if (bid.budgetLines.length > MAX_BUDGET_LINES)
    add("money", "lines", messageKey("bids:issue.linesTooMany", { max: MAX_BUDGET_LINES }));

  if (bid.wardIds.length === 0) add("where", "wardIds", "bids:issue.wardsMissing");
  else if (bid.wardIds.some((id) => !terms.wardIds.includes(id)))
    add("where", "wardIds", messageKey("bids:issue.wardsOutside", fundName(terms)));
  add("where", "beneficiaries", textIssue(bid.beneficiaries, TEXT_LIMITS.beneficiaries, "beneficiaries"));
  if (bid.beneficiaryCount === null) add("where", "beneficiaryCount", "bids:issue.beneficiaryCountMissing");
  if (!bid.startOn) add("where", "startOn", "bids:issue.startOnMissing");
  else if (terms.rules.noRetrospectiveCosts && bid.startOn < today)
    add("where", "startOn", messageKey("bids:issue.startOnPast", fundName(terms)));
  if (!bid.endOn) add("where", "endOn", "bids:issue.endOnMissing");
  else if (bid.startOn && bid.endOn < bid.startOn) add("where", "endOn", "bids:issue.endBeforeStart");

  const quotesAbove = terms.rules.quotesAbovePence;
  if (quotesAbove != null && bid.amountPence !== null && bid.amountPence > quotesAbove && bid.fileCount === 0) {
    add("files", "files", messageKey("bids:issue.filesQuote", { amount: formatPence(quotesAbove) }));
  }
  return issues;
}

/** A sentence (a message key) telling the group what the fund's grant rules ask of them, one per rule switched on. */
export function ruleNotes(terms: FundTerms): string[] {
  const notes: string[] = [];
  if (terms.rules.noRetrospectiveCosts) notes.push("bids:rules.noRetrospectiveCosts");
  if (terms.rules.quotesAbovePence != null)
    notes.push(messageKey("bids:rules.quotesAbove", { amount: formatPence(terms.rules.quotesAbovePence) }));
  if (terms.rules.matchFundingPercent != null)
    notes.push(messageKey("bids:rules.matchFunding", { percent: terms.rules.matchFundingPercent }));
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
