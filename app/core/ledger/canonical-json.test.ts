import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson, isCanonicalJson, type CanonicalValue } from "./canonical-json";
import { LedgerError } from "./errors";

describe("canonical JSON", () => {
  it("sorts keys and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: [3, "x", null], c: { z: null, y: "" } })).toBe(
      '{"a":[3,"x",null],"b":1,"c":{"y":"","z":null}}',
    );
  });

  it("sorts keys by UTF-16 code units (RFC 8785 §3.2.3 order)", () => {
    const keys = ["\u20ac", "\r", "1", "\ud83d\ude00", "\u0080", "\u00f6"];
    const value = Object.fromEntries(keys.map((k, i) => [k, i]));
    expect(canonicalJson(value)).toBe('{"\\r":1,"1":2,"\u0080":4,"\u00f6":5,"\u20ac":0,"\ud83d\ude00":3}');
  });

  it("escapes strings exactly as JSON.stringify (RFC 8785 §3.2.2.2 example)", () => {
    const input = '\u20ac$\u000f\nA\'B"\\\\"/';
    expect(canonicalJson(input)).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
    expect(canonicalJson("\b\f\n\r\t\u0000\u001f\u007f\u2028")).toBe('"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u2028"');
  });

  it("writes integers plainly, -0 as 0", () => {
    expect(canonicalJson([0, -0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])).toBe(
      "[0,0,1,-1,9007199254740991,-9007199254740991]",
    );
  });

  it("NFC-normalises strings and keys", () => {
    expect(canonicalJson("Cafe\u0301")).toBe('"Caf\u00e9"');
    expect(canonicalJson({ "Cafe\u0301": 1 })).toBe('{"Caf\u00e9":1}');
    // A composition exclusion: NFC of U+FB33 is U+05D3 U+05BC, so JCS's own example key changes.
    expect(canonicalJson("\ufb33")).toBe('"\u05d3\u05bc"');
  });

  it.each<[string, unknown]>([
    ["a float", 1.5],
    ["NaN", Number.NaN],
    ["Infinity", Infinity],
    ["an unsafe integer", 2 ** 53],
    ["a boolean", true],
    ["undefined", undefined],
    ["undefined in an object", { a: undefined }],
    ["a BigInt", 10n],
    ["a function", () => 1],
    ["a symbol", Symbol("x")],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a class instance", new (class Thing {})()],
    ["a lone surrogate", "a\ud800b"],
    ["a lone low surrogate key", { "\udc00": 1 }],
    // eslint-disable-next-line no-sparse-arrays -- the case under test
    ["a sparse array", [1, , 3]],
    ["keys that collide after NFC", { "Caf\u00e9": 1, "Cafe\u0301": 2 }],
    ["a float deep inside", { a: [{ b: 0.1 }] }],
  ])("rejects %s", (_label, value) => {
    expect(() => canonicalJson(value as CanonicalValue)).toThrow(LedgerError);
  });

  it("rejects absurd nesting", () => {
    let deep: CanonicalValue = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nesting/);
  });

  it("accepts objects without a prototype", () => {
    const bare = Object.create(null) as Record<string, CanonicalValue>;
    bare.k = "v";
    expect(canonicalJson(bare)).toBe('{"k":"v"}');
  });

  it("isCanonicalJson tells canonical text from other spellings", () => {
    expect(isCanonicalJson('{"a":1,"b":[2]}')).toBe(true);
    expect(isCanonicalJson('{"b":[2],"a":1}')).toBe(false);
    expect(isCanonicalJson('{"a": 1}')).toBe(false);
    expect(isCanonicalJson('{"a":1.0}')).toBe(false);
    expect(isCanonicalJson('"\\u0041"')).toBe(false);
    expect(isCanonicalJson("not json")).toBe(false);
  });
});

describe("canonical JSON properties", () => {
  const leaf = fc.oneof(
    fc.constant(null),
    fc.maxSafeInteger(),
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }).filter((s) => !/[\ud800-\udfff]/.test(s)),
  );
  const value: fc.Arbitrary<CanonicalValue> = fc.letrec<{ node: CanonicalValue }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(fc.string({ unit: "grapheme-ascii" }), tie("node"), { maxKeys: 4 }),
    ),
  })).node;

  /** The same value with every object's keys inserted in reverse order. */
  function reorder(v: CanonicalValue): CanonicalValue {
    if (Array.isArray(v)) return v.map(reorder);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v)
          .reverse()
          .map(([k, x]) => [k, reorder(x)]),
      );
    }
    return v;
  }

  it("is deterministic and insensitive to key insertion order", () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        return text === canonicalJson(v) && text === canonicalJson(reorder(v));
      }),
    );
  });

  it("round-trips: parsing canonical text and serialising again gives the same text", () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        return isCanonicalJson(text) && canonicalJson(JSON.parse(text) as CanonicalValue) === text;
      }),
    );
  });

  it("agrees with JSON.stringify for NFC text and integers", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.maxSafeInteger(),
            fc.string({ unit: "grapheme" }).map((s) => s.normalize("NFC")),
          ),
        ),
        (items) => {
          return canonicalJson(items) === JSON.stringify(items);
        },
      ),
    );
  });
});
