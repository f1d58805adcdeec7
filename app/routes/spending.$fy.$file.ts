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
import { requestLanguage } from "~/utils/i18n.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const fy = (params.fy ?? "").replace("-", "/");
  const name = params.file ?? "";
  if (!/^\d{4}\/\d{2}$/.test(fy) || !(name in PUBLIC_SPENDING_FILES)) throw notFound("There is no such file.");
  const period = publishedPeriod(fy);
  if (!period) throw notFound(`The spending of ${fy} is not published yet.`);
  // Wardfund's own column headings follow the reader's language; the standards' names do not change.
  const file = publishedFile(period, name as PublicSpendingFile, undefined, await requestLanguage(request));
  return new Response(createReadableStreamFromReadable(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "X-Content-Type-Options": "nosniff",
      "X-Ledger-Checkpoint": `${period.checkpointSeq} ${period.checkpointHash}`,
      "Cache-Control": "public, max-age=300",
      // The headings follow the reader's language, which comes from the cookie or the browser.
      Vary: "Cookie, Accept-Language",
    },
  });
}
