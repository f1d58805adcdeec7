/**
 * A small, empty council for the ledger's hard tests: one community group, and funds, budgets,
 * grants and approvals inserted on demand. Unlike the demo seed it posts nothing to the ledger, so
 * a test (or a reference model) starts from an empty chain and knows every entry in it.
 *
 * Everything here is synchronous and takes the database explicitly, so child processes can use it
 * too. Text ids are those the ledger's account keys use: `AVAILABLE:{budget}`, `COMMITTED:{grant}`.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/client.server";
import { approvals, budgets, communityGroups, funds, grants } from "~/db/schema";

export const FINANCE = { id: "finance-1", name: "Fiona Reid" } as const;

/** The one community group the world's grants go to (created on first use). */
export function ensureGroup(database: Db): number {
  const existing = database.$client
    .prepare("select id from community_groups where name = 'Ledger Test Group'")
    .get() as { id: number } | undefined;
  if (existing) return existing.id;
  return database
    .insert(communityGroups)
    .values({
      name: "Ledger Test Group",
      organisationType: "constituted-group",
      address: "1 High Street, Exampleton",
      postcode: "EX1 1AA",
      contactEmail: "treasurer@example.org",
    })
    .returning({ id: communityGroups.id })
    .get().id;
}

/** A fund for one financial year with the named budgets (no ward). Returns the budget ids. */
export function addFund(database: Db, input: { id: string; fy: string; budgetIds: readonly string[] }): string[] {
  database
    .insert(funds)
    .values({ id: input.id, kind: "ward-budget", name: `Fund ${input.id}`, fy: input.fy })
    .run();
  for (const id of input.budgetIds)
    database
      .insert(budgets)
      .values({ id, fundId: input.id, name: `Budget ${id}` })
      .run();
  return [...input.budgetIds];
}

export function addGrant(database: Db, input: { id: string; fundId: string; pence?: number }): string {
  const groupId = ensureGroup(database);
  const pence = input.pence ?? 10_000;
  database
    .insert(grants)
    .values({
      id: input.id,
      fundId: input.fundId,
      groupId,
      title: `Grant ${input.id}`,
      summary: "A test grant",
      amountRequestedPence: pence,
      amountAwardedPence: pence,
      awardDate: "2026-06-01",
    })
    .run();
  return input.id;
}

/** An approval by someone other than the requester (the table refuses self-approval). */
export function addApproval(
  database: Db,
  input: { entryType: string; grantId?: string | null; amountPence: number; subjectEntryId?: string | null },
): string {
  const id = randomUUID();
  database
    .insert(approvals)
    .values({
      id,
      entryType: input.entryType,
      grantId: input.grantId ?? null,
      subjectEntryId: input.subjectEntryId ?? null,
      requesterId: "officer-1",
      approverId: "councillor-1",
      decidedAt: "2026-06-01T10:00:00.000Z",
      amountPence: input.amountPence,
      noInterestDeclared: true,
    })
    .run();
  return id;
}

/** Running totals straight from the accounts table (the cache the CHECK guards). */
export function accountBalances(database: Db): Map<string, { debits: number; credits: number; kind: string }> {
  const rows = database.$client
    .prepare("select key, kind, debits_posted as debits, credits_posted as credits from ledger_accounts")
    .all() as {
    key: string;
    kind: string;
    debits: number;
    credits: number;
  }[];
  return new Map(rows.map((r) => [r.key, { debits: r.debits, credits: r.credits, kind: r.kind }]));
}

/** Credit-normal balance of one account (0 when it does not exist yet). */
export function creditBalance(database: Db, key: string): number {
  const row = database.$client
    .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
    .get(key) as { b: number } | undefined;
  return row?.b ?? 0;
}
