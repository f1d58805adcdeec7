/**
 * Balances recomputed from postings: per-account totals, the trial balance, the non-negative
 * bound, and the conservation identity per scheme-year.
 *
 * Totals are always derivable from postings, so the database's running totals are a cache this
 * module can rebuild and compare. All arithmetic is on safe integers and fails loudly rather than
 * lose a penny.
 *
 * Conservation (ledger reference §2 item 3), for each scheme-year:
 *   FUNDING debit balance = AVAILABLE + EARMARKED + COMMITTED + PAYABLE + PAID + RECOVERABLE
 *                           + RETURNED + LAPSED  (credit balances of the accounts in that scope)
 * Entries whose accounts all sit in one scope keep that scope's identity. Entries that move money
 * between scopes (a carry-forward into next year's budget, a joint award from two schemes) are
 * counted as transfers, so the identity checked is held = funding + net transfers in.
 */
import {
  accountKindOf,
  isNonNegativeKind,
  normalSideOf,
  parseAccountKey,
  type AccountKey,
  type AccountKind,
} from "./accounts";
import { compareCodeUnits } from "./canonical-json";
import type { Posting } from "./entry";
import { issue, type LedgerIssue } from "./errors";
import type { FinancialYear } from "./financial-year";
import type { Pence } from "../money/pence";

export interface AccountTotals {
  debitsPence: Pence;
  creditsPence: Pence;
}

function checkedAdd(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError("balance left the safe integer range");
  return sum;
}

/** Adds postings into per-account debit and credit totals (a new map unless `into` is given). */
export function foldPostings(
  postings: Iterable<Posting>,
  into: Map<AccountKey, AccountTotals> = new Map(),
): Map<AccountKey, AccountTotals> {
  for (const posting of postings) {
    const totals = into.get(posting.account) ?? { debitsPence: 0, creditsPence: 0 };
    into.set(
      posting.account,
      posting.dc === "D"
        ? { debitsPence: checkedAdd(totals.debitsPence, posting.pence), creditsPence: totals.creditsPence }
        : { debitsPence: totals.debitsPence, creditsPence: checkedAdd(totals.creditsPence, posting.pence) },
    );
  }
  return into;
}

/** Balance on the account's normal side: debits − credits for FUNDING, credits − debits otherwise. */
export function normalBalance(account: AccountKey, totals: AccountTotals): Pence {
  return normalSideOf(accountKindOf(account)) === "D"
    ? totals.debitsPence - totals.creditsPence
    : totals.creditsPence - totals.debitsPence;
}

export interface TrialBalanceRow {
  account: AccountKey;
  kind: AccountKind;
  debitsPence: Pence;
  creditsPence: Pence;
  /** debits − credits: positive for a net debit, negative for a net credit. */
  netPence: Pence;
  /** Balance on the account's normal side. */
  balancePence: Pence;
}

export interface TrialBalance {
  /** Sorted by account key (UTF-16 code units). */
  rows: TrialBalanceRow[];
  totalDebitsPence: Pence;
  totalCreditsPence: Pence;
  /** Σ net over all accounts; 0 for a balanced ledger. */
  netPence: Pence;
}

export function trialBalance(totals: ReadonlyMap<AccountKey, AccountTotals>): TrialBalance {
  const rows = [...totals.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([account, t]) => ({
      account,
      kind: accountKindOf(account),
      debitsPence: t.debitsPence,
      creditsPence: t.creditsPence,
      netPence: t.debitsPence - t.creditsPence,
      balancePence: normalBalance(account, t),
    }));
  const totalDebitsPence = rows.reduce((sum, row) => checkedAdd(sum, row.debitsPence), 0);
  const totalCreditsPence = rows.reduce((sum, row) => checkedAdd(sum, row.creditsPence), 0);
  return { rows, totalDebitsPence, totalCreditsPence, netPence: totalDebitsPence - totalCreditsPence };
}

/** NON_NEGATIVE accounts whose normal-side balance is below zero. */
export function findNegativeBalances(
  totals: ReadonlyMap<AccountKey, AccountTotals>,
): { account: AccountKey; balancePence: Pence }[] {
  return [...totals.entries()]
    .filter(([account]) => isNonNegativeKind(accountKindOf(account)))
    .map(([account, t]) => ({ account, balancePence: normalBalance(account, t) }))
    .filter((row) => row.balancePence < 0);
}

/**
 * Checks that applying `postings` would leave no NON_NEGATIVE account below zero, given the
 * current totals. This is the code-side twin of the database CHECK on running totals.
 */
export function checkBalanceBounds(
  postings: readonly Posting[],
  current: ReadonlyMap<AccountKey, AccountTotals>,
): LedgerIssue[] {
  const touched = new Map<AccountKey, AccountTotals>();
  for (const posting of postings) {
    if (!touched.has(posting.account))
      touched.set(posting.account, current.get(posting.account) ?? { debitsPence: 0, creditsPence: 0 });
  }
  foldPostings(postings, touched);
  return findNegativeBalances(touched).map(({ account, balancePence }) =>
    issue(
      "INSUFFICIENT_BALANCE",
      `${account} would fall to ${balancePence}p`,
      postings.findIndex((p) => p.account === account) + 1,
    ),
  );
}

/** A scheme and financial year: the scope the conservation identity is checked in. */
export interface Scope {
  scheme: string;
  fy: FinancialYear;
}

/** Finds the scope of an account; null when unknown (reported as unscoped). */
export type ScopeOf = (account: AccountKey) => Scope | null;

/**
 * A `ScopeOf` that reads FUNDING/RETURNED/LAPSED scopes from their keys and looks budgets and
 * grants up in the maps given (budget id → scope, grant id → scope).
 */
export function scopeResolver(lookups: {
  budgets: ReadonlyMap<string, Scope>;
  grants: ReadonlyMap<string, Scope>;
}): ScopeOf {
  return (account) => {
    const ref = parseAccountKey(account);
    if (ref === null) return null;
    if ("scheme" in ref) return { scheme: ref.scheme, fy: ref.fy };
    if (ref.kind === "AVAILABLE") return lookups.budgets.get(ref.budgetId) ?? null;
    return lookups.grants.get(ref.grantId) ?? null;
  };
}

export interface ConservationRow {
  /** "{scheme}:{fy}" */
  scope: string;
  fundingPence: Pence;
  heldPence: Pence;
  transfersInPence: Pence;
  holds: boolean;
}

export interface ConservationReport {
  rows: ConservationRow[];
  unscopedAccounts: AccountKey[];
  holds: boolean;
}

const scopeLabel = (scope: Scope) => `${scope.scheme}:${scope.fy}`;

/** Checks held = funding + transfers in, for every scheme-year touched by `entries`. */
export function checkConservation(
  entries: Iterable<{ postings: readonly Posting[] }>,
  scopeOf: ScopeOf,
): ConservationReport {
  const rows = new Map<string, { fundingPence: number; heldPence: number; transfersInPence: number }>();
  const unscoped = new Set<AccountKey>();
  const rowFor = (label: string) =>
    rows.get(label) ?? rows.set(label, { fundingPence: 0, heldPence: 0, transfersInPence: 0 }).get(label)!;
  for (const entry of entries) {
    const labels = entry.postings.map((p) => {
      const scope = scopeOf(p.account);
      if (scope === null) unscoped.add(p.account);
      return scope === null ? null : scopeLabel(scope);
    });
    const crossesScopes = new Set(labels).size > 1;
    entry.postings.forEach((posting, index) => {
      const label = labels[index];
      if (label == null) return;
      const row = rowFor(label);
      const signedCredit = posting.dc === "C" ? posting.pence : -posting.pence;
      if (accountKindOf(posting.account) === "FUNDING") row.fundingPence = checkedAdd(row.fundingPence, -signedCredit);
      else row.heldPence = checkedAdd(row.heldPence, signedCredit);
      if (crossesScopes) row.transfersInPence = checkedAdd(row.transfersInPence, signedCredit);
    });
  }
  const reportRows = [...rows.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([scope, r]) => ({ scope, ...r, holds: r.heldPence === r.fundingPence + r.transfersInPence }));
  return {
    rows: reportRows,
    unscopedAccounts: [...unscoped].sort(compareCodeUnits),
    holds: unscoped.size === 0 && reportRows.every((row) => row.holds),
  };
}
