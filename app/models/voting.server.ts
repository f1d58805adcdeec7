/**
 * The vote: who may cast a ballot, casting it (online, with a one-time code, or on paper), the
 * voter's receipt, turnout, and the anonymous equality-monitoring answers.
 *
 * Ballot secrecy: a cast writes two rows in one transaction, `pb_participation` (who voted: a
 * user or a code) and `pb_ballots` (the anonymous ranking, a random id that is the receipt, and
 * the day). They share no id and nothing else here records which ballot anyone cast: no audit
 * event is written for a vote, and the receipt is returned to the voter only.
 *
 * The cast path uses prepared statements directly (it is the hot path of a busy voting day); the
 * database's unique indexes are what make "one ballot per person" hold under concurrent requests.
 */
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { and, eq, sql } from "drizzle-orm";
import {
  AGE_BAND_QUESTION,
  ALREADY_VOTED,
  base32FromBytes,
  buildEqualityReport,
  checkRanking,
  CODE_LENGTH,
  compareKeyings,
  groupInFours,
  normaliseReceipt,
  normaliseVotingCode,
  onlineEligibility,
  parseKeying,
  RECEIPT_LENGTH,
  resolvedBallots,
  votingClosedReason,
  type EqualityQuestionView,
  type EqualityReportQuestion,
  type KeyingMismatch,
  type Resolution,
} from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { equalityTokenUses, pbCodeBatches, pbPaperBatches, users, voteCodeFailures } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { env } from "~/utils/env.server";
import { pooledRandomBytes } from "~/utils/random-pool.server";
import { constantTimeEqual, hmacHex, sha256Hex } from "~/utils/tokens.server";

export { ALREADY_VOTED };

/** Wrong-code attempts allowed per client address in the window before further tries are refused. */
export const CODE_MAX_FAILURES_PER_IP = 10;
export const CODE_FAILURE_WINDOW_MINUTES = 15;
export const MAX_CODES_PER_BATCH = 5000;
/** How long after casting the equality-monitoring questions can be answered. */
export const EQUALITY_TOKEN_MINUTES = 120;

export class VoteRefusal extends Error {
  constructor(
    message: string,
    readonly reason: "closed" | "already-voted" | "outside-area" | "under-age" | "needs-details" | "bad-code" | "bad-ranking" | "rate-limited" | "not-found",
  ) {
    super(message);
  }
}

export class PaperRefusal extends Error {
  constructor(
    message: string,
    readonly field = "form",
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the round and its ballot

export interface BallotProject {
  bidId: number;
  position: number;
  title: string;
  summary: string;
  amountPence: number;
}

export interface VotingRound {
  id: number;
  name: string;
  phase: string;
  maxRanked: number;
  minVoterAge: number;
  votingOpensAt: string;
  votingClosesAt: string;
}

export function votingRound(roundId: number, database: Db = db()): VotingRound | null {
  return (statements(database).votingRound.get(roundId) as VotingRound | undefined) ?? null;
}

/** The projects on the round's ballot, in ballot order. */
export function ballotProjects(roundId: number, database: Db = db()): BallotProject[] {
  return statements(database).ballotProjects.all(roundId) as BallotProject[];
}

const isoNow = (now: Date) => now.toISOString();
const dayOf = (now: Date) => now.toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Prepared statements for the ballot page and the cast path, one set per connection (preparing a
// statement, or building one with Drizzle, costs more than running these small queries)

interface Statements {
  votingRound: Database.Statement;
  ballotProjects: Database.Statement;
  savepoint: Database.Statement;
  release: Database.Statement;
  rollbackTo: Database.Statement;
  round: Database.Statement;
  ballotIds: Database.Statement;
  codeByHash: Database.Statement;
  useCode: Database.Statement;
  participation: Database.Statement;
  ballot: Database.Statement;
  hasVoted: Database.Statement;
  equalityQuestions: Database.Statement;
  equalityCounts: Database.Statement;
}

const statementCache = new WeakMap<Database.Database, Statements>();

function statements(database: Db): Statements {
  const client = database.$client;
  let s = statementCache.get(client);
  if (!s) {
    s = {
      votingRound: client.prepare(
        "select id, name, phase, max_ranked as maxRanked, min_voter_age as minVoterAge, voting_opens_at as votingOpensAt, voting_closes_at as votingClosesAt from pb_rounds where id = ?",
      ),
      ballotProjects: client.prepare(
        `select p.bid_id as bidId, p.ballot_position as position, b.title, b.summary, coalesce(b.amount_pence, 0) as amountPence
         from pb_projects p join bids b on b.id = p.bid_id
         where p.round_id = ? and p.eligibility = 'eligible' and p.merged_into_bid_id is null and p.ballot_position is not null
         order by p.ballot_position`,
      ),
      savepoint: client.prepare("savepoint cast"),
      release: client.prepare("release cast"),
      rollbackTo: client.prepare("rollback to cast"),
      round: client.prepare("select phase, voting_opens_at as votingOpensAt, voting_closes_at as votingClosesAt, max_ranked as maxRanked from pb_rounds where id = ?"),
      ballotIds: client.prepare("select bid_id from pb_projects where round_id = ? and eligibility = 'eligible' and merged_into_bid_id is null and ballot_position is not null").pluck(),
      codeByHash: client.prepare("select id, round_id as roundId, code_hash as codeHash, used_on as usedOn, revoked_at as revokedAt from pb_vote_codes where code_hash = ?"),
      useCode: client.prepare("update pb_vote_codes set used_on = ? where id = ? and used_on is null and revoked_at is null"),
      participation: client.prepare("insert into pb_participation (round_id, user_id, code_id, channel, ward_id, voted_on) values (?, ?, ?, ?, ?, ?)"),
      ballot: client.prepare("insert into pb_ballots (id, round_id, ranking, cast_on) values (?, ?, ?, ?)"),
      hasVoted: client.prepare("select 1 from pb_participation where round_id = ? and user_id = ?").pluck(),
      equalityQuestions: client.prepare("select key, label, options from equality_questions where active = 1 order by position, id"),
      equalityCounts: client.prepare("select question_key as questionKey, answer, count(*) as count from pb_equality_responses where round_id = ? group by question_key, answer"),
    };
    statementCache.set(client, s);
  }
  return s;
}

/** A new ballot id: 20 random Crockford base32 characters (100 bits), which is also the receipt. */
export function newBallotId(): string {
  return base32FromBytes(pooledRandomBytes(RECEIPT_LENGTH), RECEIPT_LENGTH);
}

export function formatReceipt(id: string): string {
  return groupInFours(id);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

/** Inside the cast transaction: the round still takes votes and the ranking fits its ballot. */
function checkRoundAndRanking(s: Statements, roundId: number, ranking: readonly number[], now: Date): void {
  const round = s.round.get(roundId) as { phase: string; votingOpensAt: string; votingClosesAt: string; maxRanked: number } | undefined;
  if (!round) throw new VoteRefusal("There is no such round.", "not-found");
  const closed = votingClosedReason(round, isoNow(now));
  if (closed) throw new VoteRefusal(closed, "closed");
  const problem = checkRanking(ranking, s.ballotIds.all(roundId) as number[], round.maxRanked);
  if (problem) throw new VoteRefusal(problem, "bad-ranking");
}

function insertVote(s: Statements, roundId: number, who: { userId: string | null; codeId: number | null; channel: "online" | "code"; wardId: number | null }, ranking: readonly number[], now: Date): string {
  const day = dayOf(now);
  try {
    s.participation.run(roundId, who.userId, who.codeId, who.channel, who.wardId, day);
  } catch (error) {
    if (isUniqueViolation(error)) throw new VoteRefusal(ALREADY_VOTED, "already-voted");
    throw error;
  }
  const id = newBallotId();
  s.ballot.run(id, roundId, JSON.stringify(ranking), day);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Online voting

export interface VoterStatus {
  /** "can-vote", or why not; "needs-details" asks for postcode and date of birth. */
  state: "can-vote" | "needs-details" | "outside-area" | "under-age" | "closed" | "already-voted";
  message: string | null;
  postcode: string | null;
  dateOfBirth: string | null;
}

function voterFacts(userId: string, database: Db) {
  const row = database.$client
    .prepare(
      `select u.postcode, u.date_of_birth as dateOfBirth, w.id as wardId
       from users u left join postcodes p on p.postcode = u.postcode left join wards w on w.gss_code = p.ward_gss_code
       where u.id = ?`,
    )
    .get(userId) as { postcode: string | null; dateOfBirth: string | null; wardId: number | null } | undefined;
  return row ?? { postcode: null, dateOfBirth: null, wardId: null };
}

function roundWardIds(roundId: number, database: Db): number[] {
  return database.$client.prepare("select ward_id from pb_round_wards where round_id = ?").pluck().all(roundId) as number[];
}

/** Whether a signed-in person may vote online in a round now, and the message when not. */
export function onlineVoterStatus(userId: string, round: VotingRound, now = new Date(), database: Db = db()): VoterStatus {
  const facts = voterFacts(userId, database);
  const base = { postcode: facts.postcode, dateOfBirth: facts.dateOfBirth };
  if (statements(database).hasVoted.get(round.id, userId)) return { state: "already-voted", message: ALREADY_VOTED, ...base };
  const closed = votingClosedReason(round, isoNow(now));
  if (closed) return { state: "closed", message: closed, ...base };
  const eligibility = onlineEligibility(facts, roundWardIds(round.id, database), round.minVoterAge, round.votingClosesAt.slice(0, 10));
  if (!eligibility.ok) return { state: eligibility.reason, message: eligibility.message, ...base };
  return { state: "can-vote", message: null, ...base };
}

/** Saves the postcode and date of birth a voter gave on the vote page (on their account). */
export function saveVoterDetails(actor: Actor, details: { postcode: string; dateOfBirth: string }, database: Db = db()): void {
  writeTransaction((tx) => {
    const before = tx.select({ postcode: users.postcode, dateOfBirth: users.dateOfBirth }).from(users).where(eq(users.id, actor.id)).get();
    tx.update(users).set({ postcode: details.postcode, dateOfBirth: details.dateOfBirth }).where(eq(users.id, actor.id)).run();
    recordAudit(tx, { actor, action: "account.voter-details", entityType: "user", entityId: actor.id, before, after: details });
  }, database);
}

/**
 * Casts a signed-in person's ballot. Everything is checked again inside the transaction: the
 * phase and closing time, the area and age, the ranking; the unique index on (round, user) is what
 * finally refuses a second ballot. Returns the ballot id (the receipt).
 */
export function castOnlineBallot(userId: string, roundId: number, ranking: readonly number[], now = new Date(), database: Db = db()): string {
  return writeTransaction((tx) => castOnlineBallotIn(tx, userId, roundId, ranking, now), database);
}

/** The body of `castOnlineBallot`, run inside a write transaction (or the group commit's savepoint). */
function castOnlineBallotIn(tx: Db, userId: string, roundId: number, ranking: readonly number[], now: Date): string {
  const s = statements(tx);
  checkRoundAndRanking(s, roundId, ranking, now);
  const round = votingRound(roundId, tx)!;
  const facts = voterFacts(userId, tx);
  const eligibility = onlineEligibility(facts, roundWardIds(roundId, tx), round.minVoterAge, round.votingClosesAt.slice(0, 10));
  if (!eligibility.ok) throw new VoteRefusal(eligibility.message, eligibility.reason);
  return insertVote(s, roundId, { userId, codeId: null, channel: "online", wardId: facts.wardId }, ranking, now);
}

// ---------------------------------------------------------------------------------------------
// One-time codes

export function hashVotingCode(code: string): string {
  return sha256Hex(`wardfund-vote-code:${code}`);
}

function newVotingCode(): string {
  return base32FromBytes(randomBytes(CODE_LENGTH), CODE_LENGTH);
}

/**
 * Creates a batch of `count` codes for a round. Only their hashes are stored; the plain codes are
 * returned once, to be printed or downloaded, and cannot be shown again.
 */
export function generateCodeBatch(actor: Actor, roundId: number, label: string, count: number, database: Db = db()): { batchId: number; codes: string[] } {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_CODES_PER_BATCH) throw new RangeError(`A batch holds 1 to ${MAX_CODES_PER_BATCH} codes`);
  return writeTransaction((tx) => {
    const round = votingRound(roundId, tx);
    if (!round) throw new VoteRefusal("There is no such round.", "not-found");
    const batch = tx.insert(pbCodeBatches).values({ roundId, label, size: count, createdBy: actor.id, createdAt: new Date().toISOString() }).returning({ id: pbCodeBatches.id }).get();
    const insert = tx.$client.prepare("insert into pb_vote_codes (round_id, batch_id, code_hash) values (?, ?, ?)");
    const codes: string[] = [];
    while (codes.length < count) {
      const code = newVotingCode();
      try {
        insert.run(roundId, batch.id, hashVotingCode(code));
        codes.push(code);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error; // a repeat of an existing code (1 in 2^60): draw again
      }
    }
    recordAudit(tx, { actor, action: "pb.codes-generated", entityType: "pb_round", entityId: roundId, after: { batchId: batch.id, label, size: count } });
    return { batchId: batch.id, codes };
  }, database);
}

export interface CodeBatchSummary {
  id: number;
  label: string;
  size: number;
  used: number;
  revoked: number;
  createdAt: string;
  createdBy: string;
}

export function listCodeBatches(roundId: number, database: Db = db()): CodeBatchSummary[] {
  return database.$client
    .prepare(
      `select b.id, b.label, b.size, b.created_at as createdAt, coalesce(u.name, '') as createdBy,
         (select count(*) from pb_vote_codes c where c.batch_id = b.id and c.used_on is not null) as used,
         (select count(*) from pb_vote_codes c where c.batch_id = b.id and c.revoked_at is not null) as revoked
       from pb_code_batches b left join users u on u.id = b.created_by where b.round_id = ? order by b.id`,
    )
    .all(roundId) as CodeBatchSummary[];
}

/** Cancels one unused code of the round. Returns a message for the officer. */
export function revokeCode(actor: Actor, roundId: number, codeInput: string, reason: string, database: Db = db()): string {
  const code = normaliseVotingCode(codeInput);
  if (!code) throw new VoteRefusal("Enter the code as printed: 12 letters and numbers.", "bad-code");
  return writeTransaction((tx) => {
    const row = statements(tx).codeByHash.get(hashVotingCode(code)) as { id: number; roundId: number; usedOn: string | null; revokedAt: string | null } | undefined;
    if (!row || row.roundId !== roundId) throw new VoteRefusal("That is not a code of this round.", "bad-code");
    if (row.revokedAt) throw new VoteRefusal("That code is already cancelled.", "bad-code");
    if (row.usedOn) throw new VoteRefusal("That code has already been used to vote, so it cannot be cancelled.", "bad-code");
    tx.$client.prepare("update pb_vote_codes set revoked_at = ?, revoked_by = ? where id = ?").run(new Date().toISOString(), actor.id, row.id);
    recordAudit(tx, { actor, action: "pb.code-revoked", entityType: "pb_round", entityId: roundId, reason, after: { codeId: row.id } });
    return "The code is cancelled and can no longer be used to vote.";
  }, database);
}

/** Cancels every unused code of a batch. Returns how many were cancelled. */
export function revokeCodeBatch(actor: Actor, roundId: number, batchId: number, reason: string, database: Db = db()): number {
  return writeTransaction((tx) => {
    const batch = tx.select().from(pbCodeBatches).where(and(eq(pbCodeBatches.id, batchId), eq(pbCodeBatches.roundId, roundId))).get();
    if (!batch) throw new VoteRefusal("There is no such batch in this round.", "not-found");
    const changes = tx.$client
      .prepare("update pb_vote_codes set revoked_at = ?, revoked_by = ? where batch_id = ? and used_on is null and revoked_at is null")
      .run(new Date().toISOString(), actor.id, batchId).changes;
    recordAudit(tx, { actor, action: "pb.code-batch-revoked", entityType: "pb_round", entityId: roundId, reason, after: { batchId, revoked: changes } });
    return changes;
  }, database);
}

function codeFailuresSince(ipHash: string, since: number, database: Db): number {
  return database.select({ n: sql<number>`count(*)` }).from(voteCodeFailures).where(and(eq(voteCodeFailures.ip, ipHash), sql`${voteCodeFailures.at} >= ${since}`)).get()?.n ?? 0;
}

/**
 * Checks a code a voter typed, before showing them the ballot. Wrong codes count against the
 * client address (kept only as a keyed hash); after too many the address must wait.
 * Returns the canonical code.
 */
export function checkVotingCode(roundId: number, input: string, ipAddress: string, now = Date.now(), database: Db = db()): string {
  const ipHash = hmacHex(env().SESSION_SECRET, `vote-code:${ipAddress}`);
  if (codeFailuresSince(ipHash, now - CODE_FAILURE_WINDOW_MINUTES * 60_000, database) >= CODE_MAX_FAILURES_PER_IP) {
    throw new VoteRefusal(`Too many codes that did not work were tried from here. Wait ${CODE_FAILURE_WINDOW_MINUTES} minutes and try again, or ask for help.`, "rate-limited");
  }
  const code = normaliseVotingCode(input);
  const row = code ? (statements(database).codeByHash.get(hashVotingCode(code)) as { roundId: number; codeHash: string; usedOn: string | null; revokedAt: string | null } | undefined) : undefined;
  const fail = (message: string): never => {
    database.insert(voteCodeFailures).values({ ip: ipHash, at: now }).run();
    throw new VoteRefusal(message, "bad-code");
  };
  if (!code) return fail("Enter the code as printed: 12 letters and numbers, for example 7K3M-9QXA-2BHD.");
  if (!row || !constantTimeEqual(row.codeHash, hashVotingCode(code)) || row.roundId !== roundId) return fail("That code does not work for this round. Check it and try again.");
  if (row.revokedAt) throw new VoteRefusal("That code has been cancelled. Ask the council for a new one.", "bad-code");
  if (row.usedOn) throw new VoteRefusal("That code has already been used to vote in this round.", "already-voted");
  return code;
}

/**
 * Casts a code-holder's ballot: the code is looked up again, marked used and recorded as having
 * voted, all inside the transaction; the unique index on (round, code) stops a second ballot.
 */
export function castCodeBallot(roundId: number, codeInput: string, ranking: readonly number[], now = new Date(), database: Db = db()): string {
  const hash = codeHashOrRefuse(codeInput);
  return writeTransaction((tx) => castCodeBallotIn(tx, roundId, hash, ranking, now), database);
}

function codeHashOrRefuse(codeInput: string): string {
  const code = normaliseVotingCode(codeInput);
  if (!code) throw new VoteRefusal("That code does not work for this round.", "bad-code");
  return hashVotingCode(code);
}

/** The body of `castCodeBallot`, run inside a write transaction (or the group commit's savepoint). */
function castCodeBallotIn(tx: Db, roundId: number, hash: string, ranking: readonly number[], now: Date): string {
  const s = statements(tx);
  checkRoundAndRanking(s, roundId, ranking, now);
  const row = s.codeByHash.get(hash) as { id: number; roundId: number; usedOn: string | null; revokedAt: string | null } | undefined;
  if (!row || row.roundId !== roundId) throw new VoteRefusal("That code does not work for this round.", "bad-code");
  if (row.revokedAt) throw new VoteRefusal("That code has been cancelled. Ask the council for a new one.", "bad-code");
  if (row.usedOn || s.useCode.run(dayOf(now), row.id).changes !== 1) throw new VoteRefusal(ALREADY_VOTED, "already-voted");
  return insertVote(s, roundId, { userId: null, codeId: row.id, channel: "code", wardId: null }, ranking, now);
}

// ---------------------------------------------------------------------------------------------
// Receipts and turnout

export type ReceiptStatus = { found: false } | { found: true; published: boolean; castOn: string };

const PUBLISHED_PHASES = ["results", "delivery", "closed"];

/** Whether a receipt code is among the round's ballots. Says nothing else about the ballot. */
export function receiptStatus(roundId: number, input: string, database: Db = db()): ReceiptStatus | null {
  const id = normaliseReceipt(input);
  if (!id) return null;
  const row = database.$client.prepare("select cast_on as castOn from pb_ballots where id = ? and round_id = ?").get(id, roundId) as { castOn: string } | undefined;
  if (!row) return { found: false };
  const round = votingRound(roundId, database);
  return { found: true, published: Boolean(round && PUBLISHED_PHASES.includes(round.phase)), castOn: row.castOn };
}

export interface Turnout {
  online: number;
  code: number;
  paper: number;
  total: number;
}

/** How many have voted, by channel: the only figure shown before the count is published. */
export function turnout(roundId: number, database: Db = db()): Turnout {
  const rows = database.$client.prepare("select channel, count(*) as n from pb_participation where round_id = ? group by channel").all(roundId) as { channel: string; n: number }[];
  const ballots = (database.$client.prepare("select count(*) from pb_ballots where round_id = ?").pluck().get(roundId) as number) ?? 0;
  const of = (channel: string) => rows.find((r) => r.channel === channel)?.n ?? 0;
  const online = of("online");
  const code = of("code");
  return { online, code, paper: ballots - online - code, total: ballots };
}

// ---------------------------------------------------------------------------------------------
// Paper ballots, double keyed

export interface PaperBatchView {
  id: number;
  roundId: number;
  label: string;
  status: "entered" | "checked" | "mismatch" | "accepted";
  enteredBy: string;
  enteredByName: string;
  enteredAt: string;
  checkedBy: string | null;
  checkedByName: string | null;
  ballots: number;
  mismatches: KeyingMismatch[];
  acceptedAt: string | null;
}

function positionMaps(roundId: number, database: Db) {
  const projects = ballotProjects(roundId, database);
  return {
    positionToBidId: new Map(projects.map((p) => [p.position, p.bidId])),
    bidIdToPosition: new Map(projects.map((p) => [p.bidId, p.position])),
    projects,
  };
}

export function paperBatchPositions(roundId: number, database: Db = db()) {
  return positionMaps(roundId, database);
}

function keyingOrRefuse(roundId: number, text: string, database: Db): number[][] {
  const round = votingRound(roundId, database);
  if (!round) throw new PaperRefusal("There is no such round.");
  const parsed = parseKeying(text, positionMaps(roundId, database).positionToBidId, round.maxRanked);
  if (!parsed.ok) throw new PaperRefusal(parsed.errors.map((e) => `Line ${e.line}: ${e.message}`).join(". "), "ballots");
  return parsed.ballots;
}

function assertPaperPhase(roundId: number, database: Db): void {
  const round = votingRound(roundId, database);
  if (!round) throw new PaperRefusal("There is no such round.");
  if (round.phase !== "voting" && round.phase !== "counting") throw new PaperRefusal("Paper ballots can be keyed in only while the round is voting or being counted.");
}

/** The first officer keys in a batch. Nothing counts until a second officer has re-keyed it. */
export function enterPaperBatch(actor: Actor, roundId: number, label: string, text: string, database: Db = db()): number {
  return writeTransaction((tx) => {
    assertPaperPhase(roundId, tx);
    const ballots = keyingOrRefuse(roundId, text, tx);
    const row = tx.insert(pbPaperBatches).values({ roundId, label, firstKeying: JSON.stringify(ballots), enteredBy: actor.id, enteredAt: new Date().toISOString() }).returning({ id: pbPaperBatches.id }).get();
    recordAudit(tx, { actor, action: "pb.paper-batch-entered", entityType: "pb_round", entityId: roundId, after: { batchId: row.id, label, ballots: ballots.length } });
    return row.id;
  }, database);
}

function insertPaperBallots(tx: Db, roundId: number, ballots: number[][], day: string): void {
  const s = statements(tx);
  for (const ranking of ballots) s.ballot.run(newBallotId(), roundId, JSON.stringify(ranking), day);
}

/**
 * The second officer re-keys the batch without seeing the first keying. When the keyings agree
 * the ballots count at once; otherwise the batch waits for the mismatches to be resolved.
 */
export function rekeyPaperBatch(actor: Actor, batchId: number, text: string, database: Db = db()): { accepted: boolean; mismatches: number } {
  return writeTransaction((tx) => {
    const batch = tx.select().from(pbPaperBatches).where(eq(pbPaperBatches.id, batchId)).get();
    if (!batch) throw new PaperRefusal("There is no such batch.");
    if (batch.status !== "entered") throw new PaperRefusal("This batch has already been checked.");
    if (batch.enteredBy === actor.id) throw new PaperRefusal("A different officer must re-key this batch.");
    assertPaperPhase(batch.roundId, tx);
    const second = keyingOrRefuse(batch.roundId, text, tx);
    const first = JSON.parse(batch.firstKeying) as number[][];
    const mismatches = compareKeyings(first, second);
    const now = new Date().toISOString();
    const accepted = mismatches.length === 0;
    tx.update(pbPaperBatches)
      .set({ secondKeying: JSON.stringify(second), checkedBy: actor.id, checkedAt: now, status: accepted ? "accepted" : "mismatch", acceptedAt: accepted ? now : null })
      .where(eq(pbPaperBatches.id, batchId))
      .run();
    if (accepted) insertPaperBallots(tx, batch.roundId, first, batch.enteredAt.slice(0, 10));
    recordAudit(tx, { actor, action: accepted ? "pb.paper-batch-accepted" : "pb.paper-batch-mismatch", entityType: "pb_round", entityId: batch.roundId, after: { batchId, ballots: first.length, mismatches: mismatches.length } });
    return { accepted, mismatches: mismatches.length };
  }, database);
}

/**
 * The second officer resolves every mismatch, looking at the paper: for each, the positions the
 * ballot really shows, or "void" when it is not a valid ballot. The batch then counts.
 */
export function resolvePaperBatch(actor: Actor, batchId: number, answers: Record<number, string>, note: string, database: Db = db()): void {
  writeTransaction((tx) => {
    const batch = tx.select().from(pbPaperBatches).where(eq(pbPaperBatches.id, batchId)).get();
    if (!batch) throw new PaperRefusal("There is no such batch.");
    if (batch.status !== "mismatch") throw new PaperRefusal("This batch has no differences waiting to be resolved.");
    if (batch.checkedBy !== actor.id) throw new PaperRefusal("Only the officer who re-keyed this batch can resolve its differences.");
    assertPaperPhase(batch.roundId, tx);
    const round = votingRound(batch.roundId, tx)!;
    const { positionToBidId } = positionMaps(batch.roundId, tx);
    const first = JSON.parse(batch.firstKeying) as number[][];
    const second = JSON.parse(batch.secondKeying ?? "[]") as number[][];
    const resolutions: Resolution[] = [];
    for (const m of compareKeyings(first, second)) {
      const text = (answers[m.index] ?? "").trim();
      const field = `resolve-${m.index}`;
      if (text === "") throw new PaperRefusal(`Ballot ${m.index + 1}: key in what the paper shows, or "void"`, field);
      if (text.toLowerCase() === "void") {
        resolutions.push({ index: m.index, ranking: null });
        continue;
      }
      const parsed = parseKeying(text, positionToBidId, round.maxRanked);
      if (!parsed.ok || parsed.ballots.length !== 1) throw new PaperRefusal(`Ballot ${m.index + 1}: ${parsed.ok ? "key in one ballot" : parsed.errors[0]!.message}`, field);
      resolutions.push({ index: m.index, ranking: parsed.ballots[0]! });
    }
    const ballots = resolvedBallots(first, second, resolutions);
    const now = new Date().toISOString();
    tx.update(pbPaperBatches)
      .set({ status: "accepted", acceptedAt: now, resolutions: JSON.stringify(resolutions.map((r) => ({ ...r, resolvedBy: actor.id, note }))) })
      .where(eq(pbPaperBatches.id, batchId))
      .run();
    insertPaperBallots(tx, batch.roundId, ballots, batch.enteredAt.slice(0, 10));
    recordAudit(tx, { actor, action: "pb.paper-batch-resolved", entityType: "pb_round", entityId: batch.roundId, reason: note || null, after: { batchId, resolved: resolutions.length, ballots: ballots.length } });
  }, database);
}

export function paperBatch(batchId: number, database: Db = db()): (PaperBatchView & { firstKeying: number[][]; secondKeying: number[][] | null }) | null {
  const row = database.$client
    .prepare(
      `select b.*, e.name as enteredByName, c.name as checkedByName from pb_paper_batches b
       join users e on e.id = b.entered_by left join users c on c.id = b.checked_by where b.id = ?`,
    )
    .get(batchId) as Record<string, string | number | null> | undefined;
  if (!row) return null;
  const first = JSON.parse(String(row.first_keying)) as number[][];
  const second = row.second_keying ? (JSON.parse(String(row.second_keying)) as number[][]) : null;
  return {
    id: Number(row.id),
    roundId: Number(row.round_id),
    label: String(row.label),
    status: row.status as PaperBatchView["status"],
    enteredBy: String(row.entered_by),
    enteredByName: String(row.enteredByName),
    enteredAt: String(row.entered_at),
    checkedBy: row.checked_by ? String(row.checked_by) : null,
    checkedByName: row.checkedByName ? String(row.checkedByName) : null,
    ballots: first.length,
    mismatches: second && row.status === "mismatch" ? compareKeyings(first, second) : [],
    acceptedAt: row.accepted_at ? String(row.accepted_at) : null,
    firstKeying: first,
    secondKeying: second,
  };
}

export function listPaperBatches(roundId: number, database: Db = db()): PaperBatchView[] {
  const ids = database.$client.prepare("select id from pb_paper_batches where round_id = ? order by id").pluck().all(roundId) as number[];
  return ids.map((id) => {
    const { firstKeying: _f, secondKeying: _s, ...view } = paperBatch(id, database)!;
    return view;
  });
}

// ---------------------------------------------------------------------------------------------
// Equality monitoring

/**
 * A token given with the confirmation page so the voter can answer the equality questions once.
 * It is signed, short-lived and not stored anywhere when issued; when used, only a hash of its
 * random nonce is kept (to refuse a second use). It names the round and nothing else.
 */
export function issueEqualityToken(roundId: number, now = Date.now()): string {
  const nonce = pooledRandomBytes(16).toString("base64url");
  const body = `${roundId}.${now + EQUALITY_TOKEN_MINUTES * 60_000}.${nonce}`;
  return `${body}.${hmacHex(env().SESSION_SECRET, `equality:${body}`)}`;
}

/** The token's nonce when it is genuine, for this round and not expired; otherwise null. */
function equalityTokenNonce(token: string, roundId: number, now: number): string | null {
  const parts = token.split(".");
  if (parts.length !== 4) return null;
  const [round, expires, nonce, mac] = parts as [string, string, string, string];
  if (!constantTimeEqual(mac, hmacHex(env().SESSION_SECRET, `equality:${round}.${expires}.${nonce}`))) return null;
  if (Number(round) !== roundId || Number(expires) <= now) return null;
  return nonce;
}

export type EqualityTokenState = "valid" | "used" | "invalid";

export function equalityTokenState(token: string, roundId: number, now = Date.now(), database: Db = db()): EqualityTokenState {
  const nonce = equalityTokenNonce(token, roundId, now);
  if (!nonce) return "invalid";
  return database.select().from(equalityTokenUses).where(eq(equalityTokenUses.nonceHash, sha256Hex(nonce))).get() ? "used" : "valid";
}

/** The questions asked: the age band first, then the council's active questions. */
export function equalityQuestionList(database: Db = db()): EqualityQuestionView[] {
  const rows = statements(database).equalityQuestions.all() as { key: string; label: string; options: string }[];
  return [AGE_BAND_QUESTION, ...rows.filter((r) => r.key !== AGE_BAND_QUESTION.key).map((r) => ({ key: r.key, label: r.label, options: JSON.parse(r.options) as string[] }))];
}

/** Stores the answers (each its own anonymous row: random id, round, question, answer, day). */
export function recordEqualityResponses(roundId: number, token: string, answers: { questionKey: string; answer: string }[], now = new Date(), database: Db = db()): void {
  const nonce = equalityTokenNonce(token, roundId, now.getTime());
  if (!nonce) throw new VoteRefusal("This link to the equality questions has expired. Thank you for voting.", "bad-code");
  writeTransaction((tx) => {
    try {
      tx.insert(equalityTokenUses).values({ nonceHash: sha256Hex(nonce) }).run();
    } catch (error) {
      if (isUniqueViolation(error) || String((error as { code?: string }).code).startsWith("SQLITE_CONSTRAINT")) throw new VoteRefusal("You have already answered these questions. Thank you.", "already-voted");
      throw error;
    }
    const insert = tx.$client.prepare("insert into pb_equality_responses (id, round_id, question_key, answer, answered_on) values (?, ?, ?, ?, ?)");
    for (const a of answers) insert.run(randomBytes(16).toString("hex"), roundId, a.questionKey, a.answer, dayOf(now));
  }, database);
}

type EqualityCount = { questionKey: string; answer: string; count: number };
const finalEqualityCounts = new WeakMap<object, Map<number, EqualityCount[]>>();

/**
 * The round's equality-monitoring answers in aggregate, every count under 10 shown as
 * "fewer than 10". For the results page.
 *
 * `votingEndedBy` is a time by which the round had certainly stopped taking votes, such as when it
 * was counted. A token is issued only with a cast, stamped with the cast's time, and lasts
 * EQUALITY_TOKEN_MINUTES; so from that long after `votingEndedBy` no answer can be added, and the
 * counts (which read every answer of the round) are made once and kept. The questions' wording is
 * read each time.
 */
export function equalityReport(roundId: number, database: Db = db(), votingEndedBy?: string, now = Date.now()): EqualityReportQuestion[] {
  let kept = finalEqualityCounts.get(database.$client);
  let rows = kept?.get(roundId);
  if (!rows) {
    rows = statements(database).equalityCounts.all(roundId) as EqualityCount[];
    // A minute more than a token lasts, for the time between a token's check and its answers' write.
    if (votingEndedBy && now > Date.parse(votingEndedBy) + (EQUALITY_TOKEN_MINUTES + 1) * 60_000) {
      if (!kept) finalEqualityCounts.set(database.$client, (kept = new Map()));
      kept.set(roundId, rows);
    }
  }
  return buildEqualityReport(equalityQuestionList(database), rows);
}

// ---------------------------------------------------------------------------------------------
// Group commit for the cast path

/**
 * Casts that arrive together are committed together. With synchronous=FULL every commit waits for
 * the disk, which would cap a busy voting day at a few hundred ballots a second. Casts queued in
 * the same turn of the event loop run one after another inside one BEGIN IMMEDIATE transaction,
 * each in its own savepoint (so one refusal rolls back only that cast), and the transaction
 * commits once. No voter is told their ballot is cast until that commit has returned, so an
 * acknowledged ballot is on disk. If the commit itself fails, every cast in the group fails.
 *
 * The commit (and its fsync) runs on the event loop, so while it waits for the disk no request is
 * read; the casts that arrive meanwhile make up the next group. A group is flushed one turn of the
 * event loop after its first cast is queued, not in the same turn: the requests read in between
 * (typically the next casts of the voters answered by the previous commit) join it. Under load
 * that makes groups larger, and so fewer fsyncs per ballot (in the vote benchmark, with 32 voters
 * at a time: about 22 casts a group rather than 16); with no load it adds nothing but one pass of
 * the event loop.
 */
const MAX_GROUP = 512;
type Job = { work: (tx: Db) => string; resolve: (value: string) => void; reject: (error: unknown) => void };
const groups = new Map<Db, { queue: Job[]; scheduled: boolean }>();

function flushGroup(database: Db): void {
  const group = groups.get(database)!;
  const jobs = group.queue.splice(0, MAX_GROUP);
  group.scheduled = false;
  if (group.queue.length) {
    group.scheduled = true;
    setImmediate(() => flushGroup(database));
  }
  const outcomes: ({ ok: true; value: string } | { ok: false; error: unknown })[] = [];
  try {
    writeTransaction((tx) => {
      const s = statements(tx);
      for (const job of jobs) {
        // Each cast in a savepoint of its own (prepared once, unlike a nested `transaction()`).
        s.savepoint.run();
        try {
          const value = job.work(tx);
          s.release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          // An error that ended the whole transaction fails the group: nothing of it is committed.
          if (!tx.$client.inTransaction) throw error;
          s.rollbackTo.run();
          s.release.run();
          outcomes.push({ ok: false, error });
        }
      }
    }, database);
  } catch (error) {
    for (const job of jobs) job.reject(error);
    return;
  }
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
}

function inGroupCommit(work: (tx: Db) => string, database: Db): Promise<string> {
  let group = groups.get(database);
  if (!group) {
    group = { queue: [], scheduled: false };
    groups.set(database, group);
  }
  const target = group;
  return new Promise<string>((resolve, reject) => {
    target.queue.push({ work, resolve, reject });
    if (!target.scheduled) {
      target.scheduled = true;
      setImmediate(() => setImmediate(() => flushGroup(database)));
    }
  });
}

/** `castOnlineBallot` through the group commit: resolves with the receipt once it is on disk. */
export function castOnlineBallotGrouped(userId: string, roundId: number, ranking: readonly number[], now = new Date(), database: Db = db()): Promise<string> {
  return inGroupCommit((tx) => castOnlineBallotIn(tx, userId, roundId, ranking, now), database);
}

/** `castCodeBallot` through the group commit: resolves with the receipt once it is on disk. */
export function castCodeBallotGrouped(roundId: number, code: string, ranking: readonly number[], now = new Date(), database: Db = db()): Promise<string> {
  let hash: string;
  try {
    hash = codeHashOrRefuse(code);
  } catch (error) {
    return Promise.reject(error);
  }
  return inGroupCommit((tx) => castCodeBallotIn(tx, roundId, hash, ranking, now), database);
}
