/** A round's public pages: the gallery, each project, and its photo. Nothing here names a person (group names only). */
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { inCostBand, isOnBallot, isWinningStatus, phaseIndex } from "~/core/rounds";
import { db, type Db } from "~/db/client.server";
import {
  attachments,
  bids,
  communityGroups,
  pbCounts,
  pbProjects,
  pbRoundWards,
  wards,
  type RoundPhase,
} from "~/db/schema";
import { attachmentsDir } from "~/models/bids.server";
import { areaLabel } from "~/models/rounds/lists.server";
import { findRound, wardsOfBids, type RoundRow } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";

export function resultsArePublished(round: RoundRow, database: Db = db()): boolean {
  if (!["results", "delivery", "closed"].includes(round.phase)) return false;
  const count = database.select({ status: pbCounts.status }).from(pbCounts).where(eq(pbCounts.roundId, round.id)).get();
  return count?.status === "ratified" || count?.status === "released";
}

/** Photo types served publicly (never SVG, which can carry script). */
const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];

/** Bid files live where the bid form stores them (ATTACHMENTS_DIR). */
const uploadsDir = () => attachmentsDir();

function firstImages(tx: Db, bidIds: number[]): Map<number, string> {
  const map = new Map<number, string>();
  if (bidIds.length === 0) return map;
  const rows = tx
    .select({ bidId: attachments.bidId, id: attachments.id, storageKey: attachments.storageKey })
    .from(attachments)
    .where(
      and(
        inArray(attachments.bidId, bidIds),
        eq(attachments.purpose, "bid"),
        isNull(attachments.removedAt),
        inArray(attachments.contentType, PHOTO_TYPES),
      ),
    )
    .orderBy(asc(attachments.uploadedAt), asc(attachments.id))
    .all();
  for (const r of rows)
    if (!map.has(r.bidId) && fs.existsSync(path.join(uploadsDir(), path.basename(r.storageKey))))
      map.set(r.bidId, r.id);
  return map;
}

export interface GalleryFilters {
  wardId: number | null;
  band: string | null;
}

function isOnBallotPhase(phase: RoundPhase) {
  return phaseIndex(phase) >= phaseIndex("voting");
}

/** The public gallery of a round: projects (on the ballot once voting opens), filters, and published reviews. */
export function roundGallery(roundId: number, filters: GalleryFilters, database: Db = db()) {
  const round = findRound(roundId, database);
  if (!round || round.phase === "draft") return null;
  const onBallot = isOnBallotPhase(round.phase);
  const rows = database
    .select({
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      summary: bids.summary,
      amountPence: bids.amountPence,
      status: bids.status,
      groupName: communityGroups.name,
      eligibility: pbProjects.eligibility,
      eligibilityReason: pbProjects.eligibilityReason,
      mergedIntoBidId: pbProjects.mergedIntoBidId,
      ballotPosition: pbProjects.ballotPosition,
      deliveryStatus: pbProjects.deliveryStatus,
    })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .where(and(eq(pbProjects.roundId, roundId), sql`${bids.status} <> 'withdrawn'`))
    .orderBy(sql`${pbProjects.ballotPosition} is null`, asc(pbProjects.ballotPosition), asc(bids.id))
    .all();
  const wardMap = wardsOfBids(
    database,
    rows.map((r) => r.bidId),
  );
  const withWards = rows.map((r) => ({ ...r, amountPence: r.amountPence ?? 0, wards: wardMap.get(r.bidId) ?? [] }));
  const shown = withWards.filter((r) =>
    onBallot ? isOnBallot(r) : r.eligibility !== "ineligible" && r.mergedIntoBidId === null,
  );
  const images = onBallot
    ? firstImages(
        database,
        shown.map((r) => r.bidId),
      )
    : new Map<number, string>();
  const titles = new Map(withWards.map((r) => [r.bidId, r.title]));
  const projects = shown
    .filter((r) => filters.wardId === null || r.wards.some((w) => w.id === filters.wardId))
    .filter((r) => inCostBand(r.amountPence, filters.band))
    .map((r) => ({
      bidId: r.bidId,
      reference: r.reference,
      title: r.title,
      summary: r.summary,
      amountPence: r.amountPence,
      groupName: r.groupName,
      wards: r.wards.map((w) => w.name),
      ballotPosition: onBallot ? r.ballotPosition : null,
      hasImage: images.has(r.bidId),
      won: isWinningStatus(r.status),
    }));
  const notOnBallot = withWards
    .filter((r) => r.eligibility === "ineligible" || r.mergedIntoBidId !== null)
    .map((r) => ({
      bidId: r.bidId,
      reference: r.reference,
      title: r.title,
      groupName: r.groupName,
      reason: r.eligibilityReason ?? "",
      mergedInto:
        r.mergedIntoBidId !== null ? { bidId: r.mergedIntoBidId, title: titles.get(r.mergedIntoBidId) ?? "" } : null,
    }));
  const area = areaLabel(database, roundId);
  const areaWards = database
    .select({ id: wards.id, name: wards.name })
    .from(pbRoundWards)
    .innerJoin(wards, eq(wards.id, pbRoundWards.wardId))
    .where(eq(pbRoundWards.roundId, roundId))
    .orderBy(asc(wards.name))
    .all();
  return {
    round: {
      id: round.id,
      name: round.name,
      description: round.description,
      nameCy: round.nameCy,
      descriptionCy: round.descriptionCy,
      phase: round.phase,
      potPence: round.potPence,
      maxRanked: round.maxRanked,
      minVoterAge: round.minVoterAge,
      bidsOpenAt: round.bidsOpenAt,
      bidsCloseAt: round.bidsCloseAt,
      votingOpensAt: round.votingOpensAt,
      votingClosesAt: round.votingClosesAt,
      resultsAt: round.resultsAt,
      ...area,
    },
    onBallot,
    totalProjects: shown.length,
    projects,
    notOnBallot,
    wardOptions: areaWards,
    turnout: onBallot ? roundTurnout(roundId, database).total : null,
    resultsPublished: resultsArePublished(round, database),
  };
}

/** One project of a round for its public page, or null when it is not shown publicly. */
export function publicProject(roundId: number, bidId: number, database: Db = db()) {
  const round = findRound(roundId, database);
  if (!round || round.phase === "draft") return null;
  const row = database
    .select({
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      summary: bids.summary,
      description: bids.description,
      amountPence: bids.amountPence,
      beneficiaries: bids.beneficiaries,
      beneficiaryCount: bids.beneficiaryCount,
      status: bids.status,
      groupName: communityGroups.name,
      eligibility: pbProjects.eligibility,
      eligibilityReason: pbProjects.eligibilityReason,
      mergedIntoBidId: pbProjects.mergedIntoBidId,
      ballotPosition: pbProjects.ballotPosition,
      deliveryStatus: pbProjects.deliveryStatus,
      deliveryNote: pbProjects.deliveryNote,
      deliveryUpdatedAt: pbProjects.deliveryUpdatedAt,
    })
    .from(pbProjects)
    .innerJoin(bids, eq(bids.id, pbProjects.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .where(and(eq(pbProjects.roundId, roundId), eq(pbProjects.bidId, bidId), sql`${bids.status} <> 'withdrawn'`))
    .get();
  if (!row) return null;
  const onBallot = isOnBallotPhase(round.phase) && isOnBallot(row);
  const image = onBallot ? firstImages(database, [bidId]).has(bidId) : false;
  const mergedInto =
    row.mergedIntoBidId !== null
      ? (database
          .select({ bidId: bids.id, title: bids.title })
          .from(bids)
          .where(eq(bids.id, row.mergedIntoBidId))
          .get() ?? null)
      : null;
  const won = isWinningStatus(row.status);
  return {
    round: { id: round.id, name: round.name, phase: round.phase },
    project: {
      bidId: row.bidId,
      reference: row.reference,
      title: row.title,
      summary: row.summary,
      description: row.description,
      amountPence: row.amountPence ?? 0,
      beneficiaries: row.beneficiaries,
      beneficiaryCount: row.beneficiaryCount,
      groupName: row.groupName,
      wards: (wardsOfBids(database, [bidId]).get(bidId) ?? []).map((w) => w.name),
      eligibility: row.eligibility,
      eligibilityReason:
        row.eligibility === "ineligible" || row.mergedIntoBidId !== null ? row.eligibilityReason : null,
      mergedInto,
      ballotPosition: onBallot ? row.ballotPosition : null,
      onBallot,
      hasImage: image,
      won,
      delivery: won
        ? { status: row.deliveryStatus ?? "Not started", note: row.deliveryNote, updatedAt: row.deliveryUpdatedAt }
        : null,
    },
    resultsPublished: resultsArePublished(round, database),
  };
}

/** The first image of a project on the ballot, for the public photo route; null otherwise. */
export function publicProjectImage(
  roundId: number,
  bidId: number,
  database: Db = db(),
): { contentType: string; bytes: Buffer } | null {
  const found = publicProject(roundId, bidId, database);
  if (!found?.project.onBallot) return null;
  const id = firstImages(database, [bidId]).get(bidId);
  if (!id) return null;
  const file = database.select().from(attachments).where(eq(attachments.id, id)).get()!;
  return {
    contentType: file.contentType,
    bytes: fs.readFileSync(path.join(uploadsDir(), path.basename(file.storageKey))),
  };
}
