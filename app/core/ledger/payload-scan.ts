/**
 * A one-pass recogniser of canonical payload v1 text, so a long chain verifies quickly.
 *
 * `parsePayloadV1` is the definition of a valid payload: it parses the text, checks every field and
 * serialises the result again to compare byte for byte. That costs tens of microseconds a row,
 * most of the time of verifying a million-entry chain. Canonical v1 text has only one possible
 * layout, though: the 17 keys in code-unit order, no whitespace, every value in its one canonical
 * spelling. `payloadV1SeqReader` matches the text against that layout with one anchored regular
 * expression (compiled to machine code: one pass, no backtracking to speak of), then makes the one
 * check a grammar cannot: fy against effective_date.
 *
 * The reader never decides that a payload is invalid. It returns the payload's seq when the text is
 * canonical v1 (so `parsePayloadV1` would accept it and give that seq), and 0 when it cannot show
 * that: the text is invalid, or merely outside the common case (a number of 16 digits, a date
 * outside years 1000-9998). On 0 the caller runs `parsePayloadV1`, which gives the verdict and its
 * reason. The verdict is therefore always `parsePayloadV1`'s; payload-scan.test.ts checks that the
 * two agree on generated and mutated payloads.
 *
 * The layout, value by value:
 * - ids (actor, entry_id, approval, reverses, resolves): 1-128 of A-Z a-z 0-9 . _ -;
 * - text (ledger, reason, external_ref, memo): a JSON string spelt as JSON.stringify spells it: the
 *   escapes \" \\ \b \f \n \r \t, other controls as \u00xx in lowercase hex, nothing else
 *   escaped. Every character below U+0300 is NFC-stable and composes with no neighbour, so text
 *   made only of those is NFC as it stands; text with a character at or above U+0300 (an en dash,
 *   a curly quote) is decoded and must be NFC with no lone surrogate;
 * - effective_date and the date of recorded_at: a real calendar date (month lengths and leap years
 *   are part of the grammar), years 1000-9999; recorded_at's time 00:00:00.000-23:59:59.999, so it
 *   is exactly what `new Date(x).toISOString()` gives back;
 * - fy: the financial year of effective_date (worked out once per distinct date);
 * - idempotency_key_sha256: 64 lowercase hex; type: an entry type; v: 1;
 * - seq and each pence: a positive integer of at most 15 digits, no leading zero;
 * - postings: zero or more {"account", "dc", "pence"} objects, dc "D" or "C", the account a valid
 *   key (kind, identifiers and, for FUNDING, RETURNED and LAPSED, a financial-year label whose two
 *   halves follow on: the grammar lists the hundred endings 00/01 ... 99/00).
 */
import { hasLoneSurrogate } from "./canonical-json";
import { ENTRY_TYPES } from "./entry";
import { financialYearOf } from "./financial-year";

/** A character a canonical string holds as itself: not a quote, backslash or control; below U+0300. */
const PLAIN_CHAR = '[^"\\\\\\x00-\\x1f\\u0300-\\uffff]';
/** The same, at any code point (such text is then decoded and checked for NFC). */
const ANY_CHAR = '[^"\\\\\\x00-\\x1f]';
/** The escapes JSON.stringify writes: the short forms, and \u00xx for the other controls. */
const ESCAPE = '\\\\(?:["\\\\bfnrt]|u00(?:0[0-7bef]|1[0-9a-f]))';
const text = (char: string) => `"${char}*(?:${ESCAPE}${char}*)*"`;
const nonEmptyText = (char: string) => `"(?!")${char}*(?:${ESCAPE}${char}*)*"`;

const ID = '"[A-Za-z0-9._-]{1,128}"';
const ID_OR_NULL = `(?:null|${ID})`;
const POSITIVE_INT = "[1-9][0-9]{0,14}";
const YEAR = "[1-9][0-9]{3}";
const LEAP_YEAR = "(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)";
const CALENDAR_DATE =
  `(?:${YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))` +
  `|${LEAP_YEAR}-02-29)`;
const INSTANT = `${CALENDAR_DATE}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z`;
const two = (n: number) => String(n).padStart(2, "0");
/** A financial-year label, 1000/01 to 9998/99: the second half is the year after the first. */
const FY_LABEL = `(?!9999/)[1-9][0-9](?:${Array.from({ length: 100 }, (_, n) => `${two(n)}/${two((n + 1) % 100)}`).join("|")})`;
const IDENTIFIER = "[A-Za-z0-9._-]{1,64}";
const ACCOUNT = `(?:(?:AVAILABLE|EARMARKED|COMMITTED|PAYABLE|PAID|RECOVERABLE):${IDENTIFIER}|(?:FUNDING|RETURNED|LAPSED):${IDENTIFIER}:${FY_LABEL})`;
const POSTING = `\\{"account":"${ACCOUNT}","dc":"[DC]","pence":${POSITIVE_INT}\\}`;

/** The layout, capturing effective_date, fy and seq. */
function layout(char: string): RegExp {
  const textOrNull = `(?:null|${text(char)})`;
  return new RegExp(
    "^" +
      `\\{"actor":${ID},"approval":${ID_OR_NULL},"effective_date":"(${CALENDAR_DATE})","entry_id":${ID},"external_ref":${textOrNull}` +
      `,"fy":"([0-9]{4}/[0-9]{2})","idempotency_key_sha256":"[0-9a-f]{64}","ledger":${nonEmptyText(char)},"memo":${textOrNull}` +
      `,"postings":\\[(?:${POSTING}(?:,${POSTING})*)?\\],"reason":${textOrNull},"recorded_at":"${INSTANT}"` +
      `,"resolves":${ID_OR_NULL},"reverses":${ID_OR_NULL},"seq":(${POSITIVE_INT}),"type":"(?:${ENTRY_TYPES.join("|")})","v":1\\}` +
      "$",
  );
}

/**
 * Canonical v1 whose text holds no character at or above U+0300: nothing left to decode. A text
 * it matches is canonical v1 exactly when its fy (second capture) is the financial year of its
 * effective_date (first capture), which `isFinancialYearOfDate` decides; the third capture is
 * the seq. Exported so that code which cannot load this module (a worker thread that checks part
 * of a chain) can run the same pattern: a RegExp survives structured cloning. Such code must
 * leave the date check, and every text the pattern does not match, to this module.
 */
export const PAYLOAD_V1_PLAIN_LAYOUT: RegExp = layout(PLAIN_CHAR);
const PLAIN_LAYOUT = PAYLOAD_V1_PLAIN_LAYOUT;
/** Canonical v1 apart from NFC, which is then checked on the decoded strings. */
const ANY_LAYOUT = layout(ANY_CHAR);
/** A JSON string token, in a text known to match ANY_LAYOUT (so its quotes pair up). */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"/g;
const NOT_PLAIN = /[\u0300-\uffff]/;

/** Readers forget the dates they have seen beyond this many, so memory stays bounded. */
const MAX_REMEMBERED_DATES = 100_000;

/** Every string in the text is NFC and free of lone surrogates once decoded. */
function stringsAreNfc(payload: string): boolean {
  for (const token of payload.match(STRING_TOKEN) ?? []) {
    if (!NOT_PLAIN.test(token)) continue;
    const decoded = JSON.parse(token) as string;
    if (hasLoneSurrogate(decoded) || decoded.normalize("NFC") !== decoded) return false;
  }
  return true;
}

/**
 * The financial year of a date the layouts admit (a real calendar date, years 1000-9999), or null
 * when the year would start outside 1000-9998: `financialYearOf` refuses those, and the full parser
 * reports them.
 */
function financialYearOfLayoutDate(date: string): string | null {
  return date < "1000-04-01" || date > "9999-03-31" ? null : financialYearOf(date);
}

/** For the captures of `PAYLOAD_V1_PLAIN_LAYOUT`: fy is the financial year of the date. */
export function isFinancialYearOfDate(date: string, fy: string): boolean {
  return financialYearOfLayoutDate(date) === fy;
}

/**
 * A reader of payload texts: each call returns the payload's seq when the text is canonical
 * payload v1, or 0 when the caller must decide with `parsePayloadV1`. Keep one reader for a run
 * of payloads (a chain): it remembers the financial year of each date it has seen.
 */
export function payloadV1SeqReader(): (payload: string) => number {
  const fyOfDate = new Map<string, string>();
  return (payload) => {
    let match = PLAIN_LAYOUT.exec(payload);
    if (match === null) {
      match = ANY_LAYOUT.exec(payload);
      if (match === null || !stringsAreNfc(payload)) return 0;
    }
    const date = match[1]!;
    let fy = fyOfDate.get(date);
    if (fy === undefined) {
      // The grammar has made it a real date in 1000-9999; a year that would start outside
      // 1000-9998 is left to the full parser to report.
      fy = financialYearOfLayoutDate(date) ?? undefined;
      if (fy === undefined) return 0;
      if (fyOfDate.size >= MAX_REMEMBERED_DATES) fyOfDate.clear();
      fyOfDate.set(date, fy);
    }
    return match[2] === fy ? Number(match[3]) : 0;
  };
}
