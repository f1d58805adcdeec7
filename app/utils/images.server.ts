/**
 * Uploaded photos lose every piece of metadata before they are stored: EXIF (camera, time, GPS
 * position), XMP, IPTC and ICC profiles. Each PNG, JPEG or WebP image is decoded and encoded again by
 * sharp, turned upright first by its EXIF orientation (which is then dropped with the rest). Every
 * upload path reads its files through `readUploadForm` (app/utils/uploads.server.ts), which calls this.
 */
import sharp from "sharp";
import { sniffFileType } from "~/core/bids/files";
import type { Upload } from "~/models/attachment-files.server";

/** Larger images are refused rather than decoded (about 100 megapixels). */
const MAX_INPUT_PIXELS = 100_000_000;

export class UnreadableImage extends Error {
  constructor(readonly fileName: string) {
    super(`"${fileName}" could not be read as an image.`);
    this.name = "UnreadableImage";
  }
}

/**
 * The image's bytes with no metadata, in the format it came in; other files (PDFs, unknown bytes)
 * unchanged. Throws UnreadableImage when the bytes claim to be an image that cannot be decoded, so a
 * file that might still carry its metadata is never stored.
 */
export async function withoutImageMetadata(upload: Upload): Promise<Upload> {
  const type = sniffFileType(upload.bytes);
  if (type !== "image/jpeg" && type !== "image/png" && type !== "image/webp") return upload;
  try {
    // rotate() with no angle applies the EXIF orientation; sharp writes no metadata unless asked to.
    const image = sharp(upload.bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" }).rotate();
    const encoded =
      type === "image/jpeg"
        ? image.jpeg({ quality: 90, mozjpeg: true })
        : type === "image/png"
          ? image.png()
          : image.webp({ quality: 90 });
    const bytes = new Uint8Array(await encoded.toBuffer());
    return { fileName: upload.fileName, sizeBytes: bytes.byteLength, bytes };
  } catch {
    throw new UnreadableImage(upload.fileName);
  }
}

/** What metadata an image still carries (for checks and tests): EXIF, XMP, IPTC or an ICC profile. */
export async function imageMetadataKinds(bytes: Uint8Array): Promise<string[]> {
  const meta = await sharp(bytes).metadata();
  return (["exif", "xmp", "iptc", "icc"] as const).filter((kind) => meta[kind] !== undefined);
}
