/**
 * What a councillor should know before deciding a ward-budget bid, as plain warnings: the project
 * has already ended, the fund asks for quotes and none are attached, or the fund expects match
 * funding and the bid does not say where it comes from, each a message key. Pure: the page passes in what it
 * read.
 */
import { messageKey } from "../messages/message-key";
import { formatPence } from "../money";
import type { FundGrantRules } from "./validation";

export type DecisionWarningKind = "project-ended" | "no-quotes" | "no-match-funding";

export interface DecisionWarning {
  kind: DecisionWarningKind;
  message: string;
}

export interface DecisionWarningInput {
  /** Today in the council's time zone, `YYYY-MM-DD`. */
  today: string;
  endOn: string | null;
  amountPence: number;
  rules: FundGrantRules;
  /** Files attached to the version being decided (quotes, plans, photos). */
  fileCount: number;
  /** The bid's own words: where match funding would be described. */
  summary: string;
  description: string;
}

/**
 * Words that say where other money comes from. The bid form has no match-funding field (the fund asks
 * groups to say so in the description), so the bid counts as saying nothing unless one of these appears.
 */
const MATCH_FUNDING_WORDS =
  /\b(match(ed|ing)?[\s-]fund(s|ed|ing)?|match(ed)? by|other fund(s|ing)|funding from|contribut(e|es|ed|ing|ion|ions)|in[\s-]kind|our own (funds|money|reserves)|fundrais(e|ed|ing)|donat(e|ed|ion|ions))\b/i;

export function mentionsMatchFunding(text: string): boolean {
  return MATCH_FUNDING_WORDS.test(text);
}

/** The parsed grant rules of a fund, or none when the stored text is empty or not JSON. */
export function grantRulesOf(text: string | null): FundGrantRules {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as FundGrantRules) : {};
  } catch {
    return {};
  }
}

export function decisionWarnings(input: DecisionWarningInput): DecisionWarning[] {
  const warnings: DecisionWarning[] = [];
  if (input.endOn && input.endOn < input.today)
    warnings.push({
      kind: "project-ended",
      // The date is a `YYYY-MM-DD` value; the page formats it in the reader's language.
      message: messageKey("bids:decide.warning.projectEnded", { date: input.endOn }),
    });
  const quotesAbove = input.rules.quotesAbovePence;
  if (quotesAbove != null && input.amountPence > quotesAbove && input.fileCount === 0)
    warnings.push({
      kind: "no-quotes",
      message: messageKey("bids:decide.warning.noQuotes", {
        above: formatPence(quotesAbove),
        amount: formatPence(input.amountPence),
      }),
    });
  const matchPercent = input.rules.matchFundingPercent;
  if (matchPercent != null && matchPercent > 0 && !mentionsMatchFunding(`${input.summary}\n${input.description}`))
    warnings.push({
      kind: "no-match-funding",
      message: messageKey("bids:decide.warning.noMatchFunding", { percent: matchPercent }),
    });
  return warnings;
}
