import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { votingWindowState } from "~/core/rounds";
import { formatDateTime } from "~/core/time";
import { findRound } from "~/models/rounds/queries.server";
import { checkVotingCode } from "~/models/voting/codes.server";
import { clientIp, idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";
import { setVoteCodeCookie } from "~/utils/vote-code-cookie.server";

export const meta: MetaFunction = () => [{ title: "Vote with a code – Wardfund" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  const votingWindow = votingWindowState(round, new Date().toISOString());
  return json({
    round: {
      id: round.id,
      name: round.name,
      open: votingWindow === "open",
      closed: votingWindow === "closed",
      resultsPublished: ["results", "delivery", "closed"].includes(round.phase),
      opensAt: round.votingOpensAt,
      voterRule: round.voterRule,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("There is no such round.");
  const formData = await request.formData();
  const input = String(formData.get("code") ?? "");
  try {
    const code = checkVotingCode(roundId, input, clientIp(context));
    return redirect(`/rounds/${roundId}/vote`, { headers: { "Set-Cookie": setVoteCodeCookie(roundId, code) } });
  } catch (error) {
    if (error instanceof Refusal)
      return refusalAnswer(
        error,
        { code: input },
        { field: "code", status: error.code === "rate-limited" ? 429 : 400 },
      );
    throw error;
  }
}

export default function VoteWithCode() {
  const { round } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <div className="max-w-2xl">
      <h1>Vote in {round.name} with a code</h1>
      {round.open ? (
        <>
          <p>
            If you were given a one-time voting code, on a polling card or at an event, you can vote with it without an
            account. Each code can be used once.
          </p>
          {round.voterRule === "codes" ? (
            <p>In this round you can only vote with a code: voting with an account is not open.</p>
          ) : (
            <p>
              No code? You can <Link to={`/rounds/${round.id}/vote`}>vote with your account</Link>
              {round.voterRule === "register" ? " once you have matched yourself to the council's register" : ""}.
            </p>
          )}
          <ErrorSummary state={state} labels={{ code: "Voting code" }} />
          <Form method="post" noValidate>
            <TextField
              name="code"
              label="Voting code"
              hint="12 letters and numbers, for example 7K3M-9QXA-2BHD"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="characters"
              state={state}
            />
            <SubmitButton>Continue to the ballot</SubmitButton>
          </Form>
        </>
      ) : (
        <>
          <p className="text-lg font-semibold">
            {round.closed
              ? "Voting in this round has closed."
              : `Voting in this round has not opened yet. It opens on ${formatDateTime(round.opensAt)}.`}
          </p>
          {round.closed ? (
            <p>
              {round.resultsPublished ? (
                <Link to={`/rounds/${round.id}/results`}>See the results of {round.name}</Link>
              ) : (
                <>
                  The results are not published yet.{" "}
                  <Link to={`/rounds/${round.id}/results`}>See when they are expected</Link>.
                </>
              )}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
