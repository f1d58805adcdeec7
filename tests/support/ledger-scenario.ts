/**
 * A realistic ledger posted through the real posting service, for export and tamper tests: two
 * budgets, a joint award, an earmark resolved by a commitment, payments confirmed and failed, a
 * clawback returned to the fund, a virement and its reversal, a decommitment. Its text fields hold
 * commas, quotes, line breaks, non-ASCII and would-be spreadsheet formulas.
 */
import {
  budgetSet,
  clawbackRaise,
  clawbackReceived,
  commit,
  commitFromEarmark,
  decommit,
  earmark,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  virement,
  type EntryDraft,
} from "~/core/ledger";
import type { Db } from "~/db/client.server";
import { postEntry, type PostedEntry } from "~/models/ledger.server";
import { addApproval, addFund, addGrant, FINANCE } from "./ledger-world";

export const SCENARIO_FUND = "WB-2026";
export const SCENARIO_FY = "2026/27";

export interface Scenario {
  budgets: [string, string];
  grants: string[];
  posted: PostedEntry[];
}

export function populateLedger(database: Db, options: { prefix?: string } = {}): Scenario {
  const p = options.prefix ?? "";
  const fund = `${p}${SCENARIO_FUND}`;
  const [riverside, hillside] = addFund(database, {
    id: fund,
    fy: SCENARIO_FY,
    budgetIds: [`${p}riverside`, `${p}hillside`],
  }) as [string, string];
  const grants = ["g-42", "g-43", "pb-7", "g-44"].map((id) => addGrant(database, { id: `${p}${id}`, fundId: fund }));
  const [g42, g43, pb7, g44] = grants as [string, string, string, string];
  const posted: PostedEntry[] = [];
  let n = 0;
  const post = (
    draft: EntryDraft,
    effectiveDate: string,
    approvalId: string | null = null,
    actor: { id: string; name: string } = FINANCE,
  ) => {
    n += 1;
    const entry = postEntry(
      {
        draft,
        idempotencyKey: `${p}scenario-${n}`,
        actor,
        effectiveDate,
        approvalId,
        now: new Date(Date.UTC(2026, 3, 1, 9) + n * 3_600_123),
      },
      database,
    );
    posted.push(entry);
    return entry;
  };
  const approve = (entryType: string, grantId: string | null, amountPence: number) =>
    addApproval(database, { entryType, grantId, amountPence });

  post(
    budgetSet({
      scheme: fund,
      fy: SCENARIO_FY,
      allocations: [
        { budgetId: riverside, pence: 500_000 },
        { budgetId: hillside, pence: 300_000 },
      ],
      resolutionRef: "Full Council 2026-02-20, minute 7",
    }),
    "2026-04-01",
  );
  post(
    commit({
      grantId: g42,
      sources: [
        { budgetId: riverside, pence: 60_000 },
        { budgetId: hillside, pence: 40_000 },
      ],
      memo: 'Riverside Allotment Society: "raised beds", phase 1\nCafé – garden',
    }),
    "2026-05-12",
    approve("COMMIT", g42, 100_000),
  );
  const request = post(
    payRequest({ grantId: g42, pence: 100_000, memo: '=HYPERLINK("http://example.com")' }),
    "2026-06-01",
  );
  post(
    payConfirm({ grantId: g42, payRequestEntryId: request.entryId, pence: 100_000, paymentRef: "+AP-2026-118834" }),
    "2026-06-14",
    null,
    { id: "finance-2", name: "Second Officer" },
  );
  const held = post(
    earmark({ grantId: pb7, sources: [{ budgetId: riverside, pence: 120_000 }], memo: "\tPB round 2, project 7" }),
    "2026-06-20",
  );
  post(
    commitFromEarmark({
      grantId: pb7,
      earmarkEntryId: held.entryId,
      pence: 100_000,
      releases: [{ budgetId: riverside, pence: 20_000 }],
    }),
    "2026-07-01",
    approve("COMMIT", pb7, 100_000),
  );
  const failedRequest = post(payRequest({ grantId: pb7, pence: 100_000 }), "2026-07-05");
  post(
    payFailed({
      grantId: pb7,
      payRequestEntryId: failedRequest.entryId,
      pence: 100_000,
      reason: "@Bank account closed",
    }),
    "2026-07-09",
  );
  post(
    clawbackRaise({
      grantId: g42,
      pence: 10_000,
      reason: "Phase 2 not delivered, per condition 4.2",
      debtorInvoiceRef: "INV-77",
    }),
    "2026-11-03",
  );
  post(
    clawbackReceived({ grantId: g42, pence: 10_000, destination: { returnedTo: { scheme: fund, fy: SCENARIO_FY } } }),
    "2026-12-01",
  );
  const moveDraft = virement({
    fromBudgetId: hillside,
    toBudgetId: riverside,
    pence: 5_000,
    reason: "=SUM(A1:A9) pooled by agreement",
  });
  const moved = post(moveDraft, "2027-01-10", approve("VIREMENT", null, 5_000));
  post(
    reversal({
      original: { entryId: moved.entryId, postings: moveDraft.postings },
      reason: "Keyed the wrong way round",
    }),
    "2027-01-11",
    approve("REVERSAL", null, 5_000),
  );
  post(
    commit({ grantId: g43, sources: [{ budgetId: hillside, pence: 25_000 }] }),
    "2027-02-01",
    approve("COMMIT", g43, 25_000),
  );
  post(
    decommit({ grantId: g43, returns: [{ budgetId: hillside, pence: 5_000 }], reason: "Award reduced: 'scope cut'" }),
    "2027-02-15",
  );
  post(
    commit({
      grantId: g44,
      sources: [{ budgetId: riverside, pence: 7_500 }],
      memo: "Ward 3 · £75 for the litter pick",
    }),
    "2027-03-01",
    approve("COMMIT", g44, 7_500),
  );
  return { budgets: [riverside, hillside], grants, posted };
}
