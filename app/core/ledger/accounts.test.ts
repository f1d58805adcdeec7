import { describe, expect, it } from "vitest";
import {
  ACCOUNT_KINDS,
  accountKey,
  accountKindOf,
  availableAccount,
  committedAccount,
  earmarkedAccount,
  fundingAccount,
  isAccountKey,
  isNonNegativeKind,
  lapsedAccount,
  normalSideOf,
  paidAccount,
  parseAccountKey,
  payableAccount,
  recoverableAccount,
  returnedAccount,
} from "./accounts";
import { LedgerError } from "./errors";

describe("account kinds", () => {
  it("FUNDING is the only debit-normal kind and the only one allowed below zero", () => {
    for (const kind of ACCOUNT_KINDS) {
      expect(normalSideOf(kind)).toBe(kind === "FUNDING" ? "D" : "C");
      expect(isNonNegativeKind(kind)).toBe(kind !== "FUNDING");
    }
  });
});

describe("account keys", () => {
  it.each([
    [fundingAccount("WB", "2025/26"), "FUNDING:WB:2025/26"],
    [returnedAccount("WB", "2025/26"), "RETURNED:WB:2025/26"],
    [lapsedAccount("PB-R2", "2025/26"), "LAPSED:PB-R2:2025/26"],
    [availableAccount("ward-E05012345"), "AVAILABLE:ward-E05012345"],
    [earmarkedAccount("g1"), "EARMARKED:g1"],
    [committedAccount("g1"), "COMMITTED:g1"],
    [payableAccount("g1"), "PAYABLE:g1"],
    [paidAccount("g1"), "PAID:g1"],
    [recoverableAccount("g1"), "RECOVERABLE:g1"],
  ])("%s", (built, expected) => {
    expect(built).toBe(expected);
    const ref = parseAccountKey(built)!;
    expect(ref).not.toBeNull();
    expect(accountKey(ref)).toBe(built);
  });

  it("parses identity fields", () => {
    expect(parseAccountKey("FUNDING:WB:2025/26")).toEqual({ kind: "FUNDING", scheme: "WB", fy: "2025/26" });
    expect(parseAccountKey("AVAILABLE:b1")).toEqual({ kind: "AVAILABLE", budgetId: "b1" });
    expect(parseAccountKey("PAID:g.7")).toEqual({ kind: "PAID", grantId: "g.7" });
    expect(accountKindOf("COMMITTED:g1")).toBe("COMMITTED");
  });

  it.each([
    "",
    "AVAILABLE",
    "AVAILABLE:",
    "AVAILABLE:a:b",
    "available:b1",
    "SPENT:g1",
    "FUNDING:WB",
    "FUNDING:WB:2025/27",
    "FUNDING:WB:2025-26",
    "PAID:g 1",
    "PAID:g/1",
    "PAID:" + "x".repeat(65),
    "RETURNED:WB:2025/26:x",
  ])("rejects %j", (key) => {
    expect(parseAccountKey(key)).toBeNull();
    expect(isAccountKey(key)).toBe(false);
  });

  it("builders refuse identifiers that would make an ambiguous key", () => {
    expect(() => availableAccount("a:b")).toThrow(LedgerError);
    expect(() => committedAccount("")).toThrow(LedgerError);
    expect(() => fundingAccount("WB", "2025")).toThrow(LedgerError);
    expect(() => accountKindOf("nope")).toThrow(LedgerError);
  });
});
