import type { LoaderFunctionArgs } from "@remix-run/node";
import { ballotsCsv } from "~/core/results/ballot-file";
import { publishedCount } from "~/models/counts.server";
import { idParam, notFound } from "~/utils/http.server";

/** The rankings as CSV, in the ballot file's canonical order: one row per ballot, its ranks and nothing else. */
export async function loader({ params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const published = publishedCount(roundId);
  if (!published) throw notFound("The results of this round are not published yet.");
  return new Response(ballotsCsv(published.count.ballotFile), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="round-${roundId}-ballots.csv"`,
    },
  });
}
