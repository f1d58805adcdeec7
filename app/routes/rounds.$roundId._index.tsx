import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { COST_BANDS, rankingLimit, votingWindowState } from "~/core/rounds";
import { ballotSize } from "~/models/rounds/ballot-order.server";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { roundGallery } from "~/models/rounds/public.server";
import { idParam, notFound } from "~/utils/http.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  const language = languageOfMatches(matches);
  const name = data ? pickLocalised({ en: data.round.name, cy: data.round.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: name || t("voting:project.round") }) }];
};

/** Public: a round's projects, filterable by ward and by cost (a GET form that works without JavaScript). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  advanceRoundPhases();
  const url = new URL(request.url);
  const wardParam = Number(url.searchParams.get("ward"));
  const band = url.searchParams.get("cost");
  const gallery = roundGallery(roundId, {
    wardId: Number.isSafeInteger(wardParam) && wardParam > 0 ? wardParam : null,
    band: COST_BANDS.some((b) => b.id === band) ? band : null,
  });
  if (!gallery) throw notFound("voting:msg.noRound");
  const now = new Date().toISOString();
  return json({
    ...gallery,
    rankUpTo: rankingLimit(gallery.round.maxRanked, gallery.onBallot ? ballotSize(roundId) : 0),
    votingOpen: votingWindowState(gallery.round, now) === "open",
    pageUrl: `${url.origin}/rounds/${roundId}`,
    filters: { ward: url.searchParams.get("ward") ?? "", cost: band ?? "" },
  });
}

export default function RoundGallery() {
  const {
    round,
    onBallot,
    projects,
    totalProjects,
    notOnBallot,
    wardOptions,
    turnout,
    resultsPublished,
    pageUrl,
    filters,
    rankUpTo,
    votingOpen,
  } = useLoaderData<typeof loader>();
  const { t } = useTranslation("voting");
  const format = useFormat();
  const filtered = filters.ward !== "" || filters.cost !== "";
  const roundName = pickLocalised({ en: round.name, cy: round.nameCy }, format.language).text;
  const body = t("round.mailBody", { round: roundName, url: pageUrl });
  const mailto = `mailto:?subject=${encodeURIComponent(roundName)}&body=${encodeURIComponent(body)}`;
  const when = (iso: string | null | undefined) => (iso ? format.dateTime(iso) : "—");
  const english = (text: string) => <LocalisedText value={{ en: text, cy: null }} />;
  return (
    <div>
      <p>
        <Link to="/rounds">{t("round.allRounds")}</Link>
      </p>
      <h1>
        <LocalisedText value={{ en: round.name, cy: round.nameCy }} />
      </h1>
      {round.description ? <LocalisedText as="p" value={{ en: round.description, cy: round.descriptionCy }} /> : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4">
        <dt className="font-semibold">{t("rounds.area")}</dt>
        <dd>{round.allWards ? t("rounds.everyWard") : <span translate="no">{round.wardNames.join(", ")}</span>}</dd>
        <dt className="font-semibold">{t("rounds.pot")}</dt>
        <dd>{format.money(round.potPence)}</dd>
        <dt className="font-semibold">{t("rounds.now")}</dt>
        <dd>{t(`phase.${round.phase}`)}</dd>
        <dt className="font-semibold">{t("rounds.voting")}</dt>
        <dd>{t("rounds.dates", { from: when(round.votingOpensAt), to: when(round.votingClosesAt) })}</dd>
        <dt className="font-semibold">{t("round.whoCanVote")}</dt>
        <dd>{t("round.whoCanVoteText", { age: round.minVoterAge, count: rankUpTo })}</dd>
        {turnout !== null ? (
          <>
            <dt className="font-semibold">{t("round.votesSoFar")}</dt>
            <dd>{format.number(turnout)}</dd>
          </>
        ) : null}
      </dl>
      <div className="my-4 flex flex-wrap gap-4">
        {votingOpen ? (
          <Link to={`/rounds/${round.id}/vote`} className="button">
            {t("round.vote", { round: roundName })}
          </Link>
        ) : null}
        {resultsPublished ? (
          <Link to={`/rounds/${round.id}/results`} className="button">
            {t("round.results", { round: roundName })}
          </Link>
        ) : null}
      </div>

      <h2>{onBallot ? t("round.onBallot") : t("round.received")}</h2>
      <Form method="get" className="panel flex flex-wrap items-end gap-4" aria-label={t("round.filter")}>
        <div>
          <label htmlFor="filter-ward" className="block font-semibold">
            {t("round.ward")}
          </label>
          <select id="filter-ward" name="ward" defaultValue={filters.ward} className="input">
            <option value="">{t("round.allWards")}</option>
            {wardOptions.map((w) => (
              <option key={w.id} value={w.id} translate="no">
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-cost" className="block font-semibold">
            {t("round.cost")}
          </label>
          <select id="filter-cost" name="cost" defaultValue={filters.cost} className="input">
            <option value="">{t("round.anyCost")}</option>
            {COST_BANDS.map((b) => (
              <option key={b.id} value={b.id}>
                {t(`cost.${b.id}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("round.show")}
        </button>
        {filtered ? <Link to={`/rounds/${round.id}`}>{t("round.clear")}</Link> : null}
      </Form>
      <p role="status">{t("round.showing", { shown: projects.length, total: totalProjects })}</p>
      <ul className="grid gap-4 md:grid-cols-2">
        {projects.map((p) => (
          <li key={p.bidId} className="panel">
            {p.hasImage ? (
              <img
                src={`/rounds/${round.id}/photos/${p.bidId}`}
                alt={t("round.photoAlt", { title: p.title })}
                className="mb-2 aspect-video w-full object-cover"
              />
            ) : (
              <div className="mb-2 flex aspect-video w-full items-center justify-center bg-gray-100 muted">
                {t("round.noPhoto")}
              </div>
            )}
            <h3 className="text-lg">
              <Link to={`/rounds/${round.id}/projects/${p.bidId}`}>{english(p.title)}</Link>
            </h3>
            <LocalisedText as="p" value={{ en: p.summary, cy: null }} />
            <dl className="grid grid-cols-[auto_1fr] gap-x-4">
              <dt className="font-semibold">{t("round.cost")}</dt>
              <dd>{format.money(p.amountPence)}</dd>
              <dt className="font-semibold">{t("round.ward")}</dt>
              <dd translate="no">{p.wards.join(", ")}</dd>
              <dt className="font-semibold">{t("round.group")}</dt>
              <dd translate="no">{p.groupName}</dd>
              {p.ballotPosition !== null ? (
                <>
                  <dt className="font-semibold">{t("round.ballotNumber")}</dt>
                  <dd>{p.ballotPosition}</dd>
                </>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>

      {notOnBallot.length > 0 ? (
        <>
          <h2>{t("round.notOnBallot")}</h2>
          <p>{t("round.notOnBallotIntro")}</p>
          <ul className="grid gap-2">
            {notOnBallot.map((b) => (
              <li key={b.bidId}>
                <strong>{english(b.title)}</strong> (<span translate="no">{b.groupName}</span>):{" "}
                {b.mergedInto ? (
                  <Trans
                    t={t}
                    i18nKey="round.mergedInto"
                    values={{ title: b.mergedInto.title }}
                    components={{ anchor: <Link to={`/rounds/${round.id}/projects/${b.mergedInto.bidId}`} /> }}
                  />
                ) : (
                  t("round.notEligible")
                )}{" "}
                {b.reason ? english(b.reason) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{t("round.share")}</h2>
      <label htmlFor="share-url" className="block font-semibold">
        {t("round.linkToPage")}
      </label>
      <input id="share-url" readOnly value={pageUrl} className="input" onFocus={(e) => e.currentTarget.select()} />
      <ul className="mt-2 flex flex-wrap gap-4">
        <li>
          <a href={mailto}>{t("round.shareByEmail")}</a>
        </li>
        <li>
          <a href={pageUrl}>{t("round.directLink")}</a>
        </li>
      </ul>
    </div>
  );
}
