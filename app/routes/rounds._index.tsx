import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { listPublicRounds } from "~/models/rounds/lists.server";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("voting:rounds.title");

/** Public: every round that has opened, newest voting first. */
export async function loader() {
  advanceRoundPhases();
  return json({ rounds: listPublicRounds() });
}

export default function PublicRounds() {
  const { rounds } = useLoaderData<typeof loader>();
  const { t } = useTranslation("voting");
  const format = useFormat();
  const day = (iso: string | null | undefined) => (iso ? format.date(iso) : "—");
  return (
    <div>
      <h1>{t("rounds.title")}</h1>
      <p className="max-w-3xl">{t("rounds.intro")}</p>
      {rounds.length === 0 ? (
        <p>{t("rounds.none")}</p>
      ) : (
        <ul className="grid gap-4">
          {rounds.map((r) => (
            <li key={r.id} className="panel">
              <h2 className="text-xl">
                <Link to={`/rounds/${r.id}`}>
                  <LocalisedText value={{ en: r.name, cy: r.nameCy }} />
                </Link>
              </h2>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4">
                <dt className="font-semibold">{t("rounds.area")}</dt>
                <dd>{r.allWards ? t("rounds.everyWard") : <span translate="no">{r.wardNames.join(", ")}</span>}</dd>
                <dt className="font-semibold">{t("rounds.pot")}</dt>
                <dd>{format.money(r.potPence)}</dd>
                <dt className="font-semibold">{t("rounds.now")}</dt>
                <dd>{t(`phase.${r.phase}`)}</dd>
                <dt className="font-semibold">{t("rounds.bids")}</dt>
                <dd>{t("rounds.dates", { from: day(r.bidsOpenAt), to: day(r.bidsCloseAt) })}</dd>
                <dt className="font-semibold">{t("rounds.voting")}</dt>
                <dd>{t("rounds.dates", { from: day(r.votingOpensAt), to: day(r.votingClosesAt) })}</dd>
                {r.resultsAt ? (
                  <>
                    <dt className="font-semibold">{t("rounds.results")}</dt>
                    <dd>{day(r.resultsAt)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
