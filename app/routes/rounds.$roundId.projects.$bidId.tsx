import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { publicProject } from "~/models/rounds/public.server";
import { idParam, notFound } from "~/utils/http.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  const project = data?.project.title ?? t("voting:table.project");
  const page = `${project} – ${data?.round.name ?? t("voting:project.round")}`;
  return [{ title: t("common:title", { page }) }];
};

/** Public: one project of a round. Names the group, never its members. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const bidId = idParam(params.bidId);
  advanceRoundPhases();
  const found = publicProject(roundId, bidId);
  if (!found) throw notFound("voting:msg.noProject");
  const url = new URL(request.url);
  return json({ ...found, pageUrl: `${url.origin}/rounds/${roundId}/projects/${bidId}` });
}

export default function Project() {
  const { round, project, resultsPublished, pageUrl } = useLoaderData<typeof loader>();
  const { t } = useTranslation("voting");
  const format = useFormat();
  const english = (text: string) => <LocalisedText value={{ en: text, cy: null }} />;
  const body = `${project.title} (${round.name}): ${pageUrl}`;
  const mailto = `mailto:?subject=${encodeURIComponent(project.title)}&body=${encodeURIComponent(body)}`;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/rounds/${round.id}`}>{t("project.allProjects", { round: round.name })}</Link>
      </p>
      <h1>{english(project.title)}</h1>
      {project.hasImage ? (
        <img
          src={`/rounds/${round.id}/photos/${project.bidId}`}
          alt={t("round.photoAlt", { title: project.title })}
          className="mb-4 w-full"
        />
      ) : null}
      <p className="text-lg">{english(project.summary)}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4">
        <dt className="font-semibold">{t("project.reference")}</dt>
        <dd>{project.reference}</dd>
        <dt className="font-semibold">{t("round.cost")}</dt>
        <dd>{format.money(project.amountPence)}</dd>
        <dt className="font-semibold">{t("round.ward")}</dt>
        <dd translate="no">{project.wards.join(", ")}</dd>
        <dt className="font-semibold">{t("round.group")}</dt>
        <dd translate="no">{project.groupName}</dd>
        {project.beneficiaries ? (
          <>
            <dt className="font-semibold">{t("project.whoBenefits")}</dt>
            <dd>
              {english(project.beneficiaries)}
              {project.beneficiaryCount ? ` ${t("project.about", { count: project.beneficiaryCount })}` : ""}
            </dd>
          </>
        ) : null}
        {project.ballotPosition !== null ? (
          <>
            <dt className="font-semibold">{t("round.ballotNumber")}</dt>
            <dd>{project.ballotPosition}</dd>
          </>
        ) : null}
        <dt className="font-semibold">{t("project.round")}</dt>
        <dd>{t(`phase.${round.phase}`)}</dd>
      </dl>
      {project.mergedInto ? (
        <p className="notice">
          <Trans
            t={t}
            i18nKey="project.mergedInto"
            values={{ title: project.mergedInto.title }}
            components={{ anchor: <Link to={`/rounds/${round.id}/projects/${project.mergedInto.bidId}`} /> }}
          />{" "}
          {project.eligibilityReason ? english(project.eligibilityReason) : null}
        </p>
      ) : project.eligibility === "ineligible" ? (
        <p className="notice">
          {t("project.notEligible")} {project.eligibilityReason ? english(project.eligibilityReason) : null}
        </p>
      ) : null}
      {project.delivery ? (
        <section aria-labelledby="delivery" className="panel">
          <h2 id="delivery">{t("project.progress")}</h2>
          <p>
            <strong>{english(project.delivery.status)}</strong>
            {project.delivery.updatedAt
              ? ` ${t("project.updated", { date: format.date(project.delivery.updatedAt) })}`
              : ""}
          </p>
          {project.delivery.note ? <p>{english(project.delivery.note)}</p> : null}
        </section>
      ) : null}
      <h2>{t("project.aboutProject")}</h2>
      <p className="whitespace-pre-line">{english(project.description)}</p>
      <div className="my-4 flex flex-wrap gap-4">
        {round.phase === "voting" && project.onBallot ? (
          <Link to={`/rounds/${round.id}/vote`} className="button">
            {t("round.vote", { round: round.name })}
          </Link>
        ) : null}
        {resultsPublished ? (
          <Link to={`/rounds/${round.id}/results`}>{t("round.results", { round: round.name })}</Link>
        ) : null}
      </div>
      <h2>{t("project.share")}</h2>
      <label htmlFor="share-url" className="block font-semibold">
        {t("project.linkToProject")}
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
