import { describe, expect, it } from "vitest";
import {
  maskAccountNumber,
  normaliseAccountNumber,
  normaliseCharityNumber,
  normaliseCompanyNumber,
  normaliseSortCode,
} from "./identifiers";

describe("charity numbers", () => {
  it.each([
    ["1187654", "1187654", "england-wales"],
    ["212345", "212345", "england-wales"],
    ["1123456-1", "1123456-1", "england-wales"],
    ["sc 012345", "SC012345", "scotland"],
    ["NIC100002", "NIC100002", "northern-ireland"],
    ["XN45678", "XN45678", "northern-ireland"],
  ])("accepts %s", (input, number, register) => {
    expect(normaliseCharityNumber(input)).toEqual({ number, register });
  });
  it.each(["", "12345", "12345678", "SC12345", "GB1234567", "1123456-"])("rejects %s", (input) => {
    expect(normaliseCharityNumber(input)).toBeNull();
  });
});

describe("company numbers", () => {
  it("pads all-digit numbers to eight with leading zeros", () => {
    expect(normaliseCompanyNumber("1234567")).toBe("01234567");
    expect(normaliseCompanyNumber("09876543")).toBe("09876543");
  });
  it("accepts prefixed numbers", () => {
    expect(normaliseCompanyNumber("sc123456")).toBe("SC123456");
    expect(normaliseCompanyNumber("OC 301234")).toBe("OC301234");
  });
  it.each(["", "123456789", "S1234567", "SC12345", "ABC12345"])("rejects %s", (input) => {
    expect(normaliseCompanyNumber(input)).toBeNull();
  });
});

describe("bank details", () => {
  it("normalises sort codes and account numbers", () => {
    expect(normaliseSortCode("20 00 00")).toBe("20-00-00");
    expect(normaliseSortCode("200000")).toBe("20-00-00");
    expect(normaliseSortCode("20-00-0")).toBeNull();
    expect(normaliseAccountNumber("5555 5555")).toBe("55555555");
    expect(normaliseAccountNumber("1234567")).toBeNull();
  });
  it("masks all but the last four digits", () => {
    expect(maskAccountNumber("12345678")).toBe("****5678");
  });
});
