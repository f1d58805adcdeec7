/**
 * Public: one decided bid, for anyone without signing in. The project as the group described it,
 * the outcome and its reason, who decided (or the round whose residents chose it), declared interests
 * and delivery. Undecided bids are not shown here (404): they stay private to the group and the council.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LocalisedText } from "~/components/localised-text";
import { PublicDeliveryUpdates } from "~/components/delivery-updates";
import { pickLocalised } from "~/core/localised";
import { publishedDeliveryUpdates } from "~/models/delivery-updates.server";
import { publicBid } from "~/models/public-bids.server";
import { idParam, notFound } from "~/utils/http.server";
import { joinList, languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  if (!data) return [{ title: t("common:title", { page: t("projects:project.title") }) }];
  // A title can carry no language mark, so a project without a title in the reader's language is named by reference.
  const shown = pickLocalised({ en: data.bid.title, cy: data.bid.titleCy }, language);
  const page =
    shown.language === language ? shown.text : t("projects:project.byReference", { reference: data.bid.reference });
  return [{ title: t("common:title", { page }) }];
};

export async function loader({ params }: LoaderFunctionArgs) {
  const bid = publicBid(idParam(params.bidId));
  if (!bid) throw notFound("projects:project.notFound");
  return json({ bid, deliveryUpdates: publishedDeliveryUpdates(bid.bidId) });
}

export default function PublicProject() {
  const { bid, deliveryUpdates } = useLoaderData<typeof loader>();
  const { t } = useTranslation("projects");
  const { date, money, language } = useFormat();
  const pb = bid.kind === "pb-round";
  const round = <LocalisedText value={{ en: bid.roundName ?? bid.fundName, cy: bid.roundNameCy ?? bid.fundNameCy }} />;
  const title = pickLocalised({ en: bid.title, cy: bid.titleCy }, language).text;
  const outcome = t(`outcome.${bid.outcome}`);
  return (
    <div className="max-w-3xl">
      <p className="muted">
        {bid.reference} · <LocalisedText value={{ en: bid.fundName, cy: bid.fundNameCy }} /> ·{" "}
        {bid.wards.map((w, i) => (
          <span key={w.gssCode}>
            {i > 0 ? ", " : ""}
            <LocalisedText value={{ en: w.name, cy: w.nameCy }} />
          </span>
        ))}
      </p>
      <h1>
        <LocalisedText value={{ en: bid.title, cy: bid.titleCy }} />
      </h1>
      <div className="text-lg">
        <LocalisedText as="p" value={{ en: bid.summary, cy: bid.summaryCy }} />
      </div>
      <section aria-labelledby="outcome-heading" className="summary-box">
        <h2 id="outcome-heading" className="mt-0">
          {bid.awardedPence ? t("outcome.withAmount", { outcome, amount: money(bid.awardedPence) }) : outcome}
        </h2>
        <dl className="summary-list">
          <dt>{t("project.group")}</dt>
          <dd translate="no">{bid.groupName}</dd>
          {bid.askedPence !== null ? (
            <>
              <dt>{t("project.asked")}</dt>
              <dd>{money(bid.askedPence)}</dd>
            </>
          ) : null}
          <dt>{pb ? t("project.chosenBy") : t("project.decidedBy")}</dt>
          <dd>
            {pb && bid.outcome === "chosen-by-residents" ? (
              <Trans t={t} i18nKey="project.chosenByResidents" components={{ round }} />
            ) : pb ? (
              <Trans t={t} i18nKey="project.notChosen" components={{ round }} />
            ) : bid.decidedBy.length ? (
              <span translate="no">{joinList(bid.decidedBy, language)}</span>
            ) : (
              t("project.theCouncil")
            )}
            {bid.decidedOn ? `, ${date(bid.decidedOn)}` : ""}
          </dd>
          {bid.reasons.length ? (
            <>
              <dt>{t("project.reason")}</dt>
              <dd className="whitespace-pre-line" translate="no">
                {bid.reasons.join("\n")}
              </dd>
            </>
          ) : null}
          <dt>{t("project.interests")}</dt>
          <dd>
            {bid.stoodAside.length
              ? t("project.stoodAside", { names: joinList(bid.stoodAside, language) })
              : t("project.noInterest")}
          </dd>
        </dl>
      </section>
      <h2>{t("project.heading")}</h2>
      <p className="whitespace-pre-line" translate="no">
        {bid.description}
      </p>
      {bid.beneficiaries ? (
        <p>
          <strong>{t("project.whoBenefits")}</strong> <span translate="no">{bid.beneficiaries}</span>
        </p>
      ) : null}
      {bid.startOn || bid.endOn ? (
        <p>
          <strong>{t("project.when")}</strong>{" "}
          {t("project.dates", {
            start: bid.startOn ? date(bid.startOn) : "?",
            end: bid.endOn ? date(bid.endOn) : "?",
          })}
        </p>
      ) : null}
      <PublicDeliveryUpdates updates={deliveryUpdates} />
      {bid.youSaidWeDid ? (
        <section aria-labelledby="done-heading">
          <h2 id="done-heading">{t("project.youSaid")}</h2>
          <p className="whitespace-pre-line" translate="no">
            {bid.youSaidWeDid}
          </p>
          {bid.photos.length ? (
            <ul className="flex flex-wrap gap-2" aria-label={t("project.photos", { title })}>
              {bid.photos.map((photo, i) => (
                <li key={photo.url}>
                  <img
                    src={photo.url}
                    alt={t("project.photoAlt", { number: i + 1, total: bid.photos.length, title })}
                    className="h-40 w-auto rounded border"
                  />
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <p className="mt-6">
        {bid.wards.map((w, i) => (
          <span key={w.gssCode}>
            {i > 0 ? " · " : ""}
            <Link to={`/wards/${w.gssCode}`}>
              {t("project.wardLink", { ward: pickLocalised({ en: w.name, cy: w.nameCy }, language).text })}
            </Link>
          </span>
        ))}
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
