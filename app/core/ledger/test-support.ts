/**
 * A small, realistic sealed ledger for tests (chain, audit pack, verifier). Not used by the app.
 *
 * The scenario covers every kind of link the verifier checks: a joint award split pro rata, an
 * earmark resolved by a commitment that releases part of it, a payment request confirmed and
 * another failed, a clawback raised and returned, and a reversal. Its text fields hold commas,
 * quotes, line breaks, non-ASCII and a would-be spreadsheet formula.
 */
import {
  budgetSet,
  clawbackRaise,
  clawbackReceived,
  commit,
  commitFromEarmark,
  earmark,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  sharesFromWeights,
  virement,
} from "./builders";
import { GENESIS_HEAD, headOf, sealEntry, type ChainHead, type LogRow } from "./chain";
import type { EntryDraft, LedgerEntry } from "./entry";
import { idempotencyKeySha256 } from "./payload";

export const SAMPLE_LEDGER_ID = "wardfund-GB-LAE-EXB";

export interface SealedSample {
  entries: LedgerEntry[];
  rows: LogRow[];
  head: ChainHead;
}

/** Seals drafts in order with deterministic ids, dates and actors. */
export function sealAll(
  drafts: readonly { draft: EntryDraft; effectiveDate: string; approval?: string | null }[],
): SealedSample {
  const entries: LedgerEntry[] = [];
  const rows: LogRow[] = [];
  let head: ChainHead = GENESIS_HEAD;
  drafts.forEach(({ draft, effectiveDate, approval = null }, index) => {
    const n = index + 1;
    const sealed = sealEntry(
      draft,
      {
        ledger: SAMPLE_LEDGER_ID,
        entryId: entryIdOf(n),
        effectiveDate,
        recordedAt: new Date(Date.UTC(2025, 3, 1, 9, 0, 0, 0) + n * 3_600_123).toISOString(),
        actor: n % 2 === 0 ? "u-officer-7" : "u-finance-3",
        approval,
        idempotencyKeySha256: idempotencyKeySha256(`form-key-${n}`),
      },
      head,
    );
    entries.push(sealed.entry);
    rows.push(sealed.row);
    head = headOf(sealed.row);
  });
  return { entries, rows, head };
}

export const entryIdOf = (n: number) => `E${String(n).padStart(4, "0")}`;

/** The sample scenario: 12 entries in 2025/26. */
export function sampleLedger(): SealedSample {
  const jointSources = sharesFromWeights(100000, [
    { budgetId: "riverside", weight: 2 },
    { budgetId: "hillside", weight: 2 },
    { budgetId: "meadow", weight: 3 },
  ]);
  const virementDraft = virement({
    fromBudgetId: "hillside",
    toBudgetId: "meadow",
    pence: 5000,
    reason: "=SUM(A1:A9) pooled by agreement",
  });
  return sealAll([
    {
      draft: budgetSet({
        scheme: "WB",
        fy: "2025/26",
        allocations: [
          { budgetId: "riverside", pence: 500000 },
          { budgetId: "hillside", pence: 300000 },
          { budgetId: "meadow", pence: 200000 },
        ],
        resolutionRef: "Full Council 2025-02-20, minute 7",
      }),
      effectiveDate: "2025-04-01",
    },
    {
      draft: earmark({ grantId: "pb-r2-7", sources: [{ budgetId: "riverside", pence: 120000 }] }),
      effectiveDate: "2025-05-02",
    },
    {
      draft: commit({
        grantId: "g-42",
        sources: jointSources,
        memo: 'Riverside Allotment Society: "raised beds", phase 1\nCafé – garden',
      }),
      effectiveDate: "2025-06-12",
      approval: "AP-0001",
    },
    { draft: payRequest({ grantId: "g-42", pence: 100000 }), effectiveDate: "2025-07-01" },
    {
      draft: payConfirm({
        grantId: "g-42",
        payRequestEntryId: entryIdOf(4),
        pence: 100000,
        paymentRef: "AP-2025-118834",
      }),
      effectiveDate: "2025-07-14",
    },
    {
      draft: commitFromEarmark({
        grantId: "pb-r2-7",
        earmarkEntryId: entryIdOf(2),
        pence: 100000,
        releases: [{ budgetId: "riverside", pence: 20000 }],
      }),
      effectiveDate: "2025-07-20",
      approval: "AP-0002",
    },
    { draft: virementDraft, effectiveDate: "2025-08-01", approval: "AP-0003" },
    {
      draft: clawbackRaise({
        grantId: "g-42",
        pence: 10000,
        reason: "Phase 2 not delivered",
        debtorInvoiceRef: "INV-77",
      }),
      effectiveDate: "2025-11-03",
    },
    {
      draft: clawbackReceived({
        grantId: "g-42",
        pence: 10000,
        destination: { returnedTo: { scheme: "WB", fy: "2025/26" } },
      }),
      effectiveDate: "2025-12-01",
    },
    { draft: payRequest({ grantId: "pb-r2-7", pence: 100000 }), effectiveDate: "2026-01-05" },
    {
      draft: payFailed({
        grantId: "pb-r2-7",
        payRequestEntryId: entryIdOf(10),
        pence: 100000,
        reason: "Bank account closed",
      }),
      effectiveDate: "2026-01-09",
    },
    {
      draft: reversal({
        original: { entryId: entryIdOf(7), postings: virementDraft.postings },
        reason: "Keyed the wrong way round",
      }),
      effectiveDate: "2026-03-31",
      approval: "AP-0004",
    },
  ]);
}
