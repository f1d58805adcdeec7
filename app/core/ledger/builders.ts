/**
 * Builders: the only way application code should make an entry.
 *
 * Each builder takes named business values (budget ids, grant id, pence), lays out the postings in
 * a fixed order (debit lines first, then credit lines, each in the order given), NFC-normalises the
 * text, and runs `assertValidEntry` before returning. So a builder either returns a valid
 * `EntryDraft` or throws a `LedgerError`; it never returns a free-form entry.
 *
 * Joint funding: `sharesFromWeights` splits an amount across budgets with the largest-remainder
 * method (money/split.ts), ties broken by budget id, zero shares dropped; the shares always add up
 * to the amount exactly, so the entry balances to the penny.
 */
import {
  availableAccount,
  committedAccount,
  earmarkedAccount,
  fundingAccount,
  lapsedAccount,
  paidAccount,
  payableAccount,
  recoverableAccount,
  returnedAccount,
  type AccountKey,
  type DebitOrCredit,
} from "./accounts";
import { normaliseText, type EntryDraft, type EntryType, type Posting } from "./entry";
import type { FinancialYear } from "./financial-year";
import { assertValidEntry, type ReversalOriginal } from "./templates";
import { allocatePence, type SplitWeight } from "../money/split";
import type { Pence } from "../money/pence";

/** A budget's part of an amount. */
export interface BudgetShare {
  budgetId: string;
  pence: Pence;
}

/** A scheme-year, as used by FUNDING, RETURNED and LAPSED accounts. */
export interface SchemeYear {
  scheme: string;
  fy: FinancialYear;
}

interface TextFields {
  memo?: string | null;
}

const debit = (account: AccountKey, pence: Pence): Posting => ({ account, dc: "D", pence });
const credit = (account: AccountKey, pence: Pence): Posting => ({ account, dc: "C", pence });
const sharePostings = (dc: DebitOrCredit, shares: readonly BudgetShare[]): Posting[] =>
  shares.map((share) => ({ account: availableAccount(share.budgetId), dc, pence: share.pence }));
const totalOf = (shares: readonly BudgetShare[]): Pence => shares.reduce((sum, share) => sum + share.pence, 0);

function finish(
  type: EntryType,
  postings: Posting[],
  fields: {
    memo?: string | null;
    reason?: string | null;
    externalRef?: string | null;
    resolves?: string | null;
    reverses?: string | null;
  },
  original?: ReversalOriginal,
): EntryDraft {
  const draft: EntryDraft = {
    type,
    postings,
    reverses: fields.reverses ?? null,
    resolves: fields.resolves ?? null,
    reason: normaliseText(fields.reason),
    externalRef: normaliseText(fields.externalRef),
    memo: normaliseText(fields.memo),
  };
  assertValidEntry(draft, { original: original ?? null });
  return draft;
}

/**
 * Splits `totalPence` across budgets pro rata to their weights (largest remainder, ties to the
 * smaller budget id by code units). Budgets whose share is 0p are left out.
 */
export function sharesFromWeights(
  totalPence: Pence,
  weights: readonly { budgetId: string; weight: SplitWeight }[],
): BudgetShare[] {
  return allocatePence(
    totalPence,
    weights.map((w) => ({ key: w.budgetId, weight: w.weight })),
  )
    .filter((share) => share.pence > 0)
    .map((share) => ({ budgetId: share.key, pence: share.pence }));
}

/** BUDGET_SET: Dr FUNDING:{scheme}:{fy}, Cr AVAILABLE for each budget. */
export function budgetSet(
  input: SchemeYear & TextFields & { allocations: readonly BudgetShare[]; resolutionRef?: string | null },
): EntryDraft {
  return finish(
    "BUDGET_SET",
    [
      debit(fundingAccount(input.scheme, input.fy), totalOf(input.allocations)),
      ...sharePostings("C", input.allocations),
    ],
    { memo: input.memo, externalRef: input.resolutionRef },
  );
}

/**
 * BUDGET_ADJUST: a signed change to one budget. An increase is Dr FUNDING / Cr AVAILABLE; a
 * decrease is the mirror, Dr AVAILABLE / Cr FUNDING. Needs a reason (and an approval, see rules).
 */
export function budgetAdjust(
  input: SchemeYear &
    TextFields & { budgetId: string; changePence: Pence; reason: string; resolutionRef?: string | null },
): EntryDraft {
  const funding = fundingAccount(input.scheme, input.fy);
  const budget = availableAccount(input.budgetId);
  const pence = Math.abs(input.changePence);
  const postings =
    input.changePence >= 0
      ? [debit(funding, pence), credit(budget, pence)]
      : [debit(budget, pence), credit(funding, pence)];
  return finish("BUDGET_ADJUST", postings, {
    memo: input.memo,
    reason: input.reason,
    externalRef: input.resolutionRef,
  });
}

/** VIREMENT: Dr AVAILABLE(from), Cr AVAILABLE(to). Only where the scheme allows pooling. */
export function virement(
  input: TextFields & { fromBudgetId: string; toBudgetId: string; pence: Pence; reason: string },
): EntryDraft {
  return finish(
    "VIREMENT",
    [debit(availableAccount(input.fromBudgetId), input.pence), credit(availableAccount(input.toBudgetId), input.pence)],
    { memo: input.memo, reason: input.reason },
  );
}

/** EARMARK: Dr AVAILABLE for each source budget, Cr EARMARKED:{grant}. */
export function earmark(input: TextFields & { grantId: string; sources: readonly BudgetShare[] }): EntryDraft {
  return finish(
    "EARMARK",
    [...sharePostings("D", input.sources), credit(earmarkedAccount(input.grantId), totalOf(input.sources))],
    { memo: input.memo },
  );
}

/** RELEASE: resolves an EARMARK. Dr EARMARKED:{grant}, Cr AVAILABLE for each budget returned to. */
export function release(
  input: TextFields & { grantId: string; earmarkEntryId: string; returns: readonly BudgetShare[] },
): EntryDraft {
  return finish(
    "RELEASE",
    [debit(earmarkedAccount(input.grantId), totalOf(input.returns)), ...sharePostings("C", input.returns)],
    { memo: input.memo, resolves: input.earmarkEntryId },
  );
}

/** COMMIT from budgets: Dr AVAILABLE for each source (joint funding), Cr COMMITTED:{grant}. */
export function commit(input: TextFields & { grantId: string; sources: readonly BudgetShare[] }): EntryDraft {
  return finish(
    "COMMIT",
    [...sharePostings("D", input.sources), credit(committedAccount(input.grantId), totalOf(input.sources))],
    { memo: input.memo },
  );
}

/**
 * COMMIT from a reservation: resolves the EARMARK. Dr EARMARKED:{grant} for the whole earmark,
 * Cr COMMITTED:{grant} for the award and Cr AVAILABLE for any part of the earmark not awarded
 * (`releases`), so the reservation is cleared in one step.
 */
export function commitFromEarmark(
  input: TextFields & { grantId: string; earmarkEntryId: string; pence: Pence; releases?: readonly BudgetShare[] },
): EntryDraft {
  const releases = input.releases ?? [];
  return finish(
    "COMMIT",
    [
      debit(earmarkedAccount(input.grantId), input.pence + totalOf(releases)),
      credit(committedAccount(input.grantId), input.pence),
      ...sharePostings("C", releases),
    ],
    { memo: input.memo, resolves: input.earmarkEntryId },
  );
}

/** DECOMMIT: Dr COMMITTED:{grant}, Cr AVAILABLE for each budget the money returns to. */
export function decommit(
  input: TextFields & { grantId: string; returns: readonly BudgetShare[]; reason: string },
): EntryDraft {
  return finish(
    "DECOMMIT",
    [debit(committedAccount(input.grantId), totalOf(input.returns)), ...sharePostings("C", input.returns)],
    { memo: input.memo, reason: input.reason },
  );
}

/** PAY_REQUEST: Dr COMMITTED:{grant}, Cr PAYABLE:{grant}. */
export function payRequest(input: TextFields & { grantId: string; pence: Pence }): EntryDraft {
  return finish(
    "PAY_REQUEST",
    [debit(committedAccount(input.grantId), input.pence), credit(payableAccount(input.grantId), input.pence)],
    {
      memo: input.memo,
    },
  );
}

/** PAY_CONFIRM: resolves a PAY_REQUEST. Dr PAYABLE, Cr PAID; carries the finance payment reference. */
export function payConfirm(
  input: TextFields & { grantId: string; payRequestEntryId: string; pence: Pence; paymentRef: string },
): EntryDraft {
  return finish(
    "PAY_CONFIRM",
    [debit(payableAccount(input.grantId), input.pence), credit(paidAccount(input.grantId), input.pence)],
    {
      memo: input.memo,
      externalRef: input.paymentRef,
      resolves: input.payRequestEntryId,
    },
  );
}

/** PAY_FAILED: resolves a PAY_REQUEST. Dr PAYABLE, Cr COMMITTED (the award stands, unpaid). */
export function payFailed(
  input: TextFields & { grantId: string; payRequestEntryId: string; pence: Pence; reason: string },
): EntryDraft {
  return finish(
    "PAY_FAILED",
    [debit(payableAccount(input.grantId), input.pence), credit(committedAccount(input.grantId), input.pence)],
    {
      memo: input.memo,
      reason: input.reason,
      resolves: input.payRequestEntryId,
    },
  );
}

/** CLAWBACK_RAISE: Dr PAID, Cr RECOVERABLE; needs a reason and the debtor invoice reference. */
export function clawbackRaise(
  input: TextFields & { grantId: string; pence: Pence; reason: string; debtorInvoiceRef: string },
): EntryDraft {
  return finish(
    "CLAWBACK_RAISE",
    [debit(paidAccount(input.grantId), input.pence), credit(recoverableAccount(input.grantId), input.pence)],
    { memo: input.memo, reason: input.reason, externalRef: input.debtorInvoiceRef },
  );
}

/** Where received clawback money goes: back into a budget this year, or returned to the fund. */
export type ClawbackDestination = { budgetId: string } | { returnedTo: SchemeYear };

/** CLAWBACK_RECEIVED: Dr RECOVERABLE, Cr AVAILABLE (recycle) or RETURNED:{scheme}:{fy}. */
export function clawbackReceived(
  input: TextFields & { grantId: string; pence: Pence; destination: ClawbackDestination; receiptRef?: string | null },
): EntryDraft {
  const destination =
    "budgetId" in input.destination
      ? availableAccount(input.destination.budgetId)
      : returnedAccount(input.destination.returnedTo.scheme, input.destination.returnedTo.fy);
  return finish(
    "CLAWBACK_RECEIVED",
    [debit(recoverableAccount(input.grantId), input.pence), credit(destination, input.pence)],
    {
      memo: input.memo,
      externalRef: input.receiptRef,
    },
  );
}

/** CLAWBACK_WRITE_OFF: Dr RECOVERABLE, Cr PAID; needs a reason and a write-off approval. */
export function clawbackWriteOff(input: TextFields & { grantId: string; pence: Pence; reason: string }): EntryDraft {
  return finish(
    "CLAWBACK_WRITE_OFF",
    [debit(recoverableAccount(input.grantId), input.pence), credit(paidAccount(input.grantId), input.pence)],
    { memo: input.memo, reason: input.reason },
  );
}

/** LAPSE: Dr AVAILABLE for each budget's unspent amount, Cr LAPSED:{scheme}:{fy}. */
export function lapse(input: SchemeYear & TextFields & { lapses: readonly BudgetShare[] }): EntryDraft {
  return finish(
    "LAPSE",
    [...sharePostings("D", input.lapses), credit(lapsedAccount(input.scheme, input.fy), totalOf(input.lapses))],
    {
      memo: input.memo,
    },
  );
}

/** CARRY_FORWARD: Dr AVAILABLE(this year's budget), Cr AVAILABLE(next year's budget). */
export function carryForward(
  input: TextFields & { fromBudgetId: string; toBudgetId: string; pence: Pence; reason?: string | null },
): EntryDraft {
  return finish(
    "CARRY_FORWARD",
    [debit(availableAccount(input.fromBudgetId), input.pence), credit(availableAccount(input.toBudgetId), input.pence)],
    { memo: input.memo, reason: input.reason },
  );
}

/**
 * REVERSAL: the exact mirror of `original` (same accounts and amounts, same line order, every side
 * flipped), pointing back at it. Only for recording errors, never for business events.
 */
export function reversal(input: TextFields & { original: ReversalOriginal; reason: string }): EntryDraft {
  const postings = input.original.postings.map((p): Posting => ({
    account: p.account,
    dc: p.dc === "D" ? "C" : "D",
    pence: p.pence,
  }));
  return finish(
    "REVERSAL",
    postings,
    { memo: input.memo, reason: input.reason, reverses: input.original.entryId },
    input.original,
  );
}
