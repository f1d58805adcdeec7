/**
 * The bid form's steps: parsing each step's fields from FormData into what the model saves, with
 * field errors for anything malformed (an amount that is not money, a date that is not a date).
 * Completeness is checked at submission, so a step may be saved half filled in. Client-safe.
 */
import { isIsoDate } from "~/core/ledger";
import { messageKey } from "~/core/messages/message-key";
import { tryParsePounds, type MoneyError } from "~/core/money";
import { BID_STEPS, MAX_BUDGET_LINES, parseCount, TEXT_LIMITS, type BidStep } from "~/core/bids";

export type FormStep = Exclude<BidStep, "files" | "review">;

export function stepOf(value: unknown, fallback: BidStep = "about"): BidStep {
  return typeof value === "string" && (BID_STEPS as readonly string[]).includes(value) ? (value as BidStep) : fallback;
}

export function nextStep(step: BidStep): BidStep {
  return BID_STEPS[Math.min(BID_STEPS.indexOf(step) + 1, BID_STEPS.length - 1)]!;
}

export function previousStep(step: BidStep): BidStep | null {
  const i = BID_STEPS.indexOf(step);
  return i > 0 ? BID_STEPS[i - 1]! : null;
}

/** Blank line rows shown below the saved ones, so lines can be added without JavaScript. */
export const BLANK_LINE_ROWS = 2;
export const MIN_LINE_ROWS = 3;

export const lineField = (i: number, part: "description" | "amount") => `line-${i}-${part}`;

type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

function tooLong(errors: Record<string, string>, field: string, value: string, max: number) {
  if (value.trim().length > max) errors[field] = messageKey(`bids:issue.${field}TooLong`, { max });
}

const MONEY_CODES = [
  "EMPTY",
  "INVALID_FORMAT",
  "TOO_MANY_DECIMAL_PLACES",
  "NEGATIVE_NOT_ALLOWED",
  "ZERO_NOT_ALLOWED",
  "TOO_LARGE",
];

/** The catalogue key of an amount that could not be read, for the amount field or a budget line's cost. */
function moneyMessage(error: MoneyError, line?: number): string {
  if (!MONEY_CODES.includes(error.code)) return error.userMessage;
  return line === undefined ? `bids:money.${error.code}` : messageKey(`bids:lineMoney.${error.code}`, { line });
}

export function parseAboutStep(
  formData: FormData,
): Parsed<{ step: "about"; title: string; summary: string; description: string }> {
  const title = text(formData, "title");
  const summary = text(formData, "summary");
  const description = text(formData, "description");
  const errors: Record<string, string> = {};
  tooLong(errors, "title", title, TEXT_LIMITS.title.max);
  tooLong(errors, "summary", summary, TEXT_LIMITS.summary.max);
  tooLong(errors, "description", description, TEXT_LIMITS.description.max);
  return Object.keys(errors).length
    ? { ok: false, errors }
    : { ok: true, data: { step: "about", title, summary, description } };
}

/** How many line rows the form sent (the hidden `rows` field), within sensible bounds. */
export function rowsSent(formData: FormData): number {
  const n = Number(text(formData, "rows"));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_BUDGET_LINES + BLANK_LINE_ROWS) : MIN_LINE_ROWS;
}

export function parseMoneyStep(
  formData: FormData,
): Parsed<{ step: "money"; amountPence: number | null; lines: { description: string; amountPence: number }[] }> {
  const errors: Record<string, string> = {};
  let amountPence: number | null = null;
  const amountText = text(formData, "amount");
  if (amountText.trim() !== "") {
    const parsed = tryParsePounds(amountText, { allowZero: false });
    if (parsed.ok) amountPence = parsed.pence;
    else errors.amount = moneyMessage(parsed.error);
  }
  const lines: { description: string; amountPence: number }[] = [];
  for (let i = 0; i < rowsSent(formData); i += 1) {
    const description = text(formData, lineField(i, "description")).trim();
    const amount = text(formData, lineField(i, "amount")).trim();
    if (description === "" && amount === "") continue;
    if (description === "") errors[lineField(i, "description")] = messageKey("bids:form.lineFor", { line: i + 1 });
    else if (description.length > TEXT_LIMITS.lineDescription.max)
      errors[lineField(i, "description")] = messageKey("bids:form.lineTooLong", {
        line: i + 1,
        max: TEXT_LIMITS.lineDescription.max,
      });
    const parsed = tryParsePounds(amount, { allowZero: false });
    if (!parsed.ok) errors[lineField(i, "amount")] = moneyMessage(parsed.error, i + 1);
    if (parsed.ok && description !== "") lines.push({ description, amountPence: parsed.pence });
  }
  if (lines.length > MAX_BUDGET_LINES) errors.lines = messageKey("bids:issue.linesTooMany", { max: MAX_BUDGET_LINES });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: { step: "money", amountPence, lines } };
}

export function parseWhereStep(formData: FormData): Parsed<{
  step: "where";
  wardIds: number[];
  beneficiaries: string;
  beneficiaryCount: number | null;
  startOn: string | null;
  endOn: string | null;
}> {
  const errors: Record<string, string> = {};
  const wardIds = formData
    .getAll("wardIds")
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);
  const beneficiaries = text(formData, "beneficiaries");
  tooLong(errors, "beneficiaries", beneficiaries, TEXT_LIMITS.beneficiaries.max);
  const countText = text(formData, "beneficiaryCount");
  let beneficiaryCount: number | null = null;
  if (countText.trim() !== "") {
    beneficiaryCount = parseCount(countText);
    if (beneficiaryCount === null) errors.beneficiaryCount = "bids:form.beneficiaryCountWhole";
  }
  const date = (name: "startOn" | "endOn") => {
    const value = text(formData, name).trim();
    if (value === "") return null;
    if (!isIsoDate(value)) {
      errors[name] = `bids:form.${name}Date`;
      return null;
    }
    return value;
  };
  const startOn = date("startOn");
  const endOn = date("endOn");
  if (startOn && endOn && endOn < startOn) errors.endOn = "bids:issue.endBeforeStart";
  return Object.keys(errors).length
    ? { ok: false, errors }
    : { ok: true, data: { step: "where", wardIds, beneficiaries, beneficiaryCount, startOn, endOn } };
}
