/**
 * Format checks for the registration numbers and bank details a community group gives. They check
 * shape only (the council's officer checks the registers when verifying the group):
 *
 * - Charity numbers: England and Wales, 6 or 7 digits (an optional "-n" suffix marks a linked
 *   charity); Scotland, SC then 6 digits; Northern Ireland, NIC then 6 digits (older numbers XN/XR
 *   and 5–6 digits are also accepted).
 * - Company numbers (Companies House): 8 characters, either 8 digits or a 2-letter prefix (SC, NI,
 *   OC, SO, NC, R0, CE, CS, IP, SP, RS, …) then 6 digits. Shorter all-digit numbers are padded with
 *   leading zeros, as Companies House writes them; leading zeros are kept (they matter in
 *   identifiers such as GB-COH-01234567).
 * - UK bank details: sort code 6 digits (dashes and spaces allowed), account number 8 digits.
 */

export type CharityRegister = "england-wales" | "scotland" | "northern-ireland";

export function normaliseCharityNumber(input: string): { number: string; register: CharityRegister } | null {
  const compact = input.replace(/\s+/g, "").toUpperCase();
  if (/^\d{6,7}(-\d{1,3})?$/.test(compact)) return { number: compact, register: "england-wales" };
  if (/^SC\d{6}$/.test(compact)) return { number: compact, register: "scotland" };
  if (/^NIC\d{6}$/.test(compact) || /^X[NR]\d{5,6}$/.test(compact))
    return { number: compact, register: "northern-ireland" };
  return null;
}

export function normaliseCompanyNumber(input: string): string | null {
  const compact = input.replace(/\s+/g, "").toUpperCase();
  if (/^\d{1,8}$/.test(compact)) return compact.padStart(8, "0");
  if (/^[A-Z]{2}\d{6}$/.test(compact) || /^R0\d{6}$/.test(compact)) return compact;
  return null;
}

export function normaliseSortCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4)}` : null;
}

export function normaliseAccountNumber(input: string): string | null {
  const digits = input.replace(/\s+/g, "");
  return /^\d{8}$/.test(digits) ? digits : null;
}

/** What a member of the group (not finance) sees of an account number. */
export function maskAccountNumber(accountNumber: string): string {
  return `****${accountNumber.slice(-4)}`;
}
