/** Funds, budgets, grants and approvals for ledger tests, inserted the way the app inserts them. */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/client.server";
import { approvals, budgets, communityGroups, funds, grants } from "~/db/schema";

export function createFund(database: Db, input: { id: string; fy: string; wardIds: number[] }) {
  database
    .insert(funds)
    .values({ id: input.id, kind: "ward-budget", name: `Ward budgets ${input.fy}`, fy: input.fy })
    .run();
  return input.wardIds.map((wardId) => {
    const id = `${input.id}-W${wardId}`;
    database
      .insert(budgets)
      .values({ id, fundId: input.id, wardId, name: `Ward ${wardId}` })
      .run();
    return id;
  });
}

export function createGrant(
  database: Db,
  input: { id: string; fundId: string; amountPence: number; groupId?: number },
) {
  const groupId = input.groupId ?? database.select({ id: communityGroups.id }).from(communityGroups).limit(1).get()!.id;
  database
    .insert(grants)
    .values({
      id: input.id,
      fundId: input.fundId,
      groupId,
      title: `Grant ${input.id}`,
      summary: "A test grant",
      amountRequestedPence: input.amountPence,
      amountAwardedPence: input.amountPence,
      awardDate: "2026-06-01",
    })
    .run();
  return input.id;
}

export function createApproval(
  database: Db,
  input: {
    grantId?: string | null;
    entryType?: string;
    subjectEntryId?: string;
    amountPence: number;
    requesterId?: string;
    approverId?: string;
  },
) {
  const id = randomUUID();
  database
    .insert(approvals)
    .values({
      id,
      entryType: input.entryType ?? "COMMIT",
      grantId: input.grantId ?? null,
      subjectEntryId: input.subjectEntryId ?? null,
      requesterId: input.requesterId ?? "officer-1",
      approverId: input.approverId ?? "councillor-1",
      decidedAt: "2026-06-01T10:00:00.000Z",
      amountPence: input.amountPence,
      noInterestDeclared: true,
    })
    .run();
  return id;
}
