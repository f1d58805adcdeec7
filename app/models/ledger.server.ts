/**
 * The ledger's storage: posting an entry, reading balances and entries, checkpoints and closing a
 * financial year. The rules live in core/ledger; this module runs them inside one BEGIN IMMEDIATE
 * transaction with a synchronous body and writes the entry, its postings, its log row (hash-chained)
 * and its audit event together. The database backstops the same invariants with CHECKs and triggers.
 *
 * Idempotency: every request carries a key generated when its form rendered. The same key with the
 * same request returns the original entry; with a different request it is refused (HTTP 409).
 * Refused requests are remembered, so a retried overspend still fails after a budget top-up.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import {
  canonicalJson,
  checkApproval,
  checkBalanceBounds,
  checkEffectiveDate,
  checkResolution,
  checkReversalTarget,
  decideIdempotency,
  financialYearOf,
  formatRecordedAt,
  GENESIS_HEAD,
  idempotencyKeySha256,
  issue,
  LedgerError,
  parseAccountKey,
  sealEntry,
  sha256Hex,
  type AccountKey,
  type AccountTotals,
  type ApprovalRecord,
  type ChainHead,
  type EntryDraft,
  type EntryType,
  type IdempotencyRecord,
  type IsoDate,
  type LedgerErrorCode,
  type LedgerIssue,
  type Posting,
  validateEntry,
} from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  approvals,
  budgets,
  financialYears,
  journalEntries,
  journalPostings,
  ledgerAccounts,
  ledgerCheckpoints,
  ledgerLog,
  ledgerRejections,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { Refusal } from "~/utils/refusal";

/** Identifies this ledger in every payload. */
export const LEDGER_ID = "wardfund";

export interface PostRequest {
  draft: EntryDraft;
  idempotencyKey: string;
  actor: Actor;
  /** Europe/London calendar date that decides the financial year. */
  effectiveDate: IsoDate;
  approvalId?: string | null;
  /** The payer, for PAY_REQUEST and PAY_CONFIRM (separation of duties). */
  now?: Date;
}

export interface PostedEntry {
  status: "created" | "existing";
  entryId: string;
  seq: number;
  hash: string;
}

/** A request the ledger refused: a Refusal carrying every issue; its code is the first issue's. */
export class LedgerRefusal extends Refusal {
  declare readonly status: 409 | 422;
  declare readonly code: string;

  constructor(
    status: 409 | 422,
    readonly issues: readonly LedgerIssue[],
  ) {
    super(issues.map((i) => i.message).join("; "), { status, code: issues[0]?.code ?? "UNKNOWN" });
  }
}

function requestSha256(request: PostRequest): string {
  const { draft } = request;
  return sha256Hex(
    canonicalJson({
      type: draft.type,
      postings: draft.postings.map((p) => ({ account: p.account, dc: p.dc, pence: p.pence })),
      reverses: draft.reverses,
      resolves: draft.resolves,
      reason: draft.reason,
      externalRef: draft.externalRef,
      memo: draft.memo,
      effectiveDate: request.effectiveDate,
      approvalId: request.approvalId ?? null,
    }),
  );
}

function previousOutcome(tx: Db, key: string): IdempotencyRecord | null {
  const accepted = tx.select().from(journalEntries).where(eq(journalEntries.idempotencyKey, key)).get();
  if (accepted) return { outcome: "accepted", requestSha256: accepted.requestSha256, entryId: accepted.id };
  const rejected = tx.select().from(ledgerRejections).where(eq(ledgerRejections.idempotencyKey, key)).get();
  if (rejected)
    return { outcome: "rejected", requestSha256: rejected.requestSha256, code: rejected.code as LedgerErrorCode };
  return null;
}

function chainHead(tx: Db): ChainHead {
  const row = tx
    .select({ seq: ledgerLog.seq, hash: ledgerLog.hash })
    .from(ledgerLog)
    .orderBy(desc(ledgerLog.seq))
    .limit(1)
    .get();
  return row ?? GENESIS_HEAD;
}

function openYears(tx: Db, effectiveDate: IsoDate): string[] {
  const fy = financialYearOf(effectiveDate);
  const closed = tx.select().from(financialYears).where(eq(financialYears.fy, fy)).get();
  return closed?.closedAt ? [] : [fy];
}

function entryWithPostings(tx: Db, entryId: string) {
  const entry = tx.select().from(journalEntries).where(eq(journalEntries.id, entryId)).get();
  if (!entry) return null;
  const postings: Posting[] = tx
    .select({ account: ledgerAccounts.key, dc: journalPostings.dc, pence: journalPostings.amountPence })
    .from(journalPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalPostings.accountId))
    .where(eq(journalPostings.entryId, entryId))
    .orderBy(asc(journalPostings.lineNo))
    .all()
    .map((p) => ({ account: p.account, dc: p.dc as "D" | "C", pence: p.pence }));
  return { entryId: entry.id, type: entry.type as EntryType, postings };
}

function currentTotals(tx: Db, keys: readonly AccountKey[]): Map<AccountKey, AccountTotals> {
  const totals = new Map<AccountKey, AccountTotals>();
  for (const key of keys) {
    const row = tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.key, key)).get();
    if (row) totals.set(key, { debitsPence: row.debitsPosted, creditsPence: row.creditsPosted });
  }
  return totals;
}

function approvalRecord(tx: Db, approvalId: string | null | undefined): ApprovalRecord | null {
  if (!approvalId) return null;
  const row = tx.select().from(approvals).where(eq(approvals.id, approvalId)).get();
  if (!row) return null;
  return {
    id: row.id,
    requesterId: row.requesterId,
    approverId: row.approverId,
    entryType: row.entryType as EntryType,
    grantId: row.grantId,
    limitPence: null,
  };
}

/**
 * Every check the code makes before writing: the entry's shape (against its original, for a
 * reversal), the open year, the approval, reservations resolved once, and the balance bounds. The
 * database checks the same things again.
 */
function refusalIssues(tx: Db, request: PostRequest): LedgerIssue[] {
  const { draft } = request;
  let original: ReturnType<typeof entryWithPostings> = null;
  if (draft.reverses !== null) {
    original = entryWithPostings(tx, draft.reverses);
    const alreadyReversed =
      tx.select().from(journalEntries).where(eq(journalEntries.reversesId, draft.reverses)).get() !== undefined;
    const targetIssues = checkReversalTarget(draft.reverses, original, { alreadyReversed });
    if (targetIssues.length > 0) return targetIssues;
  }
  const shapeIssues = validateEntry(draft, { original });
  if (shapeIssues.length > 0) return shapeIssues;
  const issues: LedgerIssue[] = [...checkEffectiveDate(request.effectiveDate, openYears(tx, request.effectiveDate))];
  const approval = approvalRecord(tx, request.approvalId);
  if (request.approvalId && !approval)
    issues.push(issue("APPROVAL_REQUIRED", `approval ${request.approvalId} does not exist`));
  else issues.push(...checkApproval(draft, approval));
  if (draft.resolves !== null) {
    const target = entryWithPostings(tx, draft.resolves);
    const alreadyResolved =
      tx.select().from(journalEntries).where(eq(journalEntries.resolvesId, draft.resolves)).get() !== undefined;
    const targetReversed =
      tx.select().from(journalEntries).where(eq(journalEntries.reversesId, draft.resolves)).get() !== undefined;
    issues.push(...checkResolution(draft, target, { alreadyResolved, targetReversed }));
  }
  issues.push(...closedAccountIssues(tx, draft.postings));
  if (issues.length > 0) return issues;
  return checkBalanceBounds(
    draft.postings,
    currentTotals(
      tx,
      draft.postings.map((p) => p.account),
    ),
  );
}

/**
 * Accounts closed with their financial year take no more postings. The seal trigger refuses them
 * too, but only as a raw database error; checked here, the refusal is a 422 and is remembered.
 */
function closedAccountIssues(tx: Db, postings: readonly Posting[]): LedgerIssue[] {
  return postings.flatMap((posting, index) => {
    const row = tx
      .select({ closedAt: ledgerAccounts.closedAt })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.key, posting.account))
      .get();
    return row?.closedAt
      ? [issue("YEAR_NOT_OPEN", `${posting.account} was closed with its financial year at ${row.closedAt}`, index + 1)]
      : [];
  });
}

function scopeOfAccount(
  tx: Db,
  key: AccountKey,
): { fundId: string | null; budgetId: string | null; grantId: string | null; fy: string | null } {
  const ref = parseAccountKey(key);
  if (!ref) throw new LedgerError([issue("INVALID_ACCOUNT", `${key} is not an account key`)]);
  if ("scheme" in ref) return { fundId: ref.scheme, budgetId: null, grantId: null, fy: ref.fy };
  if ("budgetId" in ref) {
    const budget = tx.select({ fundId: budgets.fundId }).from(budgets).where(eq(budgets.id, ref.budgetId)).get();
    return { fundId: budget?.fundId ?? null, budgetId: ref.budgetId, grantId: null, fy: null };
  }
  return { fundId: null, budgetId: null, grantId: ref.grantId, fy: null };
}

function accountIdFor(tx: Db, key: AccountKey): number {
  const existing = tx.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(eq(ledgerAccounts.key, key)).get();
  if (existing) return existing.id;
  const ref = parseAccountKey(key)!;
  const row = tx
    .insert(ledgerAccounts)
    .values({ key, kind: ref.kind, nonNegative: ref.kind === "FUNDING" ? 0 : 1, ...scopeOfAccount(tx, key) })
    .returning({ id: ledgerAccounts.id })
    .get();
  return row.id;
}

function remember(tx: Db, request: PostRequest, sha: string, issues: readonly LedgerIssue[], now: Date) {
  tx.insert(ledgerRejections)
    .values({
      idempotencyKey: request.idempotencyKey,
      requestSha256: sha,
      code: issues[0]?.code ?? "UNKNOWN",
      message: issues.map((i) => i.message).join("; "),
      at: formatRecordedAt(now),
    })
    .onConflictDoNothing()
    .run();
}

/**
 * Posts one entry. Returns the created (or, for a retried request, the original) entry; throws a
 * LedgerRefusal when the request is refused. A refusal for a business reason (overspend, closed
 * year, missing approval) is remembered against its idempotency key.
 */
export function postEntry(request: PostRequest, database: Db = db()): PostedEntry {
  const now = request.now ?? new Date();
  const sha = requestSha256(request);
  const outcome = writeTransaction((tx) => {
    const decision = decideIdempotency(sha, previousOutcome(tx, request.idempotencyKey));
    if (decision.action === "conflict") return { refusal: new LedgerRefusal(409, [decision.issue]) };
    if (decision.action === "reject-again") return { refusal: new LedgerRefusal(422, [decision.issue]) };
    if (decision.action === "return-existing") {
      const log = tx.select().from(ledgerLog).where(eq(ledgerLog.entryId, decision.entryId)).get()!;
      return { posted: { status: "existing" as const, entryId: decision.entryId, seq: log.seq, hash: log.hash } };
    }
    const issues = refusalIssues(tx, request);
    if (issues.length > 0) {
      remember(tx, request, sha, issues, now);
      return { refusal: new LedgerRefusal(422, issues) };
    }
    return { posted: writeEntry(tx, request, sha, now) };
  }, database);
  if ("refusal" in outcome) throw outcome.refusal;
  return outcome.posted;
}

function writeEntry(tx: Db, request: PostRequest, sha: string, now: Date): PostedEntry {
  const entryId = randomUUID();
  const head = chainHead(tx);
  const { entry, row } = sealEntry(
    request.draft,
    {
      ledger: LEDGER_ID,
      entryId,
      effectiveDate: request.effectiveDate,
      recordedAt: formatRecordedAt(now),
      actor: request.actor.id,
      approval: request.approvalId ?? null,
      idempotencyKeySha256: idempotencyKeySha256(request.idempotencyKey),
    },
    head,
  );
  tx.insert(journalEntries)
    .values({
      id: entryId,
      seq: row.seq,
      idempotencyKey: request.idempotencyKey,
      requestSha256: sha,
      type: entry.type,
      fy: entry.fy,
      effectiveDate: entry.effectiveDate,
      recordedAt: entry.recordedAt,
      actorId: entry.actor,
      approvalId: entry.approval,
      reversesId: entry.reverses,
      resolvesId: entry.resolves,
      reason: entry.reason,
      externalRef: entry.externalRef,
      memo: entry.memo,
    })
    .run();
  entry.postings.forEach((posting, index) => {
    tx.insert(journalPostings)
      .values({
        entryId,
        lineNo: index + 1,
        accountId: accountIdFor(tx, posting.account),
        dc: posting.dc,
        amountPence: posting.pence,
      })
      .run();
  });
  tx.insert(ledgerLog)
    .values({ seq: row.seq, entryId, prevHash: row.prevHash, payload: row.payload, hash: row.hash })
    .run();
  recordAudit(tx, {
    actor: request.actor,
    action: `ledger.${entry.type.toLowerCase()}`,
    entityType: "ledger_entry",
    entityId: entryId,
    reason: entry.reason,
    after: {
      seq: row.seq,
      type: entry.type,
      amountPence: entry.postings.filter((p) => p.dc === "D").reduce((s, p) => s + p.pence, 0),
      hash: row.hash,
    },
  });
  return { status: "created", entryId, seq: row.seq, hash: row.hash };
}

export function ledgerHead(database: Db = db()): ChainHead {
  return chainHead(database);
}

/** Writes a checkpoint of the current head (at every export and period close). */
export function writeCheckpoint(
  tx: Db,
  reason: string,
  actor: Actor | null,
  now = new Date(),
): ChainHead & { createdAt: string } {
  const head = chainHead(tx);
  const createdAt = formatRecordedAt(now);
  tx.insert(ledgerCheckpoints)
    .values({ seq: head.seq, hash: head.hash, createdAt, reason, actorId: actor?.id ?? null })
    .run();
  return { ...head, createdAt };
}

/** Closes a financial year: stamps its accounts closed and writes a checkpoint, in one transaction. */
export function closeFinancialYear(actor: Actor, fy: string, now = new Date(), database: Db = db()) {
  return writeTransaction((tx) => {
    const existing = tx.select().from(financialYears).where(eq(financialYears.fy, fy)).get();
    if (existing?.closedAt) throw new LedgerRefusal(422, [issue("YEAR_NOT_OPEN", `${fy} is already closed`)]);
    const closedAt = formatRecordedAt(now);
    if (existing)
      tx.update(financialYears).set({ closedAt, closedBy: actor.id }).where(eq(financialYears.fy, fy)).run();
    else tx.insert(financialYears).values({ fy, closedAt, closedBy: actor.id }).run();
    tx.update(ledgerAccounts)
      .set({ closedAt })
      .where(and(eq(ledgerAccounts.fy, fy), sql`${ledgerAccounts.closedAt} is null`))
      .run();
    tx.update(ledgerAccounts)
      .set({ closedAt })
      .where(
        sql`${ledgerAccounts.closedAt} is null and ${ledgerAccounts.budgetId} in (select b.id from budgets b join
          funds f on f.id = b.fund_id where f.fy = ${fy})`,
      )
      .run();
    const checkpoint = writeCheckpoint(tx, `close ${fy}`, actor, now);
    recordAudit(tx, {
      actor,
      action: "ledger.year-closed",
      entityType: "financial_year",
      entityId: fy,
      after: checkpoint,
    });
    return checkpoint;
  }, database);
}
