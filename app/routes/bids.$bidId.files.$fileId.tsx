/**
 * Serves one of a bid's files, after the check that the person may see the bid (or that the file is
 * public). The stored type is the one read from the file's own bytes; images are shown in the
 * browser, PDFs are downloaded, and nothing is ever sniffed or run as a page.
 */
import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { contentDisposition } from "~/core/bids";
import { attachmentForDownload } from "~/models/bids.server";
import { getAuth } from "~/utils/auth.server";
import { idParam, notFound } from "~/utils/http.server";
import { loadingRefusals } from "~/utils/refusal.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const fileId = params.fileId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(fileId)) throw notFound("File not found");
  const { user } = await getAuth(request);
  const file = await loadingRefusals(() => attachmentForDownload(user, bidId, fileId));
  if (!file) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
  }
  const body = fs.readFileSync(file.path);
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(body.byteLength),
      "Content-Disposition": contentDisposition(
        file.fileName,
        file.contentType.startsWith("image/") ? "inline" : "attachment",
      ),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": file.isPublic ? "public, max-age=3600" : "private, no-store",
    },
  });
}
