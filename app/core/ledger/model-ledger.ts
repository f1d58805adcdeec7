/**
 * An in-memory reference ledger: the "auditor" model for model-based tests.
 *
 * It applies entries with every rule the real ledger enforces, in the same order: entry id unique,
 * template shape (validateEntry), reversal target and at-most-once, resolution target and
 * at-most-once, NON_NEGATIVE balances after the entry; and optional idempotency with remembered
 * rejections. A rejected entry changes nothing. Because it is small and obviously right, tests can
 * run the same commands against the SQLite ledger and compare totals after every step.
 */
import type { AccountKey } from "./accounts";
import {
  checkBalanceBounds,
  checkConservation,
  foldPostings,
  normalBalance,
  trialBalance,
  type AccountTotals,
  type ConservationReport,
  type ScopeOf,
  type TrialBalance,
} from "./balances";
import type { EntryDraft } from "./entry";
import { issue, type LedgerIssue } from "./errors";
import {
  checkResolution,
  checkReversalTarget,
  decideIdempotency,
  type IdempotencyDecision,
  type IdempotencyRecord,
} from "./rules";
import { validateEntry } from "./templates";

export interface ModelEntry extends EntryDraft {
  entryId: string;
}

export type ApplyResult = { ok: true; entry: ModelEntry } | { ok: false; issues: LedgerIssue[] };

export type SubmitResult =
  | { outcome: "written"; entry: ModelEntry }
  | { outcome: "existing"; entryId: string }
  | { outcome: "rejected"; issues: LedgerIssue[] }
  | { outcome: "conflict"; httpStatus: 409; issues: LedgerIssue[] };

export class ModelLedger {
  private readonly entriesInOrder: ModelEntry[] = [];
  private readonly entriesById = new Map<string, ModelEntry>();
  private readonly totalsByAccount = new Map<AccountKey, AccountTotals>();
  private readonly reversedIds = new Set<string>();
  private readonly resolvedIds = new Set<string>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();

  /** Every issue that would stop `draft` being written as `entryId` now. */
  check(entryId: string, draft: EntryDraft): LedgerIssue[] {
    if (this.entriesById.has(entryId)) return [issue("DUPLICATE_ENTRY_ID", `entry ${entryId} already exists`)];
    const original = draft.reverses === null ? null : (this.entriesById.get(draft.reverses) ?? null);
    const shapeIssues = validateEntry(draft, { original });
    if (draft.reverses !== null) {
      const targetIssues = checkReversalTarget(draft.reverses, original, {
        alreadyReversed: this.reversedIds.has(draft.reverses),
      });
      if (targetIssues.length > 0) return targetIssues;
    }
    if (shapeIssues.length > 0) return shapeIssues;
    if (draft.resolves !== null) {
      const target = this.entriesById.get(draft.resolves) ?? null;
      const resolutionIssues = checkResolution(draft, target, {
        alreadyResolved: this.resolvedIds.has(draft.resolves),
        targetReversed: this.reversedIds.has(draft.resolves),
      });
      if (resolutionIssues.length > 0) return resolutionIssues;
    }
    return checkBalanceBounds(draft.postings, this.totalsByAccount);
  }

  /** Writes the entry if `check` finds nothing; otherwise changes nothing and returns the issues. */
  apply(entryId: string, draft: EntryDraft): ApplyResult {
    const issues = this.check(entryId, draft);
    if (issues.length > 0) return { ok: false, issues };
    const entry: ModelEntry = { ...draft, postings: draft.postings.map((p) => ({ ...p })), entryId };
    this.entriesInOrder.push(entry);
    this.entriesById.set(entryId, entry);
    foldPostings(entry.postings, this.totalsByAccount);
    if (entry.reverses !== null) this.reversedIds.add(entry.reverses);
    if (entry.resolves !== null) this.resolvedIds.add(entry.resolves);
    return { ok: true, entry };
  }

  /**
   * The idempotent write protocol: the first request under a key is applied (and its outcome
   * remembered, rejections included); a retry with the same request hash repeats that outcome; a
   * different request under the same key is a 409 conflict.
   */
  submit(request: { idempotencyKey: string; requestSha256: string; entryId: string; draft: EntryDraft }): SubmitResult {
    const decision: IdempotencyDecision = decideIdempotency(
      request.requestSha256,
      this.idempotency.get(request.idempotencyKey) ?? null,
    );
    switch (decision.action) {
      case "return-existing":
        return { outcome: "existing", entryId: decision.entryId };
      case "conflict":
        return { outcome: "conflict", httpStatus: 409, issues: [decision.issue] };
      case "reject-again":
        return { outcome: "rejected", issues: [decision.issue] };
      case "proceed": {
        const result = this.apply(request.entryId, request.draft);
        this.idempotency.set(
          request.idempotencyKey,
          result.ok
            ? { outcome: "accepted", requestSha256: request.requestSha256, entryId: request.entryId }
            : { outcome: "rejected", requestSha256: request.requestSha256, code: result.issues[0]!.code },
        );
        return result.ok ? { outcome: "written", entry: result.entry } : { outcome: "rejected", issues: result.issues };
      }
    }
  }

  get entries(): readonly ModelEntry[] {
    return this.entriesInOrder;
  }

  entry(entryId: string): ModelEntry | undefined {
    return this.entriesById.get(entryId);
  }

  isReversed(entryId: string): boolean {
    return this.reversedIds.has(entryId);
  }

  isResolved(entryId: string): boolean {
    return this.resolvedIds.has(entryId);
  }

  /** A copy of the running totals per account. */
  totals(): Map<AccountKey, AccountTotals> {
    return new Map(this.totalsByAccount);
  }

  /** Normal-side balance of one account (0 if never posted to). */
  balance(account: AccountKey): number {
    const totals = this.totalsByAccount.get(account);
    return totals ? normalBalance(account, totals) : 0;
  }

  trialBalance(): TrialBalance {
    return trialBalance(this.totalsByAccount);
  }

  conservation(scopeOf: ScopeOf): ConservationReport {
    return checkConservation(this.entriesInOrder, scopeOf);
  }
}
