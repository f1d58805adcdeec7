/**
 * The two golden test vectors printed in VERIFY.md, rebuilt from the builders. A test checks that
 * the code still produces exactly the payload strings and hashes written in VERIFY.md, so the
 * document an auditor re-implements from can never drift from the code.
 */
import { budgetSet, commit, sharesFromWeights } from "./builders";
import { GENESIS_HEAD, headOf, sealEntry, type LogRow } from "./chain";
import { idempotencyKeySha256 } from "./payload";

export function goldenVectorRows(): [LogRow, LogRow] {
  const common = { ledger: "wardfund-example", actor: "u-7f3a", approval: null };
  const first = sealEntry(
    budgetSet({
      scheme: "WB",
      fy: "2025/26",
      allocations: [
        { budgetId: "riverside", pence: 500000 },
        { budgetId: "hillside", pence: 250000 },
      ],
      resolutionRef: "Full Council 2025-02-20, minute 7",
    }),
    {
      ...common,
      entryId: "01JQ7ZB3W4T9V8K2M5N6P7R8S1",
      effectiveDate: "2025-04-01",
      recordedAt: "2025-04-01T08:15:00.000Z",
      idempotencyKeySha256: idempotencyKeySha256("vector-key-1"),
    },
    GENESIS_HEAD,
  );
  const second = sealEntry(
    commit({
      grantId: "g-42",
      sources: sharesFromWeights(100000, [
        { budgetId: "riverside", weight: 2 },
        { budgetId: "hillside", weight: 2 },
        { budgetId: "meadow", weight: 3 },
      ]),
      memo: 'Riverside Allotment Society – "raised beds" for the Café garden',
    }),
    {
      ...common,
      approval: "AP-0001",
      entryId: "01JXH4C2D6F8G0J2K4M6N8P0Q2",
      effectiveDate: "2025-06-12",
      recordedAt: "2025-06-12T23:30:00.125Z",
      idempotencyKeySha256: idempotencyKeySha256("vector-key-2"),
    },
    headOf(first.row),
  );
  return [first.row, second.row];
}
