/**
 * Integer pence: the only representation of money at rest and across module boundaries.
 *
 * Invariant: a `Pence` value is a JavaScript number that passes `Number.isSafeInteger`, so every
 * sum of pence below 2^53 − 1 (about £90 trillion) is exact. Floats never enter; anything that
 * needs division (splits, parsing) goes through integer/BigInt or decimal.js arithmetic first.
 */
import { MoneyError } from "./errors";

/** An amount in whole pence. Always a safe integer; may be negative only where a caller allows. */
export type Pence = number;

/** Largest amount we can hold exactly: 2^53 − 1 pence. */
export const MAX_SAFE_PENCE: Pence = Number.MAX_SAFE_INTEGER;

export function isPence(value: unknown): value is Pence {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** Positive integer pence (> 0): the only amount a posting may carry. */
export function isPositivePence(value: unknown): value is Pence {
  return isPence(value) && value > 0;
}

export function isNonNegativePence(value: unknown): value is Pence {
  return isPence(value) && value >= 0;
}

export function assertPence(value: unknown, label = "amount"): asserts value is Pence {
  if (!isPence(value)) {
    throw new MoneyError(
      "NOT_INTEGER_PENCE",
      `The ${label} is not a whole number of pence.`,
      `${label} must be a safe integer number of pence, got ${String(value)}`,
    );
  }
}

export function assertPositivePence(value: unknown, label = "amount"): asserts value is Pence {
  assertPence(value, label);
  if (value <= 0) {
    throw new MoneyError(
      "ZERO_NOT_ALLOWED",
      `The ${label} must be more than £0.00.`,
      `${label} must be > 0 pence, got ${value}`,
    );
  }
}

/** Sums pence and fails instead of silently losing precision if the total leaves the safe range. */
export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0;
  for (const value of values) {
    assertPence(value);
    total += value;
    if (!Number.isSafeInteger(total)) {
      throw new MoneyError("TOO_LARGE", "The total is too large.", `sum of pence left the safe integer range`);
    }
  }
  return total;
}
