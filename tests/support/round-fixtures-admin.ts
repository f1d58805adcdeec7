/**
 * Rounds for the rounds tests: a round made through the model (so it has its fund and pot) and
 * submitted bids written straight into the tables, as the bid form would leave them.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { bids, bidVersions, bidWards, communityGroups, groupMembers, users, wards } from "~/db/schema";
import { createRound, type RoundInput } from "~/models/rounds/setup.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";

export function principalOf(database: Db, email: string): Principal {
  const user = database.select().from(users).where(eq(users.email, email)).get();
  if (!user) throw new Error(`No user ${email}`);
  return loadPrincipal(user.id)!;
}

export function roundInput(overrides: Partial<RoundInput> = {}): RoundInput {
  return {
    name: "Test round",
    description: "A round for the tests of rounds.",
    wardIds: [],
    potPence: 2_000_000,
    minBidPence: 10_000,
    maxBidPence: 1_000_000,
    bidsOpenAt: "2030-05-01T09:00:00.000Z",
    bidsCloseAt: "2030-06-01T17:00:00.000Z",
    votingOpensAt: "2030-07-01T09:00:00.000Z",
    votingClosesAt: "2030-07-15T17:00:00.000Z",
    resultsAt: "2030-07-20T12:00:00.000Z",
    maxRanked: 3,
    minVoterAge: 16,
    countingRule: "greedy",
    tieBreak: "project-id",
    ...overrides,
  };
}

let referenceNumber = 9000;

/** Submitted bids to the round's fund, one per group index given (0-based demo groups). */
export function addSubmittedBids(database: Db, fundId: string, groupIndexes: number[], pence = 200_000): number[] {
  const groups = database.select().from(communityGroups).orderBy(asc(communityGroups.id)).all();
  const wardRows = database.select().from(wards).orderBy(asc(wards.gssCode)).all();
  return groupIndexes.map((g, i) => {
    const group = groups[g]!;
    const lead = database.select().from(groupMembers).where(eq(groupMembers.groupId, group.id)).orderBy(asc(groupMembers.memberRole)).get()!;
    const at = "2030-05-10T10:00:00.000Z";
    const bid = database
      .insert(bids)
      .values({
        reference: `PB-2030-${(referenceNumber += 1)}`,
        fundId,
        groupId: group.id,
        status: "submitted",
        title: `Test project ${i + 1} of ${group.name}`,
        summary: "A project for the tests.",
        amountPence: pence + i * 10_000,
        version: 1,
        createdBy: lead.userId,
        submittedAt: at,
      })
      .returning({ id: bids.id })
      .get();
    database.insert(bidWards).values({ bidId: bid.id, wardId: wardRows[g % wardRows.length]!.id }).run();
    database.insert(bidVersions).values({ bidId: bid.id, version: 1, snapshot: "{}", submittedBy: lead.userId, submittedAt: at }).run();
    return bid.id;
  });
}

export function createTestRound(database: Db, actor: Principal, overrides: Partial<RoundInput> = {}) {
  const roundId = createRound(actor, roundInput(overrides), database);
  const fundId = (database.$client.prepare("select fund_id f from pb_rounds where id = ?").get(roundId) as { f: string }).f;
  return { roundId, fundId };
}
