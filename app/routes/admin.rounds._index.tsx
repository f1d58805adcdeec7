import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { listRounds } from "~/models/rounds/lists.server";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:rounds.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  advanceRoundPhases();
  return json({ rounds: listRounds() });
}

export default function Rounds() {
  const { rounds } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const format = useFormat();
  const date = (iso: string | null) => (iso ? format.date(iso) : t("notSet"));
  return (
    <div>
      <h1>{t("rounds.heading")}</h1>
      <p>
        <Link to="/admin/rounds/new" className="button">
          {t("rounds.setUp")}
        </Link>
      </p>
      {rounds.length === 0 ? (
        <p>{t("rounds.none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table>
            <caption className="sr-only">{t("rounds.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("rounds.round")}</th>
                <th scope="col">{t("rounds.area")}</th>
                <th scope="col" className="text-right">
                  {t("rounds.pot")}
                </th>
                <th scope="col">{t("rounds.phase")}</th>
                <th scope="col">{t("rounds.voting")}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.id}>
                  <th scope="row" className="font-normal">
                    <Link to={`/admin/rounds/${r.id}`}>
                      <LocalisedText value={{ en: r.name, cy: r.nameCy }} />
                    </Link>
                  </th>
                  <td>{r.allWards ? t("everyWard") : r.wardNames.join(", ")}</td>
                  <td className="text-right tabular-nums">{format.money(r.potPence)}</td>
                  <td>{t(`phase.${r.phase}`)}</td>
                  <td>{t("rounds.fromTo", { from: date(r.votingOpensAt), to: date(r.votingClosesAt) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
