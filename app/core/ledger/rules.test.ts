import { describe, expect, it } from "vitest";
import {
  budgetAdjust,
  commit,
  commitFromEarmark,
  earmark,
  payConfirm,
  payFailed,
  payRequest,
  release,
  virement,
} from "./builders";
import {
  checkApproval,
  checkEffectiveDate,
  checkReversalTarget,
  checkResolution,
  checkSeparationOfDuties,
  decideIdempotency,
  entryNeedsApproval,
  grantOfEntry,
  type ApprovalRecord,
} from "./rules";

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);
const award = commit({ grantId: "g1", sources: [{ budgetId: "a", pence: 150000 }] });
const approval: ApprovalRecord = { id: "ap1", requesterId: "officer-1", approverId: "cllr-2" };

describe("approval", () => {
  it("COMMIT needs an approval record", () => {
    expect(codes(checkApproval(award, null))).toEqual(["APPROVAL_REQUIRED"]);
    expect(checkApproval(award, approval)).toEqual([]);
  });

  it("entries that need approval", () => {
    const needing = [
      "COMMIT",
      "BUDGET_ADJUST",
      "VIREMENT",
      "REVERSAL",
      "CLAWBACK_WRITE_OFF",
      "LAPSE",
      "CARRY_FORWARD",
    ] as const;
    for (const type of needing) expect(entryNeedsApproval(type)).toBe(true);
    for (const type of ["EARMARK", "PAY_REQUEST", "PAY_CONFIRM", "BUDGET_SET"] as const)
      expect(entryNeedsApproval(type)).toBe(false);
    expect(checkApproval(payRequest({ grantId: "g1", pence: 1 }), null)).toEqual([]);
    expect(
      codes(
        checkApproval(
          budgetAdjust({ scheme: "WB", fy: "2025/26", budgetId: "a", changePence: -1, reason: "cut" }),
          null,
        ),
      ),
    ).toEqual(["APPROVAL_REQUIRED"]);
    expect(codes(checkApproval(virement({ fromBudgetId: "a", toBudgetId: "b", pence: 1, reason: "x" }), null))).toEqual(
      ["APPROVAL_REQUIRED"],
    );
  });

  it("an approver cannot approve their own request", () => {
    expect(codes(checkApproval(award, { ...approval, approverId: "officer-1" }))).toEqual(["APPROVER_IS_REQUESTER"]);
  });

  it("the approval must be for this entry type, grant and within the limit", () => {
    expect(codes(checkApproval(award, { ...approval, entryType: "VIREMENT" }))).toEqual(["APPROVAL_DOES_NOT_MATCH"]);
    expect(codes(checkApproval(award, { ...approval, grantId: "g2" }))).toEqual(["APPROVAL_DOES_NOT_MATCH"]);
    expect(checkApproval(award, { ...approval, entryType: "COMMIT", grantId: "g1", limitPence: 150000 })).toEqual([]);
    expect(codes(checkApproval(award, { ...approval, limitPence: 149999 }))).toEqual(["APPROVAL_LIMIT_EXCEEDED"]);
  });

  it("grantOfEntry finds the grant an entry touches", () => {
    expect(grantOfEntry(award.postings)).toBe("g1");
    expect(grantOfEntry(virement({ fromBudgetId: "a", toBudgetId: "b", pence: 1, reason: "x" }).postings)).toBeNull();
  });
});

describe("separation of duties", () => {
  it("requester, approver and payer are three people", () => {
    expect(checkSeparationOfDuties({ requesterId: "r", approverId: "a", payerId: "p" })).toEqual([]);
    expect(codes(checkSeparationOfDuties({ requesterId: "r", approverId: "r", payerId: "p" }))).toEqual([
      "APPROVER_IS_REQUESTER",
    ]);
    expect(codes(checkSeparationOfDuties({ requesterId: "r", approverId: "a", payerId: "a" }))).toEqual([
      "APPROVER_IS_PAYER",
    ]);
    expect(codes(checkSeparationOfDuties({ requesterId: "r", approverId: "a", payerId: "r" }))).toEqual([
      "PAYER_IS_REQUESTER",
    ]);
    expect(codes(checkSeparationOfDuties({ requesterId: "x", approverId: "x", payerId: "x" })).sort()).toEqual([
      "APPROVER_IS_PAYER",
      "APPROVER_IS_REQUESTER",
      "PAYER_IS_REQUESTER",
    ]);
  });
  it("a role not yet known is not a conflict", () => {
    expect(checkSeparationOfDuties({ requesterId: "r", approverId: "a" })).toEqual([]);
    expect(checkSeparationOfDuties({ requesterId: null, approverId: null, payerId: null })).toEqual([]);
  });
});

describe("effective date", () => {
  it("must be a date in an open financial year", () => {
    expect(checkEffectiveDate("2025-06-12", ["2025/26"])).toEqual([]);
    expect(checkEffectiveDate("2026-03-31", ["2025/26"])).toEqual([]);
    expect(codes(checkEffectiveDate("2026-04-01", ["2025/26"]))).toEqual(["YEAR_NOT_OPEN"]);
    expect(codes(checkEffectiveDate("2025-03-31", ["2025/26"]))).toEqual(["YEAR_NOT_OPEN"]);
    expect(codes(checkEffectiveDate("2025-06-12", []))).toEqual(["YEAR_NOT_OPEN"]);
    expect(codes(checkEffectiveDate("2025-02-29", ["2024/25"]))).toEqual(["INVALID_DATE"]);
    expect(codes(checkEffectiveDate("12/06/2025", ["2025/26"]))).toEqual(["INVALID_DATE"]);
  });
});

describe("reversal target", () => {
  it("exists, is not a reversal, is reversed at most once", () => {
    expect(checkReversalTarget("e1", { entryId: "e1", type: "COMMIT" }, { alreadyReversed: false })).toEqual([]);
    expect(codes(checkReversalTarget("e1", null, { alreadyReversed: false }))).toEqual(["ORIGINAL_NOT_FOUND"]);
    expect(codes(checkReversalTarget("e1", { entryId: "e1", type: "REVERSAL" }, { alreadyReversed: false }))).toEqual([
      "CANNOT_REVERSE_REVERSAL",
    ]);
    expect(codes(checkReversalTarget("e1", { entryId: "e1", type: "COMMIT" }, { alreadyReversed: true }))).toEqual([
      "ALREADY_REVERSED",
    ]);
  });
});

describe("resolution of a reservation", () => {
  const held = earmark({ grantId: "g1", sources: [{ budgetId: "a", pence: 900 }] });
  const earmarkEntry = { entryId: "e1", type: "EARMARK" as const, postings: held.postings };
  const open = { alreadyResolved: false };

  it("RELEASE and COMMIT clear an EARMARK exactly once", () => {
    expect(
      checkResolution(
        release({ grantId: "g1", earmarkEntryId: "e1", returns: [{ budgetId: "a", pence: 900 }] }),
        earmarkEntry,
        open,
      ),
    ).toEqual([]);
    expect(
      checkResolution(commitFromEarmark({ grantId: "g1", earmarkEntryId: "e1", pence: 900 }), earmarkEntry, open),
    ).toEqual([]);
    const partial = commitFromEarmark({
      grantId: "g1",
      earmarkEntryId: "e1",
      pence: 600,
      releases: [{ budgetId: "a", pence: 300 }],
    });
    expect(checkResolution(partial, earmarkEntry, open)).toEqual([]);
    expect(codes(checkResolution(partial, earmarkEntry, { alreadyResolved: true }))).toEqual(["ALREADY_RESOLVED"]);
    expect(codes(checkResolution(partial, earmarkEntry, { alreadyResolved: false, targetReversed: true }))).toEqual([
      "ALREADY_REVERSED",
    ]);
  });

  it("must clear the whole reservation, on the same grant", () => {
    expect(
      codes(
        checkResolution(commitFromEarmark({ grantId: "g1", earmarkEntryId: "e1", pence: 800 }), earmarkEntry, open),
      ),
    ).toEqual(["RESOLVE_AMOUNT_MISMATCH"]);
    expect(
      codes(
        checkResolution(commitFromEarmark({ grantId: "g2", earmarkEntryId: "e1", pence: 900 }), earmarkEntry, open),
      ),
    ).toEqual(["RESOLVE_GRANT_MISMATCH"]);
  });

  it("must point at an existing reservation of the right type", () => {
    const confirm = payConfirm({ grantId: "g1", payRequestEntryId: "e1", pence: 900, paymentRef: "AP-1" });
    expect(codes(checkResolution(confirm, null, open))).toEqual(["RESOLVE_TARGET_NOT_FOUND"]);
    expect(codes(checkResolution(confirm, earmarkEntry, open))).toEqual(["RESOLVE_TARGET_WRONG_TYPE"]);
    const request = {
      entryId: "p1",
      type: "PAY_REQUEST" as const,
      postings: payRequest({ grantId: "g1", pence: 900 }).postings,
    };
    expect(checkResolution({ ...confirm, resolves: "p1" }, request, open)).toEqual([]);
    const failed = payFailed({ grantId: "g1", payRequestEntryId: "p1", pence: 900, reason: "bounced" });
    expect(checkResolution(failed, request, open)).toEqual([]);
    expect(
      codes(
        checkResolution(
          {
            ...failed,
            postings: payFailed({ grantId: "g1", payRequestEntryId: "p1", pence: 1, reason: "x" }).postings,
          },
          request,
          open,
        ),
      ),
    ).toEqual(["RESOLVE_AMOUNT_MISMATCH"]);
  });

  it("an entry that resolves nothing has nothing to check", () => {
    expect(checkResolution(payRequest({ grantId: "g1", pence: 1 }), null, open)).toEqual([]);
  });
});

describe("idempotency", () => {
  const hash = "a".repeat(64);
  const other = "b".repeat(64);
  it("a new key proceeds", () => {
    expect(decideIdempotency(hash, null)).toEqual({ action: "proceed" });
  });
  it("same key and same request returns the existing entry", () => {
    expect(decideIdempotency(hash, { outcome: "accepted", requestSha256: hash, entryId: "e1" })).toEqual({
      action: "return-existing",
      entryId: "e1",
    });
  });
  it("same key with a different request is a 409 conflict", () => {
    const decision = decideIdempotency(other, { outcome: "accepted", requestSha256: hash, entryId: "e1" });
    expect(decision.action).toBe("conflict");
    expect(decision.action === "conflict" && decision.httpStatus).toBe(409);
    expect(
      decideIdempotency(other, { outcome: "rejected", requestSha256: hash, code: "INSUFFICIENT_BALANCE" }).action,
    ).toBe("conflict");
  });
  it("a previously rejected request is rejected again", () => {
    const decision = decideIdempotency(hash, {
      outcome: "rejected",
      requestSha256: hash,
      code: "INSUFFICIENT_BALANCE",
    });
    expect(decision).toMatchObject({
      action: "reject-again",
      code: "INSUFFICIENT_BALANCE",
      issue: { code: "PREVIOUSLY_REJECTED" },
    });
  });
});
