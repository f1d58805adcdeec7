import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { splitPlainLine } from "./csv-line";

/** What csv-parse reads from one line, or null where it refuses the line. */
function csvParseLine(line: string): string[] | null {
  try {
    const records = parse(line, { relax_column_count: true }) as string[][];
    return records.length === 1 ? records[0]! : null;
  } catch {
    return null;
  }
}

const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
  fc.stringMatching(/^[a-z ,"]{0,6}$/).map((s) => `"${s.replaceAll('"', '""')}"`),
  fc.stringMatching(/^[a-z ,"]{0,6}$/),
);
// An empty line is skipped by the import before it is split, as csv-parse skips it.
const line = fc
  .array(field, { minLength: 1, maxLength: 8 })
  .map((fields) => fields.join(","))
  .filter((text) => text !== "");

describe("splitPlainLine", () => {
  it("splits unquoted and whole-quoted fields, with doubled quotes inside", () => {
    const fields: string[] = [];
    const text = 'AB1 0AA,"AB1  0AA","say ""hi"", then go",,E05000001';
    expect(splitPlainLine(text, 0, text.length, fields)).toBe(true);
    expect(fields).toEqual(["AB1 0AA", "AB1  0AA", 'say "hi", then go', "", "E05000001"]);
  });

  it("copies only the wanted fields but still checks the quotes of the rest", () => {
    const fields: string[] = [];
    expect(splitPlainLine('a,b,"c",d', 0, 9, fields, 2)).toBe(true);
    expect(fields).toEqual(["a", "b"]);
    expect(splitPlainLine('a,b,c"d",e', 0, 10, fields, 2)).toBe(false);
    expect(splitPlainLine('a,b,"open', 0, 9, fields, 2)).toBe(false);
  });

  it("declines a quote inside an unquoted field, text after a closing quote, and an open quote", () => {
    const fields: string[] = [];
    for (const text of ['a,b"c', '"a"b,c', '"open,c']) {
      expect(splitPlainLine(text, 0, text.length, fields)).toBe(false);
    }
  });

  it("reads every line it accepts exactly as csv-parse does", () => {
    fc.assert(
      fc.property(line, (text) => {
        const fields: string[] = [];
        if (!splitPlainLine(text, 0, text.length, fields)) return;
        expect(fields).toEqual(csvParseLine(text));
      }),
      { numRuns: 2000 },
    );
  });
});
