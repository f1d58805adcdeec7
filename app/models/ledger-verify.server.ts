/**
 * Verifies the live ledger inside one read transaction (a WAL snapshot, so rows and totals agree):
 * - the hash chain, row by row, against every stored checkpoint (`verifyLogChain`);
 * - the journal rows equal what their hashed payloads say: every journal_entries column the
 *   payload carries (id, seq, type, fy, effective_date, recorded_at, actor, approval, reverses,
 *   resolves, reason, external_ref, memo, and the idempotency key through its SHA-256), and each
 *   posting line's account, side and amount;
 * - the cached account totals equal the totals recomputed from the postings;
 * - the trial balance is zero, and money is conserved in every fund and year.
 * Reports the first bad seq where there is one.
 */
import {
  checkConservation,
  idempotencyKeySha256,
  parsePayloadV1,
  payloadV1SeqReader,
  scopeResolver,
  trialBalance,
  type AccountTotals,
  type ChainHead,
  type PayloadV1,
  type Posting,
  type Scope,
} from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { recordAudit, type Actor } from "~/models/audit.server";
import { logRows, verifyLogChain } from "~/models/ledger-chain.server";

export interface LedgerProblem {
  seq: number | null;
  check: "chain" | "rows" | "totals" | "trial-balance" | "conservation";
  message: string;
}

export interface LedgerVerification {
  ok: boolean;
  count: number;
  head: ChainHead;
  problems: LedgerProblem[];
}

interface JoinedPosting {
  seq: number;
  lineNo: number;
  account: string;
  dc: "D" | "C";
  pence: number;
}

/** The journal_entries columns that the hashed payload carries too. */
interface EntryRow {
  seq: number;
  id: string;
  idempotencyKey: string;
  type: string;
  fy: string;
  effectiveDate: string;
  recordedAt: string;
  actor: string;
  approval: string | null;
  reverses: string | null;
  resolves: string | null;
  reason: string | null;
  externalRef: string | null;
  memo: string | null;
}

/** True when the journal_entries row says what the payload says, column for column. */
function entryMatchesPayload(e: EntryRow, seq: number, payload: PayloadV1): boolean {
  return (
    e.seq === seq &&
    e.id === payload.entry_id &&
    e.type === payload.type &&
    e.fy === payload.fy &&
    e.effectiveDate === payload.effective_date &&
    e.recordedAt === payload.recorded_at &&
    e.actor === payload.actor &&
    e.approval === payload.approval &&
    e.reverses === payload.reverses &&
    e.resolves === payload.resolves &&
    e.reason === payload.reason &&
    e.externalRef === payload.external_ref &&
    e.memo === payload.memo &&
    idempotencyKeySha256(e.idempotencyKey) === payload.idempotency_key_sha256
  );
}

export function verifyLedger(database: Db = db()): LedgerVerification {
  const client = database.$client;
  // A transaction opened here only reads, so worker threads on their own connections see the same
  // log rows and may share the chain check (see ledger-chain.server.ts).
  const committedSnapshot = !client.inTransaction;
  const read = client.transaction(() => {
    const problems: LedgerProblem[] = [];
    const checkpoints = client.prepare("select seq, hash from ledger_checkpoints").all() as ChainHead[];
    const chain = verifyLogChain(client, { checkpoints }, { committedSnapshot });
    if (!chain.ok) problems.push({ seq: chain.seq, check: "chain", message: `${chain.code}: ${chain.reason}` });

    // Rows against payloads, walking both in seq order.
    const postingsBySeq = client
      .prepare(
        `select e.seq as seq, p.line_no as lineNo, a.key as account, p.dc as dc, p.amount_pence as pence
           from journal_postings p join journal_entries e on e.id = p.entry_id join ledger_accounts a on a.id =
             p.account_id
          order by e.seq, p.line_no`,
      )
      .iterate() as IterableIterator<JoinedPosting>;
    const entryRows = client
      .prepare(
        `select seq, id, idempotency_key as idempotencyKey, type, fy, effective_date as effectiveDate, recorded_at as
          recordedAt,
                actor_id as actor, approval_id as approval, reverses_id as reverses, resolves_id as resolves,
                reason, external_ref as externalRef, memo
           from journal_entries order by seq`,
      )
      .iterate() as IterableIterator<EntryRow>;
    // A payload the fast reader vouches for is canonical v1, so plain JSON.parse reads it exactly;
    // any other goes through the full parser (and is skipped if invalid: the chain check says why).
    const payloadSeqOf = payloadV1SeqReader();
    let pending = postingsBySeq.next();
    const entries: { postings: Posting[] }[] = [];
    let count = 0;
    for (const row of logRows(client)) {
      count += 1;
      const entry = entryRows.next();
      const stored: Posting[] = [];
      while (!pending.done && pending.value.seq === row.seq) {
        stored.push({ account: pending.value.account, dc: pending.value.dc, pence: pending.value.pence });
        pending = postingsBySeq.next();
      }
      let payload: PayloadV1;
      try {
        payload =
          payloadSeqOf(row.payload) !== 0 ? (JSON.parse(row.payload) as PayloadV1) : parsePayloadV1(row.payload);
      } catch {
        continue; // reported by the chain check
      }
      const e = entry.done ? null : entry.value;
      const sameHeader = e !== null && entryMatchesPayload(e, row.seq, payload);
      const samePostings =
        stored.length === payload.postings.length &&
        stored.every(
          (p, i) =>
            p.account === payload.postings[i]!.account &&
            p.dc === payload.postings[i]!.dc &&
            p.pence === payload.postings[i]!.pence,
        );
      if (!sameHeader || !samePostings) {
        problems.push({
          seq: row.seq,
          check: "rows",
          message: `journal rows for seq ${row.seq} differ from its hashed payload`,
        });
      }
      entries.push({
        postings: payload.postings.map((p) => ({ account: p.account, dc: p.dc as "D" | "C", pence: p.pence })),
      });
    }
    const extra = entryRows.next();
    if (!extra.done)
      problems.push({
        seq: extra.value.seq,
        check: "rows",
        message: `journal entry seq ${extra.value.seq} has no log row`,
      });
    // Close both cursors: rows left over (journal entries or postings with no log row) would keep
    // the connection busy, and every statement below, and the COMMIT, would throw.
    entryRows.return?.();
    postingsBySeq.return?.();

    // Cached totals against totals recomputed from postings.
    const recomputed = client
      .prepare(
        `select a.key as key, a.debits_posted as cachedDebits, a.credits_posted as cachedCredits,
                coalesce(sum(case when p.dc = 'D' then p.amount_pence end), 0) as debits,
                coalesce(sum(case when p.dc = 'C' then p.amount_pence end), 0) as credits
           from ledger_accounts a left join journal_postings p on p.account_id = a.id
          group by a.id order by a.key`,
      )
      .all() as { key: string; cachedDebits: number; cachedCredits: number; debits: number; credits: number }[];
    const totals = new Map<string, AccountTotals>();
    for (const r of recomputed) {
      if (r.cachedDebits !== r.debits || r.cachedCredits !== r.credits) {
        problems.push({
          seq: null,
          check: "totals",
          message:
            `${r.key}: cached totals ${r.cachedDebits}/${r.cachedCredits} differ from postings ` +
            `${r.debits}/${r.credits}`,
        });
      }
      totals.set(r.key, { debitsPence: r.debits, creditsPence: r.credits });
    }
    const balance = trialBalance(totals);
    if (balance.netPence !== 0)
      problems.push({ seq: null, check: "trial-balance", message: `trial balance is ${balance.netPence}p, not zero` });

    const budgetScopes = new Map<string, Scope>(
      (
        client
          .prepare("select b.id as id, f.id as scheme, f.fy as fy from budgets b join funds f on f.id = b.fund_id")
          .all() as { id: string; scheme: string; fy: string }[]
      ).map((r) => [r.id, { scheme: r.scheme, fy: r.fy }]),
    );
    const grantScopes = new Map<string, Scope>(
      (
        client
          .prepare("select g.id as id, f.id as scheme, f.fy as fy from grants g join funds f on f.id = g.fund_id")
          .all() as { id: string; scheme: string; fy: string }[]
      ).map((r) => [r.id, { scheme: r.scheme, fy: r.fy }]),
    );
    const conservation = checkConservation(entries, scopeResolver({ budgets: budgetScopes, grants: grantScopes }));
    for (const row of conservation.rows.filter((r) => !r.holds)) {
      problems.push({
        seq: null,
        check: "conservation",
        message:
          `${row.scope}: funding ${row.fundingPence}p + transfers ${row.transfersInPence}p ≠ held ` +
          `${row.heldPence}p`,
      });
    }
    for (const account of conservation.unscopedAccounts)
      problems.push({ seq: null, check: "conservation", message: `${account} belongs to no known fund` });

    const head = chain.ok ? chain.head : { seq: count, hash: "" };
    return { ok: problems.length === 0, count, head, problems };
  });
  return read.deferred();
}

/**
 * A finance officer's check of the ledger from the finance page: verifies it and audits who checked, and the result.
 */
export function verifyLedgerFor(actor: Actor, database: Db = db()): LedgerVerification & { ms: number } {
  const started = performance.now();
  const result = verifyLedger(database);
  const ms = Math.round(performance.now() - started);
  const after = { ok: result.ok, count: result.count, head: result.head.hash, problems: result.problems.length };
  writeTransaction(
    (tx) =>
      recordAudit(tx, {
        actor,
        action: "ledger.verified",
        entityType: "ledger",
        entityId: String(result.head.seq),
        after,
      }),
    database,
  );
  return { ...result, ms };
}
