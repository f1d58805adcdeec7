/**
 * The catalogue key for an amount a person typed that could not be read (admin:money.*), so the
 * message is shown in the reader's language; other money errors keep their own text.
 */
import type { MoneyError, MoneyErrorCode } from "~/core/money";

const TYPED_AMOUNT_CODES: readonly MoneyErrorCode[] = [
  "EMPTY",
  "INVALID_FORMAT",
  "TOO_MANY_DECIMAL_PLACES",
  "NEGATIVE_NOT_ALLOWED",
  "ZERO_NOT_ALLOWED",
  "TOO_LARGE",
];

export function moneyMessage(error: MoneyError): string {
  return TYPED_AMOUNT_CODES.includes(error.code) ? `admin:money.${error.code}` : error.userMessage;
}
