import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { MAX_FILE_BYTES } from "~/core/bids/files";
import type { Upload } from "~/models/attachment-files.server";
import { UnreadableImage, withoutImageMetadata } from "~/utils/images.server";

export interface UploadedForm {
  /** The form's text fields (file parts are not in it). */
  formData: FormData;
  /** The files sent in the file field(s), each in memory. */
  files: Upload[];
  /** The field each of `files` was sent in (same order), for forms with several file fields. */
  fileFields: string[];
  /** Names of files that were over the size limit: read through but not kept. */
  oversized: string[];
  /** Names of files that claimed to be images but could not be decoded: not kept. */
  unreadable: string[];
  /** The field each oversized, then each unreadable, file was sent in (same order as those lists). */
  refusedFields: { oversized: string[]; unreadable: string[] };
}

const TEXT_FIELD_BYTES = 64 * 1024;
const MAX_PARTS = 100;

/**
 * Reads a form that may carry files in `field` (or any of several fields): text fields as usual (at
 * most 64 KB each), each file in memory. A file over `maxFileBytes` is read through but not kept (its
 * name is noted), so the rest of the form survives. "too-large" when the request is bigger than
 * `maxFiles` such files could make. A form sent without multipart encoding is read as a plain form
 * with no files. Every image loses its metadata here (EXIF, GPS position, XMP, ICC: see
 * app/utils/images.server.ts) before any model sees it.
 */
export async function readUploadForm(
  request: Request,
  options: { field: string | readonly string[]; maxFiles: number; maxFileBytes?: number },
): Promise<UploadedForm | "too-large"> {
  const maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const isMultipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  if (!isMultipart)
    return {
      formData: await request.formData(),
      files: [],
      fileFields: [],
      oversized: [],
      unreadable: [],
      refusedFields: { oversized: [], unreadable: [] },
    };
  const fields: readonly string[] = typeof options.field === "string" ? [options.field] : options.field;
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > options.maxFiles * maxFileBytes + 1024 * 1024) return "too-large";
  const files: Upload[] = [];
  const sentIn: string[] = [];
  const oversized: string[] = [];
  const refusedFields = { oversized: [] as string[], unreadable: [] as string[] };
  let parts = 0;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    parts += 1;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const limit = filename === undefined ? TEXT_FIELD_BYTES : maxFileBytes;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    }
    if (filename === undefined) return size <= limit ? new TextDecoder().decode(Buffer.concat(chunks)) : undefined;
    if (!fields.includes(name) || (filename === "" && size === 0)) return undefined;
    if (size > limit) {
      oversized.push(filename);
      refusedFields.oversized.push(name);
    } else if (parts <= MAX_PARTS) {
      files.push({ fileName: filename, sizeBytes: size, bytes: new Uint8Array(Buffer.concat(chunks)) });
      sentIn.push(name);
    }
    return undefined;
  };
  const formData = await unstable_parseMultipartFormData(request, handler);
  const stripped: Upload[] = [];
  const fileFields: string[] = [];
  const unreadable: string[] = [];
  for (const [i, file] of files.entries()) {
    try {
      stripped.push(await withoutImageMetadata(file));
      fileFields.push(sentIn[i]!);
    } catch (error) {
      if (!(error instanceof UnreadableImage)) throw error;
      unreadable.push(file.fileName);
      refusedFields.unreadable.push(sentIn[i]!);
    }
  }
  return { formData, files: stripped, fileFields, oversized, unreadable, refusedFields };
}
