import fc from "fast-check";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { allocateScheme, AllocationError } from "./allocation";

const wards = [
  { gssCode: "E05990002", population: 9870, councillorIds: ["b1", "b2"] },
  { gssCode: "E05990001", population: 11240, councillorIds: ["a1", "a2", "a3"] },
  { gssCode: "E05990003", population: 12510, councillorIds: ["c1"] },
];

describe("sharing a scheme's pot", () => {
  it("splits pro rata by population to the penny", () => {
    const shares = allocateScheme({ method: "population", potPence: 10_000_001, perCouncillorBudgets: false, wards });
    expect(shares.map((s) => s.gssCode)).toEqual(["E05990001", "E05990002", "E05990003"]);
    expect(shares.reduce((sum, s) => sum + s.pence, 0)).toBe(10_000_001);
    // Exact quotas of 10,000,001p over 33,620 people: 3,343,248.17 · 2,935,753.23 · 3,720,999.60.
    // The floors leave one penny, which goes to the largest remainder (0.60).
    expect(shares.map((s) => s.pence)).toEqual([3343248, 2935753, 3721000]);
  });

  it("splits equally, giving the odd pennies to the lowest ward codes", () => {
    const shares = allocateScheme({ method: "equal", potPence: 100, perCouncillorBudgets: false, wards });
    expect(shares.map((s) => s.pence)).toEqual([34, 33, 33]);
  });

  it("splits by custom weights, and refuses a missing weight", () => {
    const weighted = wards.map((w, i) => ({ ...w, weight: ["1.5", "1", "2.5"][i] }));
    const shares = allocateScheme({ method: "weights", potPence: 5_000, perCouncillorBudgets: false, wards: weighted });
    expect(shares.map((s) => [s.gssCode, s.pence])).toEqual([
      ["E05990001", 1000],
      ["E05990002", 1500],
      ["E05990003", 2500],
    ]);
    expect(() => allocateScheme({ method: "weights", potPence: 5_000, perCouncillorBudgets: false, wards })).toThrow(
      AllocationError,
    );
  });

  it("gives a fixed amount per councillor, pooled per ward or one budget each", () => {
    expect(
      allocateScheme({ method: "per-councillor", perCouncillorPence: 500_000, perCouncillorBudgets: false, wards }).map(
        (s) => s.pence,
      ),
    ).toEqual([1_500_000, 1_000_000, 500_000]);
    const each = allocateScheme({
      method: "per-councillor",
      perCouncillorPence: 500_000,
      perCouncillorBudgets: true,
      wards,
    });
    expect(each).toHaveLength(6);
    expect(each.every((s) => s.pence === 500_000 && s.councillorId)).toBe(true);
  });

  it("splits a ward's share between its councillors to the penny", () => {
    const shares = allocateScheme({ method: "equal", potPence: 1_000, perCouncillorBudgets: true, wards });
    const a = shares.filter((s) => s.gssCode === "E05990001");
    expect(a.map((s) => s.pence)).toEqual([112, 111, 111]);
    expect(shares.reduce((sum, s) => sum + s.pence, 0)).toBe(1_000);
  });

  it("always adds up to the pot, each share within a penny of its exact quota", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 }),
        (pot, populations) => {
          fc.pre(populations.some((p) => p > 0));
          const input = populations.map((population, i) => ({
            gssCode: `E0599${String(i).padStart(4, "0")}`,
            population,
            councillorIds: ["x"],
          }));
          const shares = allocateScheme({
            method: "population",
            potPence: pot,
            perCouncillorBudgets: false,
            wards: input,
          });
          const total = populations.reduce((s, p) => s + p, 0);
          expect(shares.reduce((s, x) => s + x.pence, 0)).toBe(pot);
          for (const share of shares) {
            const population = input.find((w) => w.gssCode === share.gssCode)!.population;
            const exact = new Decimal(pot).mul(population).div(total);
            expect(exact.minus(share.pence).abs().lessThan(1)).toBe(true);
          }
        },
      ),
      { seed: 20261123, numRuns: 300 },
    );
  });
});
