/**
 * The count of a ranked rule (IRV, STV, Scottish STV) on the results and count pages: each round's
 * tally by project, who was elected or eliminated (in words, not colour), and where the votes of
 * those decided in the round went. Read from the stored report (app/core/results/ranked-view.ts).
 */
import { useTranslation } from "react-i18next";
import { ProjectTitle } from "~/components/pb-results";
import type { RankedView } from "~/core/results/ranked-view";

export function RankedCountSteps({ ranked, idPrefix }: { ranked: RankedView; idPrefix: string }) {
  const { t, i18n } = useTranslation("voting");
  const rule = t(`rule.${ranked.rule}`);
  return (
    <div className="my-4" data-testid="ranked-steps">
      <p>
        {ranked.rule === "irv"
          ? t("ranked.counted", { rule, ballots: ranked.totalBallots })
          : t("ranked.countedSeats", { rule, seats: ranked.seats, ballots: ranked.totalBallots })}{" "}
        {ranked.rule === "irv" ? t("ranked.irv") : t("ranked.stv")}
      </p>
      {ranked.rounds.map((round) => (
        <div key={round.round}>
          <table className="mb-2" id={`${idPrefix}-round-${round.round}`}>
            <caption className="text-left font-semibold">
              {t(ranked.rule === "irv" ? "ranked.roundNeeded" : "ranked.roundQuota", {
                round: round.round,
                threshold: round.threshold,
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("table.project")}</th>
                <th scope="col" className="text-right">
                  {t("table.votes")}
                </th>
                <th scope="col">{t("ranked.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {round.tally.map((tally) => (
                <tr key={tally.project.id}>
                  <th scope="row" className="text-left font-normal">
                    <ProjectTitle title={tally.project.title} />
                  </th>
                  <td className="text-right">{tally.votes}</td>
                  <td>
                    {round.elected.some((p) => p.id === tally.project.id)
                      ? t("ranked.elected")
                      : round.eliminated.some((p) => p.id === tally.project.id)
                        ? t("ranked.eliminated")
                        : ""}
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row" className="text-left font-normal">
                  {t("ranked.exhausted")}
                </th>
                <td className="text-right">{round.exhausted}</td>
                <td />
              </tr>
            </tbody>
          </table>
          {round.transfers.length > 0 ? (
            <ul className="mb-4 list-disc pl-6">
              {round.transfers.map((transfer) => (
                <li key={transfer.from.id}>
                  {t("ranked.wentTo", {
                    title: transfer.from.title,
                    list: transfer.to
                      .map((to) => `${to.project?.title ?? t("ranked.noFurther")} ${to.votes}`)
                      .join(", "),
                  })}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      {ranked.tieBreaks.length > 0 ? (
        <div>
          <h3>{t("table.ties")}</h3>
          <ul className="list-disc pl-6" lang={i18n.language === "en" ? undefined : "en-GB"}>
            {ranked.tieBreaks.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
