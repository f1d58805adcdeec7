/** Community groups and their members. */
import { asc, eq, sql } from "drizzle-orm";
import { db } from "~/db/client.server";
import { communityGroups, groupMembers } from "~/db/schema";

export function listGroupsOf(userId: string) {
  return db()
    .select({
      id: communityGroups.id,
      name: communityGroups.name,
      organisationType: communityGroups.organisationType,
      verifiedAt: communityGroups.verifiedAt,
      memberRole: groupMembers.memberRole,
    })
    .from(groupMembers)
    .innerJoin(communityGroups, eq(communityGroups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(communityGroups.name))
    .all();
}

export function countGroups() {
  const row = db()
    .select({ all: sql<number>`count(*)`, verified: sql<number>`count(${communityGroups.verifiedAt})` })
    .from(communityGroups)
    .get();
  return { all: row?.all ?? 0, verified: row?.verified ?? 0 };
}
