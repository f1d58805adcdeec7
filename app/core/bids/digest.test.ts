import { describe, expect, it } from "vitest";
import { isMonth, monthLabel, previousMonth, renderDigest } from "./digest";

describe("ward digest", () => {
  it("labels and steps months", () => {
    expect(monthLabel("2026-11")).toBe("November 2026");
    expect(previousMonth("2026-01")).toBe("2025-12");
    expect(previousMonth("2026-11")).toBe("2026-10");
    expect(isMonth("2026-13")).toBe(false);
    expect(isMonth("2026-09")).toBe(true);
  });

  it("lays out every section, saying so when one is empty", () => {
    const { subject, body } = renderDigest({
      councillorName: "Amira Patel",
      month: "2026-10",
      wards: [
        {
          name: "Abbey Fields",
          setPence: 2_000_000,
          committedPence: 100_000,
          paidPence: 50_000,
          availablePence: 1_850_000,
        },
      ],
      received: [{ reference: "WB-2026-0001", title: "Benches", groupName: "Allotment Society", amountPence: 40_000 }],
      decisions: [
        {
          reference: "WB-2026-0001",
          title: "Benches",
          outcome: "part-approve",
          amountPence: 30_000,
          deciderName: "Amira Patel",
        },
      ],
      payments: [],
      monitoringDue: [],
      roundsOpen: [{ name: "Eastbrook Decides", phase: "voting" }],
      fundsOpen: [{ name: "Ward Budgets 2026/27", closesOn: "2027-02-28" }],
    });
    expect(subject).toBe("Your ward digest for October 2026");
    expect(body).toContain("Abbey Fields: £20,000.00 set");
    expect(body).toContain('WB-2026-0001 "Benches" approved in part by Amira Patel (£300.00)');
    expect(body).toContain("Payments\n- None.");
    expect(body).toContain("Eastbrook Decides (voting open)");
    expect(body).toContain("closes 2027-02-28");
  });
});
