/**
 * The bid form's steps: parsing each step's fields from FormData into what the model saves, with
 * field errors for anything malformed (an amount that is not money, a date that is not a date).
 * Completeness is checked at submission, so a step may be saved half filled in. Client-safe.
 */
import { isIsoDate } from "~/core/ledger";
import { tryParsePounds } from "~/core/money";
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

function tooLong(errors: Record<string, string>, field: string, value: string, max: number, label: string) {
  if (value.trim().length > max) errors[field] = `${label} must be ${max} characters or fewer.`;
}

export function parseAboutStep(
  formData: FormData,
): Parsed<{ step: "about"; title: string; summary: string; description: string }> {
  const title = text(formData, "title");
  const summary = text(formData, "summary");
  const description = text(formData, "description");
  const errors: Record<string, string> = {};
  tooLong(errors, "title", title, TEXT_LIMITS.title.max, "The title");
  tooLong(errors, "summary", summary, TEXT_LIMITS.summary.max, "The summary");
  tooLong(errors, "description", description, TEXT_LIMITS.description.max, "The description");
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
    else errors.amount = parsed.error.userMessage;
  }
  const lines: { description: string; amountPence: number }[] = [];
  for (let i = 0; i < rowsSent(formData); i += 1) {
    const description = text(formData, lineField(i, "description")).trim();
    const amount = text(formData, lineField(i, "amount")).trim();
    if (description === "" && amount === "") continue;
    if (description === "") errors[lineField(i, "description")] = `Line ${i + 1}: say what the money is for.`;
    else if (description.length > TEXT_LIMITS.lineDescription.max)
      errors[lineField(i, "description")] =
        `Line ${i + 1}: use ${TEXT_LIMITS.lineDescription.max} characters or fewer.`;
    const parsed = tryParsePounds(amount, { allowZero: false });
    if (!parsed.ok) errors[lineField(i, "amount")] = `Line ${i + 1}: ${parsed.error.userMessage}`;
    if (parsed.ok && description !== "") lines.push({ description, amountPence: parsed.pence });
  }
  if (lines.length > MAX_BUDGET_LINES) errors.lines = `Use at most ${MAX_BUDGET_LINES} budget lines.`;
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
  tooLong(errors, "beneficiaries", beneficiaries, TEXT_LIMITS.beneficiaries.max, "Who benefits");
  const countText = text(formData, "beneficiaryCount");
  let beneficiaryCount: number | null = null;
  if (countText.trim() !== "") {
    beneficiaryCount = parseCount(countText);
    if (beneficiaryCount === null) errors.beneficiaryCount = "Enter the number of people as a whole number, like 120.";
  }
  const date = (name: "startOn" | "endOn", label: string) => {
    const value = text(formData, name).trim();
    if (value === "") return null;
    if (!isIsoDate(value)) {
      errors[name] = `Enter the ${label} as a real date, like 2027-03-31.`;
      return null;
    }
    return value;
  };
  const startOn = date("startOn", "start date");
  const endOn = date("endOn", "end date");
  if (startOn && endOn && endOn < startOn) errors.endOn = "The end date must be the same as or after the start date.";
  return Object.keys(errors).length
    ? { ok: false, errors }
    : { ok: true, data: { step: "where", wardIds, beneficiaries, beneficiaryCount, startOn, endOn } };
}
