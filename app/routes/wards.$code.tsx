import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { BalanceChart } from "~/components/balance-chart";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LocalisedText } from "~/components/localised-text";
import { isWardGssCode, normaliseGssCode } from "~/core/places/gss";
import { pickLocalised } from "~/core/localised";
import { publicWard } from "~/models/public-wards.server";
import { WardProjectProgress } from "~/components/delivery-updates";
import { publishedUpdateSummaries } from "~/models/delivery-updates.server";
import { notFound } from "~/utils/http.server";
import { joinList, languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const page = data
    ? t("projects:ward.title", { ward: pickLocalised({ en: data.ward.name, cy: data.ward.nameCy }, language).text })
    : t("projects:ward.titleFallback");
  return [{ title: t("common:title", { page }) }];
};

/** Public: one ward's councillors, budget this year and funded projects. */
export async function loader({ params }: LoaderFunctionArgs) {
  const code = normaliseGssCode(params.code ?? "");
  if (!isWardGssCode(code)) throw notFound("projects:ward.notFound");
  const ward = publicWard(code);
  if (!ward) throw notFound("projects:ward.notFound");
  const bidIds = ward.projects.flatMap((p) => (p.bidId ? [p.bidId] : []));
  return json({ ...ward, progress: publishedUpdateSummaries(bidIds) });
}

export default function WardPage() {
  const { ward, fy, councillors, budget, projects, decided, rejectedCount, progress } = useLoaderData<typeof loader>();
  const { t } = useTranslation("projects");
  const { date, money, number, language } = useFormat();
  const wardName = pickLocalised({ en: ward.name, cy: ward.nameCy }, language).text;
  const localised = (en: string, cy: string | null) => pickLocalised({ en, cy }, language).text;
  return (
    <div>
      <p>
        <Link to="/wards">{t("ward.allWards")}</Link>
      </p>
      <h1>
        <LocalisedText value={{ en: ward.name, cy: ward.nameCy }} />
      </h1>
      <p className="muted">
        {t("ward.codeAndPopulation", { code: ward.gssCode, population: number(ward.population) })}
      </p>
      <h2>{t("ward.councillors")}</h2>
      <p>{councillors.length ? <span translate="no">{councillors.join(", ")}</span> : t("ward.noCouncillors")}</p>
      <h2>{t("ward.budgetHeading", { fy })}</h2>
      <dl className="grid max-w-md grid-cols-[10rem_1fr] gap-2">
        <dt className="font-semibold">{t("ward.budgetSet")}</dt>
        <dd className="tabular-nums">{money(budget.setPence)}</dd>
        <dt className="font-semibold">{t("ward.committed")}</dt>
        <dd className="tabular-nums">{money(budget.committedPence)}</dd>
        <dt className="font-semibold">{t("ward.paid")}</dt>
        <dd className="tabular-nums">{money(budget.paidPence)}</dd>
        <dt className="font-semibold">{t("ward.available")}</dt>
        <dd className="tabular-nums">{money(budget.availablePence)}</dd>
      </dl>
      <BalanceChart
        title={t("ward.chartTitle", { ward: wardName, fy })}
        rows={[
          {
            label: wardName,
            paid: budget.paidPence,
            committed: budget.committedPence,
            available: budget.availablePence,
          },
        ]}
      />
      <h2>{t("ward.fundedHeading")}</h2>
      {projects.length === 0 ? (
        <p>{t("ward.noneFunded")}</p>
      ) : (
        <ul className="space-y-4">
          {projects.map((p) => (
            <li key={p.id} className="panel">
              <h3 className="mt-0">
                {p.bidId ? (
                  <Link to={`/projects/${p.bidId}`}>
                    <LocalisedText value={{ en: p.title, cy: p.titleCy }} />
                  </Link>
                ) : (
                  <LocalisedText value={{ en: p.title, cy: p.titleCy }} />
                )}
              </h3>
              <LocalisedText as="p" value={{ en: p.summary, cy: p.summaryCy }} />
              <p className="muted m-0">
                <Trans
                  t={t}
                  i18nKey="ward.awardedTo"
                  values={{ amount: money(p.amountAwardedPence), group: p.groupName }}
                  components={{ group: <span translate="no" /> }}
                />
                ,{" "}
                {p.roundName ? (
                  <Trans
                    t={t}
                    i18nKey="ward.chosenIn"
                    components={{ round: <LocalisedText value={{ en: p.roundName, cy: p.roundNameCy }} /> }}
                  />
                ) : p.decidedBy ? (
                  <Trans
                    t={t}
                    i18nKey="ward.decidedOnBy"
                    values={{ date: date(p.awardDate), name: p.decidedBy }}
                    components={{ name: <span translate="no" /> }}
                  />
                ) : (
                  t("ward.decidedOn", { date: date(p.awardDate) })
                )}{" "}
                · <LocalisedText value={{ en: p.fundName, cy: p.fundNameCy }} />
              </p>
              {p.bidId && progress[p.bidId] ? <WardProjectProgress bidId={p.bidId} {...progress[p.bidId]!} /> : null}
              {p.youSaidWeDid ? (
                <div className="mt-2">
                  <h4 className="m-0 font-semibold">{t("project.youSaid")}</h4>
                  <p className="m-0 whitespace-pre-line" translate="no">
                    {p.youSaidWeDid}
                  </p>
                  {p.photos.length ? (
                    <ul
                      className="mt-2 flex flex-wrap gap-2"
                      aria-label={t("project.photos", { title: localised(p.title, p.titleCy) })}
                    >
                      {p.photos.map((photo, i) => (
                        <li key={photo.url}>
                          <img
                            src={photo.url}
                            alt={
                              p.photos.length > 1
                                ? t("ward.photoNumbered", { number: i + 1, title: localised(p.title, p.titleCy) })
                                : t("ward.photo", { title: localised(p.title, p.titleCy) })
                            }
                            loading="lazy"
                            className="h-40 w-auto rounded border object-cover"
                          />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="decided-heading">
        <h2 id="decided-heading">{t("ward.decidedHeading", { fy })}</h2>
        <p>
          {decided.length === 0
            ? t("ward.noneDecided")
            : t("ward.decidedCount", { count: decided.length, rejected: rejectedCount })}
        </p>
        {decided.length ? (
          <table>
            <caption className="sr-only">{t("ward.caption", { ward: wardName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("ward.bid")}</th>
                <th scope="col">{t("ward.outcome")}</th>
                <th scope="col">{t("ward.reason")}</th>
                <th scope="col">{t("ward.decided")}</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((d) => (
                <tr key={d.bidId}>
                  <td>
                    <Link to={`/projects/${d.bidId}`}>
                      <LocalisedText value={{ en: d.title, cy: d.titleCy }} />
                    </Link>
                    <br />
                    <span className="muted">
                      <span translate="no">{d.groupName}</span> · {d.reference}
                    </span>
                  </td>
                  <td>
                    {d.awardedPence
                      ? t("outcome.withAmount", { outcome: t(`outcome.${d.outcome}`), amount: money(d.awardedPence) })
                      : t(`outcome.${d.outcome}`)}
                    {d.askedPence && d.outcome !== "funded"
                      ? ` ${t("ward.askedFor", { amount: money(d.askedPence) })}`
                      : ""}
                  </td>
                  <td>
                    {d.reasons.length ? (
                      <span translate="no">{d.reasons.join(" ")}</span>
                    ) : (
                      <span className="muted">{t("ward.noReason")}</span>
                    )}
                  </td>
                  <td>
                    {d.kind === "pb-round" ? (
                      <Trans
                        t={t}
                        i18nKey="project.chosenByResidents"
                        components={{
                          round: (
                            <LocalisedText
                              value={{ en: d.roundName ?? d.fundName, cy: d.roundNameCy ?? d.fundNameCy }}
                            />
                          ),
                        }}
                      />
                    ) : (
                      t("ward.by", { names: joinList(d.decidedBy, language) })
                    )}
                    {d.decidedOn ? `, ${date(d.decidedOn)}` : ""}
                    {d.stoodAside.length ? (
                      <>
                        <br />
                        {t("ward.stoodAside", { names: joinList(d.stoodAside, language) })}
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
