/**
 * The short codes of decision day, pure: the confirmation code a device types when it is enrolled
 * (six digits, read aloud or copied from the officer's screen), and how a typed code is tidied.
 */
export const CONFIRM_CODE_LENGTH = 6;
export const MAX_CONFIRM_FAILURES = 5;
export const ENROLMENT_LINK_MINUTES = 15;
/** A kiosk left alone this long forgets the ranking on its screen. */
export const KIOSK_IDLE_SECONDS = 60;

/** Six decimal digits from six random bytes (the caller supplies the randomness). */
export function confirmCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < CONFIRM_CODE_LENGTH) throw new RangeError("need six random bytes");
  // 250 = 25 × 10, so taking bytes below 250 mod 10 is unbiased; a byte of 250 or more is folded by a
  // second modulus, which the caller avoids by drawing again (see `acceptableBytes`).
  return Array.from(bytes.slice(0, CONFIRM_CODE_LENGTH), (b) => String(b % 10)).join("");
}

/** True when every byte is below 250, so each digit is uniform. */
export function acceptableBytes(bytes: Uint8Array): boolean {
  return bytes.slice(0, CONFIRM_CODE_LENGTH).every((b) => b < 250);
}

/** Digits only: "123 456" and "123-456" read as "123456". */
export function tidyCode(input: string): string {
  return input.replace(/[\s-]/g, "");
}
