/**
 * A PB round ready to be closed and counted, written straight into the database: a pb-round fund
 * with its pot budget set in the ledger, projects on the ballot (bids on-ballot, eligible, with a
 * ballot position), and a few hundred seeded ballots with their participation rows (online with a
 * user, with a code, or paper with none). Voting closed yesterday; the phase is still `voting`.
 * Needs the demo people (createTestDatabase({ seed: "people" }) or more).
 */
import { eq } from "drizzle-orm";
import { budgetSet, financialYearOf, londonDateOf } from "~/core/ledger";
import type { Db } from "~/db/client.server";
import { DEMO_PASSWORD } from "~/db/demo-seed.server";
import { bids, bidWards, budgets, communityGroups, funds, pbBallots, pbCodeBatches, pbParticipation, pbProjects, pbRounds, pbRoundWards, pbVoteCodes, roleGrants, users, wards } from "~/db/schema";
import { postEntry } from "~/models/ledger.server";
import { hashPassword } from "~/utils/auth.server";

export interface CountFixtureOptions {
  ballots?: number;
  seed?: number;
  potPence?: number;
  countingRule?: "greedy" | "mes";
  tieBreak?: "project-id" | "lowest-cost" | "ballot-order";
  /** Project costs in pence, in ballot order. */
  costs?: number[];
  maxRanked?: number;
  now?: Date;
}

export interface CountFixture {
  roundId: number;
  fundId: string;
  potBudgetId: string;
  bidIds: number[];
  ballotIds: string[];
  participationRows: number;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const TITLES = ["Benches for Abbey Park", "Youth football kit", "Community fridge", "Street tree planting", "Playground resurfacing", "Repair café tools", "Library reading corner", "Allotment water butts"];

/** A small seeded generator (mulberry32), so a fixture's ballots are the same every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let fixtureNumber = 0;

export function createCountFixture(database: Db, options: CountFixtureOptions = {}): CountFixture {
  const now = options.now ?? new Date();
  const random = generator(options.seed ?? 7);
  const ballotCount = options.ballots ?? 300;
  const costs = options.costs ?? [250000, 180000, 120000, 90000, 300000, 60000];
  const potPence = options.potPence ?? 600000;
  const maxRanked = options.maxRanked ?? 3;
  const today = londonDateOf(now);
  const fy = financialYearOf(today);
  const admin = database.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, "admin@eastbrook.example")).get()!;
  const group = database.select({ id: communityGroups.id }).from(communityGroups).limit(1).get()!;
  const wardRows = database.select({ id: wards.id }).from(wards).all();
  const tag = `${Date.now().toString(36)}${++fixtureNumber}`;
  // Ballot ids differ between fixtures in one database; rankings depend on the seed alone.
  const idRandom = generator(((options.seed ?? 7) * 7919 + fixtureNumber * 104729 + Date.now()) >>> 0);
  const fundId = `PB-TEST-${tag}`.toUpperCase();
  const potBudgetId = `${fundId}-POT`;
  database.insert(funds).values({ id: fundId, kind: "pb-round", name: `Eastbrook decides ${tag}`, fy, potPence, createdBy: admin.id }).run();
  database.insert(budgets).values({ id: potBudgetId, fundId, wardId: null, name: "Pot" }).run();
  postEntry({ draft: budgetSet({ scheme: fundId, fy, allocations: [{ budgetId: potBudgetId, pence: potPence }], memo: "PB pot" }), idempotencyKey: `fixture-${fundId}-budget`, actor: admin, effectiveDate: today, now }, database);
  const day = 24 * 60 * 60 * 1000;
  const round = database
    .insert(pbRounds)
    .values({
      fundId,
      name: `Eastbrook decides ${tag}`,
      description: "Residents choose the projects.",
      potPence,
      minBidPence: 10000,
      maxBidPence: 500000,
      phase: "voting",
      bidsOpenAt: new Date(now.getTime() - 60 * day).toISOString(),
      bidsCloseAt: new Date(now.getTime() - 40 * day).toISOString(),
      votingOpensAt: new Date(now.getTime() - 14 * day).toISOString(),
      votingClosesAt: new Date(now.getTime() - day).toISOString(),
      maxRanked,
      countingRule: options.countingRule ?? "greedy",
      tieBreak: options.tieBreak ?? "project-id",
      rulesLockedAt: new Date(now.getTime() - 14 * day).toISOString(),
      createdBy: admin.id,
    })
    .returning({ id: pbRounds.id })
    .get();
  for (const ward of wardRows) database.insert(pbRoundWards).values({ roundId: round.id, wardId: ward.id }).run();
  const bidIds = costs.map((cost, i) => {
    const bid = database
      .insert(bids)
      .values({
        reference: `PB-${tag.toUpperCase()}-${String(i + 1).padStart(4, "0")}`,
        fundId,
        groupId: group.id,
        status: "on-ballot",
        title: TITLES[i % TITLES.length]!,
        summary: `A project for the neighbourhood (${i + 1}).`,
        amountPence: cost,
        version: 1,
        createdBy: admin.id,
        submittedAt: now.toISOString(),
      })
      .returning({ id: bids.id })
      .get();
    database.insert(bidWards).values({ bidId: bid.id, wardId: wardRows[i % wardRows.length]!.id }).run();
    database.insert(pbProjects).values({ bidId: bid.id, roundId: round.id, eligibility: "eligible", reviewedBy: admin.id, reviewedAt: now.toISOString(), ballotPosition: i + 1 }).run();
    return bid.id;
  });
  const batch = database.insert(pbCodeBatches).values({ roundId: round.id, label: "Library event", size: ballotCount, createdBy: admin.id, createdAt: now.toISOString() }).returning({ id: pbCodeBatches.id }).get();
  const voters = database.select({ id: users.id }).from(users).all();
  let participationRows = 0;
  const ballotIds: string[] = [];
  // Projects earlier on the ballot are a little more popular, so the result is not a coin toss.
  const weights = bidIds.map((_, i) => bidIds.length - i + 2);
  for (let n = 0; n < ballotCount; n++) {
    const id = Array.from({ length: 16 }, () => BASE32[Math.floor(idRandom() * 32)]).join("") + n.toString(32).toUpperCase().padStart(4, "A");
    const length = 1 + Math.floor(random() * maxRanked);
    const ranking: number[] = [];
    while (ranking.length < Math.min(length, bidIds.length)) {
      const left = bidIds.map((bidId, i) => ({ bidId, weight: ranking.includes(bidId) ? 0 : weights[i]! }));
      let pick = random() * left.reduce((sum, x) => sum + x.weight, 0);
      const chosen = left.find((x) => (pick -= x.weight) < 0 && x.weight > 0) ?? left.find((x) => x.weight > 0)!;
      ranking.push(chosen.bidId);
    }
    const castOn = londonDateOf(new Date(now.getTime() - (2 + Math.floor(random() * 10)) * day));
    const channel = random();
    database.insert(pbBallots).values({ id, roundId: round.id, ranking: JSON.stringify(ranking), castOn }).run();
    const wardId = wardRows[Math.floor(random() * wardRows.length)]!.id;
    if (channel < 0.1 && participationRows < voters.length) {
      database.insert(pbParticipation).values({ roundId: round.id, userId: voters[participationRows]!.id, channel: "online", wardId, votedOn: castOn }).run();
      participationRows++;
    } else if (channel < 0.75) {
      const code = database.insert(pbVoteCodes).values({ roundId: round.id, batchId: batch.id, codeHash: `fixture-${tag}-${n}`, usedOn: castOn }).returning({ id: pbVoteCodes.id }).get();
      database.insert(pbParticipation).values({ roundId: round.id, codeId: code.id, channel: "code", wardId: random() < 0.5 ? wardId : null, votedOn: castOn }).run();
      participationRows++;
    }
    ballotIds.push(id);
  }
  return { roundId: round.id, fundId, potBudgetId, bidIds, ballotIds, participationRows };
}

/** A second administrator (to ratify what the first counted); returns the user id. */
export async function createSecondAdmin(database: Db, email = "admin2@eastbrook.example"): Promise<string> {
  const existing = database.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) return existing.id;
  const id = `user-${email.replace(/[^a-z0-9]/g, "-")}`;
  database.insert(users).values({ id, email, name: "Priya Nair (administrator)", passwordHash: await hashPassword(DEMO_PASSWORD), postcode: "EB1 1AA" }).run();
  database.insert(roleGrants).values({ userId: id, role: "admin" }).run();
  database.insert(roleGrants).values({ userId: id, role: "resident" }).run();
  return id;
}
