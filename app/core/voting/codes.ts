/**
 * One-time voting codes and ballot receipts in Crockford base32: no I, L, O or U, so a code read
 * aloud or copied from paper is hard to get wrong. A voting code is 12 characters (60 bits) shown in
 * groups of four; a receipt is 20 characters (100 bits). The random bytes come from the caller.
 */

export const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 12;
export const RECEIPT_LENGTH = 20;

/** Encodes the low 5 bits of each byte: callers pass one random byte per character. */
export function base32FromBytes(bytes: Uint8Array, length: number): string {
  if (bytes.length < length) throw new Error(`Need ${length} random bytes, got ${bytes.length}`);
  let out = "";
  for (let i = 0; i < length; i++) out += CROCKFORD_ALPHABET[bytes[i]! & 31];
  return out;
}

/** Groups of four separated by hyphens: "7K3M-9QXA-2BHD". */
export function groupInFours(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

/**
 * Reads what a person typed: case, spaces and hyphens ignored; O read as 0 and I, L as 1 (the
 * Crockford rules). Returns the canonical characters, or null when it cannot be a code of `length`.
 */
export function normaliseBase32(input: string, length: number): string | null {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (cleaned.length !== length) return null;
  for (const ch of cleaned) if (!CROCKFORD_ALPHABET.includes(ch)) return null;
  return cleaned;
}

export const normaliseVotingCode = (input: string) => normaliseBase32(input, CODE_LENGTH);
export const normaliseReceipt = (input: string) => normaliseBase32(input, RECEIPT_LENGTH);
