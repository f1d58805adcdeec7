/**
 * Submitted bids for tests, written straight into the tables (the group's bid form lives
 * elsewhere): a bid with its wards, budget lines and frozen version 1.
 */
import { eq } from "drizzle-orm";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import { writeTransaction, type Db } from "~/db/client.server";
import { insertSubmittedBid, type SubmittedBidInput } from "~/db/demo-bids.server";
import { communityGroups, groupMembers, users, wards } from "~/db/schema";

export const currentFundId = () => `WB-${financialYearOf(londonDateOf(new Date())).replace("/", "-")}`;

export function userId(database: Db, email: string): string {
  return database.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
}

export function wardId(database: Db, name: string): number {
  return database.select({ id: wards.id }).from(wards).where(eq(wards.name, name)).get()!.id;
}

export function groupId(database: Db, name: string): number {
  return database.select({ id: communityGroups.id }).from(communityGroups).where(eq(communityGroups.name, name)).get()!.id;
}

/** The lead member of a group (who submits its bids). */
export function groupLead(database: Db, group: number): string {
  return database.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, group)).all()[0]!.id;
}

/** A submitted bid from `group` in the named wards, for `pence` in one budget line. */
export function submittedBid(database: Db, input: { group: string; wards: string[]; pence: number; title?: string; fundId?: string; endOn?: string | null } & Partial<SubmittedBidInput>): number {
  const group = groupId(database, input.group);
  return writeTransaction(
    (tx) =>
      insertSubmittedBid(tx, {
        fundId: input.fundId ?? currentFundId(),
        groupId: group,
        wardIds: input.wards.map((w) => wardId(tx, w)),
        title: input.title ?? `Test bid ${Math.random().toString(36).slice(2, 8)}`,
        submittedBy: groupLead(tx, group),
        lines: input.lines ?? [{ description: "Equipment", amountPence: input.pence }],
        endOn: input.endOn ?? null,
      }),
    database,
  );
}
