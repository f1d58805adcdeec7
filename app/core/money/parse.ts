/**
 * Parses an amount typed in pounds ("£1,500.50", "1500.5", "12") into integer pence.
 *
 * Rules (strict, so a typo never becomes a different amount):
 * - surrounding whitespace is ignored; an optional "£" may lead (after an optional "-");
 * - thousands commas are allowed only in the right places: "1,500" and "1,234,567" but not
 *   "15,00" or "1,5000"; without commas any number of digits is fine;
 * - at most 2 decimal places. More is an error, never a rounding: "1.005" is rejected, and so is
 *   "1.500", because a person who typed three places may have meant something else;
 * - negatives only when `allowNegative` is set; zero unless `allowZero` is false;
 * - the result must be a safe integer (Number.isSafeInteger).
 *
 * decimal.js is used for the ×100 step with a private clone (precision 80, ROUND_HALF_UP named even
 * though no rounding can happen here), so the global Decimal settings never matter.
 */
import Decimal from "decimal.js";
import { MoneyError } from "./errors";
import type { Pence } from "./pence";

export interface ParsePoundsOptions {
  /** Accept a leading "-" (refunds, adjustments). Default false. */
  allowNegative?: boolean;
  /** Accept 0 / "0.00". Default true. */
  allowZero?: boolean;
}

export type ParsePoundsResult = { ok: true; pence: Pence } | { ok: false; error: MoneyError };

/** Longest input we look at; anything longer is not a plausible amount. */
const MAX_INPUT_LENGTH = 64;

// Precision above the longest input, so the ×100 below is always exact.
const PoundsDecimal = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

// sign, optional £ (and spaces after it), integer part (plain digits or correctly grouped), fraction.
const AMOUNT_PATTERN = /^(-)?£?\s*(\d+|\d{1,3}(?:,\d{3})+)?(?:\.(\d+))?$/;

const MESSAGES = {
  EMPTY: "Enter an amount, for example 1,500.50.",
  INVALID_FORMAT: "Enter an amount in pounds and pence, for example 1,500.50.",
  TOO_MANY_DECIMAL_PLACES: "Enter an amount with no more than 2 decimal places, for example 1,500.50.",
  NEGATIVE_NOT_ALLOWED: "Enter an amount that is not negative.",
  ZERO_NOT_ALLOWED: "Enter an amount more than £0.00.",
  TOO_LARGE: "Enter a smaller amount.",
} as const;

function fail(code: keyof typeof MESSAGES, input: string): never {
  throw new MoneyError(code, MESSAGES[code], `${code}: cannot parse ${JSON.stringify(input)} as pounds`);
}

/** Parses pounds to pence, throwing a `MoneyError` whose `userMessage` can be shown to the user. */
export function parsePounds(input: string, options: ParsePoundsOptions = {}): Pence {
  const { allowNegative = false, allowZero = true } = options;
  if (typeof input !== "string") fail("INVALID_FORMAT", String(input));
  const text = input.trim();
  if (text === "" || text === "£" || text === "-") fail("EMPTY", input);
  if (text.length > MAX_INPUT_LENGTH) fail("INVALID_FORMAT", input);

  const match = AMOUNT_PATTERN.exec(text);
  if (!match) fail("INVALID_FORMAT", input);
  const [, sign, integerPart, fractionPart] = match;
  if (integerPart === undefined && fractionPart === undefined) fail("INVALID_FORMAT", input);
  if (fractionPart !== undefined && fractionPart.length > 2) fail("TOO_MANY_DECIMAL_PLACES", input);

  const plain = `${integerPart === undefined ? "0" : integerPart.replace(/,/g, "")}.${fractionPart ?? "0"}`;
  const penceDecimal = new PoundsDecimal(plain).times(100);
  if (!penceDecimal.isInteger()) fail("TOO_MANY_DECIMAL_PLACES", input);
  if (penceDecimal.greaterThan(Number.MAX_SAFE_INTEGER)) fail("TOO_LARGE", input);

  const magnitude = penceDecimal.toNumber();
  if (magnitude === 0) {
    if (!allowZero) fail("ZERO_NOT_ALLOWED", input);
    return 0;
  }
  if (sign === "-") {
    if (!allowNegative) fail("NEGATIVE_NOT_ALLOWED", input);
    return -magnitude;
  }
  return magnitude;
}

/** Like `parsePounds`, but returns a result instead of throwing (handy in form validation). */
export function tryParsePounds(input: string, options: ParsePoundsOptions = {}): ParsePoundsResult {
  try {
    return { ok: true, pence: parsePounds(input, options) };
  } catch (error) {
    if (error instanceof MoneyError) return { ok: false, error };
    throw error;
  }
}
