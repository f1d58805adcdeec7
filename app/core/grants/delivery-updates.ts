/**
 * Progress updates between the award and the final report: who may post one and when, what a
 * photo must be, and the one move an officer makes on an update (publish it, or send it back with a
 * reason). Messages are catalogue keys in the `delivery` namespace.
 */
import { cleanFileName, MAX_FILE_BYTES, sniffFileType } from "../bids/files";
import type { BidStatus } from "../bids/status";

export const DELIVERY_UPDATE_STATUSES = ["awaiting-check", "published", "sent-back"] as const;
export type DeliveryUpdateStatus = (typeof DELIVERY_UPDATE_STATUSES)[number];

/** A bid is being delivered from the accepted offer until it closes (the monitoring report is in). */
export const DELIVERY_BID_STATUSES: readonly BidStatus[] = ["offer-accepted", "paid", "monitoring-due"];

export const UPDATE_BODY_MIN = 20;
export const UPDATE_BODY_MAX = 3000;
export const ALT_TEXT_MAX = 250;
export const SEND_BACK_REASON_MAX = 1000;
export const MAX_UPDATE_PHOTOS = 3;
export const MAX_PHOTO_BYTES = MAX_FILE_BYTES;
export const UPDATE_PHOTO_TYPES = ["image/jpeg", "image/png"] as const;
export type UpdatePhotoType = (typeof UPDATE_PHOTO_TYPES)[number];

/** Whether a group may post a progress update on a bid in `status`. */
export function acceptsDeliveryUpdates(status: BidStatus): boolean {
  return DELIVERY_BID_STATUSES.includes(status);
}

export type PhotoCheck =
  | { ok: true; contentType: UpdatePhotoType; fileName: string }
  | { ok: false; message: "delivery:errors.photoEmpty" | "delivery:errors.photoTooBig" | "delivery:errors.photoType" };

/** Whether an uploaded file may go with an update: a JPEG or PNG by its own bytes, at most 10 MB. */
export function checkUpdatePhoto(file: { fileName: string; sizeBytes: number; bytes: Uint8Array }): PhotoCheck {
  if (file.sizeBytes === 0) return { ok: false, message: "delivery:errors.photoEmpty" };
  if (file.sizeBytes > MAX_PHOTO_BYTES) return { ok: false, message: "delivery:errors.photoTooBig" };
  const type = sniffFileType(file.bytes);
  if (type !== "image/jpeg" && type !== "image/png") return { ok: false, message: "delivery:errors.photoType" };
  return { ok: true, contentType: type, fileName: cleanFileName(file.fileName, type) };
}

export type CheckDecision = { action: "publish" } | { action: "send-back"; reason: string };

/** The status an officer's decision moves an awaiting update to, or why it cannot. */
export function decideUpdate(
  current: DeliveryUpdateStatus,
  decision: CheckDecision,
): { ok: true; to: "published" | "sent-back" } | { ok: false; message: string } {
  if (current !== "awaiting-check") return { ok: false, message: "delivery:errors.alreadyChecked" };
  if (decision.action === "send-back" && decision.reason.trim() === "")
    return { ok: false, message: "delivery:errors.reasonRequired" };
  return { ok: true, to: decision.action === "publish" ? "published" : "sent-back" };
}
