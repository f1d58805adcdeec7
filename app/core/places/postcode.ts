/**
 * UK postcodes in the ONS `pcds` form: outward code, one space, inward code, upper case
 * ("SW1A 1AA"). Input is accepted with any spacing and case.
 */
const POSTCODE_PATTERN = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/;

/** Returns the `pcds` form of a postcode, or null when the text is not shaped like one. */
export function normalisePostcode(input: string): string | null {
  const compact = input.replace(/\s+/g, "").toUpperCase();
  const match = POSTCODE_PATTERN.exec(compact);
  return match ? `${match[1]} ${match[2]}` : null;
}
