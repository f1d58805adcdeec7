import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedCount } from "~/models/counts.server";
import { idParam, notFound } from "~/utils/http.server";

/** The count report, byte for byte as `npm run count` prints it for the published ballot file. */
export async function loader({ params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const published = publishedCount(roundId);
  if (!published) throw notFound("The results of this round are not published yet.");
  return new Response(published.count.report, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="round-${roundId}-report.json"`,
    },
  });
}
