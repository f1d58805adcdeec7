/**
 * Closing, counting, ratifying and publishing a PB round.
 *
 * - `closeVoting` ends the vote (once voting has closed, or earlier by hand with a reason): the
 *   round moves to `counting` and the ballot box is shut.
 * - `openSealedBallots` (app/models/voting/ballot-key.server.ts) opens the online ballots with two
 *   officers' key shares and writes them as plain ballots; a round with sealed ballots left is not counted.
 * - `countRound` builds the published ballot file from the round's plain ballots
 *   (app/core/results/ballot-file.ts), counts it by the round's rule with the counting engine, and
 *   stores the file, its SHA-256, the report exactly as `npm run count -- ballots.json --format
 *   json --rule <rule> --tie project-id` prints it, and the other rule's report. Each winner gets a
 *   grant and an EARMARK from the round's pot; the bids become won or not won.
 * - `ratifyCount` (a different administrator from the one who counted) turns each EARMARK into a
 *   COMMIT with an approval; `releaseCount` RELEASEs them back to the pot and records why. Either
 *   publishes the result (phase `results`).
 *
 * Nobody sees a tally before then: until a count is published, the only numbers outside the admin
 * count page are turnout (app/core/results/turnout.ts).
 */
import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { countPb } from "~/core/counting/pb/count";
import { pbCaseFromValue } from "~/core/counting/pb/case-json";
import { pbElectionFrom } from "~/core/counting/pb/election";
import { CountingError } from "~/core/counting/errors";
import { transition } from "~/core/bids/status";
import { commitFromEarmark, earmark, londonDateOf, release } from "~/core/ledger";
import { BallotFileError, buildBallotFile, type RoundTieBreak } from "~/core/results/ballot-file";
import { buildRankedBallotFile, isRankedRule } from "~/core/results/ranked-ballot-file";
import { rankedView, type StoredRankedReport } from "~/core/results/ranked-view";
import { prepareCaseText } from "~/core/counting/case-text";
import { countPrepared } from "~/core/counting/rcv";
import {
  compareRules,
  resultView,
  type ResultProject,
  type ResultView,
  type StoredReport,
} from "~/core/results/report-view";
import type { Turnout } from "~/core/results/turnout";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import {
  approvals,
  bids,
  bidWards,
  funds,
  grants,
  journalEntries,
  pbBallots,
  pbCounts,
  pbProjects,
  pbRounds,
  roleGrants,
  users,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { postEntry } from "~/models/ledger.server";
import { createOffer } from "~/models/offers.server";
import {
  findRound,
  potBudgetId,
  projectsOnBallot,
  type BallotProject,
  type RoundRow,
} from "~/models/rounds/queries.server";
import {
  countedTurnout,
  countReconciliation,
  participationCounts,
  type ParticipationCounts,
} from "~/models/rounds/turnout.server";
import { sealedBallotCount } from "~/models/voting/ballot-key.server";
import { messageKey } from "~/core/messages/message-key";
import { Refusal } from "~/utils/refusal";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import { formatMoney } from "~/core/locale-format";
import { inLanguage } from "~/utils/mail-words";

export type CountRow = typeof pbCounts.$inferSelect;

/** The engine settles PB ties by project id; the ballot file's ids carry the round's own tie rule. */
export const ENGINE_TIE_RULE = "project-id";
const PUBLISHED_PHASES = ["results", "delivery", "closed"] as const;

export function grantIdFor(fundId: string, bidId: number): string {
  return `${fundId}-B${bidId}`;
}

function earmarkKey(roundId: number, bidId: number): string {
  return `pb-round-${roundId}-earmark-bid-${bidId}`;
}

export function findCount(roundId: number, database: Db = db()): CountRow | null {
  return database.select().from(pbCounts).where(eq(pbCounts.roundId, roundId)).get() ?? null;
}

/** The command that recounts the published file to the stored report, byte for byte. */
export function recountCommand(rule: string): string {
  // A ranked file carries its rules, so it is recounted without --rule.
  if (isRankedRule(rule)) return "npm run count -- ballots.json --format json";
  return `npm run count -- ballots.json --format json --rule ${rule} --tie ${ENGINE_TIE_RULE}`;
}

/** The queries the public results page runs on every request, built and prepared once per connection. */
function preparePageQueries(database: Db) {
  const { ballotFile: _file, report: _report, otherRuleReport: _other, ...head } = getTableColumns(pbCounts);
  return {
    round: database
      .select()
      .from(pbRounds)
      .where(eq(pbRounds.id, sql.placeholder("roundId")))
      .prepare(),
    countHead: database
      .select(head)
      .from(pbCounts)
      .where(eq(pbCounts.roundId, sql.placeholder("roundId")))
      .prepare(),
  };
}

const pageQueries = preparedPerConnection(preparePageQueries);

/** False once the round has left the voting phase: no ballot may be added after voting closes. */
export function ballotBoxOpen(roundId: number, database: Db = db()): boolean {
  return findRound(roundId, database)?.phase === "voting";
}

export function canCloseWithoutReason(round: RoundRow, now: Date): boolean {
  return Date.parse(round.votingClosesAt) <= now.getTime();
}

/** Ends voting: the round moves to counting. Before the closing time a reason is required. */
export function closeVoting(
  actor: Actor,
  roundId: number,
  reason: string | null,
  now = new Date(),
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    const round = findRound(roundId, tx);
    if (!round) throw new Refusal("admin:refusal.noRound");
    if (round.phase !== "voting") throw new Refusal("admin:refusal.closeOnlyVoting");
    const early = !canCloseWithoutReason(round, now);
    if (early && !reason) throw new Refusal("admin:refusal.closeEarlyReason", { field: "reason" });
    // Closing early moves the closing date to now, so the round's pages show when voting really closed.
    const closesAt = early ? { votingClosesAt: now.toISOString() } : {};
    tx.update(pbRounds)
      .set({ phase: "counting", ...closesAt })
      .where(eq(pbRounds.id, roundId))
      .run();
    recordAudit(tx, {
      actor,
      action: "pb-round.voting-closed",
      entityType: "pb_round",
      entityId: roundId,
      reason: reason ?? (early ? null : "Voting closing time passed"),
      before: { phase: round.phase },
      after: { phase: "counting", closedAt: now.toISOString(), early },
    });
  }, database);
}

function reportText(report: unknown): string {
  // Exactly what scripts/count.ts prints for --format json.
  return `${JSON.stringify(report, null, 2)}\n`;
}

function moveBid(tx: Db, actor: Actor, bid: BallotProject, event: "win" | "lose", now: Date, grantId: string | null) {
  const moved = transition("pb-round", bid.status, event);
  if (!moved.ok) throw new Refusal(`${bid.reference}: ${moved.reason}`);
  tx.update(bids)
    .set({
      status: moved.to,
      decidedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      ...(grantId ? { grantId } : {}),
    })
    .where(eq(bids.id, bid.bidId))
    .run();
  recordAudit(tx, {
    actor,
    action: `bid.${moved.to}`,
    entityType: "bid",
    entityId: bid.bidId,
    before: { status: bid.status },
    after: { status: moved.to, grantId },
  });
}

export interface CountOutcome {
  countId: number;
  sha256: string;
  winners: { bidId: number; grantId: string; pence: number }[];
}

/**
 * Counts a round whose voting is closed (phase counting). Everything (the stored count, grants,
 * EARMARKs, bid statuses, audit) is written in one transaction, so a refused EARMARK leaves nothing.
 */
export function countRound(actor: Actor, roundId: number, now = new Date(), database: Db = db()): CountOutcome {
  return writeTransaction((tx) => {
    const round = findRound(roundId, tx);
    if (!round) throw new Refusal("admin:refusal.noRound");
    if (round.phase !== "counting") throw new Refusal("admin:refusal.closeBeforeCounting");
    if (findCount(roundId, tx)) throw new Refusal("admin:refusal.alreadyCounted");
    const projects = projectsOnBallot(roundId, tx);
    if (projects.length === 0) throw new Refusal("admin:refusal.noProjects");
    const unpriced = projects.find((p) => p.amountPence === null);
    if (unpriced) throw new Refusal(messageKey("admin:refusal.projectHasNoCost", { reference: unpriced.reference }));
    if (sealedBallotCount(roundId, tx) > 0)
      throw new Refusal("admin:refusal.openSealedFirst", {
        field: "share1",
      });
    const ballots = tx
      .select({ ranking: pbBallots.ranking })
      .from(pbBallots)
      .where(eq(pbBallots.roundId, roundId))
      .all();
    let file;
    let report;
    let otherReport;
    let selected: string[];
    const rule = round.countingRule;
    try {
      const fileInput = {
        roundId,
        roundName: round.name,
        potPence: round.potPence,
        maxRanked: round.maxRanked,
        tieBreak: round.tieBreak as RoundTieBreak,
        rule: round.countingRule,
        projects: projects.map((p) => ({
          bidId: p.bidId,
          reference: p.reference,
          title: p.title,
          costPence: p.amountPence!,
          ballotPosition: p.ballotPosition!,
        })),
        ballots: ballots.map((b) => ({ ranking: JSON.parse(b.ranking) as number[] })),
      };
      if (isRankedRule(rule)) {
        // Counted exactly as `npm run count` reads the published file.
        file = buildRankedBallotFile({ ...fileInput, rule, seats: round.seats });
        const ranked = countPrepared(prepareCaseText(file.text).prepared);
        if (!("rounds" in ranked)) throw new Refusal("admin:refusal.rankedOnePass");
        report = ranked;
        otherReport = null;
        selected = ranked.winners;
      } else {
        file = buildBallotFile({ ...fileInput, rule });
        const election = pbElectionFrom(pbCaseFromValue(JSON.parse(file.text)));
        report = countPb(election, rule, ENGINE_TIE_RULE);
        otherReport = countPb(election, rule === "greedy" ? "mes" : "greedy", ENGINE_TIE_RULE);
        selected = report.selected;
      }
    } catch (error) {
      if (error instanceof BallotFileError || error instanceof CountingError)
        throw new Refusal(messageKey("admin:refusal.cannotCount", { detail: error.message }));
      throw error;
    }
    const countedAt = now.toISOString();
    const stored = tx
      .insert(pbCounts)
      .values({
        roundId,
        rule: round.countingRule,
        ballotFile: file.text,
        ballotFileSha256: file.sha256,
        report: reportText(report),
        otherRuleReport: otherReport ? reportText(otherReport) : null,
        countedBy: actor.id,
        countedAt,
      })
      .returning({ id: pbCounts.id })
      .get();
    const bidOfFileId = new Map([...file.projectIds.entries()].map(([bidId, id]) => [id, bidId]));
    const winnerIds = new Set(selected.map((id) => bidOfFileId.get(id)!));
    const today = londonDateOf(now);
    const winners: CountOutcome["winners"] = [];
    for (const project of projects) {
      if (!winnerIds.has(project.bidId)) {
        moveBid(tx, actor, project, "lose", now, null);
        continue;
      }
      const grantId = grantIdFor(round.fundId, project.bidId);
      const pence = project.amountPence!;
      const wardRows = tx
        .select({ wardId: bidWards.wardId })
        .from(bidWards)
        .where(eq(bidWards.bidId, project.bidId))
        .all();
      tx.insert(grants)
        .values({
          id: grantId,
          fundId: round.fundId,
          groupId: project.groupId,
          wardId: wardRows.length === 1 ? wardRows[0]!.wardId : null,
          title: project.title,
          summary: project.summary,
          amountRequestedPence: pence,
          amountAwardedPence: pence,
          awardDate: today,
        })
        .run();
      postEntry(
        {
          draft: earmark({
            grantId,
            sources: [{ budgetId: potBudgetId(round.fundId), pence }],
            memo: `${round.name}: ${project.reference} won the vote (provisional until ratified)`,
          }),
          idempotencyKey: earmarkKey(roundId, project.bidId),
          actor,
          effectiveDate: today,
          now,
        },
        tx,
      );
      moveBid(tx, actor, project, "win", now, grantId);
      winners.push({ bidId: project.bidId, grantId, pence });
    }
    recordAudit(tx, {
      actor,
      action: "pb-round.counted",
      entityType: "pb_round",
      entityId: roundId,
      after: {
        countId: stored.id,
        rule: round.countingRule,
        tieBreak: round.tieBreak,
        ballots: ballots.length,
        ballotFileSha256: file.sha256,
        winners: winners.map((w) => w.bidId),
        totalPence: winners.reduce((sum, w) => sum + w.pence, 0),
      },
    });
    return { countId: stored.id, sha256: file.sha256, winners };
  }, database);
}

/** The winners of a count with their grants and the EARMARK each holds. */
function countWinners(tx: Db, round: RoundRow) {
  const won = tx
    .select({ bidId: bids.id, reference: bids.reference, grantId: grants.id, pence: grants.amountAwardedPence })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .innerJoin(grants, eq(grants.id, sql`${round.fundId} || '-B' || ${bids.id}`))
    .where(eq(pbProjects.roundId, round.id))
    .orderBy(asc(bids.id))
    .all();
  return won.map((w) => {
    const entry = tx
      .select({ id: journalEntries.id })
      .from(journalEntries)
      .where(eq(journalEntries.idempotencyKey, earmarkKey(round.id, w.bidId)))
      .get();
    return { ...w, earmarkEntryId: entry?.id ?? null };
  });
}

function isAdmin(tx: Db, userId: string): boolean {
  return (
    tx
      .select({ id: roleGrants.id })
      .from(roleGrants)
      .where(and(eq(roleGrants.userId, userId), eq(roleGrants.role, "admin")))
      .get() !== undefined
  );
}

function countAwaitingDecision(tx: Db, roundId: number) {
  const round = findRound(roundId, tx);
  if (!round) throw new Refusal("admin:refusal.noRound");
  const count = findCount(roundId, tx);
  if (!count) throw new Refusal("admin:refusal.notCounted");
  if (count.status !== "counted")
    throw new Refusal(count.status === "ratified" ? "admin:refusal.countRatified" : "admin:refusal.countReleased");
  return { round, count };
}

/**
 * Ratifies a count: each winner's EARMARK becomes a COMMIT, approved by `approver` (an
 * administrator other than the one who ran the count) at the request of the counter. Publishes.
 */
export function ratifyCount(
  approver: Actor,
  roundId: number,
  input: { noInterestDeclared: boolean; note?: string | null },
  now = new Date(),
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    const { round, count } = countAwaitingDecision(tx, roundId);
    if (!isAdmin(tx, approver.id)) throw new Refusal("admin:refusal.ratifyAdmin");
    if (approver.id === count.countedBy) throw new Refusal("admin:refusal.ratifyOther");
    if (!input.noInterestDeclared) throw new Refusal("admin:count.declare", { field: "noInterest" });
    const reconciliation = countReconciliation(roundId, countParts(tx, count).ballots, tx);
    if (reconciliation.difference !== 0 && !input.note?.trim())
      throw new Refusal(`${reconciliation.reason}`, { field: "note" });
    const today = londonDateOf(now);
    const decidedAt = now.toISOString();
    const commitments = new Map<number, { entryId: string; approvalId: string }>();
    for (const winner of countWinners(tx, round)) {
      if (!winner.earmarkEntryId) throw new Refusal(`${winner.reference} has no earmark to commit.`);
      const approvalId = `pb-count-${count.id}-${winner.grantId}-commit`;
      tx.insert(approvals)
        .values({
          id: approvalId,
          entryType: "COMMIT",
          grantId: winner.grantId,
          requesterId: count.countedBy,
          approverId: approver.id,
          decidedAt,
          amountPence: winner.pence,
          noInterestDeclared: true,
          note: input.note ?? `Ratified the result of ${round.name}`,
        })
        .run();
      const posted = postEntry(
        {
          draft: commitFromEarmark({
            grantId: winner.grantId,
            earmarkEntryId: winner.earmarkEntryId,
            pence: winner.pence,
            memo: `${round.name}: ${winner.reference} ratified`,
          }),
          idempotencyKey: `pb-round-${roundId}-commit-bid-${winner.bidId}`,
          actor: approver,
          effectiveDate: today,
          approvalId,
          now,
        },
        tx,
      );
      commitments.set(winner.bidId, { entryId: posted.entryId, approvalId });
    }
    // Delivery: each winner gets a grant offer, paid and monitored exactly as a ward-budget grant is.
    const fund = tx.select().from(funds).where(eq(funds.id, round.fundId)).get()!;
    for (const winner of countWinners(tx, round)) {
      const bid = tx.select().from(bids).where(eq(bids.id, winner.bidId)).get()!;
      const commitment = commitments.get(bid.id)!;
      createOffer(tx, {
        bidId: bid.id,
        grantId: winner.grantId,
        amountPence: winner.pence,
        fund,
        title: bid.title,
        endOn: bid.endOn,
        schedule: "single",
        today,
        createdAt: decidedAt,
        commitment: { ...commitment, committedBy: approver.id },
      });
      notifyUsers(tx, {
        userIds: groupMemberIds(tx, bid.groupId),
        topic: "essential",
        subject: (t) => t("mail:won.subject", { reference: bid.reference }),
        body: (t, language) =>
          t("mail:won.body", {
            title: inLanguage(bid.title, bid.titleCy, language),
            round: inLanguage(round.name, round.nameCy, language),
            amount: formatMoney(winner.pence, language),
            id: bid.id,
          }),
      });
    }
    tx.update(pbCounts)
      .set({ status: "ratified", decidedBy: approver.id, decidedAt, decisionReason: input.note ?? null })
      .where(eq(pbCounts.id, count.id))
      .run();
    tx.update(pbRounds).set({ phase: "results", resultsAt: decidedAt }).where(eq(pbRounds.id, roundId)).run();
    recordAudit(tx, {
      actor: approver,
      action: "pb-round.result-ratified",
      entityType: "pb_round",
      entityId: roundId,
      reason: input.note ?? null,
      before: { phase: round.phase, status: "counted" },
      after: { phase: "results", status: "ratified", countId: count.id },
    });
  }, database);
}

/** Releases a count: the result is not adopted, every EARMARK returns to the pot, and the reason is published. */
export function releaseCount(
  actor: Actor,
  roundId: number,
  reason: string,
  now = new Date(),
  database: Db = db(),
): void {
  writeTransaction((tx) => {
    const { round, count } = countAwaitingDecision(tx, roundId);
    if (!isAdmin(tx, actor.id)) throw new Refusal("admin:refusal.releaseAdmin");
    if (reason.trim().length < 5) throw new Refusal("admin:count.releaseReason", { field: "reason" });
    const today = londonDateOf(now);
    const decidedAt = now.toISOString();
    for (const winner of countWinners(tx, round)) {
      if (!winner.earmarkEntryId) continue;
      postEntry(
        {
          draft: release({
            grantId: winner.grantId,
            earmarkEntryId: winner.earmarkEntryId,
            returns: [{ budgetId: potBudgetId(round.fundId), pence: winner.pence }],
            memo: `${round.name}: result not adopted`,
          }),
          idempotencyKey: `pb-round-${roundId}-release-bid-${winner.bidId}`,
          actor,
          effectiveDate: today,
          now,
        },
        tx,
      );
      tx.update(bids).set({ grantId: null, updatedAt: decidedAt }).where(eq(bids.id, winner.bidId)).run();
    }
    tx.update(pbCounts)
      .set({ status: "released", decidedBy: actor.id, decidedAt, decisionReason: reason })
      .where(eq(pbCounts.id, count.id))
      .run();
    tx.update(pbRounds).set({ phase: "results", resultsAt: decidedAt }).where(eq(pbRounds.id, roundId)).run();
    recordAudit(tx, {
      actor,
      action: "pb-round.result-released",
      entityType: "pb_round",
      entityId: roundId,
      reason,
      before: { phase: round.phase, status: "counted" },
      after: { phase: "results", status: "released", countId: count.id },
    });
  }, database);
}

/** The count of a round once its result is public (ratified or released, round in results or later); otherwise null. */
export function publishedCount(roundId: number, database: Db = db()): { round: RoundRow; count: CountRow } | null {
  const round = findRound(roundId, database);
  const count = findCount(roundId, database);
  if (!round || !count) return null;
  if (count.status === "counted" || !(PUBLISHED_PHASES as readonly string[]).includes(round.phase)) return null;
  return { round, count };
}

/**
 * Winners ready for a grant offer: only after the result is ratified. Bid ids, their grants and
 * the amounts committed.
 */
export function winnersOf(roundId: number, database: Db = db()): { bidId: number; grantId: string; pence: number }[] {
  const round = findRound(roundId, database);
  const count = findCount(roundId, database);
  if (!round || count?.status !== "ratified") return [];
  return countWinners(database, round).map(({ bidId, grantId, pence }) => ({ bidId, grantId, pence }));
}

/** A count without its ballot file and reports: the columns a page reads on every request. */
export type CountHead = Omit<CountRow, "ballotFile" | "report" | "otherRuleReport">;

/**
 * The parts of a stored count that never change once it is written: the projects of its ballot
 * file (with their bids), how many ballots the file holds, and the two reports, parsed. Getting
 * them means reading the ballot file, which holds every ballot of the round (megabytes for a big
 * round), so they are read once per count and process and kept, checked against the count's
 * stored SHA-256 each time they are used.
 */
interface CountParts {
  sha256: string;
  projects: ResultProject[];
  ballots: number;
  report: StoredReport;
  other: StoredReport | null;
  /** Set for a count by a ranked rule (IRV, STV, Scottish STV); `report` is then its PB-shaped summary. */
  ranked?: StoredRankedReport;
  /** Once the result is published the ballot box is shut for good, so the turnout is kept too. */
  publishedTurnout?: ParticipationCounts;
}

const countPartsCache = new WeakMap<object, Map<number, CountParts>>();

function countParts(database: Db, count: CountHead): CountParts {
  let byId = countPartsCache.get(database.$client);
  if (!byId) {
    byId = new Map();
    countPartsCache.set(database.$client, byId);
  }
  const kept = byId.get(count.id);
  if (kept && kept.sha256 === count.ballotFileSha256) return kept;
  const row = database
    .select({ ballotFile: pbCounts.ballotFile, report: pbCounts.report, otherRuleReport: pbCounts.otherRuleReport })
    .from(pbCounts)
    .where(eq(pbCounts.id, count.id))
    .get();
  if (!row) throw new Error(`No stored count ${count.id}`);
  const file = JSON.parse(row.ballotFile) as {
    projects?: { id: string; cost: string; name: string }[];
    /** A ranked rule's file lists the projects as `options` (app/core/results/ranked-ballot-file.ts). */
    options?: { id: string; cost: string; name: string }[];
    ballots: unknown[];
  };
  const parts: CountParts = {
    sha256: count.ballotFileSha256,
    projects: resultProjectsOf(database, file.projects ?? file.options ?? []),
    ballots: file.ballots.length,
    ...storedReports(count.rule, row.report),
    other: row.otherRuleReport ? (JSON.parse(row.otherRuleReport) as StoredReport) : null,
  };
  byId.set(count.id, parts);
  return parts;
}

/** A ranked report is also given the PB report's shape (winners as its selection) for what every page shows. */
function storedReports(rule: string, text: string): { report: StoredReport; ranked?: StoredRankedReport } {
  if (!isRankedRule(rule)) return { report: JSON.parse(text) as StoredReport };
  const ranked = JSON.parse(text) as StoredRankedReport;
  const report = { rule, selected: ranked.winners, rounds: [], tieBreaks: [] } as unknown as StoredReport;
  return { report, ranked };
}

function resultProjectsOf(database: Db, fileProjects: { id: string; cost: string; name: string }[]): ResultProject[] {
  const references = fileProjects.map((p) => p.id.replace(/^\d+:/, ""));
  const rows = references.length
    ? database
        .select({ id: bids.id, reference: bids.reference })
        .from(bids)
        .where(inArray(bids.reference, references))
        .all()
    : [];
  const bidIdOf = new Map(rows.map((r) => [r.reference, r.id]));
  return fileProjects.map((p, i) => {
    const [whole, part = ""] = p.cost.split(".");
    return {
      id: p.id,
      bidId: bidIdOf.get(references[i]!) ?? 0,
      reference: references[i]!,
      title: p.name,
      costPence: Number(whole) * 100 + Number(part.padEnd(2, "0")),
    };
  });
}

/** The winners of a ranked count in the shape every results page reads. */
function rankedSummaryView(report: StoredRankedReport, round: RoundRow, projects: ResultProject[]) {
  const view = rankedView(round.countingRule as never, round.seats, report, projects);
  return {
    rule: view.rule,
    winners: view.winners,
    totalPence: view.totalPence,
    leftOverPence: round.potPence - view.totalPence,
    potPence: round.potPence,
    greedyRows: [],
    mesRows: [],
    tieBreaks: view.tieBreaks,
  } satisfies ResultView;
}

/** What every page shows about a stored count, without who counted or decided. */
function resultSummary(round: RoundRow, count: CountHead, parts: CountParts) {
  return {
    status: count.status,
    rule: count.rule,
    otherRule: parts.other?.rule ?? null,
    tieBreak: round.tieBreak,
    ballots: parts.ballots,
    sha256: count.ballotFileSha256,
    countedAt: count.countedAt,
    decidedAt: count.decidedAt,
    decisionReason: count.decisionReason,
    view: parts.ranked
      ? rankedSummaryView(parts.ranked, round, parts.projects)
      : resultView(parts.report, parts.projects, round.potPence),
    ranked: parts.ranked ? rankedView(round.countingRule as never, round.seats, parts.ranked, parts.projects) : null,
    otherView: parts.other ? resultView(parts.other, parts.projects, round.potPence) : null,
    comparison: parts.other ? compareRules(parts.report, parts.other, parts.projects) : [],
    recountCommand: recountCommand(count.rule),
  };
}

/**
 * Everything a page shows about a stored count: the result, the steps, the other rule, the hash, who counted and
 * decided.
 */
export function countSummary(round: RoundRow, count: CountHead, database: Db = db()) {
  const names = database
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, [count.countedBy, ...(count.decidedBy ? [count.decidedBy] : [])]))
    .all();
  const nameOf = (id: string | null) => names.find((n) => n.id === id)?.name ?? null;
  const parts = countParts(database, count);
  return {
    ...resultSummary(round, count, parts),
    reconciliation: countReconciliation(round.id, parts.ballots, database),
    countedBy: nameOf(count.countedBy),
    countedById: count.countedBy,
    decidedBy: nameOf(count.decidedBy),
  };
}

export type CountSummary = ReturnType<typeof countSummary>;

/**
 * The public results page's data, or null until the result is published. Each request reads the
 * round and the count's small columns; the ballot file is read once per count and process (see
 * `countParts`), and the turnout is counted once, since a published round takes no more ballots
 * (its phase only moves forward, and the database accepts ballots only while voting or counting).
 */
export function publishedResults(
  roundId: number,
  database: Db = db(),
): { round: RoundRow; count: CountHead; summary: ReturnType<typeof resultSummary>; turnout: Turnout } | null {
  const queries = pageQueries(database);
  const round = queries.round.get({ roundId });
  if (!round || !(PUBLISHED_PHASES as readonly string[]).includes(round.phase)) return null;
  const count = queries.countHead.get({ roundId });
  if (!count || count.status === "counted") return null;
  const parts = countParts(database, count);
  parts.publishedTurnout ??= participationCounts(roundId, database);
  return {
    round,
    count,
    summary: resultSummary(round, count, parts),
    turnout: countedTurnout(parts.ballots, parts.publishedTurnout, database),
  };
}
