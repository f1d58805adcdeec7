/**
 * Business rules checked before an entry is written, as pure functions of plain data.
 *
 * The storage layer reads what a rule needs (approval record, the original entry, whether a
 * reservation was already resolved, the idempotency record) inside its write transaction, calls
 * these, and writes only if every list of issues is empty. The database backstops the same rules
 * with CHECK, UNIQUE and triggers; the code gives the clear message first.
 *
 * Rules here: approval exists where the template needs one, and fits the entry; separation of
 * duties (requester, approver and payer are three different people); the effective date falls in
 * an open financial year; a reversal targets an existing non-reversal entry, once; a resolution
 * clears exactly the reservation it names, once; idempotent retries.
 */
import { parseAccountKey, grantIdOf } from "./accounts";
import { entryAmountPence, type EntryDraft, type EntryType, type Posting } from "./entry";
import { issue, type LedgerErrorCode, type LedgerIssue } from "./errors";
import { financialYearOf, isIsoDate, type FinancialYear, type IsoDate } from "./financial-year";
import { ENTRY_TEMPLATES } from "./templates";
import type { Pence } from "../money/pence";

export interface ApprovalRecord {
  id: string;
  /** Who asked for the decision (officer, or the councillor's recommending officer). */
  requesterId: string;
  /** Who approved it. */
  approverId: string;
  /** The entry type the approval is for; checked when given. */
  entryType?: EntryType | null;
  /** The grant it is for; checked when given. */
  grantId?: string | null;
  /** The approver's delegated limit for this decision; checked when given. */
  limitPence?: Pence | null;
}

/** True when the entry's template needs an approval record (COMMIT, REVERSAL, VIREMENT, ...). */
export function entryNeedsApproval(type: EntryType): boolean {
  return ENTRY_TEMPLATES[type].approvalRequired;
}

/** The single grant an entry touches, or null if it touches no grant account. */
export function grantOfEntry(postings: readonly Posting[]): string | null {
  for (const posting of postings) {
    const ref = parseAccountKey(posting.account);
    const grantId = ref ? grantIdOf(ref) : null;
    if (grantId !== null) return grantId;
  }
  return null;
}

/** The approval exists where required and fits this entry (type, grant, limit, not self-approved). */
export function checkApproval(draft: EntryDraft, approval: ApprovalRecord | null): LedgerIssue[] {
  if (approval === null) {
    return entryNeedsApproval(draft.type) ? [issue("APPROVAL_REQUIRED", `${draft.type} needs an approval record`)] : [];
  }
  const issues: LedgerIssue[] = [];
  if (approval.entryType != null && approval.entryType !== draft.type) {
    issues.push(
      issue("APPROVAL_DOES_NOT_MATCH", `approval ${approval.id} is for ${approval.entryType}, not ${draft.type}`),
    );
  }
  const grantId = grantOfEntry(draft.postings);
  if (approval.grantId != null && approval.grantId !== grantId) {
    issues.push(
      issue(
        "APPROVAL_DOES_NOT_MATCH",
        `approval ${approval.id} is for grant ${approval.grantId}, not ${grantId ?? "none"}`,
      ),
    );
  }
  const amount = entryAmountPence(draft.postings);
  if (approval.limitPence != null && amount > approval.limitPence) {
    issues.push(
      issue("APPROVAL_LIMIT_EXCEEDED", `amount ${amount}p is over the approver's limit of ${approval.limitPence}p`),
    );
  }
  issues.push(...checkSeparationOfDuties({ requesterId: approval.requesterId, approverId: approval.approverId }));
  return issues;
}

/**
 * Separation of duties: the requester, the approver and the payer are three different people.
 * Pass null for a role not yet known (no payer before the payment stage).
 */
export function checkSeparationOfDuties(people: {
  requesterId?: string | null;
  approverId?: string | null;
  payerId?: string | null;
}): LedgerIssue[] {
  const { requesterId = null, approverId = null, payerId = null } = people;
  const issues: LedgerIssue[] = [];
  if (approverId !== null && approverId === requesterId) {
    issues.push(issue("APPROVER_IS_REQUESTER", "the approver cannot approve their own request"));
  }
  if (approverId !== null && approverId === payerId)
    issues.push(issue("APPROVER_IS_PAYER", "the approver cannot also release the payment"));
  if (payerId !== null && payerId === requesterId)
    issues.push(issue("PAYER_IS_REQUESTER", "the requester cannot also release the payment"));
  return issues;
}

/** The effective date is a real `YYYY-MM-DD` date in one of the open financial years. */
export function checkEffectiveDate(effectiveDate: IsoDate, openYears: readonly FinancialYear[]): LedgerIssue[] {
  if (!isIsoDate(effectiveDate))
    return [
      issue("INVALID_DATE", `effective date must be a YYYY-MM-DD calendar date, got ${JSON.stringify(effectiveDate)}`),
    ];
  const fy = financialYearOf(effectiveDate);
  return openYears.includes(fy)
    ? []
    : [issue("YEAR_NOT_OPEN", `${effectiveDate} is in ${fy}, which is not open for posting`)];
}

/** What a rule needs to know about an existing entry. */
export interface ExistingEntry {
  entryId: string;
  type: EntryType;
  postings: readonly Posting[];
}

/** A reversal targets an entry that exists, is not itself a reversal, and is not yet reversed. */
export function checkReversalTarget(
  reversesId: string,
  original: Pick<ExistingEntry, "entryId" | "type"> | null,
  state: { alreadyReversed: boolean },
): LedgerIssue[] {
  if (original === null) return [issue("ORIGINAL_NOT_FOUND", `entry ${reversesId} does not exist`)];
  if (original.type === "REVERSAL")
    return [issue("CANNOT_REVERSE_REVERSAL", `entry ${reversesId} is a reversal; record a new entry instead`)];
  if (state.alreadyReversed) return [issue("ALREADY_REVERSED", `entry ${reversesId} has already been reversed`)];
  return [];
}

/** Which reservation type each resolving entry type resolves. */
export const RESOLVES_TYPE: Partial<Record<EntryType, EntryType>> = {
  RELEASE: "EARMARK",
  COMMIT: "EARMARK",
  PAY_CONFIRM: "PAY_REQUEST",
  PAY_FAILED: "PAY_REQUEST",
};

/** The reservation account an entry credits (EARMARKED or PAYABLE) and the amount. */
function reservationPosting(postings: readonly Posting[], dc: "D" | "C"): Posting | null {
  return (
    postings.find((p) => {
      const kind = parseAccountKey(p.account)?.kind;
      return p.dc === dc && (kind === "EARMARKED" || kind === "PAYABLE");
    }) ?? null
  );
}

/**
 * A resolving entry (RELEASE, COMMIT from an earmark, PAY_CONFIRM, PAY_FAILED) names a reservation
 * of the right type that is still open, and clears exactly the amount reserved on the same account.
 * `alreadyResolved` is true when another entry already resolved it; `targetReversed` when the
 * reservation itself was reversed.
 */
export function checkResolution(
  draft: EntryDraft,
  target: ExistingEntry | null,
  state: { alreadyResolved: boolean; targetReversed?: boolean },
): LedgerIssue[] {
  if (draft.resolves === null) return [];
  const expectedType = RESOLVES_TYPE[draft.type];
  if (target === null) return [issue("RESOLVE_TARGET_NOT_FOUND", `reservation ${draft.resolves} does not exist`)];
  if (expectedType === undefined || target.type !== expectedType) {
    return [issue("RESOLVE_TARGET_WRONG_TYPE", `${draft.type} cannot resolve a ${target.type}`)];
  }
  if (state.alreadyResolved)
    return [issue("ALREADY_RESOLVED", `reservation ${draft.resolves} has already been resolved`)];
  if (state.targetReversed) return [issue("ALREADY_REVERSED", `reservation ${draft.resolves} was reversed`)];
  const reserved = reservationPosting(target.postings, "C");
  const cleared = reservationPosting(draft.postings, "D");
  if (reserved === null || cleared === null || reserved.account !== cleared.account) {
    return [issue("RESOLVE_GRANT_MISMATCH", `${draft.type} must clear ${reserved?.account ?? "the reserved account"}`)];
  }
  if (reserved.pence !== cleared.pence) {
    return [
      issue("RESOLVE_AMOUNT_MISMATCH", `reservation holds ${reserved.pence}p but ${cleared.pence}p would be cleared`),
    ];
  }
  return [];
}

/** What was stored for an idempotency key the first time it was seen. */
export type IdempotencyRecord =
  | { outcome: "accepted"; requestSha256: string; entryId: string }
  | { outcome: "rejected"; requestSha256: string; code: LedgerErrorCode };

export type IdempotencyDecision =
  /** First time this key is seen: go ahead and write. */
  | { action: "proceed" }
  /** A retry of an accepted request: return the original entry, write nothing (success). */
  | { action: "return-existing"; entryId: string }
  /** The key was used for a different request: refuse with HTTP 409. */
  | { action: "conflict"; httpStatus: 409; issue: LedgerIssue }
  /** A retry of a rejected request: reject again, even if it would now pass (e.g. after a top-up). */
  | { action: "reject-again"; code: LedgerErrorCode; issue: LedgerIssue };

/**
 * Decides what to do with a request given what the key recorded before. A different request hash
 * is always a conflict, whatever the earlier outcome; the same hash repeats the earlier outcome.
 */
export function decideIdempotency(requestSha256: string, previous: IdempotencyRecord | null): IdempotencyDecision {
  if (previous === null) return { action: "proceed" };
  if (previous.requestSha256 !== requestSha256) {
    return {
      action: "conflict",
      httpStatus: 409,
      issue: issue("IDEMPOTENCY_CONFLICT", "this form was already submitted with different details"),
    };
  }
  if (previous.outcome === "accepted") return { action: "return-existing", entryId: previous.entryId };
  return {
    action: "reject-again",
    code: previous.code,
    issue: issue(
      "PREVIOUSLY_REJECTED",
      `this request was rejected before (${previous.code}) and cannot succeed on retry`,
    ),
  };
}
