import type { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";

/** A file download: the stream as an attachment with its name, never cached. */
export function attachmentResponse(
  body: Readable,
  file: { filename: string; contentType: string; headers?: Record<string, string> },
): Response {
  return new Response(createReadableStreamFromReadable(body), {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
      ...file.headers,
    },
  });
}
