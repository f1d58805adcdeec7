/**
 * Canonical JSON (RFC 8785 JCS) for the subset of JSON the ledger hashes: integers, strings, null,
 * arrays and objects. Nothing else is accepted, so there is no number formatting to disagree on.
 *
 * Rules:
 * - integers must be safe (|n| ≤ 2^53 − 1) and are written in plain decimal; -0 is written "0";
 * - floats, booleans, undefined, BigInt, functions, symbols, Dates, Maps and class instances are
 *   rejected with LedgerError NOT_CANONICAL_VALUE;
 * - strings are NFC-normalised, then escaped exactly as ECMAScript JSON.stringify does (", \ and
 *   control characters; \b \f \n \r \t short forms; other controls as \u00xx lowercase; everything
 *   else, including non-ASCII, written as itself). Strings with lone surrogates are rejected,
 *   because they have no UTF-8 form. Text is therefore NFC-normalised before it is stored (the
 *   builders do it), so the row and the hashed payload hold the same characters;
 * - object keys are NFC-normalised and sorted by UTF-16 code units; two keys that normalise to the
 *   same text are rejected;
 * - no whitespace anywhere.
 * The result, encoded as UTF-8, is what gets hashed.
 */
import { LedgerError, issue } from "./errors";

export type CanonicalValue =
  string | number | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 32;

/** True when text holds an unpaired UTF-16 surrogate, which has no UTF-8 form. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Orders strings by UTF-16 code units (plain `<`), the order JCS and the audit pack use. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reject(path: string, what: string): never {
  throw new LedgerError([issue("NOT_CANONICAL_VALUE", `${path}: ${what} cannot be serialised canonically`)]);
}

function serialiseString(text: string, path: string): string {
  if (hasLoneSurrogate(text)) reject(path, "a string with a lone surrogate");
  return JSON.stringify(text.normalize("NFC"));
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function serialiseObject(value: { readonly [key: string]: unknown }, path: string, depth: number): string {
  const entries = Object.keys(value).map((key) => {
    if (hasLoneSurrogate(key)) reject(path, "a key with a lone surrogate");
    return [key.normalize("NFC"), key] as const;
  });
  entries.sort(([a], [b]) => compareCodeUnits(a, b));
  const members = entries.map(([normalised, original], index) => {
    if (index > 0 && entries[index - 1]![0] === normalised)
      reject(path, `two keys that normalise to ${JSON.stringify(normalised)}`);
    return `${JSON.stringify(normalised)}:${serialise(value[original], `${path}.${original}`, depth + 1)}`;
  });
  return `{${members.join(",")}}`;
}

function serialise(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) reject(path, `nesting deeper than ${MAX_DEPTH}`);
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return serialiseString(value, path);
    case "number":
      if (!Number.isSafeInteger(value)) reject(path, `the number ${value} (only safe integers are allowed)`);
      return String(value);
    case "object":
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) reject(`${path}[${i}]`, "a hole in an array");
          items.push(serialise(value[i], `${path}[${i}]`, depth + 1));
        }
        return `[${items.join(",")}]`;
      }
      if (!isPlainObject(value)) reject(path, `a ${value.constructor?.name ?? "non-plain"} object`);
      return serialiseObject(value as { readonly [key: string]: unknown }, path, depth);
    default:
      return reject(path, `a ${typeof value}`);
  }
}

/** Serialises a value canonically; throws LedgerError NOT_CANONICAL_VALUE for anything outside the subset. */
export function canonicalJson(value: CanonicalValue): string {
  return serialise(value, "$", 0);
}

/** True when `text` is exactly the canonical serialisation of what it parses to. */
export function isCanonicalJson(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text) as CanonicalValue) === text;
  } catch {
    return false;
  }
}
