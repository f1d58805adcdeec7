import { describe, expect, it } from "vitest";
import { translatorFor } from "~/utils/translate";
import { isMonth, monthLabel, previousMonth, renderDigest, type DigestFacts } from "./digest";

describe("ward digest", () => {
  it("labels and steps months", () => {
    expect(monthLabel("2026-11")).toBe("November 2026");
    expect(monthLabel("2026-11", "cy")).toBe("Tachwedd 2026");
    expect(previousMonth("2026-01")).toBe("2025-12");
    expect(previousMonth("2026-11")).toBe("2026-10");
    expect(isMonth("2026-13")).toBe(false);
    expect(isMonth("2026-09")).toBe(true);
  });

  const facts: DigestFacts = {
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
  };

  it("lays out every section, saying so when one is empty", () => {
    const { subject, body, text } = renderDigest(facts, translatorFor("en"), "en");
    expect(subject).toBe("Your ward digest for October 2026");
    expect(body).toMatch(/^Dear Amira Patel,\n\nHere is what happened in your ward budget in October 2026\./);
    expect(text).not.toContain("Dear");
    expect(body).toContain("Abbey Fields: £20,000.00 set");
    expect(body).toContain('WB-2026-0001 "Benches" approved in part by Amira Patel (£300.00)');
    expect(body).toContain("Payments\n- None.");
    expect(body).toContain("Eastbrook Decides (voting open)");
    expect(body).toContain("closes 28 February 2027");
  });

  it("is written in Welsh for a Welsh reader, with Welsh month names", () => {
    const { subject, body } = renderDigest(facts, translatorFor("cy"), "cy");
    expect(subject).toBe("Eich crynodeb ward ar gyfer Hydref 2026");
    expect(body).toMatch(/^Annwyl Amira Patel,\n\nDyma beth ddigwyddodd yn eich cyllideb ward ym mis Hydref 2026\./);
    expect(body).toContain("Abbey Fields: £20,000.00 wedi'i bennu");
    expect(body).toContain("WB-2026-0001 \"Benches\" wedi'i gymeradwyo'n rhannol gan Amira Patel (£300.00)");
    expect(body).toContain("Taliadau\n- Dim.");
    expect(body).toContain("Eastbrook Decides (pleidleisio ar agor)");
    expect(body).toContain("yn cau 28 Chwefror 2027");
  });
});
