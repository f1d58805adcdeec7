/**
 * Typed errors for money input and arithmetic.
 *
 * Each error carries a stable `code` for programs and a `userMessage` written for the person who
 * typed the amount, so a form can show it beside the field without translating exception text.
 */

export type MoneyErrorCode =
  | "EMPTY"
  | "INVALID_FORMAT"
  | "TOO_MANY_DECIMAL_PLACES"
  | "NEGATIVE_NOT_ALLOWED"
  | "ZERO_NOT_ALLOWED"
  | "TOO_LARGE"
  | "NOT_INTEGER_PENCE"
  | "INVALID_WEIGHT"
  | "INVALID_SPLIT";

export class MoneyError extends Error {
  readonly code: MoneyErrorCode;
  /** Safe to show to the person who entered the value. */
  readonly userMessage: string;

  constructor(code: MoneyErrorCode, userMessage: string, debugMessage: string = userMessage) {
    super(debugMessage);
    this.name = "MoneyError";
    this.code = code;
    this.userMessage = userMessage;
  }
}

export function isMoneyError(error: unknown): error is MoneyError {
  return error instanceof MoneyError;
}
