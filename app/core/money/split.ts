/**
 * Splits an amount of pence into parts that add up exactly to the penny.
 *
 * Method: largest remainder (Hamilton), in BigInt so nothing is ever rounded.
 *   1. total T, weights w_i, W = Σ w_i;
 *   2. base_i = ⌊T·w_i / W⌋;
 *   3. r = T − Σ base_i, with 0 ≤ r < n;
 *   4. the r parts with the largest remainders (T·w_i mod W) get one more penny;
 *   5. ties between equal remainders go to the part whose tie key is smallest, comparing keys by
 *      UTF-16 code units (plain `<`, not locale order). Never by array position or randomness, so
 *      the same inputs always give the same pennies whatever order the caller lists them in.
 *
 * Guarantees: Σ shares = T; every share is within 1p of its exact quota T·w_i/W (strictly less than
 * 1p away); a zero weight always gets 0. Weights are non-negative safe integers or decimal strings
 * such as "2.5" (no sign, no exponent); decimal strings are scaled to integers exactly.
 *
 * Reversing a split must mirror the original postings, not re-run the split.
 *
 * Example: 100000p in ratio 2:2:3 with keys A, B, C → 28572 / 28571 / 42857 (A and B tie on the
 * remainder; A sorts first and takes the penny).
 */
import { MoneyError } from "./errors";
import { assertPence, type Pence } from "./pence";

/** A weight: a non-negative safe integer, or a non-negative decimal string like "1.25". */
export type SplitWeight = number | string;

/** Limits, so a bad input fails fast instead of allocating a huge array or BigInt. */
export const MAX_SPLIT_PARTS = 10_000;
const MAX_WEIGHT_DECIMAL_PLACES = 12;
const MAX_WEIGHT_DIGITS = 30;

const DECIMAL_WEIGHT_PATTERN = /^(\d+)(?:\.(\d+))?$/;

function invalidSplit(message: string): never {
  throw new MoneyError("INVALID_SPLIT", "The amount could not be shared out.", message);
}

function invalidWeight(weight: unknown, index: number): never {
  throw new MoneyError(
    "INVALID_WEIGHT",
    "A share weight is not a valid number.",
    `weight ${index} is invalid: ${String(weight)}`,
  );
}

/** Reads a weight as an integer numerator over 10^decimalPlaces. */
function readWeight(weight: SplitWeight, index: number): { digits: bigint; decimalPlaces: number } {
  if (typeof weight === "number") {
    if (!Number.isSafeInteger(weight) || weight < 0) invalidWeight(weight, index);
    return { digits: BigInt(weight), decimalPlaces: 0 };
  }
  if (typeof weight !== "string") invalidWeight(weight, index);
  const match = DECIMAL_WEIGHT_PATTERN.exec(weight);
  if (!match) invalidWeight(weight, index);
  const integerPart = match[1] ?? "";
  const fractionPart = match[2] ?? "";
  if (fractionPart.length > MAX_WEIGHT_DECIMAL_PLACES || integerPart.length + fractionPart.length > MAX_WEIGHT_DIGITS) {
    invalidWeight(weight, index);
  }
  return { digits: BigInt(integerPart + fractionPart), decimalPlaces: fractionPart.length };
}

/** Scales all weights to integers over one common power of ten, so their ratios are exact. */
function weightsAsIntegers(weights: readonly SplitWeight[]): bigint[] {
  const read = weights.map(readWeight);
  const scale = Math.max(0, ...read.map((w) => w.decimalPlaces));
  return read.map((w) => w.digits * 10n ** BigInt(scale - w.decimalPlaces));
}

function checkTieKeys(tieKeys: readonly string[], partCount: number): void {
  if (tieKeys.length !== partCount) invalidSplit(`expected ${partCount} tie keys, got ${tieKeys.length}`);
  const seen = new Set<string>();
  for (const key of tieKeys) {
    if (typeof key !== "string") invalidSplit(`tie keys must be strings`);
    if (seen.has(key)) invalidSplit(`tie key ${JSON.stringify(key)} is repeated; ties could not be broken`);
    seen.add(key);
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Splits `totalPence` (≥ 0) pro rata to `weights`, breaking remainder ties by `tieKeys` (ascending,
 * e.g. budget id or ward GSS code). Returns one share per weight, in the same order.
 */
export function splitPence(totalPence: Pence, weights: readonly SplitWeight[], tieKeys: readonly string[]): Pence[] {
  assertPence(totalPence, "total");
  if (totalPence < 0) invalidSplit(`total must not be negative, got ${totalPence}`);
  if (weights.length === 0) invalidSplit("there must be at least one part");
  if (weights.length > MAX_SPLIT_PARTS) invalidSplit(`at most ${MAX_SPLIT_PARTS} parts`);
  checkTieKeys(tieKeys, weights.length);

  const scaledWeights = weightsAsIntegers(weights);
  const weightTotal = scaledWeights.reduce((sum, w) => sum + w, 0n);
  if (weightTotal === 0n) invalidSplit("the weights add up to zero");

  const total = BigInt(totalPence);
  const shares = scaledWeights.map((w) => (total * w) / weightTotal);
  const remainders = scaledWeights.map((w) => (total * w) % weightTotal);
  let leftover = total - shares.reduce((sum, s) => sum + s, 0n);

  const order = scaledWeights
    .map((_, index) => index)
    .sort((a, b) => {
      const byRemainder = remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : 0;
      return byRemainder !== 0 ? byRemainder : compareCodeUnits(tieKeys[a]!, tieKeys[b]!);
    });
  for (const index of order) {
    if (leftover === 0n) break;
    shares[index] = shares[index]! + 1n;
    leftover -= 1n;
  }
  return shares.map((share) => Number(share));
}

/** Splits `totalPence` into equal parts; the leftover pennies go to the smallest tie keys. */
export function splitPenceEqually(totalPence: Pence, tieKeys: readonly string[]): Pence[] {
  return splitPence(
    totalPence,
    tieKeys.map(() => 1),
    tieKeys,
  );
}

/** Keyed form of `splitPence`: each part names itself, and the key doubles as its tie-breaker. */
export function allocatePence<K extends string>(
  totalPence: Pence,
  parts: readonly { key: K; weight: SplitWeight }[],
): { key: K; pence: Pence }[] {
  const shares = splitPence(
    totalPence,
    parts.map((part) => part.weight),
    parts.map((part) => part.key),
  );
  return parts.map((part, index) => ({ key: part.key, pence: shares[index]! }));
}
