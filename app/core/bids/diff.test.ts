import { describe, expect, it } from "vitest";
import { describeChange, diffSnapshots, type BidSnapshot } from "./diff";

const base: BidSnapshot = {
  title: "Raised beds",
  summary: "Accessible raised beds for the allotment.",
  description: "We will build four raised beds that wheelchair users can reach.",
  amountPence: 80_000,
  beneficiaries: "Older and disabled plot holders",
  beneficiaryCount: 40,
  startOn: "2027-01-10",
  endOn: "2027-03-31",
  budgetLines: [
    { lineNo: 1, description: "Timber", amountPence: 50_000 },
    { lineNo: 2, description: "Soil", amountPence: 30_000 },
  ],
  wards: [{ id: 1, name: "Abbey Fields" }],
  files: [{ id: "f1", fileName: "quote.pdf" }],
};

describe("diffSnapshots", () => {
  it("finds nothing between a version and itself", () => {
    expect(diffSnapshots(base, structuredClone(base))).toEqual([]);
  });

  it("reports changed text fields with before and after", () => {
    const after = { ...base, title: "Raised beds for all", endOn: "2027-04-30", beneficiaryCount: 45 };
    expect(diffSnapshots(base, after)).toEqual([
      { kind: "field", field: "title", label: "Title", before: "Raised beds", after: "Raised beds for all" },
      { kind: "field", field: "beneficiaryCount", label: "How many people benefit", before: "40", after: "45" },
      { kind: "field", field: "endOn", label: "End date", before: "2027-03-31", after: "2027-04-30" },
    ]);
  });

  it("reports the amount and each budget line added, removed or changed", () => {
    const after: BidSnapshot = {
      ...base,
      amountPence: 95_000,
      budgetLines: [
        { lineNo: 1, description: "Timber", amountPence: 55_000 },
        { lineNo: 2, description: "Tools", amountPence: 10_000 },
        { lineNo: 3, description: "Topsoil", amountPence: 30_000 },
      ],
    };
    const changes = diffSnapshots(base, after);
    expect(changes).toContainEqual({ kind: "amount", before: 80_000, after: 95_000 });
    expect(changes).toContainEqual({ kind: "line-changed", before: base.budgetLines[0], after: after.budgetLines[0] });
    // "Soil" at line 2 is now "Tools" at line 2: the same line, renamed and re-priced.
    expect(changes).toContainEqual({ kind: "line-changed", before: base.budgetLines[1], after: after.budgetLines[1] });
    expect(changes).toContainEqual({ kind: "line-added", line: after.budgetLines[2] });
    expect(changes.map(describeChange)).toEqual([
      "Amount requested changed from £800.00 to £950.00",
      "Budget line “Timber” changed from £500.00 to £550.00",
      "Budget line “Soil” (£300.00) became “Tools” (£100.00)",
      "Budget line added: Topsoil, £300.00",
    ]);
  });

  it("matches lines by description even when they move", () => {
    const after: BidSnapshot = { ...base, budgetLines: [{ lineNo: 1, description: "soil", amountPence: 30_000 }] };
    expect(diffSnapshots(base, after).map(describeChange)).toEqual([
      "Budget line “Soil” (£300.00) became “soil” (£300.00)",
      "Budget line removed: Timber, £500.00",
    ]);
  });

  it("reports wards and files added and removed", () => {
    const after: BidSnapshot = {
      ...base,
      wards: [{ id: 2, name: "Brookside" }],
      files: [
        { id: "f1", fileName: "quote.pdf" },
        { id: "f2", fileName: "plan.png" },
      ],
    };
    expect(diffSnapshots(base, after).map(describeChange)).toEqual([
      "Ward added: Brookside",
      "Ward removed: Abbey Fields",
      "File added: plan.png",
    ]);
    expect(diffSnapshots(after, base).map(describeChange)).toEqual([
      "Ward added: Abbey Fields",
      "Ward removed: Brookside",
      "File removed: plan.png",
    ]);
  });

  it("says when a field was first filled in or emptied", () => {
    expect(describeChange({ kind: "field", field: "summary", label: "Summary", before: "", after: "New" })).toBe(
      "Summary added: “New”",
    );
    expect(describeChange({ kind: "field", field: "summary", label: "Summary", before: "Old", after: "" })).toBe(
      "Summary removed (was “Old”)",
    );
    expect(describeChange({ kind: "amount", before: null, after: 100 })).toBe(
      "Amount requested changed from nothing to £1.00",
    );
  });
});
