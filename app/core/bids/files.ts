/**
 * Files a group attaches to a bid: images or PDFs only, judged by their first bytes (the declared
 * type and the file name are the sender's claim, not a fact), at most 10 MB each and five live
 * files per bid.
 */
import { messageKey } from "../messages/message-key";

export const MAX_FILES_PER_BID = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/webp", "application/pdf"] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The type a file really is, from its magic bytes, or null when it is none we accept. */
export function sniffFileType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  return null;
}

export type UploadCheck = { ok: true; contentType: AttachmentType; fileName: string } | { ok: false; message: string };

/**
 * Whether a file may be added to a bid that already has `liveFiles` files. The stored type is the
 * sniffed one; the name is cleaned so it is safe in a header and on a page.
 */
export function checkUpload(
  file: { fileName: string; sizeBytes: number; bytes: Uint8Array },
  liveFiles: number,
): UploadCheck {
  if (liveFiles >= MAX_FILES_PER_BID)
    return {
      ok: false,
      message: messageKey("bids:files.tooMany", { max: MAX_FILES_PER_BID }),
    };
  if (file.sizeBytes === 0) return { ok: false, message: "bids:form.fileMissing" };
  if (file.sizeBytes > MAX_FILE_BYTES) return { ok: false, message: "bids:form.fileTooLarge" };
  const contentType = sniffFileType(file.bytes);
  if (!contentType) return { ok: false, message: "bids:files.wrongType" };
  return { ok: true, contentType, fileName: cleanFileName(file.fileName, contentType) };
}

const EXTENSIONS: Record<AttachmentType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "application/pdf": "pdf",
};

/** The last path segment, printable characters only, at most 100 of them; a default when empty. */
export function cleanFileName(name: string, contentType: AttachmentType): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // Control characters, quotes and characters that would break a header or a path.
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"<>:*?|;]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(-100);
  return cleaned === "" || cleaned.startsWith(".") ? `file.${EXTENSIONS[contentType]}` : cleaned;
}

/** A Content-Disposition value: an ASCII fallback name plus the exact name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string, disposition: "inline" | "attachment"): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Photos sent with a monitoring report: images only, at most five per report. */
export const MAX_MONITORING_PHOTOS = 5;
/** How long after sending the report the group may still add photos to it. */
export const PHOTO_WINDOW_DAYS = 7;
export const PHOTO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;

/**
 * Whether a photo may be added to a monitoring report that already has `livePhotos` photos: a PNG,
 * JPEG or WebP image by its own bytes (a PDF or anything else is refused), smaller than 10 MB.
 */
export function checkPhotoUpload(
  file: { fileName: string; sizeBytes: number; bytes: Uint8Array },
  livePhotos: number,
): UploadCheck {
  if (livePhotos >= MAX_MONITORING_PHOTOS)
    return { ok: false, message: messageKey("bids:files.tooManyPhotos", { max: MAX_MONITORING_PHOTOS }) };
  if (file.sizeBytes === 0) return { ok: false, message: "bids:files.photoMissing" };
  if (file.sizeBytes > MAX_FILE_BYTES)
    return {
      ok: false,
      message: messageKey("bids:files.photoTooLarge", { file: cleanFileName(file.fileName, "image/jpeg") }),
    };
  const contentType = sniffFileType(file.bytes);
  if (!contentType || !(PHOTO_TYPES as readonly string[]).includes(contentType))
    return {
      ok: false,
      message: messageKey("bids:files.notPhoto", { file: cleanFileName(file.fileName, "image/jpeg") }),
    };
  return { ok: true, contentType, fileName: cleanFileName(file.fileName, contentType) };
}
