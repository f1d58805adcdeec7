import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedCount } from "~/models/counts.server";
import { idParam, notFound } from "~/utils/http.server";

/** The published ballot file, byte for byte as it was counted (its SHA-256 is on the results page). */
export async function loader({ params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const published = publishedCount(roundId);
  if (!published) throw notFound("The results of this round are not published yet.");
  return new Response(published.count.ballotFile, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="round-${roundId}-ballots.json"`,
      "X-Content-SHA256": published.count.ballotFileSha256,
    },
  });
}
