/**
 * Who may vote, per round: the officer's rule (fixed when voting opens), the council's residents'
 * register extract, and residents matching themselves to one of its rows.
 *
 * The register is kept only as keyed hashes (HMAC-SHA256 with REGISTER_KEY, the round's id in the
 * message), of the reference printed on a letter or polling card and of postcode + date of birth +
 * surname, each normalised first (core/voting/voter-rules.ts). A resident's typed values are hashed
 * the same way and never stored, neither in a table nor in the audit trail. `pb_register_matches`
 * has the row as its primary key, so a row serves one account even when two claim it at once.
 */
import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import { parse as parseCsv } from "csv-parse/sync";
import { messageKey } from "~/core/messages/message-key";
import { rulesAreLocked } from "~/core/rounds";
import {
  ALREADY_VOTED,
  decideByRule,
  normaliseRegisterReference,
  readRegisterRecords,
  RegisterColumnError,
  registerPersonKey,
  votingClosedReason,
  type RegisterColumns,
  type RuleDecision,
  type VoterRule,
} from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import {
  auditEvents,
  pbRegisterEventClaims,
  pbRegisterFailures,
  pbRegisterMatches,
  pbRegisterRows,
  pbRounds,
  postcodes,
  wards,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { findRound, requireRound, roundWardIds, type RoundRow } from "~/models/rounds/queries.server";
import { hasVotedOnline, onlineVoterStatus, type VoterStatus } from "~/models/voting/cast.server";
import { isUniqueViolation, voteRefusal } from "~/models/voting/refusals.server";
import { env, isProduction } from "~/utils/env.server";
import { Refusal } from "~/utils/refusal";
import { hmacHex } from "~/utils/tokens.server";

/** Outside production, without REGISTER_KEY: a fixed key, so the demo register survives a restart. Not secret. */
const DEVELOPMENT_REGISTER_KEY = "wardfund-development-register-key-not-secret";
/** Register match attempts that find no free row, per account and round, in a day. */
export const REGISTER_MAX_FAILURES = 10;
const REGISTER_FAILURE_WINDOW_MS = 24 * 60 * 60_000;
export const MAX_REGISTER_FILE_BYTES = 10 * 1024 * 1024;

function registerKey(): string {
  const key = env().REGISTER_KEY;
  if (key) return key;
  if (isProduction()) throw new Error("REGISTER_KEY must be set (32+ characters) when NODE_ENV=production");
  return DEVELOPMENT_REGISTER_KEY;
}

export function registerReferenceHash(roundId: number, reference: string): string {
  return hmacHex(registerKey(), `wardfund-register:${roundId}:reference:${reference}`);
}

export function registerPersonHash(roundId: number, personKey: string): string {
  return hmacHex(registerKey(), `wardfund-register:${roundId}:person:${personKey}`);
}

// ---------------------------------------------------------------------------------------------
// The officer's side: the rule and the register.

/** Sets who may vote in the round. Refused once the rules are fixed (when voting opens). */
export function setVoterRule(actor: Actor, roundId: number, rule: VoterRule, database: Db = db()): void {
  writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    if (round.voterRule === rule) return;
    if (rulesAreLocked(round.phase))
      throw new Refusal("admin:refusal.ruleFixed", {
        field: "voterRule",
      });
    tx.update(pbRounds).set({ voterRule: rule }).where(eq(pbRounds.id, roundId)).run();
    recordAudit(tx, {
      actor,
      action: "round.voter-rule",
      entityType: "pb_round",
      entityId: roundId,
      before: { voterRule: round.voterRule },
      after: { voterRule: rule },
    });
  }, database);
}

export interface RegisterUploadSummary {
  rows: number;
  problemCount: number;
  /** The first 50 problems, by line of the file. */
  problems: { line: number; message: string }[];
}

/**
 * Replaces the round's register with the rows of a CSV extract. Only keyed hashes and each row's
 * ward (from its postcode) are stored. Refused once voting has opened, and for a file without a
 * single good row. Rows whose postcode is in a ward outside the round's area are left out.
 */
export function uploadRegister(
  actor: Actor,
  roundId: number,
  csvText: string,
  columns: RegisterColumns,
  fileName: string,
  database: Db = db(),
): RegisterUploadSummary {
  let records: string[][];
  try {
    records = parseCsv(csvText, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new Refusal(messageKey("rounds:register.cannotRead", { detail: (error as Error).message }), {
      field: "file",
    });
  }
  let read: ReturnType<typeof readRegisterRecords>;
  try {
    read = readRegisterRecords(records, columns);
  } catch (error) {
    if (error instanceof RegisterColumnError) throw new Refusal(error.message, { field: "columns" });
    throw error;
  }
  return writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    if (rulesAreLocked(round.phase)) throw new Refusal("admin:refusal.registerFixed", { field: "file" });
    const area = new Set(roundWardIds(roundId, tx));
    const wardOf = new Map<string, number>();
    const wanted = [...new Set(read.records.map((r) => r.postcode).filter((p): p is string => p !== null))];
    for (let i = 0; i < wanted.length; i += 500) {
      const found = tx
        .select({ postcode: postcodes.postcode, wardId: wards.id })
        .from(postcodes)
        .innerJoin(wards, eq(wards.gssCode, postcodes.wardGssCode))
        .where(inArray(postcodes.postcode, wanted.slice(i, i + 500)))
        .all();
      for (const f of found) wardOf.set(f.postcode, f.wardId);
    }
    const problems = [...read.problems];
    const rows: (typeof pbRegisterRows.$inferInsert)[] = [];
    for (const record of read.records) {
      const wardId = record.postcode ? (wardOf.get(record.postcode) ?? null) : null;
      if (wardId !== null && !area.has(wardId)) {
        problems.push({ line: record.line, message: "rounds:register.outsideArea" });
        continue;
      }
      rows.push({
        roundId,
        referenceHash: record.reference ? registerReferenceHash(roundId, record.reference) : null,
        personHash: record.personKey ? registerPersonHash(roundId, record.personKey) : null,
        wardId,
      });
    }
    if (rows.length === 0) {
      const first = problems[0];
      // Every row problem is a key without values, so it can be named inside this message.
      const message = first
        ? messageKey("rounds:register.noUsableRowAt", { line: first.line, problem: `=${first.message}` })
        : "rounds:register.noUsableRow";
      throw new Refusal(message, { field: "file" });
    }
    tx.delete(pbRegisterRows).where(eq(pbRegisterRows.roundId, roundId)).run();
    const insert = tx
      .insert(pbRegisterRows)
      .values({
        roundId,
        referenceHash: sql.placeholder("referenceHash"),
        personHash: sql.placeholder("personHash"),
        wardId: sql.placeholder("wardId"),
      })
      .prepare();
    for (const row of rows) insert.run(row);
    problems.sort((a, b) => a.line - b.line);
    recordAudit(tx, {
      actor,
      action: "pb.register-uploaded",
      entityType: "pb_round",
      entityId: roundId,
      after: { fileName, rows: rows.length, problems: problems.length, columns },
    });
    return { rows: rows.length, problemCount: problems.length, problems: problems.slice(0, 50) };
  }, database);
}

export interface RegisterSummary {
  rows: number;
  matched: number;
  uploadedAt: string | null;
  uploadedBy: string | null;
}

export function registerSummary(roundId: number, database: Db = db()): RegisterSummary {
  const rows =
    database.select({ n: count() }).from(pbRegisterRows).where(eq(pbRegisterRows.roundId, roundId)).get()?.n ?? 0;
  const matched =
    database.select({ n: count() }).from(pbRegisterMatches).where(eq(pbRegisterMatches.roundId, roundId)).get()?.n ?? 0;
  const upload = database
    .select({ at: auditEvents.at, by: auditEvents.actorName })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entityType, "pb_round"),
        eq(auditEvents.entityId, String(roundId)),
        eq(auditEvents.action, "pb.register-uploaded"),
      ),
    )
    .orderBy(sql`${auditEvents.at} desc, ${auditEvents.id} desc`)
    .limit(1)
    .get();
  return { rows, matched, uploadedAt: upload?.at ?? null, uploadedBy: upload?.by ?? null };
}

// ---------------------------------------------------------------------------------------------
// The resident's side: matching one row.

export type RegisterMatchInput = { reference: string } | { postcode: string; dateOfBirth: string; surname: string };

const NO_MATCH =
  "We could not find you on the register for this round. Check what you typed against your letter or polling card.";
const ROW_TAKEN =
  "That register entry is already used by another account. If it is yours, contact the council to sort it out.";
const ROW_CLAIMED_AT_EVENT =
  "That register entry was already used to vote at a decision-day event. If that was not you, contact the council.";

/** A register row the typed values name, and whether it is matched online or claimed at an event. */
export interface RegisterCandidate {
  id: number;
  wardId: number | null;
  matchedOnline: boolean;
  claimedAtEvent: boolean;
}

/**
 * How the typed values are looked up: by the reference or by the person, as the keyed hash the
 * register keeps (null when what was typed cannot be normalised, so it matches nothing).
 */
export function registerLookup(
  roundId: number,
  input: RegisterMatchInput,
): { matchedBy: "reference" | "person"; hash: string | null } {
  if ("reference" in input) {
    const reference = normaliseRegisterReference(input.reference);
    return { matchedBy: "reference", hash: reference ? registerReferenceHash(roundId, reference) : null };
  }
  const key = registerPersonKey(input.postcode, input.dateOfBirth, input.surname);
  return { matchedBy: "person", hash: key ? registerPersonHash(roundId, key) : null };
}

/** The round's register rows the typed values name, each with whether it is already used, online or at an event. */
export function findRegisterCandidates(
  tx: Db,
  roundId: number,
  lookup: ReturnType<typeof registerLookup>,
): RegisterCandidate[] {
  if (!lookup.hash) return [];
  return tx
    .select({
      id: pbRegisterRows.id,
      wardId: pbRegisterRows.wardId,
      matchedOnline: sql<boolean>`${pbRegisterMatches.rowId} is not null`.mapWith(Boolean),
      claimedAtEvent: sql<boolean>`${pbRegisterEventClaims.rowId} is not null`.mapWith(Boolean),
    })
    .from(pbRegisterRows)
    .leftJoin(pbRegisterMatches, eq(pbRegisterMatches.rowId, pbRegisterRows.id))
    .leftJoin(pbRegisterEventClaims, eq(pbRegisterEventClaims.rowId, pbRegisterRows.id))
    .where(
      and(
        eq(pbRegisterRows.roundId, roundId),
        eq(lookup.matchedBy === "reference" ? pbRegisterRows.referenceHash : pbRegisterRows.personHash, lookup.hash),
      ),
    )
    .all();
}

/**
 * Matches a signed-in resident to one free row of the round's register, while voting is open.
 * Records which row serves the account and an audit event saying how it matched (never the typed
 * values). Wrong tries are limited per account and round. Returns false if already matched.
 */
export function matchRegister(
  actor: Actor,
  roundId: number,
  input: RegisterMatchInput,
  now = new Date(),
  database: Db = db(),
): boolean {
  const lookup = registerLookup(roundId, input);
  const matchedBy = lookup.matchedBy;
  let outcome: boolean | string;
  try {
    outcome = writeTransaction((tx): boolean | string => {
      const round = findRound(roundId, tx);
      if (!round) throw voteRefusal("There is no such round.", "not-found");
      if (round.voterRule !== "register") throw new Refusal("voting:msg.noRegister", { status: 409 });
      const closed = votingClosedReason(round, now.toISOString());
      if (closed) throw voteRefusal(closed, "closed");
      const mine = tx
        .select({ rowId: pbRegisterMatches.rowId })
        .from(pbRegisterMatches)
        .where(and(eq(pbRegisterMatches.roundId, roundId), eq(pbRegisterMatches.userId, actor.id)))
        .get();
      if (mine) return false;
      const failures =
        tx
          .select({ n: count() })
          .from(pbRegisterFailures)
          .where(
            and(
              eq(pbRegisterFailures.roundId, roundId),
              eq(pbRegisterFailures.userId, actor.id),
              gte(pbRegisterFailures.at, now.getTime() - REGISTER_FAILURE_WINDOW_MS),
            ),
          )
          .get()?.n ?? 0;
      if (failures >= REGISTER_MAX_FAILURES)
        throw voteRefusal(
          "Too many tries did not match the register. Try again tomorrow, or contact the council.",
          "rate-limited",
        );
      const candidates = findRegisterCandidates(tx, roundId, lookup);
      const free = candidates.find((c) => !c.matchedOnline && !c.claimedAtEvent);
      if (!free) {
        tx.insert(pbRegisterFailures).values({ roundId, userId: actor.id, at: now.getTime() }).run();
        // The failure is kept: the refusal is returned, not thrown, so the transaction commits.
        if (candidates.length === 0) return NO_MATCH;
        return candidates.some((c) => c.matchedOnline) ? ROW_TAKEN : ROW_CLAIMED_AT_EVENT;
      }
      tx.insert(pbRegisterMatches)
        .values({
          rowId: free.id,
          roundId,
          userId: actor.id,
          wardId: free.wardId,
          matchedBy,
          matchedAt: now.toISOString(),
        })
        .run();
      recordAudit(tx, {
        actor,
        action: "pb.register-matched",
        entityType: "pb_round",
        entityId: roundId,
        after: { matchedBy },
      });
      return true;
    }, database);
  } catch (error) {
    // A row claimed by another account between our read and our write (another process): one wins.
    if (isUniqueViolation(error) || isPrimaryKeyViolation(error)) throw new Refusal(ROW_TAKEN, { status: 409 });
    throw error;
  }
  if (typeof outcome === "string") throw new Refusal(outcome, { status: 422, code: "no-match" });
  return outcome;
}

export function isPrimaryKeyViolation(error: unknown): boolean {
  const codeOf = (e: unknown) => (typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined);
  const cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return codeOf(error) === "SQLITE_CONSTRAINT_PRIMARYKEY" || codeOf(cause) === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Whether the account is matched to a row of the round's register. */
export function hasRegisterMatch(userId: string, roundId: number, database: Db = db()): boolean {
  return registerQueries(database).match.get({ roundId, userId }) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// The vote: one indexed read (the unique index on round and user), in the cast's transaction.

function prepareRegisterQueries(database: Db) {
  return {
    match: database
      .select({ wardId: pbRegisterMatches.wardId })
      .from(pbRegisterMatches)
      .where(
        and(
          eq(pbRegisterMatches.roundId, sql.placeholder("roundId")),
          eq(pbRegisterMatches.userId, sql.placeholder("userId")),
        ),
      )
      .prepare(),
  };
}

const registerQueries = preparedPerConnection(prepareRegisterQueries);

function ruleDecision(round: Pick<RoundRow, "id" | "voterRule">, userId: string, database: Db): RuleDecision {
  if (round.voterRule !== "register") return decideByRule(round.voterRule, undefined);
  const match = registerQueries(database).match.get({ roundId: round.id, userId });
  return decideByRule("register", match ? match.wardId : undefined);
}

/**
 * The voter rule's check for an online cast, inside the cast's transaction. Under `register` it
 * reads the voter's match (one indexed read) and returns the ward to count them in; under `codes`
 * it refuses; under `account` it returns null and the account's postcode and age decide.
 */
export function checkOnlineVoterRule(
  tx: Db,
  round: Pick<RoundRow, "id" | "voterRule">,
  userId: string,
): { wardId: number | null } | null {
  const decision = ruleDecision(round, userId, tx);
  if (!decision.decided) return null;
  if (!decision.ok) throw voteRefusal(decision.message, decision.reason);
  return { wardId: decision.wardId };
}

export type RoundVoterStatus = Omit<VoterStatus, "state"> & {
  state: VoterStatus["state"] | "codes-only" | "needs-register-match";
};

type StatusRound = Parameters<typeof onlineVoterStatus>[1] & Pick<RoundRow, "voterRule">;

/** Whether a signed-in person may vote online in the round now, by its rule, and the message when not. */
export function roundVoterStatus(
  userId: string,
  round: StatusRound,
  now = new Date(),
  database: Db = db(),
): RoundVoterStatus {
  if (round.voterRule === "account") return onlineVoterStatus(userId, round, now, database);
  const base = { postcode: null, dateOfBirth: null };
  if (hasVotedOnline(round.id, userId, database)) return { state: "already-voted", message: ALREADY_VOTED, ...base };
  const closed = votingClosedReason(round, now.toISOString());
  if (closed) return { state: "closed", message: closed, ...base };
  const decision = ruleDecision(round, userId, database);
  if (decision.decided && !decision.ok) return { state: decision.reason, message: decision.message, ...base };
  return { state: "can-vote", message: null, ...base };
}
