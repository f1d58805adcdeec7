/**
 * Serves a file of a bid to the person deciding it (a councillor of one of its wards, or the
 * designated decision-maker it was referred to). Anyone who decides no bids gets a 403; a councillor
 * who may not decide this bid gets a 404, as for a file that does not exist. The stored type is the one
 * read from the file's bytes; nothing is sniffed or run as a page.
 */
import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentDisposition } from "~/core/bids";
import { storedFilePath } from "~/models/attachment-files.server";
import { decisionFileFor } from "~/models/decision-facts.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { idParam, notFound } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.roles.includes("councillor") && !isDesignatedDecisionMaker(user.id)) throw forbidden();
  const bidId = idParam(params.bidId);
  const fileId = params.fileId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(fileId)) throw notFound("File not found");
  const file = decisionFileFor(user, bidId, fileId);
  const path = file ? storedFilePath(file.storageKey) : null;
  if (!file || !path) throw notFound("File not found");
  const body = fs.readFileSync(path);
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(body.byteLength),
      "Content-Disposition": contentDisposition(file.fileName, "attachment"),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
