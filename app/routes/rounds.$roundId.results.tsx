import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { equalityReport } from "~/models/voting/equality.server";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import {
  CountSteps,
  EqualitySummary,
  RuleComparison,
  TurnoutTables,
  WinnersTable,
  type EqualityRow,
} from "~/components/pb-results";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RankedCountSteps } from "~/components/ranked-results";
import { formatMoney } from "~/core/locale-format";
import { chartSvg, greedyChartSpec, mesChartSpec, type ChartWords } from "~/core/results/chart";
import { isPublic, rankingLimit } from "~/core/rounds";
import { publishedResults } from "~/models/counts.server";
import { findRound, projectsOnBallot } from "~/models/rounds/queries.server";
import { idParam, notFound } from "~/utils/http.server";
import { requestTranslator } from "~/utils/i18n.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: t("voting:results.title", { round: data?.round.name ?? "" }) }) }];
};

/** When the results of an unpublished round are expected: a date, voting still open, or counting. */
function expectedResults(round: { votingClosesAt: string; resultsAt: string | null }, nowIso: string) {
  if (round.resultsAt && round.resultsAt > nowIso) return { kind: "on" as const, date: round.resultsAt };
  if (round.votingClosesAt > nowIso) return { kind: "closes" as const, date: round.votingClosesAt };
  return { kind: "closed" as const, date: null };
}

/**
 * Public once the result is published (ratified or released); until then there is nothing to see.
 * Reads the stored count (its ballot file only once per process) and counts no ballots per request.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const published = publishedResults(roundId);
  if (!published) {
    // A round that exists and has opened says when its results are expected; an unknown round is a 404.
    const round = findRound(roundId);
    if (!round || !isPublic(round.phase)) throw notFound("voting:msg.noRound");
    return json({
      pending: true as const,
      round: { id: round.id, name: round.name },
      expected: expectedResults(round, new Date().toISOString()),
    });
  }
  const { round, count, summary, turnout } = published;
  // The chart is drawn here, so its title, description and labels are written in the reader's language.
  const { language, t } = await requestTranslator(request);
  const words: ChartWords = {
    text: (key, values) => t(`voting:chart.${key}`, values),
    money: (pence) => formatMoney(pence, language),
  };
  const chart = summary.ranked
    ? null
    : summary.view.rule === "greedy"
      ? greedyChartSpec(summary.view.greedyRows, round.potPence, undefined, words)
      : mesChartSpec(summary.view.mesRows, round.potPence, undefined, words);
  if (chart && language !== "en") chart.labelLanguage = "en-GB";
  // Equality monitoring: anonymous answers in aggregate; any answer given by fewer than 10 people is suppressed.
  const equality: EqualityRow[] = equalityReport(roundId, undefined, count.countedAt).flatMap((question) =>
    question.total.count === null
      ? []
      : question.answers.map((answer) => ({ question: question.label, answer: answer.answer, count: answer.count })),
  );
  return json({
    pending: false as const,
    round: { id: round.id, name: round.name, potPence: round.potPence, tieBreak: round.tieBreak },
    rankedUpTo: rankingLimit(round.maxRanked, projectsOnBallot(roundId).length),
    summary,
    svg: chart ? chartSvg(chart) : "",
    turnout,
    equality,
  });
}

export default function RoundResults() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("voting");
  const format = useFormat();
  if (data.pending) {
    const { expected } = data;
    return (
      <div className="max-w-4xl">
        <h1>{t("results.title", { round: data.round.name })}</h1>
        <p className="notice">
          {t("results.notYet")}{" "}
          {expected.kind === "on"
            ? t("results.expectedOn", { date: format.dateTime(expected.date) })
            : expected.kind === "closes"
              ? t("results.votingClosesOn", { date: format.dateTime(expected.date) })
              : t("results.votingClosed")}
        </p>
        <p>
          <Link to={`/rounds/${data.round.id}`}>{t("results.back", { round: data.round.name })}</Link>
        </p>
      </div>
    );
  }
  const { round, summary, svg, turnout, equality, rankedUpTo } = data;
  const adopted = summary.status === "ratified";
  const base = `/rounds/${round.id}/results`;
  return (
    <div className="max-w-4xl">
      <h1>{t("results.title", { round: round.name })}</h1>
      {adopted ? (
        <p className="notice">
          {t("results.ratified", {
            date: summary.decidedAt ? format.date(summary.decidedAt) : t("results.unknownDate"),
            count: summary.view.winners.length,
            total: format.money(summary.view.totalPence),
            pot: format.money(round.potPence),
          })}
        </p>
      ) : (
        <p className="notice">
          {summary.decisionReason
            ? t("results.notAdoptedReason", { reason: summary.decisionReason })
            : t("results.notAdopted")}
        </p>
      )}

      <section aria-labelledby="winners-heading">
        <h2 id="winners-heading">{adopted ? t("results.winning") : t("results.chosen")}</h2>
        <WinnersTable view={summary.view} caption={t("results.chosenBy", { rule: t(`rule.${summary.view.rule}`) })} />
      </section>

      <section aria-labelledby="count-heading">
        <h2 id="count-heading">{t("results.howCounted")}</h2>
        {summary.ranked ? null : (
          <p>
            {t("results.pointsIntro", { count: rankedUpTo })}{" "}
            {summary.view.rule === "greedy" ? t("results.greedyExplained") : t("results.mesExplained")}
          </p>
        )}
        {summary.ranked ? (
          <RankedCountSteps ranked={summary.ranked} idPrefix="results-steps" />
        ) : (
          <CountSteps view={summary.view} svg={svg} idPrefix="results-steps" />
        )}
      </section>

      <section aria-labelledby="turnout-heading">
        <h2 id="turnout-heading">{t("results.whoVoted")}</h2>
        <TurnoutTables turnout={turnout} />
      </section>

      {summary.otherView ? (
        <section aria-labelledby="other-heading">
          <h2 id="other-heading">{t("results.otherRule")}</h2>
          <RuleComparison
            rows={summary.comparison}
            rule={summary.rule}
            otherRule={summary.otherRule ?? summary.otherView.rule}
          />
        </section>
      ) : null}

      <EqualitySummary rows={equality} />

      <section aria-labelledby="check-heading">
        <h2 id="check-heading">{t("results.checkYourself")}</h2>
        <ul className="list-disc pl-6">
          <li>
            <a href={`${base}/ballots.json`} download="ballots.json">
              {t("results.ballotsJson")}
            </a>
          </li>
          <li>
            <a href={`${base}/ballots.csv`} download="ballots.csv">
              {t("results.ballotsCsv")}
            </a>
          </li>
          <li>
            <a href={`${base}/report.json`} download="report.json">
              {t("results.reportJson")}
            </a>
          </li>
          <li>
            <Trans
              t={t}
              i18nKey="results.receipts"
              components={{
                // Trans puts the catalogue's link text inside each anchor.
                // eslint-disable-next-line jsx-a11y/anchor-has-content
                csv: <a href={`${base}/receipts.csv`} download="receipts.csv" />,
                // eslint-disable-next-line jsx-a11y/anchor-has-content
                json: <a href={`${base}/receipts.json`} download="receipts.json" />,
              }}
            />
          </li>
        </ul>
        <p>
          {t("results.sha")} <code className="break-all">{summary.sha256}</code>
        </p>
        <p>
          <Trans
            t={t}
            i18nKey="results.recount"
            values={{ command: summary.recountCommand }}
            components={{ sum: <code translate="no" />, cmd: <code translate="no" /> }}
          />
        </p>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
