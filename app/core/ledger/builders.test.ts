import { describe, expect, it } from "vitest";
import {
  budgetAdjust,
  budgetSet,
  carryForward,
  clawbackRaise,
  clawbackReceived,
  clawbackWriteOff,
  commit,
  commitFromEarmark,
  decommit,
  earmark,
  lapse,
  payConfirm,
  payFailed,
  payRequest,
  release,
  reversal,
  sharesFromWeights,
  virement,
} from "./builders";
import type { EntryDraft } from "./entry";
import { LedgerError } from "./errors";
import { validateEntry } from "./templates";

const FY = "2025/26";

function codesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof LedgerError) return error.issues.map((i) => i.code);
    throw error;
  }
  throw new Error("expected a LedgerError");
}

const lines = (draft: EntryDraft) => draft.postings.map((p) => `${p.dc} ${p.account} ${p.pence}`);

describe("builders produce the template postings", () => {
  it("BUDGET_SET splits a pot across budgets from one funding account", () => {
    const draft = budgetSet({
      scheme: "WB",
      fy: FY,
      allocations: [
        { budgetId: "riverside", pence: 500000 },
        { budgetId: "hillside", pence: 250000 },
      ],
      resolutionRef: "Council 2025-02-20 min 7",
    });
    expect(draft.type).toBe("BUDGET_SET");
    expect(lines(draft)).toEqual([
      "D FUNDING:WB:2025/26 750000",
      "C AVAILABLE:riverside 500000",
      "C AVAILABLE:hillside 250000",
    ]);
    expect(draft.externalRef).toBe("Council 2025-02-20 min 7");
    expect(draft.reverses).toBeNull();
    expect(draft.resolves).toBeNull();
  });

  it("BUDGET_ADJUST increase and decrease mirror each other", () => {
    const up = budgetAdjust({ scheme: "WB", fy: FY, budgetId: "b1", changePence: 1000, reason: "top-up" });
    const down = budgetAdjust({ scheme: "WB", fy: FY, budgetId: "b1", changePence: -1000, reason: "cut" });
    expect(lines(up)).toEqual(["D FUNDING:WB:2025/26 1000", "C AVAILABLE:b1 1000"]);
    expect(lines(down)).toEqual(["D AVAILABLE:b1 1000", "C FUNDING:WB:2025/26 1000"]);
  });

  it("VIREMENT, EARMARK, RELEASE", () => {
    expect(lines(virement({ fromBudgetId: "a", toBudgetId: "b", pence: 5, reason: "pooling" }))).toEqual([
      "D AVAILABLE:a 5",
      "C AVAILABLE:b 5",
    ]);
    expect(lines(earmark({ grantId: "g", sources: [{ budgetId: "a", pence: 7 }] }))).toEqual([
      "D AVAILABLE:a 7",
      "C EARMARKED:g 7",
    ]);
    const released = release({ grantId: "g", earmarkEntryId: "e1", returns: [{ budgetId: "a", pence: 7 }] });
    expect(lines(released)).toEqual(["D EARMARKED:g 7", "C AVAILABLE:a 7"]);
    expect(released.resolves).toBe("e1");
  });

  it("COMMIT with joint funding splits pro rata to the penny", () => {
    const sources = sharesFromWeights(100000, [
      { budgetId: "cllr-a", weight: 2 },
      { budgetId: "cllr-b", weight: 2 },
      { budgetId: "cllr-c", weight: 3 },
    ]);
    const draft = commit({ grantId: "g42", sources });
    expect(lines(draft)).toEqual([
      "D AVAILABLE:cllr-a 28572",
      "D AVAILABLE:cllr-b 28571",
      "D AVAILABLE:cllr-c 42857",
      "C COMMITTED:g42 100000",
    ]);
  });

  it("sharesFromWeights drops budgets whose share is 0p", () => {
    expect(
      sharesFromWeights(1, [
        { budgetId: "a", weight: 1 },
        { budgetId: "b", weight: 1 },
      ]),
    ).toEqual([{ budgetId: "a", pence: 1 }]);
  });

  it("COMMIT from an earmark clears it, releasing any unawarded part", () => {
    const whole = commitFromEarmark({ grantId: "g", earmarkEntryId: "e1", pence: 900 });
    expect(lines(whole)).toEqual(["D EARMARKED:g 900", "C COMMITTED:g 900"]);
    const partial = commitFromEarmark({
      grantId: "g",
      earmarkEntryId: "e1",
      pence: 700,
      releases: [{ budgetId: "a", pence: 200 }],
    });
    expect(lines(partial)).toEqual(["D EARMARKED:g 900", "C COMMITTED:g 700", "C AVAILABLE:a 200"]);
    expect(partial.resolves).toBe("e1");
  });

  it("DECOMMIT, PAY_REQUEST, PAY_CONFIRM, PAY_FAILED", () => {
    expect(lines(decommit({ grantId: "g", returns: [{ budgetId: "a", pence: 3 }], reason: "withdrawn" }))).toEqual([
      "D COMMITTED:g 3",
      "C AVAILABLE:a 3",
    ]);
    expect(lines(payRequest({ grantId: "g", pence: 3 }))).toEqual(["D COMMITTED:g 3", "C PAYABLE:g 3"]);
    const confirmed = payConfirm({ grantId: "g", payRequestEntryId: "p1", pence: 3, paymentRef: "AP-2025-118834" });
    expect(lines(confirmed)).toEqual(["D PAYABLE:g 3", "C PAID:g 3"]);
    expect(confirmed.externalRef).toBe("AP-2025-118834");
    expect(confirmed.resolves).toBe("p1");
    expect(lines(payFailed({ grantId: "g", payRequestEntryId: "p1", pence: 3, reason: "account closed" }))).toEqual([
      "D PAYABLE:g 3",
      "C COMMITTED:g 3",
    ]);
  });

  it("clawbacks", () => {
    expect(
      lines(clawbackRaise({ grantId: "g", pence: 3, reason: "not delivered", debtorInvoiceRef: "INV-9" })),
    ).toEqual(["D PAID:g 3", "C RECOVERABLE:g 3"]);
    expect(lines(clawbackReceived({ grantId: "g", pence: 3, destination: { budgetId: "a" } }))).toEqual([
      "D RECOVERABLE:g 3",
      "C AVAILABLE:a 3",
    ]);
    expect(
      lines(clawbackReceived({ grantId: "g", pence: 3, destination: { returnedTo: { scheme: "WB", fy: FY } } })),
    ).toEqual(["D RECOVERABLE:g 3", "C RETURNED:WB:2025/26 3"]);
    expect(lines(clawbackWriteOff({ grantId: "g", pence: 3, reason: "group dissolved" }))).toEqual([
      "D RECOVERABLE:g 3",
      "C PAID:g 3",
    ]);
  });

  it("LAPSE and CARRY_FORWARD", () => {
    expect(
      lines(
        lapse({
          scheme: "WB",
          fy: FY,
          lapses: [
            { budgetId: "a", pence: 4 },
            { budgetId: "b", pence: 6 },
          ],
        }),
      ),
    ).toEqual(["D AVAILABLE:a 4", "D AVAILABLE:b 6", "C LAPSED:WB:2025/26 10"]);
    expect(lines(carryForward({ fromBudgetId: "a-2025", toBudgetId: "a-2026", pence: 4 }))).toEqual([
      "D AVAILABLE:a-2025 4",
      "C AVAILABLE:a-2026 4",
    ]);
  });

  it("REVERSAL is the exact mirror, in the same line order", () => {
    const original = commit({
      grantId: "g",
      sources: [
        { budgetId: "a", pence: 1 },
        { budgetId: "b", pence: 2 },
      ],
    });
    const undo = reversal({
      original: { entryId: "e9", postings: original.postings },
      reason: "keyed against the wrong grant",
    });
    expect(lines(undo)).toEqual(["C AVAILABLE:a 1", "C AVAILABLE:b 2", "D COMMITTED:g 3"]);
    expect(undo.reverses).toBe("e9");
    expect(undo.type).toBe("REVERSAL");
  });

  it("normalises text to NFC and blank text to null", () => {
    const decomposed = "Cafe\u0301 – ward fund";
    const draft = payRequest({ grantId: "g", pence: 1, memo: decomposed });
    expect(draft.memo).toBe("Caf\u00e9 – ward fund");
    expect(payRequest({ grantId: "g", pence: 1, memo: "" }).memo).toBeNull();
  });
});

describe("builders refuse what the templates forbid", () => {
  it.each<[string, () => unknown, string]>([
    ["zero amount", () => payRequest({ grantId: "g", pence: 0 }), "INVALID_AMOUNT"],
    ["negative amount", () => payRequest({ grantId: "g", pence: -5 }), "INVALID_AMOUNT"],
    ["fractional pence", () => payRequest({ grantId: "g", pence: 1.5 }), "INVALID_AMOUNT"],
    ["unsafe pence", () => payRequest({ grantId: "g", pence: 2 ** 53 }), "INVALID_AMOUNT"],
    [
      "zero adjustment",
      () => budgetAdjust({ scheme: "WB", fy: FY, budgetId: "b", changePence: 0, reason: "x" }),
      "INVALID_AMOUNT",
    ],
    [
      "adjust without reason",
      () => budgetAdjust({ scheme: "WB", fy: FY, budgetId: "b", changePence: 5, reason: " " }),
      "REASON_REQUIRED",
    ],
    [
      "virement to itself",
      () => virement({ fromBudgetId: "a", toBudgetId: "a", pence: 5, reason: "x" }),
      "ACCOUNT_REPEATED",
    ],
    [
      "virement without reason",
      () => virement({ fromBudgetId: "a", toBudgetId: "b", pence: 5, reason: "" }),
      "REASON_REQUIRED",
    ],
    [
      "pay confirm without payment ref",
      () => payConfirm({ grantId: "g", payRequestEntryId: "p", pence: 5, paymentRef: "" }),
      "EXTERNAL_REF_REQUIRED",
    ],
    [
      "clawback without invoice",
      () => clawbackRaise({ grantId: "g", pence: 5, reason: "x", debtorInvoiceRef: "" }),
      "EXTERNAL_REF_REQUIRED",
    ],
    ["write-off without reason", () => clawbackWriteOff({ grantId: "g", pence: 5, reason: "" }), "REASON_REQUIRED"],
    [
      "decommit without reason",
      () => decommit({ grantId: "g", returns: [{ budgetId: "a", pence: 1 }], reason: "" }),
      "REASON_REQUIRED",
    ],
    [
      "pay failed without reason",
      () => payFailed({ grantId: "g", payRequestEntryId: "p", pence: 1, reason: "" }),
      "REASON_REQUIRED",
    ],
    [
      "reversal without reason",
      () =>
        reversal({ original: { entryId: "e", postings: payRequest({ grantId: "g", pence: 1 }).postings }, reason: "" }),
      "REASON_REQUIRED",
    ],
    ["commit with no sources", () => commit({ grantId: "g", sources: [] }), "TOO_FEW_POSTINGS"],
    [
      "commit from the same budget twice",
      () =>
        commit({
          grantId: "g",
          sources: [
            { budgetId: "a", pence: 1 },
            { budgetId: "a", pence: 1 },
          ],
        }),
      "ACCOUNT_REPEATED",
    ],
    [
      "bad resolves id",
      () => release({ grantId: "g", earmarkEntryId: "not an id", returns: [{ budgetId: "a", pence: 1 }] }),
      "INVALID_ID",
    ],
    ["memo too long", () => payRequest({ grantId: "g", pence: 1, memo: "x".repeat(1001) }), "TEXT_TOO_LONG"],
    [
      "control characters in a reason",
      () => virement({ fromBudgetId: "a", toBudgetId: "b", pence: 1, reason: "a\u0000b" }),
      "INVALID_TEXT",
    ],
    ["lone surrogate in a memo", () => payRequest({ grantId: "g", pence: 1, memo: "a\ud800" }), "INVALID_TEXT"],
  ])("%s", (_label, run, code) => {
    expect(codesOf(run)).toContain(code);
  });

  it("a memo may hold line breaks and tabs", () => {
    expect(payRequest({ grantId: "g", pence: 1, memo: "line one\r\nline\ttwo" }).memo).toBe("line one\r\nline\ttwo");
  });

  it("every builder's output passes validateEntry", () => {
    const drafts = [
      budgetSet({ scheme: "WB", fy: FY, allocations: [{ budgetId: "a", pence: 10 }] }),
      commit({ grantId: "g", sources: [{ budgetId: "a", pence: 10 }] }),
      payRequest({ grantId: "g", pence: 10 }),
    ];
    for (const draft of drafts) expect(validateEntry(draft)).toEqual([]);
  });
});
