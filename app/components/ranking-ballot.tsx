/**
 * The ranked ballot. Without JavaScript it is a plain form: a rank select beside each project
 * (blank = not ranked), checked on the server. With JavaScript it becomes a list the voter builds:
 * add or remove a project, move it up or down with buttons (keyboard or pointer), every change
 * announced in a live region and focus kept on the control that was used. Both send the same
 * fields (`rank-<bidId>`), so the server checks one thing.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";

/** A project on the ballot; its Welsh title and summary, where the council wrote them, are shown to Welsh readers. */
export interface BallotProjectView {
  bidId: number;
  position: number;
  title: string;
  titleCy?: string | null;
  summary: string;
  summaryCy?: string | null;
  cost: string;
}

/** The title in the reader's language (the other one when it is missing), for labels and announcements. */
function useTitleText(): (project: BallotProjectView | undefined) => string {
  const { i18n } = useTranslation();
  return (project) => (project ? pickLocalised({ en: project.title, cy: project.titleCy }, i18n.language).text : "");
}

function ProjectTitle({ project }: { project: BallotProjectView }) {
  return (
    <h3 className="text-lg font-bold">
      <LocalisedText value={{ en: project.title, cy: project.titleCy }} />
    </h3>
  );
}

export interface BallotFormState {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  formError?: string;
}

const rankField = (bidId: number) => `rank-${bidId}`;

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** The ranking implied by submitted selections, ignoring anything that does not fit. */
function rankingFromValues(
  projects: BallotProjectView[],
  values: Record<string, string> | undefined,
  maxRanked: number,
): number[] {
  if (!values) return [];
  return projects
    .map((p) => ({ bidId: p.bidId, rank: Number(values[rankField(p.bidId)] ?? "") }))
    .filter((r) => Number.isInteger(r.rank) && r.rank >= 1)
    .sort((a, b) => a.rank - b.rank)
    .map((r) => r.bidId)
    .slice(0, maxRanked);
}

export function RankingBallot({
  projects,
  maxRanked,
  state,
}: {
  projects: BallotProjectView[];
  maxRanked: number;
  state?: BallotFormState;
}) {
  const hydrated = useHydrated();
  return hydrated ? (
    <EnhancedBallot projects={projects} maxRanked={maxRanked} state={state} />
  ) : (
    <PlainBallot projects={projects} maxRanked={maxRanked} state={state} />
  );
}

function ProjectDetails({ project }: { project: BallotProjectView }) {
  const { t } = useTranslation("voting");
  return (
    <>
      <p className="hint">{t("ballot.details", { position: project.position, cost: project.cost })}</p>
      <LocalisedText as="p" value={{ en: project.summary, cy: project.summaryCy }} />
    </>
  );
}

function PlainBallot({
  projects,
  maxRanked,
  state,
}: {
  projects: BallotProjectView[];
  maxRanked: number;
  state?: BallotFormState;
}) {
  const limit = Math.min(maxRanked, projects.length);
  const { t } = useTranslation("voting");
  const errorText = useErrorText();
  const titleText = useTitleText();
  return (
    <fieldset>
      <legend className="text-xl font-bold">{t("ballot.legend", { count: limit })}</legend>
      <p className="hint">{t("ballot.hint", { count: limit })}</p>
      <ul className="space-y-4">
        {projects.map((p) => {
          const name = rankField(p.bidId);
          const id = `field-${name}`;
          const error = state?.errors?.[name];
          return (
            <li key={p.bidId} className={`border border-gray-300 p-4 ${error ? "field-error" : ""}`}>
              <ProjectTitle project={p} />
              <ProjectDetails project={p} />
              <label htmlFor={id} className="block font-semibold">
                {t("vote.rankFor", { title: titleText(p) })}
              </label>
              {error ? (
                <p id={`${id}-error`} className="error-message">
                  <span className="sr-only">{t("forms:errorPrefix")} </span>
                  {errorText(error)}
                </p>
              ) : null}
              <select
                id={id}
                name={name}
                defaultValue={state?.values?.[name] ?? ""}
                aria-describedby={error ? `${id}-error` : undefined}
                aria-invalid={error ? true : undefined}
                className="input max-w-48"
              >
                <option value="">{t("ballot.notRanked")}</option>
                {Array.from({ length: limit }, (_, i) => (
                  <option key={i} value={String(i + 1)}>
                    {i + 1}
                  </option>
                ))}
              </select>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

type FocusTarget = { bidId: number; control: "up" | "down" | "toggle" | "remove" } | { heading: true } | null;

function EnhancedBallot({
  projects,
  maxRanked,
  state,
}: {
  projects: BallotProjectView[];
  maxRanked: number;
  state?: BallotFormState;
}) {
  const limit = Math.min(maxRanked, projects.length);
  const { t } = useTranslation("voting");
  const errorText = useErrorText();
  const [ranking, setRanking] = useState<number[]>(() => rankingFromValues(projects, state?.values, limit));
  const [announcement, setAnnouncement] = useState("");
  const focusNext = useRef<FocusTarget>(null);
  const controls = useRef(new Map<string, HTMLButtonElement | null>());
  const rankingHeading = useRef<HTMLHeadingElement>(null);
  const titleText = useTitleText();
  const titleOf = (bidId: number) => titleText(projects.find((p) => p.bidId === bidId));

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (!target) return;
    if ("heading" in target) rankingHeading.current?.focus();
    else controls.current.get(`${target.bidId}-${target.control}`)?.focus();
  });

  const ref = (bidId: number, control: string) => (el: HTMLButtonElement | null) => {
    controls.current.set(`${bidId}-${control}`, el);
  };

  function toggle(bidId: number) {
    if (ranking.includes(bidId)) {
      setRanking(ranking.filter((id) => id !== bidId));
      setAnnouncement(t("ballot.removed", { title: titleOf(bidId), ranked: ranking.length - 1, limit }));
    } else {
      if (ranking.length >= limit) {
        setAnnouncement(t("ballot.full", { limit, title: titleOf(bidId) }));
        return;
      }
      setRanking([...ranking, bidId]);
      setAnnouncement(t("ballot.added", { title: titleOf(bidId), rank: ranking.length + 1 }));
    }
    focusNext.current = { bidId, control: "toggle" };
  }

  function move(bidId: number, by: -1 | 1) {
    const from = ranking.indexOf(bidId);
    const to = from + by;
    // Focus stays on the control used, unless the move took the project to the end it points at,
    // where that control is disabled: then the other direction takes focus.
    const landsAtEnd = by < 0 ? to === 0 : to === ranking.length - 1;
    focusNext.current = { bidId, control: by < 0 !== landsAtEnd ? "up" : "down" };
    if (to < 0 || to >= ranking.length) {
      setAnnouncement(t("ballot.already", { title: titleOf(bidId), rank: from + 1 }));
      setRanking([...ranking]);
      return;
    }
    const next = [...ranking];
    next.splice(from, 1);
    next.splice(to, 0, bidId);
    setRanking(next);
    setAnnouncement(t("ballot.moved", { title: titleOf(bidId), rank: to + 1 }));
  }

  function remove(bidId: number) {
    const from = ranking.indexOf(bidId);
    const next = ranking.filter((id) => id !== bidId);
    setRanking(next);
    setAnnouncement(t("ballot.removed", { title: titleOf(bidId), ranked: next.length, limit }));
    const neighbour = next[from] ?? next[from - 1];
    focusNext.current = neighbour !== undefined ? { bidId: neighbour, control: "remove" } : { heading: true };
  }

  const full = ranking.length >= limit;
  const rankingError = state?.formError && !state.errors ? state.formError : undefined;

  return (
    <div>
      <p role="status" aria-live="polite" aria-atomic="true" className="sr-only">
        {announcement}
      </p>
      {ranking.map((bidId, i) => (
        <input key={bidId} type="hidden" name={rankField(bidId)} value={String(i + 1)} />
      ))}
      <section aria-labelledby="projects-heading">
        <h2 id="projects-heading" className="text-xl font-bold">
          {t("ballot.onBallot")}
        </h2>
        <p className="hint">{t("ballot.enhancedHint", { count: limit })}</p>
        <ul className="space-y-4">
          {projects.map((p) => {
            const ranked = ranking.indexOf(p.bidId);
            return (
              <li key={p.bidId} className="border border-gray-300 p-4">
                <ProjectTitle project={p} />
                <ProjectDetails project={p} />
                {ranked >= 0 ? <p className="font-semibold">{t("ballot.yourRank", { rank: ranked + 1 })}</p> : null}
                <button
                  type="button"
                  ref={ref(p.bidId, "toggle")}
                  onClick={() => toggle(p.bidId)}
                  aria-disabled={ranked < 0 && full ? true : undefined}
                  className={ranked >= 0 ? "button button-secondary min-h-11" : "button min-h-11"}
                >
                  {ranked >= 0 ? t("ballot.remove", { title: titleText(p) }) : t("ballot.add", { title: titleText(p) })}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="ranking-heading" className="mt-8">
        <h2 id="ranking-heading" ref={rankingHeading} tabIndex={-1} className="text-xl font-bold">
          {t("ballot.rankingHeading", { ranked: ranking.length, limit })}
        </h2>
        {rankingError ? (
          <p className="error-message">
            <span className="sr-only">{t("forms:errorPrefix")} </span>
            {errorText(rankingError)}
          </p>
        ) : null}
        {ranking.length === 0 ? (
          <p>{t("ballot.none")}</p>
        ) : (
          <ol className="space-y-2">
            {ranking.map((bidId, i) => (
              <li key={bidId} className="flex flex-wrap items-center gap-2 border border-gray-300 p-2">
                <span className="min-w-48 flex-1 font-semibold">
                  {i + 1}. {titleOf(bidId)}
                </span>
                <button
                  type="button"
                  ref={ref(bidId, "up")}
                  onClick={() => move(bidId, -1)}
                  disabled={i === 0}
                  aria-label={t("ballot.moveUpLabel", { title: titleOf(bidId) })}
                  className="button button-secondary min-h-11"
                >
                  {t("ballot.moveUp")}
                </button>
                <button
                  type="button"
                  ref={ref(bidId, "down")}
                  onClick={() => move(bidId, 1)}
                  disabled={i === ranking.length - 1}
                  aria-label={t("ballot.moveDownLabel", { title: titleOf(bidId) })}
                  className="button button-secondary min-h-11"
                >
                  {t("ballot.moveDown")}
                </button>
                <button
                  type="button"
                  ref={ref(bidId, "remove")}
                  onClick={() => remove(bidId)}
                  aria-label={t("ballot.removeLabel", { title: titleOf(bidId) })}
                  className="button button-secondary min-h-11"
                >
                  {t("ballot.removeShort")}
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
