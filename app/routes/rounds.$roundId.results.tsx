import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { equalityReport } from "~/models/voting/equality.server";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  CountSteps,
  EqualitySummary,
  RuleComparison,
  TurnoutTables,
  WinnersTable,
  type EqualityRow,
} from "~/components/pb-results";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatPence } from "~/core/money";
import { chartSvg, greedyChartSpec, mesChartSpec } from "~/core/results/chart";
import { RULE_NAMES } from "~/core/results/report-view";
import { isPublic, rankingLimit, resultsExpected } from "~/core/rounds";
import { formatDate } from "~/core/time";
import { publishedResults } from "~/models/counts.server";
import { ballotSize } from "~/models/rounds/ballot-order.server";
import { findRound } from "~/models/rounds/queries.server";
import { idParam, notFound } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Results: ${data?.round.name ?? "round"} – Wardfund` },
];

/**
 * Public once the result is published (ratified or released); until then there is nothing to see.
 * Reads the stored count (its ballot file only once per process) and counts no ballots per request.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const published = publishedResults(roundId);
  if (!published) {
    // A round that exists and has opened says when its results are expected; an unknown round is a 404.
    const round = findRound(roundId);
    if (!round || !isPublic(round.phase)) throw notFound("There is no such round.");
    return json({
      pending: true as const,
      round: { id: round.id, name: round.name },
      expected: resultsExpected(round, new Date().toISOString()),
    });
  }
  const { round, count, summary, turnout } = published;
  const chart =
    summary.view.rule === "greedy"
      ? greedyChartSpec(summary.view.greedyRows, round.potPence)
      : mesChartSpec(summary.view.mesRows, round.potPence);
  // Equality monitoring: anonymous answers in aggregate; any answer given by fewer than 10 people is suppressed.
  const equality: EqualityRow[] = equalityReport(roundId, undefined, count.countedAt).flatMap((question) =>
    question.total.count === null
      ? []
      : question.answers.map((answer) => ({ question: question.label, answer: answer.answer, count: answer.count })),
  );
  return json({
    pending: false as const,
    round: { id: round.id, name: round.name, potPence: round.potPence, tieBreak: round.tieBreak },
    rankedUpTo: rankingLimit(round.maxRanked, ballotSize(roundId)),
    summary,
    svg: chartSvg(chart),
    turnout,
    equality,
  });
}

export default function RoundResults() {
  const data = useLoaderData<typeof loader>();
  if (data.pending) {
    return (
      <div className="max-w-4xl">
        <h1>Results: {data.round.name}</h1>
        <p className="notice">The results of this round are not published yet. {data.expected}</p>
        <p>
          <Link to={`/rounds/${data.round.id}`}>Back to {data.round.name}</Link>
        </p>
      </div>
    );
  }
  const { round, summary, svg, turnout, equality, rankedUpTo } = data;
  const adopted = summary.status === "ratified";
  return (
    <div className="max-w-4xl">
      <h1>Results: {round.name}</h1>
      {adopted ? (
        <p className="notice">
          The council ratified this result on {summary.decidedAt ? formatDate(summary.decidedAt) : "an unknown date"}.{" "}
          {summary.view.winners.length} project
          {summary.view.winners.length === 1 ? "" : "s"} share {formatPence(summary.view.totalPence)} of the{" "}
          {formatPence(round.potPence)} pot.
        </p>
      ) : (
        <p className="notice">
          This result was counted but not adopted{summary.decisionReason ? `: ${summary.decisionReason}` : "."} No money
          was awarded from it.
        </p>
      )}

      <section aria-labelledby="winners-heading">
        <h2 id="winners-heading">{adopted ? "The winning projects" : "The projects the count chose"}</h2>
        <WinnersTable view={summary.view} caption={`Chosen by ${RULE_NAMES[summary.view.rule]}`} />
      </section>

      <section aria-labelledby="count-heading">
        <h2 id="count-heading">How the votes were counted</h2>
        <p>
          Each ballot ranked up to {rankedUpTo} projects, the ones a voter wanted most. A project at position 1 of a
          ballot earns the most points, and one point less for each place below.
          {summary.view.rule === "greedy"
            ? " Projects were taken in order of points, skipping any that no longer fitted the money left."
            : " Under the Method of Equal Shares every voter has an equal share of the pot, and each round funds the project its supporters can pay for at the lowest price per point."}
        </p>
        <CountSteps view={summary.view} svg={svg} idPrefix="results-steps" />
      </section>

      <section aria-labelledby="turnout-heading">
        <h2 id="turnout-heading">Who voted</h2>
        <TurnoutTables turnout={turnout} />
      </section>

      {summary.otherView ? (
        <section aria-labelledby="other-heading">
          <h2 id="other-heading">What the other rule would have chosen</h2>
          <RuleComparison
            rows={summary.comparison}
            rule={summary.rule}
            otherRule={summary.otherRule ?? summary.otherView.rule}
          />
        </section>
      ) : null}

      <EqualitySummary rows={equality} />

      <section aria-labelledby="check-heading">
        <h2 id="check-heading">Check the count yourself</h2>
        <ul className="list-disc pl-6">
          <li>
            <a href={`/rounds/${round.id}/results/ballots.json`} download="ballots.json">
              The rankings as a ballot file (JSON): every counted ballot&apos;s ranking, with no receipt, name or time
            </a>
          </li>
          <li>
            <a href={`/rounds/${round.id}/results/ballots.csv`} download="ballots.csv">
              The rankings as a spreadsheet (CSV): one row per ballot, its ranks only
            </a>
          </li>
          <li>
            <a href={`/rounds/${round.id}/results/report.json`} download="report.json">
              The full count report (JSON)
            </a>
          </li>
          <li>
            <a href={`/rounds/${round.id}/results/receipts.csv`} download="receipts.csv">
              The receipts of the online votes (CSV)
            </a>{" "}
            (also as{" "}
            <a href={`/rounds/${round.id}/results/receipts.json`} download="receipts.json">
              JSON
            </a>
            ): find yours to see that your ballot was counted
          </li>
        </ul>
        <p>
          SHA-256 of the ballot file: <code className="break-all">{summary.sha256}</code>
        </p>
        <p>
          Download the ballot file, check its SHA-256 (for example <code>sha256sum ballots.json</code>), then run{" "}
          <code>{summary.recountCommand}</code> in a copy of Wardfund and compare what it prints with the report: they
          are the same, byte for byte. Your voting receipt is in the receipt list, which proves your ballot was
          included; the list is kept apart from the rankings, so a receipt never shows how anyone voted.
        </p>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
