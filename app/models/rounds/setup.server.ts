/**
 * Setting a PB round up: its fund (kind pb-round), its single pot budget and its area, and
 * changing its settings within what its phase still allows. The pure rules are in core/rounds.
 */
import { asc, eq, like, sql } from "drizzle-orm";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import { editableRoundDates, potIsLocked, roundDateErrors, rulesAreLocked } from "~/core/rounds";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { budgets, funds, pbRounds, pbRoundWards, wards } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { potBudgetId, requireRound, roundWardIds, type RoundRow } from "~/models/rounds/queries.server";
import { Refusal } from "~/utils/refusal";

export type CountingRule = "greedy" | "mes" | "mes-add1" | "irv" | "stv" | "scottish-stv";
export type TieBreakRule = "project-id" | "lowest-cost" | "ballot-order";

export interface RoundInput {
  name: string;
  description: string;
  /** Welsh versions of the name and description (null or absent: English only). */
  nameCy?: string | null;
  descriptionCy?: string | null;
  /** The wards of the area; empty means every ward of the council. */
  wardIds: number[];
  potPence: number;
  minBidPence: number;
  maxBidPence: number;
  bidsOpenAt: string;
  bidsCloseAt: string;
  votingOpensAt: string;
  votingClosesAt: string;
  resultsAt: string | null;
  maxRanked: number;
  minVoterAge: number;
  countingRule: CountingRule;
  tieBreak: TieBreakRule;
  /** Places to fill under STV and Scottish STV (default 1; IRV always fills one). */
  seats?: number;
}

function inputErrors(input: RoundInput): Record<string, string> {
  const errors: Record<string, string> = { ...roundDateErrors(input) };
  if (input.maxBidPence < input.minBidPence) errors.maxBid = "admin:roundErrors.maxBelowMin";
  else if (input.maxBidPence > input.potPence) errors.maxBid = "admin:roundErrors.maxAbovePot";
  return errors;
}

/** IRV fills one place; the other rules keep the seats given (1 when none). */
function seatsOf(input: RoundInput): number {
  return input.countingRule === "stv" || input.countingRule === "scottish-stv" ? (input.seats ?? 1) : 1;
}

function firstError(errors: Record<string, string>): Refusal | null {
  const [field, message] = Object.entries(errors)[0] ?? [];
  return field && message ? new Refusal(message, { field }) : null;
}

function fundIdFor(tx: Db, fy: string): string {
  const base = `PB-${fy.replace("/", "-")}`;
  const taken = new Set(
    tx
      .select({ id: funds.id })
      .from(funds)
      .where(like(funds.id, `${base}-%`))
      .all()
      .map((f) => f.id),
  );
  let n = taken.size + 1;
  while (taken.has(`${base}-${String(n).padStart(2, "0")}`)) n += 1;
  return `${base}-${String(n).padStart(2, "0")}`;
}

function areaWardIds(tx: Db, wardIds: readonly number[]): number[] {
  const all = tx
    .select({ id: wards.id })
    .from(wards)
    .orderBy(asc(wards.id))
    .all()
    .map((w) => w.id);
  if (wardIds.length === 0) return all;
  const unknown = wardIds.filter((id) => !all.includes(id));
  if (unknown.length > 0) throw new Refusal("admin:roundErrors.wards", { field: "wardIds" });
  return [...new Set(wardIds)].sort((a, b) => a - b);
}

/** Creates the round in draft with its fund (kind pb-round) and its single pot budget; returns the round id. */
export function createRound(user: Actor, input: RoundInput, database: Db = db()): number {
  const refusal = firstError(inputErrors(input));
  if (refusal) throw refusal;
  return writeTransaction((tx) => {
    const fy = financialYearOf(londonDateOf(new Date(input.votingClosesAt)));
    const fundId = fundIdFor(tx, fy);
    const area = areaWardIds(tx, input.wardIds);
    tx.insert(funds)
      .values({
        id: fundId,
        kind: "pb-round",
        name: input.name,
        nameCy: input.nameCy ?? null,
        fy,
        potPence: input.potPence,
        minGrantPence: input.minBidPence,
        maxGrantPence: input.maxBidPence,
        criteria: input.description,
        criteriaCy: input.descriptionCy ?? null,
        opensOn: londonDateOf(new Date(input.bidsOpenAt)),
        closesOn: londonDateOf(new Date(input.bidsCloseAt)),
        createdBy: user.id,
      })
      .run();
    tx.insert(budgets)
      .values({ id: potBudgetId(fundId), fundId, wardId: null, name: `${input.name}: pot` })
      .run();
    const round = tx
      .insert(pbRounds)
      .values({
        fundId,
        name: input.name,
        description: input.description,
        nameCy: input.nameCy ?? null,
        descriptionCy: input.descriptionCy ?? null,
        potPence: input.potPence,
        minBidPence: input.minBidPence,
        maxBidPence: input.maxBidPence,
        phase: "draft",
        bidsOpenAt: input.bidsOpenAt,
        bidsCloseAt: input.bidsCloseAt,
        votingOpensAt: input.votingOpensAt,
        votingClosesAt: input.votingClosesAt,
        resultsAt: input.resultsAt,
        maxRanked: input.maxRanked,
        minVoterAge: input.minVoterAge,
        countingRule: input.countingRule,
        tieBreak: input.tieBreak,
        seats: seatsOf(input),
        createdBy: user.id,
      })
      .returning({ id: pbRounds.id })
      .get();
    for (const wardId of area) tx.insert(pbRoundWards).values({ roundId: round.id, wardId }).run();
    recordAudit(tx, {
      actor: user,
      action: "round.created",
      entityType: "pb_round",
      entityId: round.id,
      after: { ...input, wardIds: area, fundId },
    });
    return round.id;
  }, database);
}

/**
 * Changes a round's settings. The pot is fixed once the round opens (it is in the ledger); the
 * rules voters vote under are fixed once voting opens, except that while voting runs the closing
 * date may still move to a time to come. Both are refused here, not only on the page.
 */
export function updateRound(
  user: Actor,
  roundId: number,
  given: RoundInput,
  database: Db = db(),
  now: Date = new Date(),
): void {
  writeTransaction((tx) => {
    const round = requireRound(roundId, tx);
    const before = roundInput(tx, round);
    // A caller that does not mention the Welsh versions leaves them as they are.
    const input: RoundInput = {
      ...given,
      nameCy: given.nameCy === undefined ? before.nameCy : given.nameCy,
      descriptionCy: given.descriptionCy === undefined ? before.descriptionCy : given.descriptionCy,
    };
    const locked = rulesAreLocked(round.phase);
    const changed = (Object.keys(input) as (keyof RoundInput)[]).filter(
      (k) => JSON.stringify(input[k]) !== JSON.stringify(before[k]),
    );
    const lockedFields: (keyof RoundInput)[] = [
      "potPence",
      "minBidPence",
      "maxBidPence",
      "wardIds",
      "maxRanked",
      "minVoterAge",
      "countingRule",
      "tieBreak",
      "seats",
      "votingOpensAt",
      "votingClosesAt",
      "bidsOpenAt",
      "bidsCloseAt",
    ];
    const editableDates: readonly string[] = editableRoundDates(round.phase);
    if (locked) {
      const blocked = changed.filter((k) => lockedFields.includes(k) && !editableDates.includes(k));
      if (blocked.length > 0) {
        throw new Refusal(
          editableDates.includes("votingClosesAt") ? "admin:refusal.rulesFixedVoting" : "admin:refusal.rulesFixed",
        );
      }
      if (changed.includes("votingClosesAt") && input.votingClosesAt <= now.toISOString()) {
        throw new Refusal("admin:refusal.closeInFuture", {
          field: "votingClosesAt",
        });
      }
    }
    if (potIsLocked(round.phase) && input.potPence !== round.potPence) {
      throw new Refusal("admin:refusal.potInLedger", {
        field: "pot",
      });
    }
    const refusal = firstError(inputErrors(input));
    if (refusal) throw refusal;
    if (changed.length === 0) return;
    const area = areaWardIds(tx, input.wardIds);
    tx.update(pbRounds)
      .set({
        name: input.name,
        description: input.description,
        nameCy: input.nameCy ?? null,
        descriptionCy: input.descriptionCy ?? null,
        potPence: input.potPence,
        minBidPence: input.minBidPence,
        maxBidPence: input.maxBidPence,
        bidsOpenAt: input.bidsOpenAt,
        bidsCloseAt: input.bidsCloseAt,
        votingOpensAt: input.votingOpensAt,
        votingClosesAt: input.votingClosesAt,
        resultsAt: input.resultsAt,
        maxRanked: input.maxRanked,
        minVoterAge: input.minVoterAge,
        countingRule: input.countingRule,
        tieBreak: input.tieBreak,
        seats: seatsOf(input),
      })
      .where(eq(pbRounds.id, roundId))
      .run();
    tx.update(funds)
      .set({
        name: input.name,
        nameCy: input.nameCy ?? null,
        potPence: input.potPence,
        minGrantPence: input.minBidPence,
        maxGrantPence: input.maxBidPence,
        criteria: input.description,
        criteriaCy: input.descriptionCy ?? null,
        opensOn: londonDateOf(new Date(input.bidsOpenAt)),
        closesOn: londonDateOf(new Date(input.bidsCloseAt)),
      })
      .where(eq(funds.id, round.fundId))
      .run();
    if (changed.includes("wardIds")) {
      tx.delete(pbRoundWards).where(eq(pbRoundWards.roundId, roundId)).run();
      for (const wardId of area) tx.insert(pbRoundWards).values({ roundId, wardId }).run();
    }
    const pick = (v: RoundInput) => Object.fromEntries(changed.map((k) => [k, v[k]]));
    recordAudit(tx, {
      actor: user,
      action: "round.updated",
      entityType: "pb_round",
      entityId: roundId,
      before: pick(before),
      after: pick(input),
    });
  }, database);
}

export function roundInput(tx: Db, round: RoundRow): RoundInput {
  const area = roundWardIds(round.id, tx);
  const all = tx
    .select({ n: sql<number>`count(*)` })
    .from(wards)
    .get()!.n;
  return {
    name: round.name,
    description: round.description,
    nameCy: round.nameCy,
    descriptionCy: round.descriptionCy,
    wardIds: area.length === all ? [] : area,
    potPence: round.potPence,
    minBidPence: round.minBidPence,
    maxBidPence: round.maxBidPence,
    bidsOpenAt: round.bidsOpenAt,
    bidsCloseAt: round.bidsCloseAt,
    votingOpensAt: round.votingOpensAt,
    votingClosesAt: round.votingClosesAt,
    resultsAt: round.resultsAt,
    maxRanked: round.maxRanked,
    minVoterAge: round.minVoterAge,
    countingRule: round.countingRule,
    tieBreak: round.tieBreak,
    seats: round.seats,
  };
}
