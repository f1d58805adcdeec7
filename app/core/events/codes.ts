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

/** An officer's kiosk PIN: eight digits, drawn by the server and shown once. */
export const OFFICER_PIN_LENGTH = 8;
/** Wrong tries in a row that lock a PIN until the officer sets a new one. */
export const MAX_PIN_FAILURES = 5;
/** Wrong PINs one kiosk may send in the window before it refuses more. */
export const KIOSK_PIN_TRIES_PER_WINDOW = 10;
export const KIOSK_PIN_WINDOW_MINUTES = 15;

/** "12345678" shown as "1234 5678". */
export function formatPin(pin: string): string {
  return pin.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export type RoundVoterRule = "account" | "register" | "codes";
export type EventVoterCheck = "declared" | "register" | "code";

/**
 * The checks an officer may make at an event under the round's voter rule: a round open to every
 * resident takes a declared postcode and age (or the register, a stronger check); a register round
 * takes only the register; a codes round only the voter's one-time code.
 */
export function eventChecksFor(rule: RoundVoterRule): readonly EventVoterCheck[] {
  if (rule === "register") return ["register"];
  if (rule === "codes") return ["code"];
  return ["declared", "register"];
}

/** Register checks at one kiosk that find no free row, in the window, before it refuses more. */
export const EVENT_REGISTER_TRIES_PER_WINDOW = 10;
export const EVENT_REGISTER_WINDOW_MINUTES = 15;
