import { describe, expect, it } from "vitest";
import { isWardGssCode, normaliseGssCode } from "./gss";
import { normalisePostcode } from "./postcode";
import { messageText } from "~/utils/message-text";
import { findColumns, MissingColumnError, readPostcodeRecords } from "./postcode-directory";

describe("ward GSS codes", () => {
  it.each(["E05012345", "W05000001", "S13002900", "N08000101"])("accepts %s", (code) => {
    expect(isWardGssCode(code)).toBe(true);
  });
  it.each(["E0501234", "E050123456", "E06000001", "X05012345", "e05012345", "", "E05 012345"])("rejects %s", (code) => {
    expect(isWardGssCode(code)).toBe(false);
  });
  it("normalises case and spaces", () => {
    expect(normaliseGssCode(" e05012345 ")).toBe("E05012345");
  });
});

describe("postcodes", () => {
  it.each([
    ["sw1a1aa", "SW1A 1AA"],
    ["M1 1AE", "M1 1AE"],
    [" b33  8th ", "B33 8TH"],
    ["CR26XH", "CR2 6XH"],
    ["dn551pt", "DN55 1PT"],
  ])("normalises %s to %s", (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });
  it.each(["", "12345", "SW1A", "ZZZZ 1AA", "SW1A 1A"])("rejects %s", (input) => {
    expect(normalisePostcode(input)).toBeNull();
  });
});

describe("postcode directory rows", () => {
  const wards = new Set(["E05000001", "E05000002"]);
  it("finds the columns whatever their position and case", () => {
    expect(findColumns(["pcd", "PCDS", "dointr", "osward"])).toEqual({ pcds: 1, osward: 3 });
    expect(() => findColumns(["pcds"])).toThrow(MissingColumnError);
  });
  it("keeps good rows and reports bad ones by line", () => {
    const result = readPostcodeRecords(
      [
        { line: 2, fields: ["AB1 2CD", "E05000001"] },
        { line: 3, fields: ["not a postcode", "E05000001"] },
        { line: 4, fields: ["AB1 3CD", "E09000001"] },
        { line: 5, fields: ["AB1 4CD", "E05000099"] },
        { line: 6, fields: ["ab12cd", "E05000002"] },
        { line: 7, fields: ["AB1 5CD", "e05000002"] },
      ],
      { pcds: 0, osward: 1 },
      wards,
    );
    expect(result.rows).toEqual([
      { postcode: "AB1 2CD", wardGssCode: "E05000001" },
      { postcode: "AB1 5CD", wardGssCode: "E05000002" },
    ]);
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(messageText(result.problems[3]!.message, "en")).toBe("AB1 2CD already appears on line 2");
    expect(messageText(result.problems[3]!.message, "cy")).toBe("Mae AB1 2CD eisoes ar linell 2");
  });
});
