import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicProjectImage } from "~/models/rounds/public.server";
import { idParam, notFound } from "~/utils/http.server";

/** Public: the first photo of a project on the ballot. Files of other bids are never served here. */
export async function loader({ params }: LoaderFunctionArgs) {
  const image = publicProjectImage(idParam(params.roundId), idParam(params.bidId));
  if (!image) throw notFound("No photo.");
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.bytes.length),
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
    },
  });
}
