/**
 * Progress updates between the award and the final report. A member of the funded group posts an
 * update (text and up to three JPEG or PNG photos, each with the poster's description of it for
 * people who cannot see it); an officer (an administrator) checks it and publishes it or sends it
 * back with a reason; the group is mailed the outcome; published updates appear on the project's
 * public page. Photos reach this module already stripped of their metadata (readUploadForm); their
 * files are written before the row that names them, and the update and its photos are written in one
 * transaction, so a crash leaves either a whole update or none (and at worst a file nothing names).
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import {
  acceptsDeliveryUpdates,
  ALT_TEXT_MAX,
  checkUpdatePhoto,
  decideUpdate,
  MAX_UPDATE_PHOTOS,
  SEND_BACK_REASON_MAX,
  UPDATE_BODY_MAX,
  UPDATE_BODY_MIN,
  type CheckDecision,
  type DeliveryUpdateStatus,
} from "~/core/grants/delivery-updates";
import type { BidStatus } from "~/core/bids/status";
import { formatDate } from "~/core/locale-format";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { bids, communityGroups, deliveryUpdatePhotos, deliveryUpdates, users } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { storedFilePath, storeUpload, type Upload } from "~/models/attachment-files.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import { isPublicBid } from "~/models/public-bids.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

export interface UpdatePhotoInput {
  upload: Upload;
  altText: string;
}

export interface DeliveryPhotoView {
  id: string;
  url: string;
  altText: string;
}

export interface DeliveryUpdateView {
  id: number;
  body: string;
  status: DeliveryUpdateStatus;
  postedAt: string;
  postedBy: string;
  checkedAt: string | null;
  checkedBy: string | null;
  sendBackReason: string | null;
  photos: DeliveryPhotoView[];
}

export const photoUrl = (photoId: string) => `/delivery-photos/${photoId}`;

function bidOf(database: Db, bidId: number) {
  return database
    .select({
      id: bids.id,
      reference: bids.reference,
      title: bids.title,
      status: bids.status,
      groupId: bids.groupId,
      groupName: communityGroups.name,
    })
    .from(bids)
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .where(eq(bids.id, bidId))
    .get();
}

/** The bid, for a member of its group; anyone else is told it is not there. */
function bidForMember(database: Db, user: Principal, bidId: number) {
  const bid = bidOf(database, bidId);
  if (!bid || !user.groupIds.includes(bid.groupId)) throw Refusal.notFound("Bid not found");
  return bid;
}

function photosOf(database: Db, updateIds: number[]): Map<number, DeliveryPhotoView[]> {
  const byUpdate = new Map<number, DeliveryPhotoView[]>();
  if (updateIds.length === 0) return byUpdate;
  const rows = database
    .select({
      id: deliveryUpdatePhotos.id,
      updateId: deliveryUpdatePhotos.updateId,
      altText: deliveryUpdatePhotos.altText,
    })
    .from(deliveryUpdatePhotos)
    .where(inArray(deliveryUpdatePhotos.updateId, updateIds))
    .orderBy(asc(deliveryUpdatePhotos.updateId), asc(deliveryUpdatePhotos.position))
    .all();
  for (const row of rows) {
    const list = byUpdate.get(row.updateId) ?? [];
    list.push({ id: row.id, url: photoUrl(row.id), altText: row.altText });
    byUpdate.set(row.updateId, list);
  }
  return byUpdate;
}

function updatesOf(database: Db, bidId: number, statuses?: DeliveryUpdateStatus[]): DeliveryUpdateView[] {
  const poster = users;
  const rows = database
    .select({
      id: deliveryUpdates.id,
      body: deliveryUpdates.body,
      status: deliveryUpdates.status,
      postedAt: deliveryUpdates.postedAt,
      postedBy: poster.name,
      checkedAt: deliveryUpdates.checkedAt,
      checkedById: deliveryUpdates.checkedBy,
      sendBackReason: deliveryUpdates.sendBackReason,
    })
    .from(deliveryUpdates)
    .innerJoin(poster, eq(poster.id, deliveryUpdates.postedBy))
    .where(
      statuses
        ? and(eq(deliveryUpdates.bidId, bidId), inArray(deliveryUpdates.status, statuses))
        : eq(deliveryUpdates.bidId, bidId),
    )
    .orderBy(desc(deliveryUpdates.postedAt), desc(deliveryUpdates.id))
    .all();
  const photos = photosOf(
    database,
    rows.map((r) => r.id),
  );
  return rows.map(({ checkedById, ...row }) => ({
    ...row,
    checkedBy: checkedById ? (userName(database, checkedById) ?? null) : null,
    photos: photos.get(row.id) ?? [],
  }));
}

function userName(database: Db, userId: string): string | undefined {
  return database.select({ name: users.name }).from(users).where(eq(users.id, userId)).get()?.name;
}

/** The group's page of updates on one of its bids: every update and its check, and whether a new one may be posted. */
export function deliveryUpdatesForMember(user: Principal, bidId: number, database: Db = db()) {
  const bid = bidForMember(database, user, bidId);
  return {
    bid: { id: bid.id, reference: bid.reference, title: bid.title, status: bid.status as BidStatus },
    open: acceptsDeliveryUpdates(bid.status as BidStatus),
    updates: updatesOf(database, bidId),
  };
}

function requireOpenForUpdates(database: Db, user: Principal, bidId: number) {
  const bid = bidForMember(database, user, bidId);
  if (!acceptsDeliveryUpdates(bid.status as BidStatus))
    throw Refusal.conflict("delivery:errors.notInDelivery", { code: "not-in-delivery" });
  return bid;
}

/**
 * Writes each photo's file, then (inside the last file's write) runs `record`; if `record` throws,
 * every file written for it is removed again (storeUpload does that for each, innermost first).
 */
function withStoredPhotos<T>(
  photos: readonly UpdatePhotoInput[],
  record: (stored: { storageKey: string; sha256: string }[]) => T,
  done: { storageKey: string; sha256: string }[] = [],
): T {
  const [first, ...rest] = photos;
  if (!first) return record(done);
  return storeUpload(first.upload, (stored) => withStoredPhotos(rest, record, [...done, stored]));
}

/**
 * Posts a progress update for a member of the bid's group while the grant is being delivered (from
 * the accepted offer until the bid closes). It waits for an officer's check before anyone else sees
 * it. Returns the update's id.
 */
export function postDeliveryUpdate(
  user: Principal,
  bidId: number,
  input: { body: string; photos: readonly UpdatePhotoInput[] },
  now = new Date(),
  database: Db = db(),
): number {
  requireOpenForUpdates(database, user, bidId);
  const body = input.body.trim();
  if (body.length < UPDATE_BODY_MIN) throw new Refusal("delivery:errors.bodyShort", { field: "body", status: 400 });
  if (body.length > UPDATE_BODY_MAX) throw new Refusal("delivery:errors.bodyLong", { field: "body", status: 400 });
  if (input.photos.length > MAX_UPDATE_PHOTOS)
    throw new Refusal("delivery:errors.tooManyPhotos", { field: "photo1", status: 400 });
  const checked = input.photos.map((photo, i) => {
    const check = checkUpdatePhoto(photo.upload);
    if (!check.ok) throw new Refusal(check.message, { field: `photo${i + 1}`, status: 400 });
    if (photo.altText.trim() === "")
      throw new Refusal("delivery:errors.altRequired", { field: `alt${i + 1}`, status: 400 });
    if (photo.altText.trim().length > ALT_TEXT_MAX)
      throw new Refusal("delivery:errors.altTooLong", { field: `alt${i + 1}`, status: 400 });
    return { ...check, altText: photo.altText.trim(), sizeBytes: photo.upload.sizeBytes };
  });
  return withStoredPhotos(input.photos, (stored) =>
    writeTransaction((tx) => {
      // Checked again inside the write lock: the bid may have closed, or the poster left the group.
      const bid = requireOpenForUpdates(tx, user, bidId);
      const at = now.toISOString();
      const update = tx
        .insert(deliveryUpdates)
        .values({ bidId, body, postedBy: user.id, postedAt: at })
        .returning({ id: deliveryUpdates.id })
        .get();
      const photoIds = checked.map((photo, i) => {
        const id = randomUUID();
        tx.insert(deliveryUpdatePhotos)
          .values({
            id,
            updateId: update.id,
            position: i + 1,
            fileName: photo.fileName,
            contentType: photo.contentType,
            sizeBytes: photo.sizeBytes,
            sha256: stored[i]!.sha256,
            storageKey: stored[i]!.storageKey,
            altText: photo.altText,
          })
          .run();
        return id;
      });
      recordAudit(tx, {
        actor: { id: user.id, name: user.name },
        action: "delivery-update.posted",
        entityType: "bid",
        entityId: bid.id,
        after: { updateId: update.id, photos: photoIds.length, status: "awaiting-check" },
      });
      return update.id;
    }, database),
  );
}

/** Updates waiting for an officer's check, oldest first. */
export function updatesAwaitingCheck(database: Db = db()) {
  return database
    .select({
      id: deliveryUpdates.id,
      postedAt: deliveryUpdates.postedAt,
      bidId: bids.id,
      reference: bids.reference,
      title: bids.title,
      groupName: communityGroups.name,
      postedBy: users.name,
    })
    .from(deliveryUpdates)
    .innerJoin(bids, eq(bids.id, deliveryUpdates.bidId))
    .innerJoin(communityGroups, eq(communityGroups.id, bids.groupId))
    .innerJoin(users, eq(users.id, deliveryUpdates.postedBy))
    .where(eq(deliveryUpdates.status, "awaiting-check"))
    .orderBy(asc(deliveryUpdates.postedAt), asc(deliveryUpdates.id))
    .all();
}

export function countUpdatesAwaitingCheck(database: Db = db()): number {
  return database.$client
    .prepare("select count(*) as n from delivery_updates where status = 'awaiting-check'")
    .pluck()
    .get() as number;
}

/** One update as the officer checking it sees it, with the bid and group it belongs to. */
export function updateForOfficer(updateId: number, database: Db = db()) {
  const row = database
    .select({ id: deliveryUpdates.id, bidId: deliveryUpdates.bidId, postedById: deliveryUpdates.postedBy })
    .from(deliveryUpdates)
    .where(eq(deliveryUpdates.id, updateId))
    .get();
  if (!row) throw Refusal.notFound("Update not found");
  const bid = bidOf(database, row.bidId)!;
  const update = updatesOf(database, row.bidId).find((u) => u.id === updateId)!;
  return {
    bid: { id: bid.id, reference: bid.reference, title: bid.title, groupName: bid.groupName },
    update,
    postedById: row.postedById,
  };
}

/**
 * An officer publishes an update or sends it back with a reason. Only an update still awaiting its
 * check moves (a conditional update on its status), so when two officers check the same update at
 * once, the first wins and the second is told who checked it. The group is mailed the outcome and
 * the check is in the audit trail.
 */
export function checkDeliveryUpdate(
  officer: Principal,
  updateId: number,
  decision: CheckDecision,
  now = new Date(),
  database: Db = db(),
): "published" | "sent-back" {
  if (!officer.roles.includes("admin")) throw Refusal.forbidden("Only officers check progress updates.");
  return writeTransaction((tx) => {
    const current = tx.select().from(deliveryUpdates).where(eq(deliveryUpdates.id, updateId)).get();
    if (!current) throw Refusal.notFound("Update not found");
    if (current.postedBy === officer.id)
      throw new Refusal("delivery:errors.ownUpdate", { status: 403, code: "own-update" });
    const move = decideUpdate(current.status, decision);
    if (!move.ok) {
      const field = move.message === "delivery:errors.reasonRequired" ? "reason" : "form";
      throw new Refusal(move.message, { field, status: field === "reason" ? 400 : 409, code: "already-checked" });
    }
    const reason = decision.action === "send-back" ? decision.reason.trim() : null;
    if (reason && reason.length > SEND_BACK_REASON_MAX)
      throw new Refusal("delivery:errors.reasonTooLong", { field: "reason", status: 400 });
    const at = now.toISOString();
    const changed = tx
      .update(deliveryUpdates)
      .set({ status: move.to, checkedBy: officer.id, checkedAt: at, sendBackReason: reason })
      .where(and(eq(deliveryUpdates.id, updateId), eq(deliveryUpdates.status, "awaiting-check")))
      .run().changes;
    if (changed !== 1) throw Refusal.conflict("delivery:errors.alreadyChecked", { code: "already-checked" });
    const bid = bidOf(tx, current.bidId)!;
    recordAudit(tx, {
      actor: { id: officer.id, name: officer.name },
      action: move.to === "published" ? "delivery-update.published" : "delivery-update.sent-back",
      entityType: "bid",
      entityId: bid.id,
      reason,
      before: { updateId, status: current.status },
      after: { updateId, status: move.to },
    });
    notifyUsers(tx, {
      userIds: groupMemberIds(tx, bid.groupId),
      topic: "bid-updates",
      subject: (t) =>
        t(move.to === "published" ? "delivery:mail.publishedSubject" : "delivery:mail.sentBackSubject", {
          reference: bid.reference,
        }),
      body: (t, language) => {
        const posted = formatDate(current.postedAt, language);
        return move.to === "published"
          ? t("delivery:mail.publishedBody", { title: bid.title, posted, url: `/projects/${bid.id}` })
          : t("delivery:mail.sentBackBody", { title: bid.title, posted, reason, url: `/bids/${bid.id}/updates` });
      },
    });
    return move.to;
  }, database);
}

/** The published updates of a bid whose page is public, newest first (none for a private bid). */
export function publishedDeliveryUpdates(bidId: number, database: Db = db()) {
  if (!isPublicBid(bidId, database)) return [];
  return updatesOf(database, bidId, ["published"]).map((u) => ({
    id: u.id,
    body: u.body,
    postedAt: u.postedAt,
    publishedAt: u.checkedAt!,
    photos: u.photos,
  }));
}

/** For each bid, how many updates are published and when the latest was posted. */
export function publishedUpdateSummaries(
  bidIds: readonly number[],
  database: Db = db(),
): Record<number, { count: number; latestPostedAt: string }> {
  if (bidIds.length === 0) return {};
  const rows = database
    .select({ bidId: deliveryUpdates.bidId, postedAt: deliveryUpdates.postedAt })
    .from(deliveryUpdates)
    .where(and(inArray(deliveryUpdates.bidId, [...bidIds]), eq(deliveryUpdates.status, "published")))
    .all();
  const summaries: Record<number, { count: number; latestPostedAt: string }> = {};
  for (const row of rows) {
    const s = summaries[row.bidId];
    if (!s) summaries[row.bidId] = { count: 1, latestPostedAt: row.postedAt };
    else {
      s.count += 1;
      if (row.postedAt > s.latestPostedAt) s.latestPostedAt = row.postedAt;
    }
  }
  return summaries;
}

/**
 * A photo's file, when `viewer` may see it: anyone once its update is published on a public bid
 * page; before that only the group's members and officers. Null otherwise (answered as not found,
 * so an unpublished photo's existence is not revealed).
 */
export function deliveryPhotoForViewer(viewer: Principal | null, photoId: string, database: Db = db()) {
  const row = database
    .select({
      fileName: deliveryUpdatePhotos.fileName,
      contentType: deliveryUpdatePhotos.contentType,
      storageKey: deliveryUpdatePhotos.storageKey,
      status: deliveryUpdates.status,
      bidId: deliveryUpdates.bidId,
      groupId: bids.groupId,
    })
    .from(deliveryUpdatePhotos)
    .innerJoin(deliveryUpdates, eq(deliveryUpdates.id, deliveryUpdatePhotos.updateId))
    .innerJoin(bids, eq(bids.id, deliveryUpdates.bidId))
    .where(eq(deliveryUpdatePhotos.id, photoId))
    .get();
  if (!row) return null;
  const isPublic = row.status === "published" && isPublicBid(row.bidId, database);
  const mayView =
    isPublic || Boolean(viewer && (viewer.roles.includes("admin") || viewer.groupIds.includes(row.groupId)));
  if (!mayView) return null;
  const path = storedFilePath(row.storageKey);
  if (!path) return null;
  return { path, fileName: row.fileName, contentType: row.contentType, isPublic };
}
