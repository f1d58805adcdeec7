/**
 * The anonymous equality-monitoring answers: a signed one-use token given with the confirmation
 * page, the answers (each its own row, with no link to a voter or a ballot), and the report.
 */
import { randomBytes } from "node:crypto";
import { asc, count, eq, sql } from "drizzle-orm";
import {
  AGE_BAND_QUESTION,
  buildEqualityReport,
  type EqualityQuestionView,
  type EqualityReportQuestion,
} from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { equalityQuestions, equalityTokenUses, pbEqualityResponses } from "~/db/schema";
import { voteRefusal } from "~/models/voting/refusals.server";
import { env } from "~/utils/env.server";
import { pooledRandomBytes } from "~/utils/random-pool.server";
import { constantTimeEqual, hmacHex, sha256Hex } from "~/utils/tokens.server";

/** How long after casting the equality-monitoring questions can be answered. */
export const EQUALITY_TOKEN_MINUTES = 120;

function prepareEqualityQueries(database: Db) {
  return {
    questions: database
      .select({ key: equalityQuestions.key, label: equalityQuestions.label, options: equalityQuestions.options })
      .from(equalityQuestions)
      .where(eq(equalityQuestions.active, true))
      .orderBy(asc(equalityQuestions.position), asc(equalityQuestions.id))
      .prepare(),
    counts: database
      .select({ questionKey: pbEqualityResponses.questionKey, answer: pbEqualityResponses.answer, count: count() })
      .from(pbEqualityResponses)
      .where(eq(pbEqualityResponses.roundId, sql.placeholder("roundId")))
      .groupBy(pbEqualityResponses.questionKey, pbEqualityResponses.answer)
      .prepare(),
  };
}

/** The queries the results page runs on every request, prepared once per connection. */
const equalityQueries = preparedPerConnection(prepareEqualityQueries);

function isConstraintViolation(error: unknown): boolean {
  const codeOf = (e: unknown) => String(typeof e === "object" && e !== null ? (e as { code?: unknown }).code : "");
  const cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return codeOf(error).startsWith("SQLITE_CONSTRAINT") || codeOf(cause).startsWith("SQLITE_CONSTRAINT");
}

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

export function equalityTokenState(
  token: string,
  roundId: number,
  now = Date.now(),
  database: Db = db(),
): EqualityTokenState {
  const nonce = equalityTokenNonce(token, roundId, now);
  if (!nonce) return "invalid";
  return database
    .select()
    .from(equalityTokenUses)
    .where(eq(equalityTokenUses.nonceHash, sha256Hex(nonce)))
    .get()
    ? "used"
    : "valid";
}

/** The questions asked: the age band first, then the council's active questions. */
export function equalityQuestionList(database: Db = db()): EqualityQuestionView[] {
  const rows = equalityQueries(database).questions.all();
  return [
    AGE_BAND_QUESTION,
    ...rows
      .filter((r) => r.key !== AGE_BAND_QUESTION.key)
      .map((r) => ({ key: r.key, label: r.label, options: JSON.parse(r.options) as string[] })),
  ];
}

/** Stores the answers (each its own anonymous row: random id, round, question, answer, day). */
export function recordEqualityResponses(
  roundId: number,
  token: string,
  answers: { questionKey: string; answer: string }[],
  now = new Date(),
  database: Db = db(),
): void {
  const nonce = equalityTokenNonce(token, roundId, now.getTime());
  if (!nonce) throw voteRefusal("This link to the equality questions has expired. Thank you for voting.", "bad-code");
  writeTransaction((tx) => {
    try {
      tx.insert(equalityTokenUses)
        .values({ nonceHash: sha256Hex(nonce) })
        .run();
    } catch (error) {
      if (isConstraintViolation(error))
        throw voteRefusal("You have already answered these questions. Thank you.", "already-voted");
      throw error;
    }
    const answeredOn = now.toISOString().slice(0, 10);
    for (const a of answers) {
      tx.insert(pbEqualityResponses)
        .values({
          id: randomBytes(16).toString("hex"),
          roundId,
          questionKey: a.questionKey,
          answer: a.answer,
          answeredOn,
        })
        .run();
    }
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
export function equalityReport(
  roundId: number,
  database: Db = db(),
  votingEndedBy?: string,
  now = Date.now(),
): EqualityReportQuestion[] {
  let kept = finalEqualityCounts.get(database.$client);
  let rows = kept?.get(roundId);
  if (!rows) {
    rows = equalityQueries(database).counts.all({ roundId });
    // A minute more than a token lasts, for the time between a token's check and its answers' write.
    if (votingEndedBy && now > Date.parse(votingEndedBy) + (EQUALITY_TOKEN_MINUTES + 1) * 60_000) {
      if (!kept) finalEqualityCounts.set(database.$client, (kept = new Map()));
      kept.set(roundId, rows);
    }
  }
  return buildEqualityReport(equalityQuestionList(database), rows);
}
