import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { RankingBallot } from "~/components/ranking-ballot";
import { formatPence } from "~/core/money";
import { parseRankingList, rankingFromSelections, selectionsFromRanking } from "~/core/voting";
import { DateInput } from "~/components/date-input";
import { VOTER_DETAILS_LABELS, voterDetailsFields, voterDetailsForm, voterDetailsSchema } from "~/forms/vote-form";
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
import { clearVoteCodeCookie, voteCodeFromRequest } from "~/utils/vote-code-cookie.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Vote${data ? ` in ${data.round.name}` : ""} – Wardfund` },
];

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
  if (!round) throw notFound("There is no such round.");
  const projects = projectsOnBallot(roundId).map((p) => ({
    bidId: p.bidId,
    position: p.ballotPosition,
    title: p.title,
    summary: p.summary,
    cost: formatPence(p.amountPence ?? 0),
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

const REGISTER_LABELS: Record<string, string> = {
  reference: "Reference",
  postcode: "Postcode",
  dateOfBirth: "Date of birth",
  surname: "Surname",
};
const referenceSchema = z.object({
  reference: z.string({ required_error: "Enter the reference" }).trim().min(1, "Enter the reference").max(60),
});
const personSchema = voterDetailsForm(
  voterDetailsFields.extend({
    surname: z.string({ required_error: "Enter your surname" }).trim().min(1, "Enter your surname").max(100),
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
      if (error.code === "not-found") throw notFound("There is no such round.");
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
  if (!round) throw notFound("There is no such round.");

  if (intent === "details" && voter.kind === "online") {
    const form = parseForm(voterDetailsSchema, formData);
    if (!form.ok)
      return json<ActionData>({ step: "details", errors: form.errors, values: form.values }, { status: 400 });
    try {
      correctOwnVoterDetails({ id: voter.userId, name: voter.name }, form.data);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return json<ActionData>(
        { step: "details", ...refusalFailure(error, form.values, "postcode") },
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
      const failed = refusalFailure(error, formValues(formData));
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
  return json<ActionData>({ step: "ballot", formError: "Choose your projects, then continue." }, { status: 400 });
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
  const busy = navigation.state !== "idle";
  const step = result?.step ?? "ballot";
  const heading = useFocusOnChange(result);
  const titleOf = (bidId: number) => data.projects.find((p) => p.bidId === bidId)?.title ?? `Project ${bidId}`;
  const closes = new Date(data.round.closes).toLocaleString("en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/London",
  });

  if (step === "done" && result?.step === "done") {
    return (
      <div className="max-w-2xl">
        <h1 ref={heading} tabIndex={-1}>
          Your vote has been cast
        </h1>
        <div className="border-4 border-green-800 p-4">
          <p>Your receipt code is</p>
          <p className="font-mono text-2xl font-bold" data-testid="receipt">
            {result.receipt}
          </p>
        </div>
        <p className="mt-4">
          Keep this code. It proves that your ballot is in the ballot box and, once the results are out, that it was
          counted: the code will be in the published list of receipts, and you can check it on the{" "}
          <Link to={`/rounds/${data.round.id}/receipt`}>receipt check page</Link>.
        </p>
        <p className="mt-2">
          It does not prove how you voted, to you or to anyone else: your ranking is sealed as you vote, and it is
          published only with everyone else&apos;s, with no receipt, name or time beside it. So nobody can ask you to
          show how you voted.
        </p>
        <h2 className="mt-6">Help us reach everyone (optional)</h2>
        <p>
          A few questions about you help the council see who takes part. Your answers are kept apart from your vote and
          your account, and are only shown as totals of 10 or more people, never in a way that lets a smaller group be
          worked out.
        </p>
        <Form method="get" action={`/rounds/${data.round.id}/equality`}>
          <input type="hidden" name="token" value={result.equalityToken} />
          <SubmitButton secondary>Answer the optional questions</SubmitButton>
        </Form>
      </div>
    );
  }

  if (step === "refused" && result?.step === "refused") {
    return (
      <div className="max-w-2xl">
        <h1 ref={heading} tabIndex={-1}>
          Your vote was not cast
        </h1>
        <p className="text-lg font-semibold" role="alert">
          {result.message}
        </p>
        <p>
          <Link to={`/rounds/${data.round.id}/receipt`}>Check a receipt code</Link>
        </p>
      </div>
    );
  }

  if (data.status.state === "needs-register-match") {
    const attempt = result?.step === "register" ? result : undefined;
    const stateOf = (form: "reference" | "person") => (attempt?.form === form ? attempt : undefined);
    return (
      <div className="max-w-2xl">
        <h1>Vote in {data.round.name}</h1>
        <p>{data.status.message}</p>
        <p className="hint">
          What you type is checked against the register and not kept. Each entry on the register can be used by one
          account only.
        </p>
        <h2>With the reference on your letter or polling card</h2>
        <Form method="post" noValidate>
          <ErrorSummary state={stateOf("reference")} labels={REGISTER_LABELS} />
          <input type="hidden" name="intent" value="match-reference" />
          <TextField
            name="reference"
            label="Reference"
            hint="As printed, for example EB-1001"
            autoComplete="off"
            spellCheck={false}
            className="input max-w-60"
            state={stateOf("reference")}
          />
          <SubmitButton>Check the reference</SubmitButton>
        </Form>
        <h2>Or with your postcode, date of birth and surname</h2>
        <Form method="post" noValidate>
          <ErrorSummary state={stateOf("person")} labels={REGISTER_LABELS} />
          <input type="hidden" name="intent" value="match-person" />
          <TextField
            name="postcode"
            label="Postcode"
            autoComplete="postal-code"
            className="input max-w-40"
            state={stateOf("person")}
          />
          <DateInput name="dateOfBirth" legend="Date of birth" state={stateOf("person")} birthday />
          <TextField
            name="surname"
            label="Surname"
            autoComplete="family-name"
            className="input max-w-80"
            state={stateOf("person")}
          />
          <SubmitButton>Check my details</SubmitButton>
        </Form>
      </div>
    );
  }

  if (data.status.state !== "can-vote") {
    const details = result?.step === "details" ? result : undefined;
    return (
      <div className="max-w-2xl">
        <h1>Vote in {data.round.name}</h1>
        {data.status.state === "needs-details" ? (
          <>
            <ErrorSummary state={details} labels={VOTER_DETAILS_LABELS} />
            <p>{data.status.message}</p>
            <p className="hint">
              They are saved on your account. Only people who live in the round’s area and are old enough on the day
              voting closes can vote.
            </p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="details" />
              <TextField
                name="postcode"
                label="Postcode"
                autoComplete="postal-code"
                className="input max-w-40"
                defaultValue={data.status.postcode ?? ""}
                state={details}
              />
              <DateInput
                name="dateOfBirth"
                legend="Date of birth"
                defaultValue={data.status.dateOfBirth}
                state={details}
                birthday
              />
              <SubmitButton>Save and continue</SubmitButton>
            </Form>
          </>
        ) : (
          <>
            <p className="text-lg font-semibold" role="alert">
              {data.status.message}
            </p>
            {data.status.state === "already-voted" ? (
              <p>
                You can <Link to={`/rounds/${data.round.id}/receipt`}>check your receipt code</Link>.
              </p>
            ) : null}
            {data.status.state === "codes-only" ? (
              <p>
                <Link to={`/rounds/${data.round.id}/code`}>Vote with a one-time code</Link>
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
          Check your vote
        </h1>
        <p>This is your ranking. Once you cast your vote you cannot change it.</p>
        <ol className="my-4 list-decimal space-y-1 pl-8 text-lg" aria-label="Your ranking">
          {result.ranking.map((bidId) => (
            <li key={bidId}>{titleOf(bidId)}</li>
          ))}
        </ol>
        <Form method="post" className="flex flex-wrap gap-4">
          <input type="hidden" name="ranking" value={result.ranking.join(",")} />
          <button type="submit" name="intent" value="cast" className="button min-h-11" disabled={busy}>
            Cast my vote
          </button>
          <button type="submit" name="intent" value="change" className="button button-secondary min-h-11">
            Change
          </button>
        </Form>
      </div>
    );
  }

  const ballotState = result?.step === "ballot" ? result : undefined;
  const labels = Object.fromEntries(data.projects.map((p) => [`rank-${p.bidId}`, `Rank for ${p.title}`]));
  return (
    <div className="max-w-3xl">
      <h1 ref={heading} tabIndex={-1}>
        Vote in {data.round.name}
      </h1>
      <p>
        {data.voter === "code" ? "You are voting with a one-time code. " : ""}Voting closes on {closes}. You can rank up
        to {Math.min(data.round.maxRanked, data.projects.length)} projects; you will see your choices before you cast
        your vote.
      </p>
      <ErrorSummary state={ballotState} labels={labels} />
      <Form method="post" noValidate>
        <RankingBallot
          key={JSON.stringify(ballotState?.values ?? {})}
          projects={data.projects}
          maxRanked={data.round.maxRanked}
          state={ballotState}
        />
        <div className="mt-6">
          <SubmitButton name="intent" value="review">
            Continue to check your vote
          </SubmitButton>
        </div>
      </Form>
    </div>
  );
}
