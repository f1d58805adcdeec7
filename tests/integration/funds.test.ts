import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import { createWardBudgetScheme, type SchemeInput } from "~/models/funds.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

let t: TestDatabase;
let finance: Principal;
beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  finance = loadPrincipal(findUserByEmail("finance@eastbrook.example")!.id)!;
});
afterAll(() => t.close());

const base: SchemeInput = {
  name: "Councillor Ward Budgets 2027/28",
  fy: "2027/28",
  splitMethod: "population",
  potPence: 25_000_000,
  perCouncillorPence: null,
  weights: {},
  budgetMode: "per-ward",
  pooledQuorum: null,
  minGrantPence: 10_000,
  maxGrantPence: 500_000,
  eligibleTypes: ["registered-charity", "constituted-group"],
  grantRules: {
    noRetrospectiveCosts: true,
    quotesAbovePence: 100_000,
    bankAccountInOrganisationName: true,
    matchFundingPercent: null,
  },
  criteria: "Projects that benefit residents of the ward.",
  opensOn: "2027-04-01",
  closesOn: "2028-01-31",
  commitmentCutoffOn: "2028-03-15",
  yearEnd: "lapse",
  resolutionRef: "Cabinet 2027-02-10 item 4",
};

describe("ward-budget schemes", () => {
  it("creates a budget per ward and sets them through the ledger in one transaction", () => {
    const fundId = createWardBudgetScheme(finance, base, "scheme-1");
    expect(fundId).toBe("WB-2027-28");
    const budgets = t.db.$client.prepare("select count(*) n from budgets where fund_id = ?").get(fundId) as {
      n: number;
    };
    expect(budgets.n).toBe(10);
    const total = t.db.$client
      .prepare("select sum(credits_posted) total from ledger_accounts where kind = 'AVAILABLE'")
      .get() as { total: number };
    expect(total.total).toBe(25_000_000);
    expect(verifyLedger(t.db).ok).toBe(true);
  });

  it("creates one budget per councillor when asked, to the penny", () => {
    const fundId = createWardBudgetScheme(
      finance,
      {
        ...base,
        budgetMode: "per-councillor",
        splitMethod: "per-councillor",
        potPence: null,
        perCouncillorPence: 1_000_000,
      },
      "scheme-2",
    );
    const rows = t.db.$client
      .prepare("select count(*) n from budgets where fund_id = ? and councillor_id is not null")
      .get(fundId) as { n: number };
    const councillors = t.db.$client.prepare("select count(*) n from role_grants where role = 'councillor'").get() as {
      n: number;
    };
    expect(rows.n).toBe(councillors.n);
  });

  it("writes nothing when the ledger refuses (a closed year)", async () => {
    const { closeFinancialYear } = await import("~/models/ledger.server");
    closeFinancialYear(finance, "2025/26");
    const before = (t.db.$client.prepare("select count(*) n from funds").get() as { n: number }).n;
    expect(() =>
      createWardBudgetScheme(
        finance,
        { ...base, fy: "2025/26", opensOn: "2025-04-01", closesOn: "2026-01-31" },
        "scheme-3",
      ),
    ).toThrow(/not open/);
    expect((t.db.$client.prepare("select count(*) n from funds").get() as { n: number }).n).toBe(before);
  });
});
