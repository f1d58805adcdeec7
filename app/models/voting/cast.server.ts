/**
 * Casting a ballot online: who may vote (signed in, or with a one-time code), and the cast itself.
 *
 * Ballot secrecy (docs/decisions/006-ballot-secrecy.md): a cast writes three rows in one
 * transaction: `pb_participation` (who voted: a user or a code, the channel and the ward),
 * `pb_receipts` (the receipt, a random id published in the receipt list) and `pb_sealed_ballots`
 * (the ranking and the receipt sealed to the round's public key, whose private half the server
 * does not hold). Anyone with the database files sees who voted and their receipt, never what they
 * ranked; the rankings become readable only at the count, all at once, with no receipt and no time.
 * No audit event is written for a vote, and the receipt is returned to the voter only.
 *
 * A cast runs in the group commit (app/db/group-commit.server.ts) and its promise resolves once
 * the ballot is on disk. Its queries are Drizzle statements prepared once per connection (it is
 * the hot path of a busy voting day); the database's unique indexes are what make "one ballot per
 * person" hold under concurrent requests.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { isOnBallot } from "~/core/rounds";
import { ALREADY_VOTED, checkRanking, onlineEligibility, votingClosedReason } from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { inGroupCommit } from "~/db/group-commit.server";
import {
  pbParticipation,
  pbProjects,
  pbReceipts,
  pbSealedBallots,
  pbVoteCodes,
  postcodes,
  users,
  wards,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { findRound, roundWardIds, type RoundRow } from "~/models/rounds/queries.server";
import { codeHashOrRefuse } from "~/models/voting/codes.server";
import { newSealedBallotId, sealBallot } from "~/models/voting/ballot-key.server";
import { checkOnlineVoterRule } from "~/models/voting/register.server";
import { newBallotId } from "~/models/voting/receipts.server";
import { isUniqueViolation, voteRefusal } from "~/models/voting/refusals.server";

export { ALREADY_VOTED };

function prepareCastQueries(database: Db) {
  return {
    ballotPlaces: database
      .select({
        bidId: pbProjects.bidId,
        eligibility: pbProjects.eligibility,
        mergedIntoBidId: pbProjects.mergedIntoBidId,
        ballotPosition: pbProjects.ballotPosition,
      })
      .from(pbProjects)
      .where(eq(pbProjects.roundId, sql.placeholder("roundId")))
      .prepare(),
    codeByHash: database
      .select({
        id: pbVoteCodes.id,
        roundId: pbVoteCodes.roundId,
        usedOn: pbVoteCodes.usedOn,
        revokedAt: pbVoteCodes.revokedAt,
      })
      .from(pbVoteCodes)
      .where(eq(pbVoteCodes.codeHash, sql.placeholder("hash")))
      .prepare(),
    useCode: database
      .update(pbVoteCodes)
      .set({ usedOn: sql`${sql.placeholder("day")}` })
      .where(and(eq(pbVoteCodes.id, sql.placeholder("id")), isNull(pbVoteCodes.usedOn), isNull(pbVoteCodes.revokedAt)))
      .prepare(),
    participation: database
      .insert(pbParticipation)
      .values({
        roundId: sql.placeholder("roundId"),
        userId: sql.placeholder("userId"),
        codeId: sql.placeholder("codeId"),
        channel: sql.placeholder("channel"),
        wardId: sql.placeholder("wardId"),
        eventId: sql.placeholder("eventId"),
      })
      .prepare(),
    receipt: database
      .insert(pbReceipts)
      .values({ roundId: sql.placeholder("roundId"), receipt: sql.placeholder("receipt") })
      .prepare(),
    sealedBallot: database
      .insert(pbSealedBallots)
      .values({ id: sql.placeholder("id"), roundId: sql.placeholder("roundId"), sealed: sql.placeholder("sealed") })
      .prepare(),
    hasVoted: database
      .select({ id: pbParticipation.id })
      .from(pbParticipation)
      .where(
        and(
          eq(pbParticipation.roundId, sql.placeholder("roundId")),
          eq(pbParticipation.userId, sql.placeholder("userId")),
        ),
      )
      .prepare(),
    voterFacts: database
      .select({ postcode: users.postcode, dateOfBirth: users.dateOfBirth, wardId: wards.id })
      .from(users)
      .leftJoin(postcodes, eq(postcodes.postcode, users.postcode))
      .leftJoin(wards, eq(wards.gssCode, postcodes.wardGssCode))
      .where(eq(users.id, sql.placeholder("userId")))
      .prepare(),
  };
}

const castQueries = preparedPerConnection(prepareCastQueries);

/** Whether a signed-in person already has a ballot in the round (one indexed read). */
export function hasVotedOnline(roundId: number, userId: string, database: Db = db()): boolean {
  return castQueries(database).hasVoted.get({ roundId, userId }) !== undefined;
}

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/** Inside the cast transaction: the round still takes votes and the ranking fits its ballot. Returns the round. */
function checkRoundAndRanking(tx: Db, roundId: number, ranking: readonly number[], now: Date): RoundRow {
  const round = findRound(roundId, tx);
  if (!round) throw voteRefusal("There is no such round.", "not-found");
  const closed = votingClosedReason(round, now.toISOString());
  if (closed) throw voteRefusal(closed, "closed");
  const onBallot = castQueries(tx)
    .ballotPlaces.all({ roundId })
    .filter(isOnBallot)
    .map((p) => p.bidId);
  const problem = checkRanking(ranking, onBallot, round.maxRanked);
  if (problem) throw voteRefusal(problem, "bad-ranking");
  return round;
}

/** Who voted, by which channel (a parameter of the insert), and their ward when known. */
type Voter =
  | { userId: string; codeId: null; channel: "online"; wardId: number | null }
  | { userId: null; codeId: number; channel: "code"; wardId: null }
  | { userId: null; codeId: null; channel: "event"; wardId: null; eventId: number };

/** Participation, receipt and sealed ballot, in the cast's transaction. Returns the receipt. */
function insertVote(tx: Db, round: RoundRow, who: Voter, ranking: readonly number[]): string {
  const q = castQueries(tx);
  if (!round.ballotPublicKey) throw voteRefusal("Voting is not open: this round has no ballot key.", "closed");
  const roundId = round.id;
  try {
    q.participation.run({ roundId, eventId: null, ...who });
  } catch (error) {
    if (isUniqueViolation(error)) throw voteRefusal(ALREADY_VOTED, "already-voted");
    throw error;
  }
  const receipt = newBallotId();
  q.receipt.run({ roundId, receipt });
  q.sealedBallot.run({
    id: newSealedBallotId(),
    roundId,
    sealed: sealBallot(round.ballotPublicKey, { ranking, receipt }),
  });
  return receipt;
}

export interface VoterStatus {
  /** "can-vote", or why not; "needs-details" asks for postcode and date of birth. */
  state: "can-vote" | "needs-details" | "outside-area" | "under-age" | "closed" | "already-voted";
  message: string | null;
  postcode: string | null;
  dateOfBirth: string | null;
}

function voterFacts(userId: string, database: Db) {
  return castQueries(database).voterFacts.get({ userId }) ?? { postcode: null, dateOfBirth: null, wardId: null };
}

type VotingWindow = Pick<RoundRow, "id" | "phase" | "votingOpensAt" | "votingClosesAt" | "minVoterAge">;

/** Whether a signed-in person may vote online in a round now, and the message when not. */
export function onlineVoterStatus(
  userId: string,
  round: VotingWindow,
  now = new Date(),
  database: Db = db(),
): VoterStatus {
  const facts = voterFacts(userId, database);
  const base = { postcode: facts.postcode, dateOfBirth: facts.dateOfBirth };
  if (hasVotedOnline(round.id, userId, database)) return { state: "already-voted", message: ALREADY_VOTED, ...base };
  const closed = votingClosedReason(round, now.toISOString());
  if (closed) return { state: "closed", message: closed, ...base };
  const eligibility = onlineEligibility(
    facts,
    roundWardIds(round.id, database),
    round.minVoterAge,
    round.votingClosesAt.slice(0, 10),
  );
  if (!eligibility.ok) return { state: eligibility.reason, message: eligibility.message, ...base };
  return { state: "can-vote", message: null, ...base };
}

/** Saves the postcode and date of birth a voter gave on the vote page (on their account). */
export function saveVoterDetails(
  actor: Actor,
  details: { postcode: string; dateOfBirth: string },
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    const before = tx
      .select({ postcode: users.postcode, dateOfBirth: users.dateOfBirth })
      .from(users)
      .where(eq(users.id, actor.id))
      .get();
    tx.update(users)
      .set({ postcode: details.postcode, dateOfBirth: details.dateOfBirth })
      .where(eq(users.id, actor.id))
      .run();
    recordAudit(tx, {
      actor,
      action: "account.voter-details",
      entityType: "user",
      entityId: actor.id,
      before,
      after: details,
    });
  }, database);
}

/**
 * Casts a signed-in person's ballot. Everything is checked again inside the transaction: the
 * phase and closing time, the area and age, the ranking; the unique index on (round, user) is what
 * finally refuses a second ballot. Resolves with the receipt once the ballot is on disk.
 */
export function castOnlineBallot(
  userId: string,
  roundId: number,
  ranking: readonly number[],
  now = new Date(),
  database: Db = db(),
): Promise<string> {
  return inGroupCommit((tx) => {
    const round = checkRoundAndRanking(tx, roundId, ranking, now);
    // Who may vote by the round's rule (register match: one indexed read; codes only: refused).
    const byRule = checkOnlineVoterRule(tx, round, userId);
    if (byRule) return insertVote(tx, round, { userId, codeId: null, channel: "online", ...byRule }, ranking);
    const facts = voterFacts(userId, tx);
    const eligibility = onlineEligibility(
      facts,
      roundWardIds(roundId, tx),
      round.minVoterAge,
      round.votingClosesAt.slice(0, 10),
    );
    if (!eligibility.ok) throw voteRefusal(eligibility.message, eligibility.reason);
    return insertVote(tx, round, { userId, codeId: null, channel: "online", wardId: facts.wardId }, ranking);
  }, database);
}

/**
 * Casts a code-holder's ballot: the code is looked up again, marked used and recorded as having
 * voted, all inside the transaction; the unique index on (round, code) stops a second ballot.
 * Resolves with the receipt once the ballot is on disk.
 */
export function castCodeBallot(
  roundId: number,
  code: string,
  ranking: readonly number[],
  now = new Date(),
  database: Db = db(),
): Promise<string> {
  let hash: string;
  try {
    hash = codeHashOrRefuse(code);
  } catch (error) {
    return Promise.reject(error);
  }
  return inGroupCommit((tx) => {
    const round = checkRoundAndRanking(tx, roundId, ranking, now);
    const q = castQueries(tx);
    const row = q.codeByHash.get({ hash });
    if (!row || row.roundId !== roundId) throw voteRefusal("That code does not work for this round.", "bad-code");
    if (row.revokedAt) throw voteRefusal("That code has been cancelled. Ask the council for a new one.", "bad-code");
    if (row.usedOn || q.useCode.run({ day: dayOf(now), id: row.id }).changes !== 1)
      throw voteRefusal(ALREADY_VOTED, "already-voted");
    return insertVote(tx, round, { userId: null, codeId: row.id, channel: "code", wardId: null }, ranking);
  }, database);
}

/**
 * Casts a ballot at a decision-day kiosk. An officer checked the voter and issued one ballot to the
 * kiosk; `claimIssue` runs inside the cast transaction and closes that issue (or throws a refusal),
 * so one issue never yields two ballots. Participation is recorded with channel "event" and the
 * event, and names nobody. Resolves with the receipt once the ballot is on disk.
 */
export function castEventBallot(
  roundId: number,
  eventId: number,
  ranking: readonly number[],
  claimIssue: (tx: Db) => void,
  now = new Date(),
  database: Db = db(),
): Promise<string> {
  return inGroupCommit((tx) => {
    const round = checkRoundAndRanking(tx, roundId, ranking, now);
    claimIssue(tx);
    return insertVote(tx, round, { userId: null, codeId: null, channel: "event", wardId: null, eventId }, ranking);
  }, database);
}
