/**
 * Serves a progress update's photo: to anyone once the update is published on a public project
 * page, before that only to the group's members and officers; otherwise not found. Images only,
 * never sniffed or run as a page.
 */
import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentDisposition } from "~/core/bids";
import { deliveryPhotoForViewer } from "~/models/delivery-updates.server";
import { getAuth } from "~/utils/auth.server";
import { notFound } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const photoId = params.photoId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(photoId)) throw notFound("Photo not found");
  const { user } = await getAuth(request);
  const photo = deliveryPhotoForViewer(user, photoId);
  if (!photo) throw notFound("Photo not found");
  const body = fs.readFileSync(photo.path);
  return new Response(body, {
    headers: {
      "Content-Type": photo.contentType,
      "Content-Length": String(body.byteLength),
      "Content-Disposition": contentDisposition(photo.fileName, "inline"),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": photo.isPublic ? "public, max-age=3600" : "private, no-store",
    },
  });
}
