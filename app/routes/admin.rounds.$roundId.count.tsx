import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { ErrorSummary, SubmitButton, TextAreaField, TextField, useErrorText } from "~/components/forms";
import { CountSteps, RuleComparison, TurnoutTables, WinnersTable } from "~/components/pb-results";
import { RankedCountSteps } from "~/components/ranked-results";
import { chartSvg, greedyChartSpec, mesChartSpec } from "~/core/results/chart";
import { listAuditEvents } from "~/models/audit.server";
import {
  canCloseWithoutReason,
  closeVoting,
  countRound,
  countSummary,
  findCount,
  ratifyCount,
  releaseCount,
} from "~/models/counts.server";
import { LedgerRefusal } from "~/models/ledger.server";
import { findRound } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { openSealedBallots, sealedBallotCount } from "~/models/voting/ballot-key.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.round.name, cy: data.round.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: t("admin:count.title", { name }) }) }];
};

const LABELS = ["reason", "noInterest", "share1", "share2"];

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("close"), reason: z.string().trim().max(1000).default("") }),
  z.object({
    intent: z.literal("count"),
    share1: z.string().max(200, "admin:count.shareTooLong").default(""),
    share2: z.string().max(200, "admin:count.shareTooLong").default(""),
  }),
  z.object({
    intent: z.literal("ratify"),
    noInterest: z.literal("yes", {
      errorMap: () => ({ message: "admin:count.declare" }),
    }),
    note: z.string().trim().max(1000).default(""),
  }),
  z.object({
    intent: z.literal("release"),
    reason: z.string().trim().min(5, "admin:count.releaseReason").max(1000),
  }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  const round = findRound(roundId);
  if (!round) throw notFound("admin:refusal.noRound");
  const count = findCount(roundId);
  // No early tallies: until the count runs, this page shows turnout and nothing else.
  const summary = count ? countSummary(round, count) : null;
  return json({
    round: {
      id: round.id,
      name: round.name,
      nameCy: round.nameCy,
      phase: round.phase,
      potPence: round.potPence,
      votingClosesAt: round.votingClosesAt,
      countingRule: round.countingRule,
      tieBreak: round.tieBreak,
    },
    closeNeedsReason: !canCloseWithoutReason(round, new Date()),
    sealedBallots: sealedBallotCount(roundId),
    turnout: roundTurnout(roundId),
    count: summary
      ? {
          ...summary,
          countedByYou: summary.countedById === user.id,
          svg: summary.ranked
            ? ""
            : summary.view.rule === "greedy"
              ? chartSvg(greedyChartSpec(summary.view.greedyRows, round.potPence))
              : chartSvg(mesChartSpec(summary.view.mesRows, round.potPence)),
        }
      : null,
    audit: listAuditEvents({ entityType: "pb_round", entityId: String(roundId) }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("admin:refusal.noRound");
  const formData = await request.formData();
  const values = formValues(formData);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      errors[field === "intent" ? "form" : field] ??= field === "intent" ? "admin:count.chooseAction" : issue.message;
    }
    const { form, ...fieldErrors } = errors;
    return json(failure(fieldErrors, values, form), { status: 400 });
  }
  const actor = { id: user.id, name: user.name };
  const v = parsed.data;
  try {
    if (v.intent === "close") closeVoting(actor, roundId, v.reason || null);
    else if (v.intent === "count") {
      if (sealedBallotCount(roundId) > 0) await openSealedBallots(actor, roundId, [v.share1, v.share2]);
      countRound(actor, roundId);
    } else if (v.intent === "ratify") ratifyCount(actor, roundId, { noInterestDeclared: true, note: v.note || null });
    else releaseCount(actor, roundId, v.reason);
  } catch (error) {
    if (error instanceof LedgerRefusal)
      return json(
        { ...failure({}, values, "admin:count.ledgerRefused"), ledgerMessage: error.message },
        {
          status: error.status,
        },
      );
    if (error instanceof Refusal) return refusalAnswer(error, values);
    throw error;
  }
  return redirect(`/admin/rounds/${roundId}/count?done=${v.intent}`);
}

const DONE = ["close", "count", "ratify", "release"];

export default function CountRound() {
  const { round, closeNeedsReason, sealedBallots, turnout, count, audit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const { t } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  const labels = Object.fromEntries(LABELS.map((field) => [field, t(`count.labels.${field}`)]));
  const shown =
    state && "ledgerMessage" in state
      ? { ...state, formError: t("count.ledgerRefused", { message: String(state.ledgerMessage) }) }
      : state;
  const ruleName = t(`ruleName.${round.countingRule}`);
  return (
    <div className="max-w-4xl">
      <h1>
        <Trans
          t={t}
          i18nKey="count.heading"
          components={{ round: <LocalisedText value={{ en: round.name, cy: round.nameCy }} /> }}
        />
      </h1>
      {done && DONE.includes(done) && !state ? (
        <p className="notice" role="status">
          {t(`count.done.${done}`)}
        </p>
      ) : null}
      <ErrorSummary state={shown} labels={labels} />
      <dl className="mb-6 grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">{t("count.phase")}</dt>
        <dd>{t(`phase.${round.phase}`)}</dd>
        <dt className="font-semibold">{t("count.pot")}</dt>
        <dd>{format.money(round.potPence)}</dd>
        <dt className="font-semibold">{t("count.rule")}</dt>
        <dd>{ruleName}</dd>
        <dt className="font-semibold">{t("count.ties")}</dt>
        <dd>{t(`tieBreak.${round.tieBreak}`)}</dd>
        <dt className="font-semibold">
          {round.phase === "voting" ? t("count.votingCloses") : t("count.votingClosed")}
        </dt>
        <dd>{format.dateTime(round.votingClosesAt)}</dd>
      </dl>

      <h2>{t("count.turnout")}</h2>
      <TurnoutTables turnout={turnout} />

      {round.phase === "voting" ? (
        <section aria-labelledby="close-heading">
          <h2 id="close-heading">{t("count.close")}</h2>
          <p>{t("count.closeIntro")}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="close" />
            <TextAreaField
              name="reason"
              label={closeNeedsReason ? t("count.closeReason") : t("count.note")}
              hint={closeNeedsReason ? t("count.closeHint") : undefined}
              rows={3}
              state={state}
            />
            <SubmitButton>{t("count.close")}</SubmitButton>
          </Form>
        </section>
      ) : null}

      {round.phase === "counting" && !count ? (
        <section aria-labelledby="count-heading">
          <h2 id="count-heading">{t("count.countHeading")}</h2>
          <p>{t("count.countIntro", { total: format.number(turnout.total), rule: ruleName })}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="count" />
            {sealedBallots > 0 ? (
              <>
                <p>{t("count.sealed", { count: sealedBallots })}</p>
                <TextField
                  name="share1"
                  label={t("count.share1")}
                  autoComplete="off"
                  spellCheck={false}
                  hint={t("count.share1Hint")}
                  state={state}
                />
                <TextField
                  name="share2"
                  label={t("count.share2")}
                  autoComplete="off"
                  spellCheck={false}
                  hint={t("count.share2Hint")}
                  state={state}
                />
              </>
            ) : null}
            <SubmitButton>{sealedBallots > 0 ? t("count.openAndCount") : t("count.countBallots")}</SubmitButton>
          </Form>
        </section>
      ) : null}

      {count ? (
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">
            {t("count.result")}{" "}
            {count.status === "counted"
              ? t("count.notPublished")
              : t(`count.status.${count.status}`, { defaultValue: `(${count.status})` })}
          </h2>
          <p>
            {t("count.countedBy", {
              name: count.countedBy,
              date: format.dateTime(count.countedAt),
              ballots: format.number(count.ballots),
            })}{" "}
            <code className="break-all">{count.sha256}</code>
          </p>
          {count.decisionReason ? <p>{t("count.reason", { reason: count.decisionReason })}</p> : null}
          <WinnersTable view={count.view} caption={t("count.winners")} />
          {count.ranked ? (
            <RankedCountSteps ranked={count.ranked} idPrefix="count-steps" />
          ) : (
            <CountSteps view={count.view} svg={count.svg} idPrefix="count-steps" />
          )}
          {count.otherRule ? (
            <>
              <h3>{t("count.otherRule")}</h3>
              <RuleComparison rows={count.comparison} rule={count.rule} otherRule={count.otherRule} />
            </>
          ) : null}
          {count.status === "counted" ? (
            <section aria-labelledby="reconcile-heading">
              <h3 id="reconcile-heading">{t("count.reconcile")}</h3>
              <p>
                {t("count.reconcileText", {
                  counted: format.number(count.reconciliation.counted),
                  participation: format.number(count.reconciliation.participation),
                  paper: format.number(count.reconciliation.paper),
                })}
              </p>
              <p className={count.reconciliation.difference === 0 ? undefined : "error-message"}>
                {count.reconciliation.reason}
              </p>
            </section>
          ) : null}
          {count.status === "counted" ? (
            <div className="grid gap-8 md:grid-cols-2">
              <section aria-labelledby="ratify-heading">
                <h3 id="ratify-heading">{t("count.ratify")}</h3>
                {count.countedByYou ? (
                  <p>{t("count.ranByYou")}</p>
                ) : (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="ratify" />
                    <div className="field">
                      {state?.errors?.noInterest ? (
                        <p id="field-noInterest-error" className="error-message">
                          <span className="sr-only">{t("forms:errorPrefix")} </span>
                          {errorText(state.errors.noInterest)}
                        </p>
                      ) : null}
                      <div className="flex items-center gap-2">
                        <input
                          type="checkbox"
                          id="field-noInterest"
                          name="noInterest"
                          value="yes"
                          className="h-5 w-5"
                          aria-describedby={state?.errors?.noInterest ? "field-noInterest-error" : undefined}
                        />
                        <label htmlFor="field-noInterest">{t("count.noInterest")}</label>
                      </div>
                    </div>
                    <TextAreaField
                      name="note"
                      label={count.reconciliation.difference === 0 ? t("count.note") : t("count.whyDiffer")}
                      rows={2}
                      state={state}
                    />
                    <SubmitButton>{t("count.ratifyPublish")}</SubmitButton>
                  </Form>
                )}
              </section>
              <section aria-labelledby="release-heading">
                <h3 id="release-heading">{t("count.release")}</h3>
                <p>{t("count.releaseIntro")}</p>
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="release" />
                  <TextAreaField name="reason" label={t("count.whyNotAdopted")} rows={3} state={state} />
                  <SubmitButton secondary>{t("count.releaseButton")}</SubmitButton>
                </Form>
              </section>
            </div>
          ) : (
            <p>
              <Link to={`/rounds/${round.id}/results`}>{t("count.published")}</Link>
            </p>
          )}
        </section>
      ) : null}

      <h2>{t("count.history")}</h2>
      <ul className="list-disc pl-6">
        {audit.map((event) => (
          <li key={event.id}>
            {t("count.event", {
              date: format.dateTime(event.at),
              action: t(`auditAction.${event.action.replace(".", "_")}`, { defaultValue: event.action }),
              name: event.actorName ?? t("count.theSystem"),
            })}
            {event.reason ? ` (${event.reason})` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
