/**
 * The count of a ranked rule (IRV, STV, Scottish STV) on the results and count pages: each round's
 * tally by project, who was elected or eliminated (in words, not colour), and where the votes of
 * those decided in the round went. Read from the stored report (app/core/results/ranked-view.ts).
 */
import { RANKED_RULE_NAMES, type RankedView } from "~/core/results/ranked-view";

export function RankedCountSteps({ ranked, idPrefix }: { ranked: RankedView; idPrefix: string }) {
  return (
    <div className="my-4" data-testid="ranked-steps">
      <p>
        Counted by {RANKED_RULE_NAMES[ranked.rule]}
        {ranked.rule === "irv" ? "" : `, filling ${ranked.seats} place${ranked.seats === 1 ? "" : "s"}`}, from{" "}
        {ranked.totalBallots} ballots. Each ballot counts for its highest-ranked project still in the count;{" "}
        {ranked.rule === "irv"
          ? "the project with fewest votes is eliminated each round until one has more than half of the votes still counted."
          : "a project reaching the quota is elected and its surplus passes on at a fraction of its value; when none reaches it, the project with fewest votes is eliminated."}
      </p>
      {ranked.rounds.map((round) => (
        <div key={round.round}>
          <table className="mb-2" id={`${idPrefix}-round-${round.round}`}>
            <caption className="text-left font-semibold">
              Round {round.round} ({ranked.rule === "irv" ? "votes needed to win" : "quota"}: {round.threshold})
            </caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col" className="text-right">
                  Votes
                </th>
                <th scope="col">Outcome this round</th>
              </tr>
            </thead>
            <tbody>
              {round.tally.map((t) => (
                <tr key={t.project.id}>
                  <th scope="row" className="text-left font-normal">
                    {t.project.title}
                  </th>
                  <td className="text-right">{t.votes}</td>
                  <td>
                    {round.elected.some((p) => p.id === t.project.id)
                      ? "Elected"
                      : round.eliminated.some((p) => p.id === t.project.id)
                        ? "Eliminated"
                        : ""}
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row" className="text-left font-normal">
                  No further choice (exhausted)
                </th>
                <td className="text-right">{round.exhausted}</td>
                <td />
              </tr>
            </tbody>
          </table>
          {round.transfers.length > 0 ? (
            <ul className="mb-4 list-disc pl-6">
              {round.transfers.map((t) => (
                <li key={t.from.id}>
                  {t.from.title}&apos;s votes went on to:{" "}
                  {t.to.map((to) => `${to.project?.title ?? "no further choice"} ${to.votes}`).join(", ")}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      {ranked.tieBreaks.length > 0 ? (
        <div>
          <h3>Ties</h3>
          <ul className="list-disc pl-6">
            {ranked.tieBreaks.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
