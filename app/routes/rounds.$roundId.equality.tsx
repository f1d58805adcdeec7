import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { checkEqualityAnswers, PREFER_NOT_TO_SAY } from "~/core/voting";
import { findRound } from "~/models/rounds/queries.server";
import { equalityQuestionList, equalityTokenState, recordEqualityResponses } from "~/models/voting/equality.server";
import { formObject } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Optional questions about you – Wardfund" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const round = findRound(roundId);
  if (!round) throw notFound("There is no such round.");
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return json({
    round: { id: round.id, name: round.name },
    token,
    tokenState: token ? equalityTokenState(token, roundId) : "invalid",
    questions: equalityQuestionList(),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("There is no such round.");
  const formData = await request.formData();
  const token = String(formData.get("token") ?? "");
  const answers = formObject(formData);
  const checked = checkEqualityAnswers(equalityQuestionList(), answers);
  const values = Object.fromEntries(Object.entries(answers).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  if (!checked.ok)
    return json(
      { done: false as const, errors: checked.errors, values, formError: undefined as string | undefined },
      { status: 400 },
    );
  try {
    recordEqualityResponses(roundId, token, checked.answers);
    return json({
      done: true as const,
      errors: {} as Record<string, string>,
      values: {} as Record<string, string>,
      formError: undefined as string | undefined,
    });
  } catch (error) {
    if (error instanceof Refusal)
      return json({ done: false as const, ...refusalFailure(error, values) }, { status: 400 });
    throw error;
  }
}

export default function EqualityQuestions() {
  const { round, token, tokenState, questions } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as
    { done: boolean; errors: Record<string, string>; values: Record<string, string>; formError?: string } | undefined;
  if (state?.done) {
    return (
      <div className="max-w-2xl">
        <h1>Thank you</h1>
        <p>Your answers have been saved. They are only ever shown as totals of 10 or more people.</p>
      </div>
    );
  }
  if (tokenState !== "valid" && !state) {
    return (
      <div className="max-w-2xl">
        <h1>Optional questions about you</h1>
        <p className="text-lg font-semibold">
          {tokenState === "used"
            ? "You have already answered these questions. Thank you."
            : "These questions can only be answered just after voting, from the link on the confirmation page."}
        </p>
      </div>
    );
  }
  const labels = Object.fromEntries(questions.map((q) => [q.key, q.label]));
  return (
    <div className="max-w-2xl">
      <h1>Optional questions about you</h1>
      <p>
        These questions help the council see whether everyone in the area takes part in {round.name}. Every question is
        optional. Your answers are not linked to your vote, your account or your code, and are only shown as totals of
        10 or more people.
      </p>
      <ErrorSummary state={state} labels={labels} />
      <Form method="post" noValidate>
        <input type="hidden" name="token" value={token} />
        {questions.map((q) => {
          const error = state?.errors?.[q.key];
          const id = `field-${q.key}`;
          return (
            <fieldset
              key={q.key}
              className={`field ${error ? "field-error" : ""}`}
              aria-describedby={error ? `${id}-error` : undefined}
            >
              <legend className="font-semibold">{q.label}</legend>
              {error ? (
                <p id={`${id}-error`} className="error-message">
                  <span className="sr-only">Error: </span>
                  {error}
                </p>
              ) : null}
              <div id={id} tabIndex={-1}>
                {[...q.options, PREFER_NOT_TO_SAY].map((option, i) => (
                  <div key={option} className="flex min-h-8 items-center gap-2 py-1">
                    <input
                      type="radio"
                      id={`${id}-${i}`}
                      name={q.key}
                      value={option}
                      defaultChecked={state?.values?.[q.key] === option}
                      className="h-6 w-6"
                    />
                    <label htmlFor={`${id}-${i}`}>{option}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          );
        })}
        <SubmitButton>Send my answers</SubmitButton>
      </Form>
    </div>
  );
}
