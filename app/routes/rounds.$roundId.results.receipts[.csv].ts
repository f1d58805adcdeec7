import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedCount } from "~/models/counts.server";
import { roundReceipts } from "~/models/voting/receipts.server";
import { idParam, notFound } from "~/utils/http.server";

/** The receipts of the round's online ballots, sorted, one a line: proof of inclusion, with no ranking beside them. */
export async function loader({ params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  if (!publishedCount(roundId)) throw notFound("The results of this round are not published yet.");
  const body = ["receipt", ...roundReceipts(roundId)].join("\r\n") + "\r\n";
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="round-${roundId}-receipts.csv"`,
    },
  });
}
