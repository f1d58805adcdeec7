/**
 * Retries answer with the original result. Every form that changes money carries an idempotency key
 * generated when it rendered; a second submission with the same key (a double click, a reload after
 * a dropped connection) must answer what the first one answered, even though the state has moved on
 * since (the payment request is no longer open, the bid is no longer waiting for a decision).
 *
 * `answerOnce` runs an action inside one BEGIN IMMEDIATE transaction and, when it succeeds, records
 * its answer in the audit trail against the key, with the actor and a hash of the request. A later
 * call with the same key, actor and request returns that answer without running the action again;
 * the same key with a different request, or from someone else, is refused (409). A refused action
 * records no answer, so its retry is refused again for the same reason (the ledger remembers its
 * own refusals against the key).
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { writeTransaction, type Db } from "~/db/client.server";
import { auditEvents } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { Refusal } from "~/utils/refusal";

const ANSWERED = "request.answered";
const ENTITY = "idempotency_key";

/** One keyed request: what it does, who asks, its key and its input (the key itself is left out of the hash). */
export interface KeyedRequest {
  action: string;
  actor: Actor;
  idempotencyKey: string;
  input: object;
}

export function keyedRequest(action: string, actor: Actor, input: { idempotencyKey: string } & object): KeyedRequest {
  return { action, actor: { id: actor.id, name: actor.name }, idempotencyKey: input.idempotencyKey, input };
}

/** A hash of what the request asks for: the action and its input without the key. */
export function requestHash(request: KeyedRequest): string {
  const { idempotencyKey: _key, ...rest } = request.input as Record<string, unknown>;
  const text = JSON.stringify({ action: request.action, input: rest }, (_name, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash("sha256").update(text).digest("hex");
}

interface StoredAnswer {
  requestSha256: string;
  action: string;
  result?: unknown;
}

/**
 * The answer an earlier request with this key gave, when it was the same request by the same actor;
 * `null` when the key is new. Throws a 409 Refusal when the key was used for a different request.
 */
export function priorAnswer<T>(tx: Db, request: KeyedRequest): { result: T } | null {
  const row = tx
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, ANSWERED),
        eq(auditEvents.entityType, ENTITY),
        eq(auditEvents.entityId, request.idempotencyKey),
      ),
    )
    .get();
  if (!row) return null;
  const stored = JSON.parse(row.after ?? "{}") as StoredAnswer;
  if (row.actorUserId !== request.actor.id || stored.requestSha256 !== requestHash(request)) {
    throw Refusal.conflict("This form was already used for a different request. Reload the page and try again.");
  }
  return { result: stored.result as T };
}

function rememberAnswer(tx: Db, request: KeyedRequest, result: unknown): void {
  const after: StoredAnswer = { requestSha256: requestHash(request), action: request.action, result };
  recordAudit(tx, {
    actor: request.actor,
    action: ANSWERED,
    entityType: ENTITY,
    entityId: request.idempotencyKey,
    after,
  });
}

/**
 * Runs `action` once per idempotency key: a retry of a request that succeeded returns the first
 * answer. Whatever `action` wrote before refusing is kept, as it would be without this wrapper
 * (the ledger's remembered refusals in particular); the refusal is then thrown.
 */
export function answerOnce<T>(database: Db, request: KeyedRequest, action: () => T): T {
  const outcome = writeTransaction((tx): { answer: T } | { error: unknown } => {
    const prior = priorAnswer<T>(tx, request);
    if (prior) return { answer: prior.result };
    let result: T;
    try {
      result = action();
    } catch (error) {
      return { error };
    }
    rememberAnswer(tx, request, result);
    return { answer: result };
  }, database);
  if ("error" in outcome) throw outcome.error;
  return outcome.answer;
}
