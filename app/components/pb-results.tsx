/**
 * The parts of a PB result shared by the admin count page and the public results page: the
 * winners and the money, the round-by-round steps as a table, the chart as a figure (an SVG built
 * on the server, readable without JavaScript), the other rule's choice, turnout, and the
 * equality-monitoring summary.
 */
import { useTranslation } from "react-i18next";
import { type GreedyRow, type MesRow, type ResultView, type RuleComparisonRow } from "~/core/results/report-view";
import type { Turnout } from "~/core/results/turnout";
import { PREFER_NOT_TO_SAY } from "~/core/voting/equality";
import { useFormat } from "~/utils/translate";

/** A project's title: council content, written in English only so far, so marked as English for Welsh readers. */
export function ProjectTitle({ title }: { title: string }) {
  const { i18n } = useTranslation();
  return i18n.language === "en" ? <>{title}</> : <span lang="en-GB">{title}</span>;
}

/** Text the count wrote in English (tie-break explanations), marked as English for readers of other languages. */
function CountText({ text }: { text: string }) {
  const { i18n } = useTranslation();
  return i18n.language === "en" ? <>{text}</> : <span lang="en-GB">{text}</span>;
}

export function WinnersTable({ view, caption }: { view: ResultView; caption: string }) {
  const { t } = useTranslation("voting");
  const { money } = useFormat();
  return (
    <table className="mb-6">
      <caption className="text-left font-semibold">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("table.project")}</th>
          <th scope="col">{t("table.reference")}</th>
          <th scope="col" className="text-right">
            {t("table.money")}
          </th>
        </tr>
      </thead>
      <tbody>
        {view.winners.map((w) => (
          <tr key={w.id}>
            <th scope="row" className="text-left font-normal">
              <ProjectTitle title={w.title} />
            </th>
            <td>{w.reference}</td>
            <td className="text-right">{money(w.costPence)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" className="text-left" colSpan={2}>
            {t("table.totalOf", { pot: money(view.potPence) })}
          </th>
          <td className="text-right font-semibold">{money(view.totalPence)}</td>
        </tr>
        <tr>
          <th scope="row" className="text-left font-normal" colSpan={2}>
            {t("table.leftOver")}
          </th>
          <td className="text-right">{money(view.leftOverPence)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function GreedyTable({ rows, id }: { rows: GreedyRow[]; id: string }) {
  const { t } = useTranslation("voting");
  const { money } = useFormat();
  return (
    <table className="mb-6" id={id}>
      <caption className="text-left font-semibold">{t("table.greedyCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("table.step")}</th>
          <th scope="col">{t("table.project")}</th>
          <th scope="col" className="text-right">
            {t("table.points")}
          </th>
          <th scope="col" className="text-right">
            {t("table.cost")}
          </th>
          <th scope="col">{t("table.chosen")}</th>
          <th scope="col" className="text-right">
            {t("table.budgetLeft")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={row.project.id} className={row.selected ? "font-semibold" : undefined}>
            <td>{i + 1}</td>
            <th scope="row" className="text-left">
              <ProjectTitle title={row.project.title} />
            </th>
            <td className="text-right">{row.points}</td>
            <td className="text-right">{money(row.project.costPence)}</td>
            <td>{row.selected ? t("table.yes") : t("table.didNotFit")}</td>
            <td className="text-right">{money(row.budgetLeftPence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MesTable({ rows, id }: { rows: MesRow[]; id: string }) {
  const { t } = useTranslation("voting");
  const { money } = useFormat();
  return (
    <table className="mb-6" id={id}>
      <caption className="text-left font-semibold">{t("table.mesCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("table.round")}</th>
          <th scope="col">{t("table.projectChosen")}</th>
          <th scope="col" className="text-right">
            {t("table.cost")}
          </th>
          <th scope="col">{t("table.pricePerPoint")}</th>
          <th scope="col" className="text-right">
            {t("table.budgetLeft")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.round}>
            <td>{row.round}</td>
            <th scope="row" className="text-left">
              <ProjectTitle title={row.project.title} />
            </th>
            <td className="text-right">{money(row.project.costPence)}</td>
            <td>{row.pricePerPoint}</td>
            <td className="text-right">{money(row.budgetLeftPence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The chart (SVG built on the server by app/core/results/chart.ts) with its caption and table. */
export function CountSteps({ view, svg, idPrefix }: { view: ResultView; svg: string; idPrefix: string }) {
  const tableId = `${idPrefix}-table`;
  const { t } = useTranslation("voting");
  return (
    <figure className="my-4">
      <figcaption className="font-semibold">{t("table.figcaption", { rule: t(`rule.${view.rule}`) })}</figcaption>
      <div className="my-2 overflow-x-auto" dangerouslySetInnerHTML={{ __html: svg }} />
      {view.rule === "greedy" ? (
        <GreedyTable rows={view.greedyRows} id={tableId} />
      ) : (
        <MesTable rows={view.mesRows} id={tableId} />
      )}
      {view.tieBreaks.length > 0 ? (
        <div>
          <h3>{t("table.ties")}</h3>
          <ul className="list-disc pl-6">
            {view.tieBreaks.map((line) => (
              <li key={line}>
                <CountText text={line} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </figure>
  );
}

export function RuleComparison({
  rows,
  rule,
  otherRule,
}: {
  rows: RuleComparisonRow[];
  rule: string;
  otherRule: string;
}) {
  const differences = rows.filter((r) => r.differs).length;
  const { t } = useTranslation("voting");
  const { money } = useFormat();
  const ruleName = t(`rule.${rule}`, { defaultValue: rule });
  const otherName = t(`rule.${otherRule}`, { defaultValue: otherRule });
  return (
    <div>
      <p>
        {differences === 0
          ? t("table.sameChoice", { other: otherName })
          : t("table.differently", { other: otherName, count: differences })}
      </p>
      <table className="mb-6">
        <caption className="text-left font-semibold">{t("table.eitherRule")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("table.project")}</th>
            <th scope="col">{t("table.used", { rule: ruleName })}</th>
            <th scope="col">{otherName}</th>
            <th scope="col">{t("table.difference")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.project.id} className={row.differs ? "bg-amber-100 font-semibold" : undefined}>
              <th scope="row" className="text-left">
                <ProjectTitle title={row.project.title} /> ({money(row.project.costPence)})
              </th>
              <td>{row.chosen ? t("table.chosen") : t("table.notChosen")}</td>
              <td>{row.chosenByOther ? t("table.chosen") : t("table.notChosen")}</td>
              <td>{row.differs ? t("table.differs") : t("table.same")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TurnoutTables({ turnout }: { turnout: Turnout }) {
  const { t } = useTranslation("voting");
  const { number } = useFormat();
  return (
    <div className="grid items-start gap-4 md:grid-cols-2">
      <table className="mb-6">
        <caption className="text-left font-semibold">{t("table.byRoute")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("table.route")}</th>
            <th scope="col" className="text-right">
              {t("table.votes")}
            </th>
          </tr>
        </thead>
        <tbody>
          {turnout.byRoute.map((c) => (
            <tr key={c.route}>
              <th scope="row" className="text-left font-normal">
                {t(`route.${c.route}`)}
              </th>
              <td className="text-right">{number(c.count)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="text-left">
              {t("table.total")}
            </th>
            <td className="text-right font-semibold">{number(turnout.total)}</td>
          </tr>
        </tfoot>
      </table>
      <table className="mb-6">
        <caption className="text-left font-semibold">{t("table.byWard")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("table.ward")}</th>
            <th scope="col" className="text-right">
              {t("table.votes")}
            </th>
          </tr>
        </thead>
        <tbody>
          {turnout.byWard.map((w) => (
            <tr key={w.wardName}>
              <th scope="row" className="text-left font-normal">
                <span translate="no">{w.wardName}</span>
              </th>
              <td className="text-right">{number(w.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface EqualityRow {
  question: string;
  answer: string;
  /** Null where the number is too small to publish without identifying anyone. */
  count: number | null;
}

/**
 * Equality monitoring: who took part, from the anonymous answers (the voting part of the product
 * supplies the rows as `equalityReport(roundId)`). Renders nothing when there are no rows.
 */
export function EqualitySummary({ rows }: { rows: readonly EqualityRow[] }) {
  const { t } = useTranslation("voting");
  const { number } = useFormat();
  if (rows.length === 0) return null;
  const questions = [...new Set(rows.map((r) => r.question))];
  return (
    <section aria-labelledby="equality-heading">
      <h2 id="equality-heading">{t("table.tookPart")}</h2>
      <p>{t("table.tookPartIntro")}</p>
      {questions.map((question) => (
        <table key={question} className="mb-6">
          <caption className="text-left font-semibold">
            <CountText text={question} />
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("table.answer")}</th>
              <th scope="col" className="text-right">
                {t("table.people")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => r.question === question)
              .map((r) => (
                <tr key={r.answer}>
                  <th scope="row" className="text-left font-normal">
                    {r.answer === PREFER_NOT_TO_SAY ? t("equality.preferNot") : <CountText text={r.answer} />}
                  </th>
                  <td className="text-right">{r.count === null ? t("table.hidden") : number(r.count)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
