/**
 * ONS GSS codes for electoral wards: a three-character entity code then six digits.
 * England E05, Wales W05, Scotland S13 (multi-member wards), Northern Ireland N08.
 */
export const WARD_ENTITY_CODES = ["E05", "W05", "S13", "N08"] as const;

const WARD_GSS_PATTERN = /^(E05|W05|S13|N08)\d{6}$/;

export function normaliseGssCode(input: string): string {
  return input.trim().toUpperCase();
}

export function isWardGssCode(code: string): boolean {
  return WARD_GSS_PATTERN.test(code);
}

export const WARD_GSS_HINT = "A ward GSS code is E05, W05, S13 or N08 followed by six digits, for example E05012345.";
