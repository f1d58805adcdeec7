import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { timeLeftText, type BoardSnapshot } from "~/core/events/board";
import { revealSteps, type RevealStep } from "~/core/events/reveal";
import { renderMessage } from "~/core/messages/message-key";
import { publishedResults } from "~/models/counts.server";
import { boardClosesAt, boardSnapshotNow } from "~/models/events/board.server";
import { eventByBoardToken } from "~/models/events/events.server";
import { findRound } from "~/models/rounds/queries.server";
import { notFound } from "~/utils/http.server";
import { languageOfMatches, translatorFor } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: t("kiosk:board.title") }) }, { name: "robots", content: "noindex" }];
};
export const handle = { bare: true };
export const headers = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

/**
 * Public at a long random address: turnout only while voting runs (never a tally), and the result
 * step by step once the count is ratified or released and published.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = eventByBoardToken(params.token ?? "");
  if (!event) throw notFound("kiosk:board.notFound");
  const round = findRound(event.roundId)!;
  const published = publishedResults(round.id);
  const step = Number(new URL(request.url).searchParams.get("step") ?? "0");
  const base = {
    token: event.boardToken,
    eventName: event.name,
    roundName: round.name,
    roundNameCy: round.nameCy,
    now: new Date().toISOString(),
  };
  if (published) {
    const steps = revealSteps(published.summary.view, published.summary.ranked);
    return json({
      ...base,
      mode: "reveal" as const,
      rule: published.summary.view.rule as string,
      adopted: published.summary.status === "ratified",
      steps,
      step: Number.isInteger(step) && step >= 0 && step <= steps.length ? step : 0,
      snapshot: null,
    });
  }
  return json({
    ...base,
    mode: "turnout" as const,
    rule: null as string | null,
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

/** A message key from the board's snapshot or the reveal (or a project's title) in the reader's language. */
function useBoardText() {
  const { t, i18n } = useTranslation("kiosk");
  return { t, language: i18n.language, text: (message: string) => renderMessage(message, i18n.language, t) };
}

function Turnout({ initial }: { initial: BoardSnapshot }) {
  const data = useLoaderData<typeof loader>();
  const { t, text } = useBoardText();
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
      <h1 className="text-4xl" translate="no">
        {data.eventName}
      </h1>
      <p className="text-2xl">
        <LocalisedText value={{ en: data.roundName, cy: data.roundNameCy }} />
      </p>
      <section aria-labelledby="turnout-heading" className="mt-6">
        <h2 id="turnout-heading" className="text-3xl">
          {t("board.voted")}
        </h2>
        <p className="text-8xl font-bold" data-testid="board-total" aria-live="polite" aria-atomic="true">
          {snapshot.total}
        </p>
        <table className="mt-4 text-3xl">
          <caption className="sr-only">{t("board.caption")}</caption>
          <tbody>
            {snapshot.channels.map((c) => (
              <tr key={c.channel}>
                <th scope="row" className="pr-8 text-left font-normal">
                  {text(c.label)}
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
        {snapshot.votingOpen ? text(timeLeftText(snapshot.closesAt, now)) : t("board.closed")}
      </p>
      <p className="mt-4 text-xl">
        {t("board.explain")} {live ? t("board.live") : t("board.refreshes")}
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
  const { t } = useBoardText();
  return (
    <>
      <h1 className="text-4xl">
        <Trans
          t={t}
          i18nKey="reveal.heading"
          components={{ round: <LocalisedText value={{ en: data.roundName, cy: data.roundNameCy }} /> }}
        />
      </h1>
      <p className="text-2xl">
        {t("reveal.countedBy", { rule: t(`voting:rule.${data.rule}`) })}{" "}
        {data.adopted ? t("reveal.ratified") : t("reveal.notAdopted")}
      </p>
      <section aria-live="polite" aria-atomic="true" className="mt-6" data-testid="reveal-step">
        {current ? <StepView step={current} /> : <p className="text-4xl">{t("reveal.begin")}</p>}
      </section>
      <nav aria-label={t("reveal.nav")} className="mt-8 flex items-center gap-6 text-2xl">
        {step > 0 ? (
          <a href={`?step=${step - 1}`} onClick={(e) => (e.preventDefault(), go(step - 1))}>
            {t("reveal.previous")}
          </a>
        ) : null}
        <span>{t("reveal.stepOf", { step, total: last })}</span>
        {step < last ? (
          <a href={`?step=${step + 1}`} onClick={(e) => (e.preventDefault(), go(step + 1))} data-testid="reveal-next">
            {t("reveal.next")}
          </a>
        ) : null}
      </nav>
      <p className="mt-4 text-lg">{t("reveal.keys")}</p>
      <details className="mt-8 text-xl">
        <summary>{t("reveal.wholeText")}</summary>
        {data.steps.map((s, i) => (
          <StepView key={i} step={s} level={3} />
        ))}
      </details>
    </>
  );
}

function StepView({ step, level = 2 }: { step: RevealStep; level?: 2 | 3 }) {
  const Heading = level === 2 ? "h2" : "h3";
  const { t, text } = useBoardText();
  const heading = text(step.heading);
  const max = Math.max(...step.rows.map((r) => Number(r.value.replace(/[£,]/g, "")) || 0), 1);
  return (
    <div className="mb-6">
      <Heading className={level === 2 ? "text-5xl" : "text-2xl"}>{heading}</Heading>
      <table className={level === 2 ? "text-3xl" : "text-xl"}>
        <caption className="sr-only">{heading}</caption>
        <tbody>
          {step.rows.map((row, i) => (
            <tr key={i}>
              <th scope="row" className="pr-6 text-left font-normal">
                {text(row.label)}
              </th>
              <td className="pr-6 font-bold">{row.value}</td>
              <td className="pr-6 font-bold uppercase">{row.mark ? t(`reveal.mark.${row.mark}`) : ""}</td>
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
          {text(note)}
        </p>
      ))}
    </div>
  );
}
