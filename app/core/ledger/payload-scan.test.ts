/**
 * The fast payload reader against the definition of a valid payload, `parsePayloadV1`.
 *
 * Two properties, on generated payloads and on mutations of them:
 * - sound: whenever the reader returns a seq, `parsePayloadV1` accepts the text and gives that seq;
 * - complete for the common case: every payload `parsePayloadV1` accepts is recognised, unless it
 *   holds a number of 16 digits or a date outside years 1000-9998, which the reader leaves to the
 *   full parser on purpose.
 * Runs on a fixed seed, so a failure can be replayed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, type CanonicalValue } from "./canonical-json";
import { ENTRY_TYPES } from "./entry";
import { goldenVectorRows } from "./golden-vectors";
import { parsePayloadV1, type PayloadV1 } from "./payload";
import { isFinancialYearOfDate, PAYLOAD_V1_PLAIN_LAYOUT, payloadV1SeqReader } from "./payload-scan";
import { sampleLedger } from "./test-support";

const SEED = 20261123;

function fullParse(text: string): PayloadV1 | null {
  try {
    return parsePayloadV1(text);
  } catch {
    return null;
  }
}

/** Inside the range the reader handles itself (see the module comment of payload-scan.ts). */
function inFastRange(p: PayloadV1): boolean {
  return (
    p.effective_date >= "1000-04-01" &&
    p.effective_date <= "9999-03-31" &&
    p.recorded_at >= "1000" &&
    p.seq < 1e15 &&
    p.postings.every((posting) => posting.pence < 1e15)
  );
}

/** Both properties for one text. */
function expectAgreement(text: string): void {
  const parsed = fullParse(text);
  const seq = payloadV1SeqReader()(text);
  if (seq !== 0) expect({ text, seq: parsed?.seq }).toEqual({ text, seq });
  if (parsed && inFastRange(parsed)) expect({ text, seq }).toEqual({ text, seq: parsed.seq });
}

const two = (n: number) => String(n).padStart(2, "0");
const id = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const TRICKY = [
  '"',
  "\\",
  "\n",
  "\r",
  "\t",
  "\b",
  "\f",
  "\u0000",
  "\u0007",
  "\u000b",
  "\u001f",
  "\u007f",
  "\u0080",
  "é",
  "e\u0301",
  "–",
  "\u2028",
  "😀",
  "=",
  ",",
  " ",
  "/",
  "'",
  "Å",
];
const text = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.array(fc.constantFrom(...TRICKY, "a", "Z", "0"), { maxLength: 8 }).map((parts) => parts.join("")),
    fc.string({ unit: "grapheme", maxLength: 6 }),
  )
  .map((s) => s.normalize("NFC"));
const textOrNull = fc.option(text, { nil: null });
const year = fc.oneof(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1000, max: 9999 }));
const date = fc.tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([y, m, d]) => {
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${two(m)}-${two(Math.min(d, last))}`;
});
const instant = fc
  .date({ min: new Date("1000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
  .map((d) => d.toISOString());
const fyLabel = fc.integer({ min: 1000, max: 9998 }).map((start) => `${start}/${two((start + 1) % 100)}`);
const account = fc.oneof(
  fc
    .tuple(fc.constantFrom("AVAILABLE", "EARMARKED", "COMMITTED", "PAYABLE", "PAID", "RECOVERABLE"), id)
    .map(([kind, x]) => `${kind}:${x}`),
  fc.tuple(fc.constantFrom("FUNDING", "RETURNED", "LAPSED"), id, fyLabel).map(([kind, x, fy]) => `${kind}:${x}:${fy}`),
);
const pence = fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const posting = fc.record({ account, dc: fc.constantFrom("D", "C"), pence });
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

function financialYear(effectiveDate: string): string {
  const y = Number(effectiveDate.slice(0, 4));
  const start = Number(effectiveDate.slice(5, 7)) >= 4 ? y : y - 1;
  return `${start}/${two((start + 1) % 100)}`;
}

const payloadText = fc
  .record({
    ledger: text.filter((s) => s.length > 0),
    seq: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
    entry_id: id,
    type: fc.constantFrom(...ENTRY_TYPES),
    effective_date: date,
    recorded_at: instant,
    actor: id,
    approval: fc.option(id, { nil: null }),
    reverses: fc.option(id, { nil: null }),
    resolves: fc.option(id, { nil: null }),
    reason: textOrNull,
    external_ref: textOrNull,
    idempotency_key_sha256: hex64,
    memo: textOrNull,
    postings: fc.array(posting, { maxLength: 4 }),
  })
  .map((fields) =>
    canonicalJson({ v: 1, fy: financialYear(fields.effective_date), ...fields } as unknown as CanonicalValue),
  );

const MUTATION_CHARS = [
  '"',
  "\\",
  ",",
  ":",
  "{",
  "}",
  "[",
  "]",
  " ",
  "\n",
  "0",
  "1",
  "9",
  "a",
  "A",
  "-",
  "/",
  "u",
  "é",
  "\u0301",
  "–",
  "\ud800",
  "n",
  "l",
];
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("delete", "insert", "replace", "swap", "duplicate"),
  char: fc.constantFrom(...MUTATION_CHARS),
  length: fc.integer({ min: 1, max: 12 }),
});

function mutate(
  text: string,
  { at, kind, char, length }: { at: number; kind: string; char: string; length: number },
): string {
  const i = at % (text.length + 1);
  switch (kind) {
    case "delete":
      return text.slice(0, i) + text.slice(i + 1);
    case "insert":
      return text.slice(0, i) + char + text.slice(i);
    case "replace":
      return text.slice(0, i) + char + text.slice(i + 1);
    case "swap":
      return text.slice(0, i) + text.slice(i + 1, i + 2) + text.slice(i, i + 1) + text.slice(i + 2);
    default:
      return text.slice(0, i) + text.slice(i, i + length) + text.slice(i);
  }
}

describe("payloadV1SeqReader", () => {
  it("recognises every payload of the sample ledger and the golden vectors", () => {
    const read = payloadV1SeqReader();
    for (const row of [...sampleLedger().rows, ...goldenVectorRows()]) expect(read(row.payload)).toBe(row.seq);
  });

  it("agrees with parsePayloadV1 on generated payloads", () => {
    fc.assert(
      fc.property(payloadText, (text) => expectAgreement(text)),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("agrees with parsePayloadV1 on mutated payloads", () => {
    fc.assert(
      fc.property(payloadText, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, mutations) =>
        expectAgreement(mutations.reduce(mutate, text)),
      ),
      { seed: SEED, numRuns: 6000 },
    );
  });

  const base = sampleLedger().rows[2]!.payload;
  const withField = (key: string, raw: string) =>
    base.replace(new RegExp(`"${key}":(null|"(?:[^"\\\\]|\\\\.)*"|[0-9]+)`), `"${key}":${raw}`);

  it.each<[string, string, boolean]>([
    ["the sample payload", base, true],
    ["a memo with a \\u001f escape", withField("memo", '"a\\u001fb"'), true],
    ["a memo with \\u001F (uppercase hex)", withField("memo", '"a\\u001Fb"'), false],
    ["a memo with \\u0008 instead of \\b", withField("memo", '"a\\u0008b"'), false],
    ["a memo with an escaped slash", withField("memo", '"a\\/b"'), false],
    ["a memo with an escaped letter", withField("memo", '"\\u0041"'), false],
    ["a memo with a raw line feed", withField("memo", '"a\nb"'), false],
    ["a memo with a raw U+2028", withField("memo", '"a\u2028b"'), true],
    ["a memo with an en dash and é", withField("memo", '"Café – garden"'), true],
    ["a memo with a decomposed é", withField("memo", '"Cafe\u0301"'), false],
    ["a memo with a lone surrogate", withField("memo", '"a\ud800b"'), false],
    ["a memo with a surrogate pair", withField("memo", '"a😀b"'), true],
    ["an empty memo", withField("memo", '""'), true],
    ["an empty ledger id", withField("ledger", '""'), false],
    ["a leap day", withField("effective_date", '"2028-02-29"').replace('"fy":"2025/26"', '"fy":"2027/28"'), true],
    [
      "29 February of 1900",
      withField("effective_date", '"1900-02-29"').replace('"fy":"2025/26"', '"fy":"1899/00"'),
      false,
    ],
    [
      "29 February of 2000",
      withField("effective_date", '"2000-02-29"').replace('"fy":"2025/26"', '"fy":"1999/00"'),
      true,
    ],
    [
      "29 February of 2100",
      withField("effective_date", '"2100-02-29"').replace('"fy":"2025/26"', '"fy":"2099/00"'),
      false,
    ],
    ["31 April", withField("effective_date", '"2025-04-31"'), false],
    ["a fy that is not the date's", base.replace('"fy":"2025/26"', '"fy":"2026/27"'), false],
    ["recorded_at at 24:00", withField("recorded_at", '"2025-06-12T24:00:00.000Z"'), false],
    ["recorded_at at 23:59:59.999", withField("recorded_at", '"2025-06-12T23:59:59.999Z"'), true],
    ["recorded_at without milliseconds", withField("recorded_at", '"2025-06-12T23:59:59Z"'), false],
    ["seq 0", withField("seq", "0"), false],
    ["seq with a leading zero", withField("seq", "03"), false],
    ["a space after a colon", base.replace('"v":1', '"v": 1'), false],
    ["v 2", base.replace('"v":1', '"v":2'), false],
    [
      "keys out of order",
      base.replace('"actor":"u-finance-3","approval":"AP-0001"', '"approval":"AP-0001","actor":"u-finance-3"'),
      false,
    ],
    ["an unknown type", base.replace('"type":"COMMIT"', '"type":"GIFT"'), false],
    [
      "an uppercase idempotency hash",
      base.replace(
        /"idempotency_key_sha256":"([0-9a-f]{64})"/,
        (_m, h: string) => `"idempotency_key_sha256":"${h.toUpperCase()}"`,
      ),
      false,
    ],
    ["a posting of 0 pence", base.replace(/"pence":\d+/, '"pence":0'), false],
    ["a posting with dc X", base.replace('"dc":"D"', '"dc":"X"'), false],
    ["an account of an unknown kind", base.replace(/"account":"AVAILABLE:/, '"account":"SPARE:'), false],
    ["a trailing newline", `${base}\n`, false],
  ])("%s", (_label, text, recognised) => {
    expect(payloadV1SeqReader()(text) !== 0).toBe(recognised);
    expectAgreement(text);
  });

  it("checks the financial year inside scheme-year account keys", () => {
    const budget = sampleLedger().rows[0]!.payload;
    expect(budget).toContain('"account":"FUNDING:WB:2025/26"');
    expect(payloadV1SeqReader()(budget)).toBe(1);
    for (const fy of ["2025/27", "2025/2", "9999/00", "0999/00"]) {
      const text = budget.replace("FUNDING:WB:2025/26", `FUNDING:WB:${fy}`);
      expect(payloadV1SeqReader()(text)).toBe(0);
      expectAgreement(text);
    }
    const century = budget.replace("FUNDING:WB:2025/26", "FUNDING:WB:2099/00");
    expect(payloadV1SeqReader()(century)).toBe(1);
    expectAgreement(century);
  });

  it("leaves numbers of 16 digits and dates outside 1000-9998 to the full parser", () => {
    const big = withField("seq", "1234567890123456");
    expect(fullParse(big)?.seq).toBe(1234567890123456);
    expect(payloadV1SeqReader()(big)).toBe(0);
    const early = withField("effective_date", '"1000-01-15"').replace('"fy":"2025/26"', '"fy":"0999/00"');
    expect(payloadV1SeqReader()(early)).toBe(0);
    expectAgreement(early);
  });
});

/**
 * A worker thread that checks part of a chain cannot load this module: it runs the exported plain
 * layout and reports each date and fy it captured, which the calling thread checks with
 * `isFinancialYearOfDate`; a text the layout does not match goes to the reader itself. Where the
 * layout matches, that split must accept exactly what the reader accepts, with the same seq.
 */
describe("PAYLOAD_V1_PLAIN_LAYOUT with isFinancialYearOfDate", () => {
  function expectSameAsReader(text: string): void {
    const match = PAYLOAD_V1_PLAIN_LAYOUT.exec(text);
    if (match === null) return;
    const [, date, fy, seq] = match;
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/); // the worker's reply puts the fy right after 10 characters of date
    const split = isFinancialYearOfDate(date!, fy!) ? Number(seq) : 0;
    expect({ text, seq: split }).toEqual({ text, seq: payloadV1SeqReader()(text) });
  }

  it("matches every plain payload of the sample ledger and the golden vectors", () => {
    for (const row of [...sampleLedger().rows, ...goldenVectorRows()]) {
      if (/[\u0300-\uffff]/.test(row.payload)) continue;
      expect(PAYLOAD_V1_PLAIN_LAYOUT.exec(row.payload)?.[3]).toBe(String(row.seq));
      expectSameAsReader(row.payload);
    }
  });

  it("agrees with the reader on generated and mutated payloads", () => {
    fc.assert(
      fc.property(payloadText, fc.array(mutation, { maxLength: 3 }), (text, mutations) =>
        expectSameAsReader(mutations.reduce(mutate, text)),
      ),
      { seed: SEED, numRuns: 4000 },
    );
  });

  it("leaves a payload with text to decode to the reader", () => {
    const plain = sampleLedger().rows.find((row) => !/[\u0300-\uffff]/.test(row.payload))!.payload;
    expect(PAYLOAD_V1_PLAIN_LAYOUT.exec(plain)).not.toBeNull();
    const decoded = plain.replace(/"memo":(null|"(?:[^"\\]|\\.)*")/, '"memo":"Café – garden"');
    expect(decoded).not.toBe(plain);
    expect(payloadV1SeqReader()(decoded)).not.toBe(0);
    expect(PAYLOAD_V1_PLAIN_LAYOUT.exec(decoded)).toBeNull();
  });
});
