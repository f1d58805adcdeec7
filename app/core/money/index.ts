/**
 * Public surface of the money module: integer pence, parsing pounds, formatting, and exact splits.
 * This file only re-exports; nothing in the module imports it.
 */
export { MoneyError, isMoneyError, type MoneyErrorCode } from "./errors";
export {
  MAX_SAFE_PENCE,
  assertPence,
  assertPositivePence,
  isNonNegativePence,
  isPence,
  isPositivePence,
  sumPence,
  type Pence,
} from "./pence";
export { parsePounds, tryParsePounds, type ParsePoundsOptions, type ParsePoundsResult } from "./parse";
export { formatPence, formatPenceAsDecimal } from "./format";
export { MAX_SPLIT_PARTS, allocatePence, splitPence, splitPenceEqually, type SplitWeight } from "./split";
