/**
 * Factories: the records the demo seed, the tests and the benchmarks need without going through the
 * forms. Bids are written as the group's form would leave them once submitted (the bid form checks
 * dates and files that a fixture of last spring cannot meet): the working copy, its budget lines and
 * wards, and frozen versions whose snapshots are complete, numbered by the app's own reference rule.
 * Rounds, funds and ledger entries go through the models wherever a model makes them.
 */
import { generateKeyPairSync } from "node:crypto";
import { asc, eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";

import type { BidKind } from "~/core/bids/status";
import { bidReference } from "~/core/bids/validation";
import { budgetSet, financialYearOf, londonDateOf } from "~/core/ledger";
import { writeTransaction, type Db } from "~/db/client.server";
import * as schema from "~/db/schema";
import {
  bidBudgetLines,
  bids,
  bidVersions,
  bidWards,
  budgets,
  communityGroups,
  funds,
  groupMembers,
  pbBallots,
  pbCodeBatches,
  pbPaperBatches,
  pbParticipation,
  pbProjects,
  pbReceipts,
  pbRounds,
  pbSealedBallots,
  pbRoundWards,
  pbVoteCodes,
  roleGrants,
  users,
  wards,
  type BidStatus,
} from "~/db/schema";
import { snapshotOf } from "~/models/bids.server";
import { SHARE_COUNT, SHARE_THRESHOLD, formatShare } from "~/core/voting";
import { closeVoting } from "~/models/counts.server";
import { postEntry } from "~/models/ledger.server";
import { newSealedBallotId, openSealedBallots, sealBallot } from "~/models/voting/ballot-key.server";
import { newBallotId } from "~/models/voting/receipts.server";
import { split } from "shamir-secret-sharing";
import { createRound, type RoundInput } from "~/models/rounds/setup.server";
import { hashPassword, loadPrincipal, type Principal } from "~/utils/auth.server";
import { DEMO_PASSWORD } from "../scripts/seed/demo-password";

// ---------------------------------------------------------------------------------------------
// Looking people and places up

export const currentFundId = () => `WB-${financialYearOf(londonDateOf(new Date())).replace("/", "-")}`;

export function userId(database: Db, email: string): string {
  return database.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
}

export function wardId(database: Db, name: string): number {
  return database.select({ id: wards.id }).from(wards).where(eq(wards.name, name)).get()!.id;
}

export function groupId(database: Db, name: string): number {
  return database.select({ id: communityGroups.id }).from(communityGroups).where(eq(communityGroups.name, name)).get()!
    .id;
}

/** The lead member of a group (who submits its bids). */
export function groupLead(database: Db, group: number): string {
  return database
    .select({ id: groupMembers.userId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, group))
    .orderBy(asc(groupMembers.memberRole))
    .all()[0]!.id;
}

export function principalOf(database: Db, email: string): Principal {
  const user = database.select().from(users).where(eq(users.email, email)).get();
  if (!user) throw new Error(`No user ${email}`);
  return loadPrincipal(user.id, database)!;
}

// ---------------------------------------------------------------------------------------------
// Bids

/**
 * The next reference for a bid of `kind` started in `year`: the app's rule (models/bids.server.ts,
 * createDraftBid): one more than the highest number already used under that kind and year.
 */
export function nextBidReference(tx: Db, kind: BidKind, year: number): string {
  const prefix = bidReference(kind, year, 0).slice(0, -4);
  const last = tx
    .select({ reference: bids.reference })
    .from(bids)
    .where(like(bids.reference, `${prefix}%`))
    .all()
    .map((r) => Number(r.reference.slice(prefix.length)))
    .reduce((max, n) => (Number.isSafeInteger(n) && n > max ? n : max), 0);
  return bidReference(kind, year, last + 1);
}

export interface BidInput {
  fundId: string;
  groupId: number;
  wardIds: number[];
  title: string;
  summary?: string;
  description?: string;
  submittedBy: string;
  lines: { description: string; amountPence: number }[];
  beneficiaries?: string;
  beneficiaryCount?: number;
  startOn?: string | null;
  endOn?: string | null;
  /** "draft" leaves it unsubmitted (no version); "on-ballot" puts a PB bid straight on a ballot. */
  status?: Extract<BidStatus, "draft" | "submitted" | "on-ballot">;
  /** When the group submitted it (default now); the bid was started at the same moment. */
  submittedAt?: string;
  /** Later versions of a bid sent back for changes: the version number to freeze. */
  version?: number;
}

/** Writes a bid and (unless a draft) its frozen versions; returns the bid id. Call inside a transaction. */
export function insertBid(tx: Db, input: BidInput): number {
  const fund = tx.select({ kind: funds.kind }).from(funds).where(eq(funds.id, input.fundId)).get();
  if (!fund) throw new Error(`No fund ${input.fundId}`);
  const amountPence = input.lines.reduce((sum, l) => sum + l.amountPence, 0);
  const submittedAt = input.submittedAt ?? new Date().toISOString();
  const status = input.status ?? "submitted";
  const submitted = status !== "draft";
  const version = submitted ? (input.version ?? 1) : 0;
  const bid = tx
    .insert(bids)
    .values({
      reference: nextBidReference(tx, fund.kind, Number(submittedAt.slice(0, 4))),
      fundId: input.fundId,
      groupId: input.groupId,
      status,
      draftStep: submitted ? "review" : "money",
      title: input.title,
      summary: input.summary ?? input.title,
      description: input.description ?? input.summary ?? input.title,
      amountPence,
      beneficiaries: input.beneficiaries ?? "Residents of the ward",
      beneficiaryCount: input.beneficiaryCount ?? 50,
      startOn: input.startOn ?? null,
      endOn: input.endOn ?? null,
      version,
      createdBy: input.submittedBy,
      createdAt: submittedAt,
      updatedAt: submittedAt,
      submittedAt: submitted ? submittedAt : null,
    })
    .returning({ id: bids.id })
    .get();
  input.lines.forEach((line, i) =>
    tx
      .insert(bidBudgetLines)
      .values({ bidId: bid.id, lineNo: i + 1, description: line.description, amountPence: line.amountPence })
      .run(),
  );
  for (const wardId of input.wardIds) tx.insert(bidWards).values({ bidId: bid.id, wardId }).run();
  if (submitted) {
    const snapshot = JSON.stringify(snapshotOf(bid.id, tx));
    for (let v = 1; v <= version; v += 1) {
      tx.insert(bidVersions)
        .values({ bidId: bid.id, version: v, snapshot, submittedBy: input.submittedBy, submittedAt })
        .run();
    }
  }
  return bid.id;
}

/** A submitted bid from the named group in the named wards, for `pence` in one budget line. */
export function submittedBid(
  database: Db,
  input: {
    group: string;
    wards: string[];
    pence: number;
    title?: string;
    fundId?: string;
    endOn?: string | null;
  } & Partial<BidInput>,
): number {
  const group = groupId(database, input.group);
  return writeTransaction(
    (tx) =>
      insertBid(tx, {
        ...input,
        fundId: input.fundId ?? currentFundId(),
        groupId: group,
        wardIds: input.wards.map((w) => wardId(tx, w)),
        title: input.title ?? `Test bid ${Math.random().toString(36).slice(2, 8)}`,
        submittedBy: input.submittedBy ?? groupLead(tx, group),
        lines: input.lines ?? [{ description: "Equipment", amountPence: input.pence }],
        endOn: input.endOn ?? null,
      }),
    database,
  );
}

/** A bid sent back for changes is submitted again by the group: a new frozen version. Call inside a transaction. */
export function resubmitBid(
  tx: Db,
  bidId: number,
  submittedBy: string,
  changes: { title?: string; lines?: { description: string; amountPence: number }[] } = {},
  at = new Date().toISOString(),
): number {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) throw new Error(`No bid ${bidId}`);
  const version = bid.version + 1;
  if (changes.lines) {
    tx.delete(bidBudgetLines).where(eq(bidBudgetLines.bidId, bidId)).run();
    changes.lines.forEach((line, i) =>
      tx
        .insert(bidBudgetLines)
        .values({ bidId, lineNo: i + 1, description: line.description, amountPence: line.amountPence })
        .run(),
    );
  }
  const amountPence = changes.lines ? changes.lines.reduce((s, l) => s + l.amountPence, 0) : bid.amountPence;
  tx.update(bids)
    .set({
      status: "submitted",
      version,
      title: changes.title ?? bid.title,
      amountPence,
      submittedAt: at,
      updatedAt: at,
    })
    .where(eq(bids.id, bidId))
    .run();
  const snapshot = JSON.stringify(snapshotOf(bidId, tx));
  tx.insert(bidVersions).values({ bidId, version, snapshot, submittedBy, submittedAt: at }).run();
  return version;
}

// ---------------------------------------------------------------------------------------------
// Rounds made through the rounds model, for the rounds tests

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

export function createTestRound(database: Db, actor: Principal, overrides: Partial<RoundInput> = {}) {
  const roundId = createRound(actor, roundInput(overrides), database);
  return { roundId, fundId: fundOfRound(database, roundId) };
}

export function fundOfRound(database: Db, roundId: number): string {
  const round = database.select({ fundId: pbRounds.fundId }).from(pbRounds).where(eq(pbRounds.id, roundId)).get();
  if (!round) throw new Error(`No round ${roundId}`);
  return round.fundId;
}

/** Submitted bids to the round's fund, one per group index given (0-based demo groups). */
export function addSubmittedBids(database: Db, fundId: string, groupIndexes: number[], pence = 200_000): number[] {
  const groups = database.select().from(communityGroups).orderBy(asc(communityGroups.id)).all();
  const wardRows = database.select().from(wards).orderBy(asc(wards.gssCode)).all();
  return writeTransaction(
    (tx) =>
      groupIndexes.map((g, i) => {
        const group = groups[g]!;
        return insertBid(tx, {
          fundId,
          groupId: group.id,
          wardIds: [wardRows[g % wardRows.length]!.id],
          title: `Test project ${i + 1} of ${group.name}`,
          summary: "A project for the tests.",
          submittedBy: groupLead(tx, group.id),
          lines: [{ description: "Equipment", amountPence: pence + i * 10_000 }],
          submittedAt: "2030-05-10T10:00:00.000Z",
        });
      }),
    database,
  );
}

// ---------------------------------------------------------------------------------------------
// A round in voting, written straight into the tables for the voting tests, the e2e specs and the
// vote benchmark (rounds made through the model take a council's worth of steps)

export const PROJECT_TITLES = [
  "Playground for Abbey Fields",
  "Community fridge",
  "Street trees on Mill Lane",
  "Youth football kit",
  "Riverside benches",
  "Library reading club",
  "Bike repair café",
  "Pond clean-up",
];

export interface VotingRoundOptions {
  name?: string;
  /** Ward ids of the area; default: every ward. */
  wardIds?: number[];
  projects?: number;
  maxRanked?: number;
  minVoterAge?: number;
  phase?: string;
  votingOpensAt?: string;
  votingClosesAt?: string;
}

export interface VotingRound {
  roundId: number;
  fundId: string;
  /** Bid ids in ballot order. */
  bidIds: number[];
  titles: string[];
  /**
   * The round's ballot private key (X25519, base64). The app never stores it: the fixture keeps it
   * so a test can split it into officers' shares (`ballotKeyShares`) and open the ballots at the count.
   */
  ballotPrivateKey: string;
}

/** A ballot key pair made with Node's X25519 (the same keys libsodium's sealed boxes use), raw base64. */
export function fixtureBallotKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  const pub = publicKey.export({ format: "jwk" }).x!;
  const priv = privateKey.export({ format: "jwk" }).d!;
  return {
    publicKey: Buffer.from(pub, "base64url").toString("base64"),
    privateKey: Buffer.from(priv, "base64url").toString("base64"),
  };
}

/** The three officers' shares (as printed) of a fixture round's ballot key. */
export async function ballotKeyShares(round: Pick<VotingRound, "roundId" | "ballotPrivateKey">): Promise<string[]> {
  const shares = await split(
    new Uint8Array(Buffer.from(round.ballotPrivateKey, "base64")),
    SHARE_COUNT,
    SHARE_THRESHOLD,
  );
  return shares.map((share) => formatShare(round.roundId, share));
}

/**
 * Closes voting if the round is still voting (by hand, with a reason) and opens its sealed ballots
 * with two of its officers' shares, as the count page does. Returns how many were opened.
 */
export async function openBallotsForCount(
  database: Db,
  actor: { id: string; name: string },
  round: Pick<VotingRound, "roundId" | "ballotPrivateKey">,
): Promise<number> {
  const phase = database.$client.prepare("select phase from pb_rounds where id = ?").pluck().get(round.roundId);
  if (phase === "voting") closeVoting(actor, round.roundId, "Closed for the test", new Date(), database);
  const shares = await ballotKeyShares(round);
  return (await openSealedBallots(actor, round.roundId, [shares[0]!, shares[2]!], new Date(), database)).opened;
}

let made = 0;

/** Takes the app's handle, or (from a Playwright spec) any handle with a better-sqlite3 `$client`. */
export function createVotingRound(handle: Pick<Db, "$client">, options: VotingRoundOptions = {}): VotingRound {
  const client = handle.$client;
  const database = drizzle(client, { schema }) as Db;
  made += 1;
  const stamp = `${Date.now().toString(36)}${made}`;
  const fundId = `PB-T${stamp}`;
  const creator = (
    client.prepare("select id from users order by (email = 'admin@eastbrook.example') desc limit 1").get() as
      { id: string } | undefined
  )?.id;
  if (!creator) throw new Error("The voting fixture needs at least one user");
  let groupId = (
    client.prepare("select id from community_groups order by id limit 1").get() as { id: number } | undefined
  )?.id;
  if (!groupId) {
    groupId = Number(
      client
        .prepare(
          "insert into community_groups (name, organisation_type, address, postcode, contact_email, created_by) " +
            "values (?, 'community-group', '1 High Street', 'EB1 1AA', 'hello@example.org', ?)",
        )
        .run(`Fixture group ${stamp}`, creator).lastInsertRowid,
    );
  }
  const wardIds =
    options.wardIds ?? (client.prepare("select id from wards order by id").all() as { id: number }[]).map((w) => w.id);
  const count = options.projects ?? 6;
  const now = Date.now();
  const opens = options.votingOpensAt ?? new Date(now - 86_400_000).toISOString();
  const closes = options.votingClosesAt ?? new Date(now + 7 * 86_400_000).toISOString();
  const key = fixtureBallotKeyPair();
  const tx = client.transaction(() => {
    client
      .prepare(
        "insert into funds (id, kind, name, fy, pot_pence, created_by) values (?, 'pb-round', ?, '2026/27', " +
          "5000000, ?)",
      )
      .run(fundId, options.name ?? "Eastbrook Decides", creator);
    client
      .prepare("insert into budgets (id, fund_id, ward_id, name) values (?, ?, null, ?)")
      .run(`${fundId}-POT`, fundId, "Pot");
    const roundId = Number(
      client
        .prepare(
          `insert into pb_rounds (fund_id, name, pot_pence, min_bid_pence, max_bid_pence, phase, bids_open_at,
            bids_close_at, voting_opens_at, voting_closes_at, max_ranked, min_voter_age, created_by,
            ballot_public_key, ballot_key_created_at)
           values (?, ?, 5000000, 100000, 2500000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          fundId,
          options.name ?? "Eastbrook Decides",
          options.phase ?? "voting",
          "2026-01-01T00:00:00.000Z",
          "2026-02-01T00:00:00.000Z",
          opens,
          closes,
          options.maxRanked ?? 3,
          options.minVoterAge ?? 16,
          creator,
          key.publicKey,
          opens,
        ).lastInsertRowid,
    );
    for (const wardId of wardIds)
      client.prepare("insert into pb_round_wards (round_id, ward_id) values (?, ?)").run(roundId, wardId);
    const bidIds: number[] = [];
    const titles: string[] = [];
    for (let i = 0; i < count; i++) {
      const title = PROJECT_TITLES[i % PROJECT_TITLES.length]! + (i >= PROJECT_TITLES.length ? ` ${i + 1}` : "");
      const bidId = insertBid(database, {
        fundId,
        groupId: groupId!,
        wardIds: wardIds.length ? [wardIds[i % wardIds.length]!] : [],
        title,
        summary: `${title}: what it is and who it helps.`,
        submittedBy: creator,
        lines: [{ description: title, amountPence: 500_000 + i * 250_000 }],
        status: "on-ballot",
      });
      client
        .prepare(
          "insert into pb_projects (bid_id, round_id, eligibility, ballot_position) values (?, ?, 'eligible', ?)",
        )
        .run(bidId, roundId, i + 1);
      bidIds.push(bidId);
      titles.push(title);
    }
    return { roundId, fundId, bidIds, titles, ballotPrivateKey: key.privateKey };
  });
  return tx.immediate();
}

/** Moves a round to another phase (the rounds module does this for real). */
export function setRoundPhase(database: Db, roundId: number, phase: string): void {
  database.$client.prepare("update pb_rounds set phase = ? where id = ?").run(phase, roundId);
}

// ---------------------------------------------------------------------------------------------
// A PB round ready to be closed and counted, written straight into the tables: a pb-round fund
// with its pot budget set in the ledger, projects on the ballot (eligible, with a ballot position),
// and a few hundred seeded ballots with their participation rows (online with a user, with a code,
// or paper with none). Voting closed yesterday; the phase is still `voting`. Needs the demo people
// (createTestDatabase({ seed: "people" }) or more).

export interface CountFixtureOptions {
  ballots?: number;
  seed?: number;
  potPence?: number;
  countingRule?: "greedy" | "mes" | "mes-add1" | "irv" | "stv" | "scottish-stv";
  /** Places to fill under STV and Scottish STV. */
  seats?: number;
  tieBreak?: "project-id" | "lowest-cost" | "ballot-order";
  /** Project costs in pence, in ballot order. */
  costs?: number[];
  maxRanked?: number;
  now?: Date;
  /**
   * Seal the online and code ballots to a ballot key (with receipts), as casts do, instead of
   * writing them plain.
   */
  sealed?: boolean;
}

export interface CountFixture {
  roundId: number;
  fundId: string;
  potBudgetId: string;
  bidIds: number[];
  /** The plain ballots' ids (paper, and the rest unless `sealed`). */
  ballotIds: string[];
  participationRows: number;
  /** With `sealed`: the receipts of the sealed ballots, and the key to split into shares. */
  receipts: string[];
  ballotPrivateKey: string | null;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const TITLES = [
  "Benches for Abbey Park",
  "Youth football kit",
  "Community fridge",
  "Street tree planting",
  "Playground resurfacing",
  "Repair café tools",
  "Library reading corner",
  "Allotment water butts",
];

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
  const admin = database
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.email, "admin@eastbrook.example"))
    .get()!;
  const group = database.select({ id: communityGroups.id }).from(communityGroups).limit(1).get()!;
  const wardRows = database.select({ id: wards.id }).from(wards).all();
  const tag = `${Date.now().toString(36)}${++fixtureNumber}`;
  // Ballot ids differ between fixtures in one database; rankings depend on the seed alone.
  const idRandom = generator(((options.seed ?? 7) * 7919 + fixtureNumber * 104729 + Date.now()) >>> 0);
  const fundId = `PB-TEST-${tag}`.toUpperCase();
  const potBudgetId = `${fundId}-POT`;
  database
    .insert(funds)
    .values({ id: fundId, kind: "pb-round", name: `Eastbrook decides ${tag}`, fy, potPence, createdBy: admin.id })
    .run();
  database.insert(budgets).values({ id: potBudgetId, fundId, wardId: null, name: "Pot" }).run();
  postEntry(
    {
      draft: budgetSet({
        scheme: fundId,
        fy,
        allocations: [{ budgetId: potBudgetId, pence: potPence }],
        memo: "PB pot",
      }),
      idempotencyKey: `fixture-${fundId}-budget`,
      actor: admin,
      effectiveDate: today,
      now,
    },
    database,
  );
  const day = 24 * 60 * 60 * 1000;
  const key = options.sealed ? fixtureBallotKeyPair() : null;
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
      seats: options.seats ?? 1,
      rulesLockedAt: new Date(now.getTime() - 14 * day).toISOString(),
      ballotPublicKey: key?.publicKey ?? null,
      ballotKeyCreatedAt: key ? new Date(now.getTime() - 15 * day).toISOString() : null,
      createdBy: admin.id,
    })
    .returning({ id: pbRounds.id })
    .get();
  for (const ward of wardRows) database.insert(pbRoundWards).values({ roundId: round.id, wardId: ward.id }).run();
  const bidIds = costs.map((cost, i) => {
    const bidId = insertBid(database, {
      fundId,
      groupId: group.id,
      wardIds: [wardRows[i % wardRows.length]!.id],
      title: TITLES[i % TITLES.length]!,
      summary: `A project for the neighbourhood (${i + 1}).`,
      submittedBy: admin.id,
      lines: [{ description: TITLES[i % TITLES.length]!, amountPence: cost }],
      status: "on-ballot",
      submittedAt: now.toISOString(),
    });
    database
      .insert(pbProjects)
      .values({
        bidId,
        roundId: round.id,
        eligibility: "eligible",
        reviewedBy: admin.id,
        reviewedAt: now.toISOString(),
        ballotPosition: i + 1,
      })
      .run();
    return bidId;
  });
  const batch = database
    .insert(pbCodeBatches)
    .values({
      roundId: round.id,
      label: "Library event",
      size: ballotCount,
      createdBy: admin.id,
      createdAt: now.toISOString(),
    })
    .returning({ id: pbCodeBatches.id })
    .get();
  const voters = database.select({ id: users.id }).from(users).all();
  let participationRows = 0;
  const ballotIds: string[] = [];
  const receipts: string[] = [];
  // Projects earlier on the ballot are a little more popular, so the result is not a coin toss.
  const weights = bidIds.map((_, i) => bidIds.length - i + 2);
  for (let n = 0; n < ballotCount; n++) {
    const id =
      Array.from({ length: 16 }, () => BASE32[Math.floor(idRandom() * 32)]).join("") +
      n.toString(32).toUpperCase().padStart(4, "A");
    const length = 1 + Math.floor(random() * maxRanked);
    const ranking: number[] = [];
    while (ranking.length < Math.min(length, bidIds.length)) {
      const left = bidIds.map((bidId, i) => ({ bidId, weight: ranking.includes(bidId) ? 0 : weights[i]! }));
      let pick = random() * left.reduce((sum, x) => sum + x.weight, 0);
      const chosen = left.find((x) => (pick -= x.weight) < 0 && x.weight > 0) ?? left.find((x) => x.weight > 0)!;
      ranking.push(chosen.bidId);
    }
    const channel = random();
    const voted = channel < 0.75;
    if (key && voted) {
      const receipt = newBallotId();
      database.insert(pbReceipts).values({ roundId: round.id, receipt }).run();
      database
        .insert(pbSealedBallots)
        .values({ id: newSealedBallotId(), roundId: round.id, sealed: sealBallot(key.publicKey, { ranking, receipt }) })
        .run();
      receipts.push(receipt);
    } else {
      database
        .insert(pbBallots)
        .values({ id, roundId: round.id, ranking: JSON.stringify(ranking) })
        .run();
      ballotIds.push(id);
    }
    const wardId = wardRows[Math.floor(random() * wardRows.length)]!.id;
    if (channel < 0.1 && participationRows < voters.length) {
      database
        .insert(pbParticipation)
        .values({
          roundId: round.id,
          userId: voters[participationRows]!.id,
          channel: "online",
          wardId,
        })
        .run();
      participationRows++;
    } else if (channel < 0.75) {
      const code = database
        .insert(pbVoteCodes)
        .values({ roundId: round.id, batchId: batch.id, codeHash: `fixture-${tag}-${n}`, usedOn: today })
        .returning({ id: pbVoteCodes.id })
        .get();
      database
        .insert(pbParticipation)
        .values({
          roundId: round.id,
          codeId: code.id,
          channel: "code",
          wardId: random() < 0.5 ? wardId : null,
        })
        .run();
      participationRows++;
    }
  }
  // The ballots without a participation record are paper, from one accepted batch.
  database
    .insert(pbPaperBatches)
    .values({
      roundId: round.id,
      label: "Fixture paper ballots",
      status: "accepted",
      firstKeying: "[]",
      enteredBy: admin.id,
      enteredAt: now.toISOString(),
      acceptedAt: now.toISOString(),
      ballotsAccepted: ballotCount - participationRows,
    })
    .run();
  return {
    roundId: round.id,
    fundId,
    potBudgetId,
    bidIds,
    ballotIds,
    participationRows,
    receipts,
    ballotPrivateKey: key?.privateKey ?? null,
  };
}

/** A second administrator (to ratify what the first counted); returns the user id. */
export async function createSecondAdmin(database: Db, email = "admin2@eastbrook.example"): Promise<string> {
  const existing = database.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) return existing.id;
  const id = `user-${email.replace(/[^a-z0-9]/g, "-")}`;
  database
    .insert(users)
    .values({
      id,
      email,
      name: "Priya Nair (administrator)",
      passwordHash: await hashPassword(DEMO_PASSWORD),
      emailVerifiedAt: new Date().toISOString(),
      postcode: "EB1 1AA",
    })
    .run();
  database.insert(roleGrants).values({ userId: id, role: "admin" }).run();
  database.insert(roleGrants).values({ userId: id, role: "resident" }).run();
  return id;
}
