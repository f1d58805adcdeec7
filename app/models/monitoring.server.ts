/**
 * Monitoring: once a paid project's end date has passed, a report is due (the bid moves to
 * monitoring-due); the group says what was done, what was spent against each budget line and how
 * many people took part; reminders go by mail, at most once a week, to members who have not turned
 * reminders off. A submitted report closes the bid unless an instalment still waits for it.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { checkPhotoUpload, PHOTO_WINDOW_DAYS, reminderDue, transition, type BidStatus } from "~/core/bids";
import { londonDateOf } from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { attachments, bids, monitoringReports } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { storeUpload, type Upload } from "~/models/attachment-files.server";
import { promptUnderspendClawback } from "~/models/clawbacks.server";
import { latestVersion } from "~/models/decisions.server";
import { groupMemberIds, notifyUsers } from "~/models/notifications.server";
import { formatDate, formatMoney } from "~/core/locale-format";
import { waitingInstalments } from "~/models/instalments.server";
import type { Principal } from "~/utils/auth.server";
import { transition as transitionGrant } from "~/core/grants";
import { grantStateOfBid, transitionOrRefuse } from "~/models/grant-state.server";
import { Refusal } from "~/utils/refusal";

const SYSTEM = { id: "system", name: "Wardfund reminders" };

/** Paid bids whose project has ended get a monitoring report due (and status monitoring-due). */
export function openDueMonitoring(now = new Date(), database: Db = db()): number[] {
  const today = londonDateOf(now);
  return writeTransaction((tx) => {
    const ended = tx
      .select()
      .from(bids)
      .where(and(eq(bids.status, "paid"), lte(bids.endOn, today)))
      .all();
    const opened: number[] = [];
    for (const bid of ended) {
      if (tx.select().from(monitoringReports).where(eq(monitoringReports.bidId, bid.id)).get()) continue;
      const move = transition("ward-budget", bid.status as BidStatus, "request-monitoring");
      if (!move.ok) continue;
      tx.insert(monitoringReports).values({ bidId: bid.id, dueOn: bid.endOn! }).run();
      tx.update(bids).set({ status: move.to, updatedAt: now.toISOString() }).where(eq(bids.id, bid.id)).run();
      recordAudit(tx, {
        actor: SYSTEM,
        action: "bid.monitoring-due",
        entityType: "bid",
        entityId: bid.id,
        before: { status: bid.status },
        after: { status: move.to, dueOn: bid.endOn },
      });
      opened.push(bid.id);
    }
    return opened;
  }, database);
}

/**
 * Opens reports that have fallen due, then reminds each group whose report is outstanding (at
 * most weekly). Returns the ids of the bids reminded. Run daily (scripts/reminders.ts, server start).
 */
export function sendMonitoringReminders(now = new Date(), database: Db = db()): number[] {
  openDueMonitoring(now, database);
  const today = londonDateOf(now);
  return writeTransaction((tx) => {
    const open = tx
      .select({ report: monitoringReports, bid: bids })
      .from(monitoringReports)
      .innerJoin(bids, eq(bids.id, monitoringReports.bidId))
      .where(and(isNull(monitoringReports.submittedAt), eq(bids.status, "monitoring-due")))
      .all();
    const reminded: number[] = [];
    for (const { report, bid } of open) {
      if (
        !reminderDue({
          dueOn: report.dueOn,
          submitted: false,
          lastReminderOn: report.lastReminderAt?.slice(0, 10) ?? null,
          today,
        })
      )
        continue;
      notifyUsers(tx, {
        userIds: groupMemberIds(tx, bid.groupId),
        topic: "reminders",
        subject: (t) => t("mail:monitoring.reminderSubject", { reference: bid.reference }),
        body: (t, language) =>
          t("mail:monitoring.reminderBody", { title: bid.title, date: formatDate(report.dueOn, language), id: bid.id }),
      });
      tx.update(monitoringReports)
        .set({ lastReminderAt: now.toISOString(), reminders: sql`${monitoringReports.reminders} + 1` })
        .where(eq(monitoringReports.id, report.id))
        .run();
      reminded.push(bid.id);
    }
    return reminded;
  }, database);
}

function reportFor(database: Db, user: Principal, bidId: number) {
  const bid = database.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid || !user.groupIds.includes(bid.groupId)) throw new Refusal("Bid not found", { status: 404 });
  const report = database
    .select()
    .from(monitoringReports)
    .where(eq(monitoringReports.bidId, bidId))
    .orderBy(asc(monitoringReports.id))
    .get();
  return { bid, report };
}

/** The monitoring form's data, for a member of the group. */
export function monitoringForMember(user: Principal, bidId: number, database: Db = db()) {
  let found;
  try {
    found = reportFor(database, user, bidId);
  } catch {
    throw Refusal.notFound("Bid not found");
  }
  const { bid, report } = found;
  const version = latestVersion(database, bidId);
  const spend = report?.spend ? (JSON.parse(report.spend) as { lineNo: number; actualPence: number }[]) : [];
  return {
    bid: { id: bid.id, reference: bid.reference, title: bid.title, status: bid.status as BidStatus, endOn: bid.endOn },
    report: report
      ? {
          dueOn: report.dueOn,
          whatWasDone: report.whatWasDone,
          peopleReached: report.peopleReached,
          submittedAt: report.submittedAt,
          spend,
        }
      : null,
    lines: version?.budgetLines ?? [],
    photos: livePhotos(database, bidId).map((p) => ({ id: p.id, fileName: p.fileName, isPublic: p.isPublic })),
  };
}

export interface MonitoringInput {
  whatWasDone: string;
  peopleReached: number;
  /** Actual spend by budget line number. */
  spend: { lineNo: number; actualPence: number }[];
}

/**
 * The group submits its report; when it shows less spent than was paid, finance is prompted to
 * consider a clawback (models/clawbacks.server.ts), in the same transaction.
 */
export function submitMonitoringReport(
  user: Principal,
  bidId: number,
  input: MonitoringInput,
  now = new Date(),
  database: Db = db(),
): BidStatus {
  return writeTransaction((tx) => {
    const status = recordMonitoringReport(user, bidId, input, now, tx);
    promptUnderspendClawback(tx, bidId, { id: user.id, name: user.name });
    return status;
  }, database);
}

/** Stores the group's report; the bid closes unless a later instalment still waits for it. */
function recordMonitoringReport(
  user: Principal,
  bidId: number,
  input: MonitoringInput,
  now: Date,
  database: Db,
): BidStatus {
  return writeTransaction((tx) => {
    const { bid, report } = reportFor(tx, user, bidId);
    if (!report || bid.status !== "monitoring-due")
      throw new Refusal("No monitoring report is due for this bid yet.", { status: 409 });
    if (report.submittedAt) throw new Refusal("The monitoring report has already been sent.", { status: 409 });
    const grant = grantStateOfBid(tx, bidId);
    const lines = latestVersion(tx, bidId)?.budgetLines ?? [];
    const spend = lines.map((l) => ({
      lineNo: l.lineNo,
      description: l.description,
      budgetPence: l.amountPence,
      actualPence: input.spend.find((s) => s.lineNo === l.lineNo)?.actualPence ?? 0,
    }));
    const at = now.toISOString();
    tx.update(monitoringReports)
      .set({
        whatWasDone: input.whatWasDone,
        peopleReached: input.peopleReached,
        spend: JSON.stringify(spend),
        submittedAt: at,
        submittedBy: user.id,
      })
      .where(eq(monitoringReports.id, report.id))
      .run();
    let status = bid.status as BidStatus;
    if (grant) {
      // The report is accepted, and the grant closes when nothing else blocks it (the grant machine decides).
      const accepted = transitionOrRefuse(grant, { type: "accept-report" });
      const closed = transitionGrant(accepted.state, { type: "close" });
      if (closed.ok) status = closed.state.status;
    } else if (waitingInstalments(tx, bidId).length === 0) {
      const move = transition("ward-budget", status, "close");
      if (move.ok) status = move.to;
    }
    tx.update(bids).set({ status, updatedAt: at }).where(eq(bids.id, bidId)).run();
    const spent = spend.reduce((s, l) => s + l.actualPence, 0);
    recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      action: "bid.monitoring-submitted",
      entityType: "bid",
      entityId: bidId,
      before: { status: bid.status },
      after: { status, peopleReached: input.peopleReached, spentPence: spent },
    });
    notifyUsers(tx, {
      userIds: groupMemberIds(tx, bid.groupId),
      topic: "bid-updates",
      subject: (t) => t("mail:monitoring.receivedSubject", { reference: bid.reference }),
      body: (t, language) =>
        t("mail:monitoring.receivedBody", { title: bid.title, amount: formatMoney(spent, language) }),
    });
    return status;
  }, database);
}

function livePhotos(database: Db, bidId: number) {
  return database
    .select({ id: attachments.id, fileName: attachments.fileName, isPublic: attachments.isPublic })
    .from(attachments)
    .where(and(eq(attachments.bidId, bidId), eq(attachments.purpose, "monitoring"), isNull(attachments.removedAt)))
    .orderBy(asc(attachments.uploadedAt), asc(attachments.id))
    .all();
}

function requirePhotoWindow(database: Db, user: Principal, bidId: number, now: Date) {
  const { bid, report } = reportFor(database, user, bidId);
  if (!report) throw new Refusal("No monitoring report is due for this bid yet.", { field: "photos", status: 409 });
  if (report.submittedAt) {
    const closes = new Date(report.submittedAt).getTime() + PHOTO_WINDOW_DAYS * 86_400_000;
    if (now.getTime() > closes)
      throw new Refusal(`Photos can be added up to ${PHOTO_WINDOW_DAYS} days after the report is sent.`, {
        field: "photos",
        status: 409,
      });
  } else if (bid.status !== "monitoring-due") {
    throw new Refusal("No monitoring report is due for this bid yet.", { field: "photos", status: 409 });
  }
  return bid;
}

/**
 * Adds a photo to a bid's monitoring report, for a member of the group, while the report is due or
 * within PHOTO_WINDOW_DAYS of it being sent. Kept like the bid's files (same folder, sniffed type,
 * SHA-256), with purpose "monitoring"; `isPublic` when the group agreed it may be shown on the
 * public ward page. Returns the attachment id.
 */
export function addMonitoringPhoto(
  user: Principal,
  bidId: number,
  upload: Upload,
  isPublic: boolean,
  now = new Date(),
  database: Db = db(),
): string {
  requirePhotoWindow(database, user, bidId, now);
  const check = checkPhotoUpload(upload, livePhotos(database, bidId).length);
  if (!check.ok) throw new Refusal(check.message, { field: "photos", status: 400 });
  const id = randomUUID();
  storeUpload(upload, ({ storageKey, sha256 }) =>
    writeTransaction((tx) => {
      // Checked again inside the write lock: two uploads at once cannot make a sixth photo.
      requirePhotoWindow(tx, user, bidId, now);
      const again = checkPhotoUpload(upload, livePhotos(tx, bidId).length);
      if (!again.ok) throw new Refusal(again.message, { field: "photos", status: 400 });
      const { fileName, contentType } = check;
      const { sizeBytes } = upload;
      tx.insert(attachments)
        .values({
          id,
          bidId,
          purpose: "monitoring",
          fileName,
          contentType,
          sizeBytes,
          sha256,
          storageKey,
          isPublic,
          uploadedBy: user.id,
          uploadedAt: now.toISOString(),
        })
        .run();
      const after = { attachmentId: id, fileName, contentType, sizeBytes, isPublic };
      recordAudit(tx, {
        actor: { id: user.id, name: user.name },
        action: "bid.monitoring-photo-added",
        entityType: "bid",
        entityId: bidId,
        after,
      });
    }, database),
  );
  return id;
}

/** Sends the report and adds its photos together: if a photo is refused, nothing is saved. */
export function submitMonitoringReportWithPhotos(
  user: Principal,
  bidId: number,
  input: MonitoringInput,
  photos: { uploads: Upload[]; isPublic: boolean },
  now = new Date(),
  database: Db = db(),
): BidStatus {
  return writeTransaction((tx) => {
    const status = submitMonitoringReport(user, bidId, input, now, tx);
    for (const upload of photos.uploads) addMonitoringPhoto(user, bidId, upload, photos.isPublic, now, tx);
    return status;
  }, database);
}
