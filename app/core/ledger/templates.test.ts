import { describe, expect, it } from "vitest";
import { ENTRY_TYPES, MAX_POSTINGS_PER_ENTRY, type EntryDraft, type EntryType, type Posting } from "./entry";
import { ENTRY_TEMPLATES, assertValidEntry, validateEntry } from "./templates";
import { LedgerError } from "./errors";

const P = (dc: "D" | "C", account: string, pence: number): Posting => ({ account, dc, pence });

function draft(type: EntryType, postings: Posting[], extra: Partial<EntryDraft> = {}): EntryDraft {
  return { type, postings, reverses: null, resolves: null, reason: null, externalRef: null, memo: null, ...extra };
}

const codes = (d: EntryDraft, context = {}) => validateEntry(d, context).map((i) => i.code);

/** One valid entry per type (REVERSAL is checked separately, against an original). */
const VALID: Record<Exclude<EntryType, "REVERSAL">, EntryDraft> = {
  BUDGET_SET: draft("BUDGET_SET", [
    P("D", "FUNDING:WB:2025/26", 30),
    P("C", "AVAILABLE:a", 10),
    P("C", "AVAILABLE:b", 20),
  ]),
  BUDGET_ADJUST: draft("BUDGET_ADJUST", [P("D", "AVAILABLE:a", 10), P("C", "FUNDING:WB:2025/26", 10)], {
    reason: "cut",
  }),
  VIREMENT: draft("VIREMENT", [P("D", "AVAILABLE:a", 10), P("C", "AVAILABLE:b", 10)], { reason: "pool" }),
  EARMARK: draft("EARMARK", [P("D", "AVAILABLE:a", 4), P("D", "AVAILABLE:b", 6), P("C", "EARMARKED:g", 10)]),
  RELEASE: draft("RELEASE", [P("D", "EARMARKED:g", 10), P("C", "AVAILABLE:a", 10)], { resolves: "e1" }),
  COMMIT: draft("COMMIT", [P("D", "AVAILABLE:a", 4), P("D", "AVAILABLE:b", 6), P("C", "COMMITTED:g", 10)]),
  DECOMMIT: draft("DECOMMIT", [P("D", "COMMITTED:g", 10), P("C", "AVAILABLE:a", 10)], { reason: "withdrawn" }),
  PAY_REQUEST: draft("PAY_REQUEST", [P("D", "COMMITTED:g", 10), P("C", "PAYABLE:g", 10)]),
  PAY_CONFIRM: draft("PAY_CONFIRM", [P("D", "PAYABLE:g", 10), P("C", "PAID:g", 10)], {
    resolves: "p1",
    externalRef: "AP-1",
  }),
  PAY_FAILED: draft("PAY_FAILED", [P("D", "PAYABLE:g", 10), P("C", "COMMITTED:g", 10)], {
    resolves: "p1",
    reason: "bounced",
  }),
  CLAWBACK_RAISE: draft("CLAWBACK_RAISE", [P("D", "PAID:g", 10), P("C", "RECOVERABLE:g", 10)], {
    reason: "x",
    externalRef: "INV-1",
  }),
  CLAWBACK_RECEIVED: draft("CLAWBACK_RECEIVED", [P("D", "RECOVERABLE:g", 10), P("C", "RETURNED:WB:2025/26", 10)]),
  CLAWBACK_WRITE_OFF: draft("CLAWBACK_WRITE_OFF", [P("D", "RECOVERABLE:g", 10), P("C", "PAID:g", 10)], { reason: "x" }),
  LAPSE: draft("LAPSE", [P("D", "AVAILABLE:a", 10), P("C", "LAPSED:WB:2025/26", 10)]),
  CARRY_FORWARD: draft("CARRY_FORWARD", [P("D", "AVAILABLE:a", 10), P("C", "AVAILABLE:b", 10)]),
};

describe("each template accepts its own shape", () => {
  it.each(Object.entries(VALID))("%s", (_type, entry) => {
    expect(validateEntry(entry)).toEqual([]);
    expect(() => assertValidEntry(entry)).not.toThrow();
  });

  it("every entry type has a template", () => {
    for (const type of ENTRY_TYPES) expect(ENTRY_TEMPLATES[type].type).toBe(type);
  });

  it("COMMIT from an earmark may release the unawarded part in the same entry", () => {
    const entry = draft("COMMIT", [P("D", "EARMARKED:g", 10), P("C", "COMMITTED:g", 7), P("C", "AVAILABLE:a", 3)], {
      resolves: "e1",
    });
    expect(validateEntry(entry)).toEqual([]);
  });

  it("CLAWBACK_RECEIVED may recycle into a budget", () => {
    expect(validateEntry(draft("CLAWBACK_RECEIVED", [P("D", "RECOVERABLE:g", 1), P("C", "AVAILABLE:a", 1)]))).toEqual(
      [],
    );
  });

  it("BUDGET_ADJUST increase", () => {
    expect(
      validateEntry(
        draft("BUDGET_ADJUST", [P("D", "FUNDING:WB:2025/26", 1), P("C", "AVAILABLE:a", 1)], { reason: "x" }),
      ),
    ).toEqual([]);
  });
});

describe("each template rejects postings outside its shape", () => {
  // Every type, with the debit and credit sides swapped, must fail (none is symmetric except
  // BUDGET_ADJUST, VIREMENT and CARRY_FORWARD, whose mirror is another valid shape).
  const symmetric = new Set(["BUDGET_ADJUST", "VIREMENT", "CARRY_FORWARD"]);
  it.each(Object.entries(VALID).filter(([type]) => !symmetric.has(type)))("%s with sides swapped", (_type, entry) => {
    const swapped = {
      ...entry,
      postings: entry.postings.map((p) => ({ ...p, dc: p.dc === "D" ? ("C" as const) : ("D" as const) })),
    };
    expect(codes(swapped)).toContain("POSTINGS_DO_NOT_FIT_TEMPLATE");
  });

  it.each<[string, EntryDraft]>([
    [
      "BUDGET_SET from two funding accounts",
      draft("BUDGET_SET", [P("D", "FUNDING:WB:2025/26", 1), P("D", "FUNDING:PB:2025/26", 1), P("C", "AVAILABLE:a", 2)]),
    ],
    [
      "BUDGET_SET straight to a grant",
      draft("BUDGET_SET", [P("D", "FUNDING:WB:2025/26", 1), P("C", "COMMITTED:g", 1)]),
    ],
    [
      "EARMARK into two grants",
      draft("EARMARK", [P("D", "AVAILABLE:a", 2), P("C", "EARMARKED:g", 1), P("C", "EARMARKED:h", 1)]),
    ],
    [
      "COMMIT into two grants",
      draft("COMMIT", [P("D", "AVAILABLE:a", 2), P("C", "COMMITTED:g", 1), P("C", "COMMITTED:h", 1)]),
    ],
    [
      "COMMIT mixing budget and earmark",
      draft("COMMIT", [P("D", "AVAILABLE:a", 1), P("D", "EARMARKED:g", 1), P("C", "COMMITTED:g", 2)], {
        resolves: "e1",
      }),
    ],
    [
      "COMMIT releasing with no award",
      draft("COMMIT", [P("D", "EARMARKED:g", 1), P("C", "AVAILABLE:a", 1)], { resolves: "e1" }),
    ],
    ["PAY_REQUEST from a budget", draft("PAY_REQUEST", [P("D", "AVAILABLE:a", 1), P("C", "PAYABLE:g", 1)])],
    [
      "PAY_CONFIRM skipping PAYABLE",
      draft("PAY_CONFIRM", [P("D", "COMMITTED:g", 1), P("C", "PAID:g", 1)], { resolves: "p", externalRef: "r" }),
    ],
    [
      "CLAWBACK_RECEIVED into FUNDING",
      draft("CLAWBACK_RECEIVED", [P("D", "RECOVERABLE:g", 1), P("C", "FUNDING:WB:2025/26", 1)]),
    ],
    ["LAPSE into RETURNED", draft("LAPSE", [P("D", "AVAILABLE:a", 1), P("C", "RETURNED:WB:2025/26", 1)])],
    [
      "VIREMENT one to two",
      draft("VIREMENT", [P("D", "AVAILABLE:a", 2), P("C", "AVAILABLE:b", 1), P("C", "AVAILABLE:c", 1)], {
        reason: "x",
      }),
    ],
  ])("%s", (_label, entry) => {
    expect(codes(entry)).toContain("POSTINGS_DO_NOT_FIT_TEMPLATE");
  });

  it("grant accounts in one entry must share a grant", () => {
    expect(codes(draft("PAY_REQUEST", [P("D", "COMMITTED:g", 1), P("C", "PAYABLE:h", 1)]))).toContain("GRANT_MISMATCH");
  });
});

describe("general entry rules", () => {
  const valid = VALID.PAY_REQUEST;

  it("needs at least two postings", () => {
    expect(codes({ ...valid, postings: [P("D", "COMMITTED:g", 1)] })).toContain("TOO_FEW_POSTINGS");
    expect(codes({ ...valid, postings: [] })).toContain("TOO_FEW_POSTINGS");
  });

  it("caps the number of postings", () => {
    const many = [P("C", "COMMITTED:g", MAX_POSTINGS_PER_ENTRY)].concat(
      Array.from({ length: MAX_POSTINGS_PER_ENTRY }, (_, i) => P("D", `AVAILABLE:b${i}`, 1)),
    );
    expect(codes(draft("COMMIT", many))).toContain("TOO_MANY_POSTINGS");
  });

  it("must balance", () => {
    expect(codes({ ...valid, postings: [P("D", "COMMITTED:g", 10), P("C", "PAYABLE:g", 9)] })).toContain("UNBALANCED");
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53, "10"])("rejects amount %s", (pence) => {
    expect(codes({ ...valid, postings: [P("D", "COMMITTED:g", pence as number), P("C", "PAYABLE:g", 10)] })).toContain(
      "INVALID_AMOUNT",
    );
  });

  it("rejects a bad side or account", () => {
    expect(
      codes({ ...valid, postings: [{ account: "COMMITTED:g", dc: "X" as "D", pence: 1 }, P("C", "PAYABLE:g", 1)] }),
    ).toContain("INVALID_DC");
    expect(codes({ ...valid, postings: [P("D", "COMMITED:g", 1), P("C", "PAYABLE:g", 1)] })).toContain(
      "INVALID_ACCOUNT",
    );
  });

  it("names the line at fault", () => {
    const issues = validateEntry({ ...valid, postings: [P("D", "COMMITTED:g", 1), P("C", "PAYABLE:g", 0)] });
    expect(issues.find((i) => i.code === "INVALID_AMOUNT")?.lineNo).toBe(2);
  });

  it("rejects an account posted twice", () => {
    expect(
      codes(draft("COMMIT", [P("D", "AVAILABLE:a", 1), P("D", "AVAILABLE:a", 1), P("C", "COMMITTED:g", 2)])),
    ).toContain("ACCOUNT_REPEATED");
  });

  it("rejects an unknown type", () => {
    expect(codes({ ...valid, type: "GIFT" as EntryType })).toEqual(["UNKNOWN_ENTRY_TYPE"]);
  });

  it("reverses is only for REVERSAL; resolves only where the shape resolves", () => {
    expect(codes({ ...valid, reverses: "e1" })).toContain("REVERSES_NOT_ALLOWED");
    expect(codes({ ...valid, resolves: "e1" })).toContain("RESOLVES_NOT_ALLOWED");
    expect(codes({ ...VALID.RELEASE, resolves: null })).toContain("RESOLVES_REQUIRED");
    expect(codes({ ...VALID.PAY_CONFIRM, resolves: null })).toContain("RESOLVES_REQUIRED");
    expect(codes({ ...VALID.COMMIT, resolves: "e1" })).toContain("RESOLVES_NOT_ALLOWED");
  });

  it("requires reasons and references per template", () => {
    for (const type of [
      "BUDGET_ADJUST",
      "VIREMENT",
      "DECOMMIT",
      "PAY_FAILED",
      "CLAWBACK_RAISE",
      "CLAWBACK_WRITE_OFF",
    ] as const) {
      expect(codes({ ...VALID[type], reason: null })).toContain("REASON_REQUIRED");
      expect(codes({ ...VALID[type], reason: "   " })).toContain("REASON_REQUIRED");
    }
    expect(codes({ ...VALID.PAY_CONFIRM, externalRef: null })).toContain("EXTERNAL_REF_REQUIRED");
    expect(codes({ ...VALID.CLAWBACK_RAISE, externalRef: null })).toContain("EXTERNAL_REF_REQUIRED");
  });

  it("requires text to be NFC already (builders normalise it)", () => {
    expect(codes({ ...valid, memo: "Cafe\u0301" })).toContain("INVALID_TEXT");
  });

  it("assertValidEntry throws every issue at once", () => {
    try {
      assertValidEntry({ ...valid, reverses: "e1", postings: [P("D", "COMMITTED:g", 10), P("C", "PAYABLE:g", 9)] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as LedgerError).issues.map((i) => i.code).sort()).toEqual(["REVERSES_NOT_ALLOWED", "UNBALANCED"]);
    }
  });
});

describe("REVERSAL", () => {
  const original = { entryId: "e1", postings: VALID.COMMIT.postings };
  const mirror = original.postings.map((p) => ({ ...p, dc: p.dc === "D" ? ("C" as const) : ("D" as const) }));
  const reversalOf = (postings: Posting[], extra: Partial<EntryDraft> = {}) =>
    draft("REVERSAL", postings, { reverses: "e1", reason: "wrong grant", ...extra });

  it("accepts the exact mirror", () => {
    expect(validateEntry(reversalOf(mirror), { original })).toEqual([]);
  });

  it("needs the original to check against", () => {
    expect(codes(reversalOf(mirror))).toContain("ORIGINAL_REQUIRED");
  });

  it.each<[string, Posting[]]>([
    ["same sides (a copy, not a mirror)", [...original.postings]],
    ["a different amount", [P("C", "AVAILABLE:a", 4), P("C", "AVAILABLE:b", 5), P("D", "COMMITTED:g", 9)]],
    ["a different line order", [mirror[1]!, mirror[0]!, mirror[2]!]],
    ["a missing line", [P("C", "AVAILABLE:a", 10), P("D", "COMMITTED:g", 10)]],
    ["a different account", [P("C", "AVAILABLE:z", 4), mirror[1]!, mirror[2]!]],
  ])("rejects %s", (_label, postings) => {
    expect(codes(reversalOf(postings), { original })).toContain("NOT_A_MIRROR");
  });

  it("must name its original, give a reason, and match the original it was checked against", () => {
    expect(codes(reversalOf(mirror, { reverses: null }), { original })).toContain("REVERSES_REQUIRED");
    expect(codes(reversalOf(mirror, { reason: null }), { original })).toContain("REASON_REQUIRED");
    expect(codes(reversalOf(mirror, { reverses: "e2" }), { original })).toContain("NOT_A_MIRROR");
    expect(codes(reversalOf(mirror, { resolves: "e2" }), { original })).toContain("RESOLVES_NOT_ALLOWED");
  });
});
