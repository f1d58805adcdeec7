/**
 * Who may vote online in a round, by the rule the officer set (fixed when voting opens), in
 * increasing strength:
 * - `account`: a signed-in account whose postcode is in the area and who is old enough;
 * - `register`: an account matched to one row of the council's residents' register extract;
 * - `codes`: one-time codes only; online voting with an account is refused.
 * One-time codes are accepted under every rule. This module also reads the register extract's
 * rows and normalises what residents type, so that a typed value and a register value compare equal.
 */
import { messageKey } from "~/core/messages/message-key";
import { normalisePostcode } from "~/core/places/postcode";

export const VOTER_RULE_LIST = ["account", "register", "codes"] as const;
export type VoterRule = (typeof VOTER_RULE_LIST)[number];

export const VOTER_RULE_LABELS: Readonly<Record<VoterRule, string>> = {
  account: "Any account with a postcode in the area, old enough",
  register: "Residents matched to the council's register",
  codes: "One-time codes only",
};

export const CODES_ONLY_MESSAGE =
  "This round takes votes with one-time voting codes only, posted to households or handed out at events. " +
  "If you have a code, vote with it on the code page.";
export const NEEDS_REGISTER_MESSAGE =
  "This round is for residents on the council's register. Match yourself to the register first: it takes a minute.";

export type RuleDecision =
  /** Decided by the rule: the voter may vote, counted in this ward (null when not known). */
  | { decided: true; ok: true; wardId: number | null }
  | { decided: true; ok: false; reason: "codes-only" | "needs-register-match"; message: string }
  /** The `account` rule: the account's postcode and age decide (core/voting/eligibility.ts). */
  | { decided: false };

/**
 * The rule's part of an online voter's eligibility. `registerWardId` is the voter's register match
 * in this round (undefined when they have none; null when matched to a row without a known ward).
 */
export function decideByRule(rule: VoterRule, registerWardId: number | null | undefined): RuleDecision {
  if (rule === "codes") return { decided: true, ok: false, reason: "codes-only", message: CODES_ONLY_MESSAGE };
  if (rule === "register") {
    if (registerWardId === undefined)
      return { decided: true, ok: false, reason: "needs-register-match", message: NEEDS_REGISTER_MESSAGE };
    return { decided: true, ok: true, wardId: registerWardId };
  }
  return { decided: false };
}

/** A register reference as printed (case, spaces and hyphens ignored), or null when it cannot be one. */
export function normaliseRegisterReference(input: string): string | null {
  const cleaned = input.normalize("NFKC").toUpperCase().replace(/[\s-]/g, "");
  return /^[A-Z0-9/.]{3,40}$/.test(cleaned) ? cleaned : null;
}

/** A surname compared without case, accents, spaces or the kind of apostrophe ("O’Brien" = "obrien"). */
export function normaliseSurname(input: string): string | null {
  const cleaned = input
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s'’‘`´.-]/g, "");
  return cleaned.length >= 1 && cleaned.length <= 80 && /^\p{L}+$/u.test(cleaned) ? cleaned : null;
}

/** A date of birth as YYYY-MM-DD, from YYYY-MM-DD or DD/MM/YYYY (the form registers use); null if not a real date. */
export function normaliseDateOfBirth(input: string): string | null {
  const text = input.trim();
  let iso: string | null = null;
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const ukMatch = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  if (isoMatch) iso = `${isoMatch[1]}-${isoMatch[2]!.padStart(2, "0")}-${isoMatch[3]!.padStart(2, "0")}`;
  else if (ukMatch) iso = `${ukMatch[3]}-${ukMatch[2]!.padStart(2, "0")}-${ukMatch[1]!.padStart(2, "0")}`;
  if (!iso) return null;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso || iso < "1900-01-01") return null;
  return iso;
}

/** The person key of a register row or of what a resident typed: normalised postcode|date of birth|surname. */
export function registerPersonKey(postcode: string, dateOfBirth: string, surname: string): string | null {
  const p = normalisePostcode(postcode);
  const d = normaliseDateOfBirth(dateOfBirth);
  const s = normaliseSurname(surname);
  return p && d && s ? `${p}|${d}|${s}` : null;
}

/** The columns of the council's extract, by header name; either the reference or all three person columns. */
export interface RegisterColumns {
  reference: string | null;
  postcode: string | null;
  dateOfBirth: string | null;
  surname: string | null;
}

export interface RegisterRecord {
  line: number;
  reference: string | null;
  personKey: string | null;
  /** The row's postcode (normalised), for its ward; never stored. */
  postcode: string | null;
}

export interface RegisterReadResult {
  records: RegisterRecord[];
  problems: { line: number; message: string }[];
}

export class RegisterColumnError extends Error {}

/**
 * Reads the extract's records (the first is the header). Header names match without case or
 * surrounding spaces. A row needs a good reference, or a good postcode, date of birth and surname.
 */
export function readRegisterRecords(records: readonly string[][], columns: RegisterColumns): RegisterReadResult {
  const [header, ...rows] = records;
  if (!header) throw new RegisterColumnError("rounds:register.empty");
  const names = header.map((h) => h.trim().toLowerCase());
  const indexOf = (name: string | null, label: string): number | null => {
    if (!name) return null;
    const at = names.indexOf(name.trim().toLowerCase());
    if (at < 0)
      throw new RegisterColumnError(
        messageKey("rounds:register.noColumn", { name, label: `=rounds:register.column.${label}` }),
      );
    return at;
  };
  const ref = indexOf(columns.reference, "reference");
  const pc = indexOf(columns.postcode, "postcode");
  const dob = indexOf(columns.dateOfBirth, "dateOfBirth");
  const sn = indexOf(columns.surname, "surname");
  const person = pc !== null && dob !== null && sn !== null;
  if (ref === null && !person) throw new RegisterColumnError("rounds:register.nameColumns");
  const out: RegisterRecord[] = [];
  const problems: RegisterReadResult["problems"] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const line = i + 2;
    if (row.every((cell) => cell.trim() === "")) return;
    const rawRef = ref === null ? "" : (row[ref] ?? "").trim();
    const reference = rawRef ? normaliseRegisterReference(rawRef) : null;
    const personKey = person ? registerPersonKey(row[pc] ?? "", row[dob] ?? "", row[sn] ?? "") : null;
    if (rawRef && !reference) {
      problems.push({ line, message: "rounds:register.badReference" });
      return;
    }
    if (!reference && !personKey) {
      problems.push({
        line,
        message: person ? "rounds:register.noDetails" : "rounds:register.noReference",
      });
      return;
    }
    if (reference && seen.has(reference)) {
      problems.push({ line, message: "rounds:register.repeated" });
      return;
    }
    if (reference) seen.add(reference);
    out.push({ line, reference, personKey, postcode: person ? normalisePostcode(row[pc] ?? "") : null });
  });
  return { records: out, problems };
}
