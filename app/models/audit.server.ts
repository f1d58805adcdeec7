/**
 * Writes and reads the audit trail. `recordAudit` takes the open transaction so the event commits
 * or rolls back with the change it describes.
 */
import { and, desc, eq, type SQL } from "drizzle-orm";
import { db, type Db } from "~/db/client.server";
import { auditEvents } from "~/db/schema";

/** Who did something, as the audit trail and the ledger record them: an id and a display name. */
export interface Actor {
  id: string;
  name: string;
}

export interface AuditInput {
  actor: Actor | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
}

function summary(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function recordAudit(tx: Db, input: AuditInput): void {
  tx.insert(auditEvents)
    .values({
      actorUserId: input.actor?.id ?? null,
      actorName: input.actor?.name ?? null,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId == null ? null : String(input.entityId),
      reason: input.reason ?? null,
      before: summary(input.before),
      after: summary(input.after),
    })
    .run();
}

export function listAuditEvents(
  filter: { entityType?: string; entityId?: string; limit?: number; offset?: number } = {},
  database: Db = db(),
) {
  const conditions: SQL[] = [];
  if (filter.entityType) conditions.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) conditions.push(eq(auditEvents.entityId, filter.entityId));
  return database
    .select()
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .all();
}
