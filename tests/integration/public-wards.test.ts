import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import { listPublicWards, publicWard } from "~/models/public-wards.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

describe("public ward pages", () => {
  it("list every ward with budgets that add up to the pot, split by population", () => {
    const wards = listPublicWards();
    expect(wards).toHaveLength(10);
    expect(wards.reduce((sum, w) => sum + w.budget.setPence, 0)).toBe(25_000_000);
    const biggest = wards.reduce((a, b) => (a.population > b.population ? a : b));
    expect(biggest.budget.setPence).toBe(Math.max(...wards.map((w) => w.budget.setPence)));
    for (const w of wards)
      expect(w.budget.availablePence + w.budget.committedPence + w.budget.paidPence).toBeLessThanOrEqual(
        w.budget.setPence + 12_500,
      );
  });

  it("show a ward's funded projects with amount, date and deciding councillor, and its balance", () => {
    const ward = publicWard("E05990001")!;
    expect(ward.fy).toBe(financialYearOf(londonDateOf(new Date())));
    expect(ward.projects.map((p) => p.title)).toContain("Accessible raised growing beds");
    const beds = ward.projects.find((p) => p.title === "Accessible raised growing beds")!;
    expect(beds).toMatchObject({ amountAwardedPence: 150_000, groupName: "Abbey Fields Allotment Society" });
    expect(ward.councillors).toContain(beds.decidedBy);
    expect(ward.budget.paidPence).toBe(150_000);
    expect(ward.budget.availablePence).toBe(ward.budget.setPence - 150_000);
  });

  it("returns nothing for an unknown ward", () => {
    expect(publicWard("E05000000")).toBeNull();
  });
});
