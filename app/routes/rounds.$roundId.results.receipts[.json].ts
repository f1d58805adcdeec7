import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedCount } from "~/models/counts.server";
import { roundReceipts } from "~/models/voting/receipts.server";
import { idParam, notFound } from "~/utils/http.server";

/** The receipts of the round's online ballots as JSON, sorted: proof of inclusion, with no ranking beside them. */
export async function loader({ params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  if (!publishedCount(roundId)) throw notFound("The results of this round are not published yet.");
  const receipts = roundReceipts(roundId);
  const body = `${JSON.stringify({ round: roundId, receipts: receipts.length, list: receipts }, null, 2)}\n`;
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="round-${roundId}-receipts.json"`,
    },
  });
}
