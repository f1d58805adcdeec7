import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { PrivacyLink } from "~/components/privacy-link";
import { RankingBallot } from "~/components/ranking-ballot";
import { parseRankingList, rankingFromSelections, selectionsFromRanking } from "~/core/voting";
import { DateInput } from "~/components/date-input";
import { voterDetailsFields, voterDetailsForm, voterDetailsSchema } from "~/forms/vote-form";
import { findRound, projectsOnBallot } from "~/models/rounds/queries.server";
import { castCodeBallot, castOnlineBallot } from "~/models/voting/cast.server";
import { matchRegister, roundVoterStatus } from "~/models/voting/register.server";
import { correctOwnVoterDetails } from "~/models/voting/voter-details.server";
import { issueEqualityToken } from "~/models/voting/equality.server";
import { formatReceipt } from "~/models/voting/receipts.server";
import { requireUser } from "~/utils/auth.server";
import { formObject, formValues, parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { z } from "zod";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";
import { clearVoteCodeCookie, voteCodeFromRequest } from "~/utils/vote-code-cookie.server";
import {
  useTranslatedFormState,
  useVoterDetailsLabels,
  useVotingText,
  votingMessageKey,
} from "~/utils/voting-messages";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: t("voting:vote.title", { round: data?.round.name ?? "" }) }) }];
};

const NO_ROUND = "voting:msg.noRound";

type Voter = { kind: "code"; code: string } | { kind: "online"; userId: string; name: string };

async function voterFor(request: Request, roundId: number): Promise<Voter> {
  assertSameOrigin(request);
  const code = voteCodeFromRequest(request, roundId);
  if (code) return { kind: "code", code };
  const user = await requireUser(request);
  return { kind: "online", userId: user.id, name: user.name };
}

function loadRound(roundId: number) {
  const round = findRound(roundId);
  if (!round) throw notFound(NO_ROUND);
  const projects = projectsOnBallot(roundId).map((p) => ({
    bidId: p.bidId,
    position: p.ballotPosition,
    title: p.title,
    titleCy: p.titleCy,
    summary: p.summary,
    summaryCy: p.summaryCy,
    costPence: p.amountPence ?? 0,
  }));
  return { round, projects };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const voter = await voterFor(request, roundId);
  const { round, projects } = loadRound(roundId);
  const status =
    voter.kind === "online"
      ? roundVoterStatus(voter.userId, round)
      : {
          state: round.phase === "voting" && new Date().toISOString() < round.votingClosesAt ? "can-vote" : "closed",
          message: null,
          postcode: null,
          dateOfBirth: null,
        };
  return json({
    round: { id: round.id, name: round.name, maxRanked: round.maxRanked, closes: round.votingClosesAt },
    projects,
    voter: voter.kind,
    status: {
      state: status.state,
      message: status.state === "closed" && !status.message ? "Voting in this round has closed." : status.message,
      postcode: status.postcode,
      dateOfBirth: status.dateOfBirth,
    },
  });
}

const referenceSchema = z.object({
  reference: z
    .string({ required_error: "voting:field.referenceRequired" })
    .trim()
    .min(1, "voting:field.referenceRequired")
    .max(60),
});
const personSchema = voterDetailsForm(
  voterDetailsFields.extend({
    surname: z
      .string({ required_error: "voting:field.surnameRequired" })
      .trim()
      .min(1, "voting:field.surnameRequired")
      .max(100),
  }),
);

type ActionData =
  | { step: "ballot"; errors?: Record<string, string>; values?: Record<string, string>; formError?: string }
  | { step: "details"; errors: Record<string, string>; values: Record<string, string>; formError?: string }
  | {
      step: "register";
      form: "reference" | "person";
      errors: Record<string, string>;
      values: Record<string, string>;
      formError?: string;
    }
  | { step: "review"; ranking: number[] }
  | { step: "done"; receipt: string; equalityToken: string }
  | { step: "refused"; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const roundId = idParam(params.roundId);
  const voter = await voterFor(request, roundId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const ranking = () => parseRankingList(String(formData.get("ranking") ?? "")) ?? [];
  // Read only when needed: a cast checks its ranking against the ballot inside its transaction.
  const ballotIds = () => projectsOnBallot(roundId).map((p) => p.bidId);

  // A cast reads the round (and refuses a missing one) inside its own transaction; it is the
  // request a busy voting day is made of, so it reads nothing before that.
  if (intent === "cast") {
    const cast = ranking();
    // The cast and its equality token share one time, so no token outlives voting by more than its own lifetime.
    const castAt = new Date();
    try {
      const ballotId =
        voter.kind === "code"
          ? await castCodeBallot(roundId, voter.code, cast, castAt)
          : await castOnlineBallot(voter.userId, roundId, cast, castAt);
      const headers = new Headers();
      if (voter.kind === "code") headers.append("Set-Cookie", clearVoteCodeCookie(roundId));
      return json<ActionData>(
        {
          step: "done",
          receipt: formatReceipt(ballotId),
          equalityToken: issueEqualityToken(roundId, castAt.getTime()),
        },
        { headers },
      );
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      if (error.code === "not-found") throw notFound(NO_ROUND);
      if (error.code === "bad-ranking") {
        const onBallot = ballotIds();
        return json<ActionData>(
          {
            step: "ballot",
            values: selectionsFromRanking(cast.filter((id) => onBallot.includes(id))),
            formError: error.message,
          },
          { status: 400 },
        );
      }
      return json<ActionData>(
        { step: "refused", message: error.message },
        { status: error.code === "already-voted" ? 409 : 403 },
      );
    }
  }

  const round = findRound(roundId);
  if (!round) throw notFound(NO_ROUND);

  if (intent === "details" && voter.kind === "online") {
    const form = parseForm(voterDetailsSchema, formData);
    if (!form.ok)
      return json<ActionData>({ step: "details", errors: form.errors, values: form.values }, { status: 400 });
    try {
      correctOwnVoterDetails({ id: voter.userId, name: voter.name }, form.data);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return json<ActionData>(
        { step: "details", ...refusalFailure(votingMessageKey(error), form.values, "postcode") },
        { status: error.status },
      );
    }
    return redirect(`/rounds/${roundId}/vote`);
  }

  if ((intent === "match-reference" || intent === "match-person") && voter.kind === "online") {
    const which = intent === "match-reference" ? "reference" : "person";
    const form = which === "reference" ? parseForm(referenceSchema, formData) : parseForm(personSchema, formData);
    if (!form.ok)
      return json<ActionData>({ step: "register", form: which, errors: form.errors, values: form.values }, 400);
    try {
      matchRegister({ id: voter.userId, name: voter.name }, roundId, form.data);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const failed = refusalFailure(votingMessageKey(error), formValues(formData));
      return json<ActionData>({ step: "register", form: which, ...failed }, { status: error.status });
    }
    return redirect(`/rounds/${roundId}/vote`);
  }

  if (intent === "review") {
    const checked = rankingFromSelections(formObject(formData), ballotIds(), round.maxRanked);
    const values = Object.fromEntries(
      [...formData.entries()].filter(([k, v]) => k.startsWith("rank-") && typeof v === "string") as [string, string][],
    );
    if (!checked.ok)
      return json<ActionData>(
        { step: "ballot", errors: checked.errors, values, formError: checked.formError },
        { status: 400 },
      );
    return json<ActionData>({ step: "review", ranking: checked.ranking });
  }

  if (intent === "change") return json<ActionData>({ step: "ballot", values: selectionsFromRanking(ranking()) });
  return json<ActionData>({ step: "ballot", formError: "voting:vote.chooseFirst" }, { status: 400 });
}

/**
 * After a cast the confirmation is rendered from the action's answer; the page is not reloaded,
 * because a code-holder's code cookie has just been cleared and the ballot is no longer theirs to see.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { step?: string } | undefined)?.step === "done" ? false : defaultShouldRevalidate;

function useFocusOnChange(key: unknown) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [key]);
  return ref;
}

export default function Vote() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const { t } = useTranslation("voting");
  const format = useFormat();
  const votingText = useVotingText();
  const labels = useVoterDetailsLabels();
  const translated = useTranslatedFormState(
    result?.step === "ballot" || result?.step === "details" || result?.step === "register" ? result : undefined,
  );
  const busy = navigation.state !== "idle";
  const step = result?.step ?? "ballot";
  const heading = useFocusOnChange(result);
  const titleOf = (bidId: number) =>
    data.projects.find((p) => p.bidId === bidId)?.title ?? t("vote.projectFallback", { id: bidId });
  const closes = format.dateTime(data.round.closes);
  const title = t("vote.title", { round: data.round.name });

  if (step === "done" && result?.step === "done") {
    return (
      <div className="max-w-2xl">
        <h1 ref={heading} tabIndex={-1}>
          {t("vote.castHeading")}
        </h1>
        <div className="border-4 border-green-800 p-4">
          <p>{t("vote.receiptIs")}</p>
          <p className="font-mono text-2xl font-bold" data-testid="receipt" translate="no">
            {result.receipt}
          </p>
        </div>
        <p className="mt-4">
          <Trans
            t={t}
            i18nKey="vote.keepCode"
            components={{ anchor: <Link to={`/rounds/${data.round.id}/receipt`} /> }}
          />
        </p>
        <p className="mt-2">{t("vote.secret")}</p>
        <h2 className="mt-6">{t("vote.helpHeading")}</h2>
        <p>{t("vote.helpBody")}</p>
        <Form method="get" action={`/rounds/${data.round.id}/equality`}>
          <input type="hidden" name="token" value={result.equalityToken} />
          <SubmitButton secondary>{t("vote.answerQuestions")}</SubmitButton>
        </Form>
      </div>
    );
  }

  if (step === "refused" && result?.step === "refused") {
    return (
      <div className="max-w-2xl">
        <h1 ref={heading} tabIndex={-1}>
          {t("vote.notCast")}
        </h1>
        <p className="text-lg font-semibold" role="alert">
          {votingText(result.message)}
        </p>
        <p>
          <Link to={`/rounds/${data.round.id}/receipt`}>{t("vote.checkReceipt")}</Link>
        </p>
      </div>
    );
  }

  if (data.status.state === "needs-register-match") {
    const attempt = result?.step === "register" ? translated : undefined;
    const which = result?.step === "register" ? result.form : undefined;
    const stateOf = (form: "reference" | "person") => (which === form ? attempt : undefined);
    return (
      <div className="max-w-2xl">
        <h1>{title}</h1>
        <p>{votingText(data.status.message)}</p>
        <p className="hint">{t("vote.registerHint")}</p>
        <h2>{t("vote.withReference")}</h2>
        <Form method="post" noValidate>
          <ErrorSummary state={stateOf("reference")} labels={labels} />
          <input type="hidden" name="intent" value="match-reference" />
          <TextField
            name="reference"
            label={labels.reference}
            hint={t("vote.referenceHint")}
            autoComplete="off"
            spellCheck={false}
            className="input max-w-60"
            state={stateOf("reference")}
          />
          <SubmitButton>{t("vote.checkReference")}</SubmitButton>
        </Form>
        <h2>{t("vote.withPerson")}</h2>
        <Form method="post" noValidate>
          <ErrorSummary state={stateOf("person")} labels={labels} />
          <input type="hidden" name="intent" value="match-person" />
          <TextField
            name="postcode"
            label={labels.postcode}
            autoComplete="postal-code"
            className="input max-w-40"
            state={stateOf("person")}
          />
          <DateInput name="dateOfBirth" legend={labels.dateOfBirth} state={stateOf("person")} birthday />
          <TextField
            name="surname"
            label={labels.surname}
            autoComplete="family-name"
            className="input max-w-80"
            state={stateOf("person")}
          />
          <SubmitButton>{t("vote.checkDetails")}</SubmitButton>
        </Form>
      </div>
    );
  }

  if (data.status.state !== "can-vote") {
    const details = result?.step === "details" ? translated : undefined;
    return (
      <div className="max-w-2xl">
        <h1>{title}</h1>
        {data.status.state === "needs-details" ? (
          <>
            <ErrorSummary state={details} labels={labels} />
            <p>{votingText(data.status.message)}</p>
            <p className="hint">{t("vote.detailsHint")}</p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="details" />
              <TextField
                name="postcode"
                label={labels.postcode}
                autoComplete="postal-code"
                className="input max-w-40"
                defaultValue={data.status.postcode ?? ""}
                state={details}
              />
              <DateInput
                name="dateOfBirth"
                legend={labels.dateOfBirth}
                defaultValue={data.status.dateOfBirth}
                state={details}
                birthday
              />
              <SubmitButton>{t("vote.saveContinue")}</SubmitButton>
            </Form>
          </>
        ) : (
          <>
            <p className="text-lg font-semibold" role="alert">
              {votingText(data.status.message)}
            </p>
            {data.status.state === "already-voted" ? (
              <p>
                <Trans
                  t={t}
                  i18nKey="vote.checkYourReceipt"
                  components={{ anchor: <Link to={`/rounds/${data.round.id}/receipt`} /> }}
                />
              </p>
            ) : null}
            {data.status.state === "codes-only" ? (
              <p>
                <Link to={`/rounds/${data.round.id}/code`}>{t("vote.withCode")}</Link>
              </p>
            ) : null}
          </>
        )}
      </div>
    );
  }

  if (step === "review" && result?.step === "review") {
    return (
      <div className="max-w-2xl">
        <h1 ref={heading} tabIndex={-1}>
          {t("vote.reviewHeading")}
        </h1>
        <p>{t("vote.reviewBody")}</p>
        <ol className="my-4 list-decimal space-y-1 pl-8 text-lg" aria-label={t("vote.yourRanking")}>
          {result.ranking.map((bidId) => (
            <li key={bidId}>{titleOf(bidId)}</li>
          ))}
        </ol>
        <Form method="post" className="flex flex-wrap gap-4">
          <input type="hidden" name="ranking" value={result.ranking.join(",")} />
          <button type="submit" name="intent" value="cast" className="button min-h-11" disabled={busy}>
            {t("vote.cast")}
          </button>
          <button type="submit" name="intent" value="change" className="button button-secondary min-h-11">
            {t("vote.change")}
          </button>
        </Form>
      </div>
    );
  }

  const ballotState = result?.step === "ballot" ? translated : undefined;
  const ballotValues = result?.step === "ballot" ? result.values : undefined;
  const rankLabels = Object.fromEntries(
    data.projects.map((p) => [`rank-${p.bidId}`, t("vote.rankFor", { title: p.title })]),
  );
  const projects = data.projects.map((p) => ({ ...p, cost: format.money(p.costPence) }));
  return (
    <div className="max-w-3xl">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>
        {data.voter === "code" ? `${t("vote.usingCode")} ` : ""}
        {t("vote.intro", { closes, count: Math.min(data.round.maxRanked, data.projects.length) })}
      </p>
      <ErrorSummary state={ballotState} labels={rankLabels} />
      <Form method="post" noValidate>
        <RankingBallot
          key={JSON.stringify(ballotValues ?? {})}
          projects={projects}
          maxRanked={data.round.maxRanked}
          state={ballotState}
        />
        <div className="mt-6">
          <SubmitButton name="intent" value="review">
            {t("vote.continue")}
          </SubmitButton>
        </div>
      </Form>
      <PrivacyLink />
    </div>
  );
}
