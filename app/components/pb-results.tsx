/**
 * The parts of a PB result shared by the admin count page and the public results page: the
 * winners and the money, the round-by-round steps as a table, the chart as a figure (an SVG built
 * on the server, readable without JavaScript), the other rule's choice, turnout, and the
 * equality-monitoring summary.
 */
import {
  RULE_NAMES,
  type GreedyRow,
  type MesRow,
  type ResultView,
  type RuleComparisonRow,
} from "~/core/results/report-view";
import { ROUTE_LABELS, type Turnout } from "~/core/results/turnout";
import { formatPence } from "~/core/money";

export function WinnersTable({ view, caption }: { view: ResultView; caption: string }) {
  return (
    <table className="mb-6">
      <caption className="text-left font-semibold">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Project</th>
          <th scope="col">Reference</th>
          <th scope="col" className="text-right">
            Money
          </th>
        </tr>
      </thead>
      <tbody>
        {view.winners.map((w) => (
          <tr key={w.id}>
            <th scope="row" className="text-left font-normal">
              {w.title}
            </th>
            <td>{w.reference}</td>
            <td className="text-right">{formatPence(w.costPence)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" className="text-left" colSpan={2}>
            Total of {formatPence(view.potPence)}
          </th>
          <td className="text-right font-semibold">{formatPence(view.totalPence)}</td>
        </tr>
        <tr>
          <th scope="row" className="text-left font-normal" colSpan={2}>
            Left over
          </th>
          <td className="text-right">{formatPence(view.leftOverPence)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function GreedyTable({ rows, id }: { rows: GreedyRow[]; id: string }) {
  return (
    <table className="mb-6" id={id}>
      <caption className="text-left font-semibold">Each project in order of points</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Project</th>
          <th scope="col" className="text-right">
            Points
          </th>
          <th scope="col" className="text-right">
            Cost
          </th>
          <th scope="col">Chosen</th>
          <th scope="col" className="text-right">
            Budget left
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={row.project.id} className={row.selected ? "font-semibold" : undefined}>
            <td>{i + 1}</td>
            <th scope="row" className="text-left">
              {row.project.title}
            </th>
            <td className="text-right">{row.points}</td>
            <td className="text-right">{formatPence(row.project.costPence)}</td>
            <td>{row.selected ? "Yes" : "No: did not fit"}</td>
            <td className="text-right">{formatPence(row.budgetLeftPence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MesTable({ rows, id }: { rows: MesRow[]; id: string }) {
  return (
    <table className="mb-6" id={id}>
      <caption className="text-left font-semibold">Each round of the Method of Equal Shares</caption>
      <thead>
        <tr>
          <th scope="col">Round</th>
          <th scope="col">Project chosen</th>
          <th scope="col" className="text-right">
            Cost
          </th>
          <th scope="col">Price per point (£, exact)</th>
          <th scope="col" className="text-right">
            Budget left
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.round}>
            <td>{row.round}</td>
            <th scope="row" className="text-left">
              {row.project.title}
            </th>
            <td className="text-right">{formatPence(row.project.costPence)}</td>
            <td>{row.pricePerPoint}</td>
            <td className="text-right">{formatPence(row.budgetLeftPence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The chart (SVG built on the server by app/core/results/chart.ts) with its caption and table. */
export function CountSteps({ view, svg, idPrefix }: { view: ResultView; svg: string; idPrefix: string }) {
  const tableId = `${idPrefix}-table`;
  return (
    <figure className="my-4">
      <figcaption className="font-semibold">
        How the count went, round by round ({RULE_NAMES[view.rule]}). The chart shows the same numbers as the table
        below it.
      </figcaption>
      <div className="my-2 overflow-x-auto" dangerouslySetInnerHTML={{ __html: svg }} />
      {view.rule === "greedy" ? (
        <GreedyTable rows={view.greedyRows} id={tableId} />
      ) : (
        <MesTable rows={view.mesRows} id={tableId} />
      )}
      {view.tieBreaks.length > 0 ? (
        <div>
          <h3>Ties</h3>
          <ul className="list-disc pl-6">
            {view.tieBreaks.map((t) => (
              <li key={t}>{t}</li>
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
  const ruleName = RULE_NAMES[rule as keyof typeof RULE_NAMES] ?? rule;
  const otherName = RULE_NAMES[otherRule as keyof typeof RULE_NAMES] ?? otherRule;
  return (
    <div>
      <p>
        {differences === 0
          ? `${otherName} would have chosen the same projects from the same ballots.`
          : `${otherName} would have chosen differently for ${differences} project${differences === 1 ? "" : "s"} (marked below).`}
      </p>
      <table className="mb-6">
        <caption className="text-left font-semibold">Projects chosen by either rule</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">{ruleName} (used)</th>
            <th scope="col">{otherName}</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.project.id} className={row.differs ? "bg-amber-100 font-semibold" : undefined}>
              <th scope="row" className="text-left">
                {row.project.title} ({formatPence(row.project.costPence)})
              </th>
              <td>{row.chosen ? "Chosen" : "Not chosen"}</td>
              <td>{row.chosenByOther ? "Chosen" : "Not chosen"}</td>
              <td>{row.differs ? "Differs" : "Same"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TurnoutTables({ turnout }: { turnout: Turnout }) {
  return (
    <div className="grid items-start gap-4 md:grid-cols-2">
      <table className="mb-6">
        <caption className="text-left font-semibold">Votes by how people voted</caption>
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col" className="text-right">
              Votes
            </th>
          </tr>
        </thead>
        <tbody>
          {turnout.byRoute.map((c) => (
            <tr key={c.route}>
              <th scope="row" className="text-left font-normal">
                {ROUTE_LABELS[c.route]}
              </th>
              <td className="text-right">{c.count}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="text-left">
              Total
            </th>
            <td className="text-right font-semibold">{turnout.total}</td>
          </tr>
        </tfoot>
      </table>
      <table className="mb-6">
        <caption className="text-left font-semibold">Votes by ward</caption>
        <thead>
          <tr>
            <th scope="col">Ward</th>
            <th scope="col" className="text-right">
              Votes
            </th>
          </tr>
        </thead>
        <tbody>
          {turnout.byWard.map((w) => (
            <tr key={w.wardName}>
              <th scope="row" className="text-left font-normal">
                {w.wardName}
              </th>
              <td className="text-right">{w.count}</td>
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
  if (rows.length === 0) return null;
  const questions = [...new Set(rows.map((r) => r.question))];
  return (
    <section aria-labelledby="equality-heading">
      <h2 id="equality-heading">Who took part</h2>
      <p>
        From the optional, anonymous equality questions. &ldquo;Hidden&rdquo; means fewer than 10 people gave that
        answer, or that the number is hidden so that such a small number cannot be worked out from the others and the
        total.
      </p>
      {questions.map((question) => (
        <table key={question} className="mb-6">
          <caption className="text-left font-semibold">{question}</caption>
          <thead>
            <tr>
              <th scope="col">Answer</th>
              <th scope="col" className="text-right">
                People
              </th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => r.question === question)
              .map((r) => (
                <tr key={r.answer}>
                  <th scope="row" className="text-left font-normal">
                    {r.answer}
                  </th>
                  <td className="text-right">{r.count === null ? "Hidden" : r.count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
