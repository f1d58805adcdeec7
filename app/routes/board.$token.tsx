import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { timeLeftText, type BoardSnapshot } from "~/core/events/board";
import { revealSteps, type RevealStep } from "~/core/events/reveal";
import { RULE_NAMES } from "~/core/results/report-view";
import { publishedResults } from "~/models/counts.server";
import { boardClosesAt, boardSnapshotNow } from "~/models/events/board.server";
import { eventByBoardToken } from "~/models/events/events.server";
import { findRound } from "~/models/rounds/queries.server";
import { notFound } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.roundName ?? "Turnout board"} – Wardfund` },
  { name: "robots", content: "noindex" },
];
export const handle = { bare: true };
export const headers = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

/**
 * Public at a long random address: turnout only while voting runs (never a tally), and the result
 * step by step once the count is ratified or released and published.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = eventByBoardToken(params.token ?? "");
  if (!event) throw notFound("There is no such board.");
  const round = findRound(event.roundId)!;
  const published = publishedResults(round.id);
  const step = Number(new URL(request.url).searchParams.get("step") ?? "0");
  const base = { token: event.boardToken, eventName: event.name, roundName: round.name, now: new Date().toISOString() };
  if (published) {
    const steps = revealSteps(published.summary.view, published.summary.ranked);
    return json({
      ...base,
      mode: "reveal" as const,
      rule: RULE_NAMES[published.summary.view.rule],
      adopted: published.summary.status === "ratified",
      steps,
      step: Number.isInteger(step) && step >= 0 && step <= steps.length ? step : 0,
      snapshot: null,
    });
  }
  return json({
    ...base,
    mode: "turnout" as const,
    rule: null,
    adopted: false,
    steps: [] as RevealStep[],
    step: 0,
    snapshot: boardSnapshotNow(round.id, boardClosesAt(event)),
  });
}

export default function Board() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="board mx-auto max-w-6xl bg-white text-black">
      {data.mode === "reveal" ? <Reveal /> : <Turnout initial={data.snapshot!} />}
    </div>
  );
}

function Turnout({ initial }: { initial: BoardSnapshot }) {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const [snapshot, setSnapshot] = useState(initial);
  const [now, setNow] = useState(data.now);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const source = new EventSource(`/board/${data.token}/stream`);
    source.addEventListener("turnout", (e) => setSnapshot(JSON.parse((e as MessageEvent<string>).data)));
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    const clock = window.setInterval(() => setNow(new Date().toISOString()), 1000);
    return () => {
      source.close();
      window.clearInterval(clock);
    };
  }, [data.token]);

  // Once voting closes, look for the published result now and then; the reveal follows by itself.
  useEffect(() => {
    if (snapshot.votingOpen) return;
    const timer = window.setInterval(() => revalidator.revalidate(), 5000);
    return () => window.clearInterval(timer);
  }, [snapshot.votingOpen, revalidator]);

  return (
    <>
      <noscript>
        <meta httpEquiv="refresh" content="10" />
      </noscript>
      <h1 className="text-4xl">{data.eventName}</h1>
      <p className="text-2xl">{data.roundName}</p>
      <section aria-labelledby="turnout-heading" className="mt-6">
        <h2 id="turnout-heading" className="text-3xl">
          People who have voted
        </h2>
        <p className="text-8xl font-bold" data-testid="board-total" aria-live="polite" aria-atomic="true">
          {snapshot.total}
        </p>
        <table className="mt-4 text-3xl">
          <caption className="sr-only">Turnout by how people voted</caption>
          <tbody>
            {snapshot.channels.map((c) => (
              <tr key={c.channel}>
                <th scope="row" className="pr-8 text-left font-normal">
                  {c.label}
                </th>
                <td className="font-bold" data-testid={`board-${c.channel}`}>
                  {c.count}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="mt-8 text-4xl font-bold" data-testid="board-time-left">
        {snapshot.votingOpen ? timeLeftText(snapshot.closesAt, now) : "Voting has closed"}
      </p>
      <p className="mt-4 text-xl">
        The board shows only how many have voted, never how the vote is going. The result appears here once it is
        counted and ratified.
        {live ? " Updates live." : " Refreshes every few seconds."}
      </p>
    </>
  );
}

const NEXT_KEYS = new Set(["ArrowRight", "ArrowDown", "PageDown", " ", "Enter", "n"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "ArrowUp", "PageUp", "Backspace", "p"]);

function Reveal() {
  const data = useLoaderData<typeof loader>();
  const [step, setStep] = useState(data.step);
  const last = data.steps.length;
  const go = useCallback(
    (to: number) => {
      const next = Math.max(0, Math.min(last, to));
      setStep(next);
      window.history.replaceState(null, "", `?step=${next}`);
    },
    [last],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (NEXT_KEYS.has(e.key)) go(step + 1);
      else if (PREVIOUS_KEYS.has(e.key)) go(step - 1);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(last);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go, step, last]);
  const current = step === 0 ? null : data.steps[step - 1]!;
  return (
    <>
      <h1 className="text-4xl">The result: {data.roundName}</h1>
      <p className="text-2xl">
        Counted by {data.rule}.{data.adopted ? " Ratified by the council." : " Counted, but not adopted."}
      </p>
      <section aria-live="polite" aria-atomic="true" className="mt-6" data-testid="reveal-step">
        {current ? (
          <StepView step={current} />
        ) : (
          <p className="text-4xl">Press the right arrow or the clicker to begin the reveal.</p>
        )}
      </section>
      <nav aria-label="Reveal steps" className="mt-8 flex items-center gap-6 text-2xl">
        {step > 0 ? (
          <a href={`?step=${step - 1}`} onClick={(e) => (e.preventDefault(), go(step - 1))}>
            Previous step
          </a>
        ) : null}
        <span>
          Step {step} of {last}
        </span>
        {step < last ? (
          <a href={`?step=${step + 1}`} onClick={(e) => (e.preventDefault(), go(step + 1))} data-testid="reveal-next">
            Next step
          </a>
        ) : null}
      </nav>
      <details className="mt-8 text-xl">
        <summary>The whole result as text</summary>
        {data.steps.map((s, i) => (
          <StepView key={i} step={s} level={3} />
        ))}
      </details>
    </>
  );
}

function StepView({ step, level = 2 }: { step: RevealStep; level?: 2 | 3 }) {
  const Heading = level === 2 ? "h2" : "h3";
  const max = Math.max(...step.rows.map((r) => Number(r.value.replace(/[£,]/g, "")) || 0), 1);
  return (
    <div className="mb-6">
      <Heading className={level === 2 ? "text-5xl" : "text-2xl"}>{step.heading}</Heading>
      <table className={level === 2 ? "text-3xl" : "text-xl"}>
        <caption className="sr-only">{step.heading}</caption>
        <tbody>
          {step.rows.map((row, i) => (
            <tr key={i}>
              <th scope="row" className="pr-6 text-left font-normal">
                {row.label}
              </th>
              <td className="pr-6 font-bold">{row.value}</td>
              <td className="pr-6 font-bold uppercase">{row.mark ?? ""}</td>
              {level === 2 ? (
                <td className="w-64" aria-hidden="true">
                  <svg width="100%" height="24" focusable="false">
                    <rect
                      width={`${Math.round(((Number(row.value.replace(/[£,]/g, "")) || 0) / max) * 100)}%`}
                      height="24"
                      fill="#000"
                    />
                  </svg>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {step.notes.map((note, i) => (
        <p key={i} className={level === 2 ? "text-3xl" : "text-xl"}>
          {note}
        </p>
      ))}
    </div>
  );
}
