/** Public: one file of a published spending year (`/spending/2026-27/spend.csv`), or 404 until it is published. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import {
  PUBLIC_SPENDING_FILES,
  publishedFile,
  publishedPeriod,
  type PublicSpendingFile,
} from "~/models/spending.server";
import { notFound } from "~/utils/http.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const fy = (params.fy ?? "").replace("-", "/");
  const name = params.file ?? "";
  if (!/^\d{4}\/\d{2}$/.test(fy) || !(name in PUBLIC_SPENDING_FILES)) throw notFound("There is no such file.");
  const period = publishedPeriod(fy);
  if (!period) throw notFound(`The spending of ${fy} is not published yet.`);
  const file = publishedFile(period, name as PublicSpendingFile);
  return new Response(createReadableStreamFromReadable(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "X-Content-Type-Options": "nosniff",
      "X-Ledger-Checkpoint": `${period.checkpointSeq} ${period.checkpointHash}`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
