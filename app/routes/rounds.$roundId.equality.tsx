import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { checkEqualityAnswers, PREFER_NOT_TO_SAY } from "~/core/voting";
import { findRound } from "~/models/rounds/queries.server";
import { equalityQuestionList, equalityTokenState, recordEqualityResponses } from "~/models/voting/equality.server";
import { formObject } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { titleMeta } from "~/utils/translate";
import { useVotingText, votingMessageKey } from "~/utils/voting-messages";

export const meta = titleMeta("voting:equality.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const round = findRound(roundId);
  if (!round) throw notFound("voting:msg.noRound");
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
  if (!findRound(roundId)) throw notFound("voting:msg.noRound");
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
      return json({ done: false as const, ...refusalFailure(votingMessageKey(error), values) }, { status: 400 });
    throw error;
  }
}

export default function EqualityQuestions() {
  const { round, token, tokenState, questions } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as
    { done: boolean; errors: Record<string, string>; values: Record<string, string>; formError?: string } | undefined;
  const { t, i18n } = useTranslation("voting");
  const text = useVotingText();
  // The questions are the council's, written in English only so far: marked so for readers of Welsh.
  const questionLang = i18n.language === "en" ? undefined : "en-GB";
  if (state?.done) {
    return (
      <div className="max-w-2xl">
        <h1>{t("equality.thanks")}</h1>
        <p>{t("equality.saved")}</p>
      </div>
    );
  }
  if (tokenState !== "valid" && !state) {
    return (
      <div className="max-w-2xl">
        <h1>{t("equality.title")}</h1>
        <p className="text-lg font-semibold">
          {tokenState === "used" ? t("msg.equalityAnswered") : t("equality.onlyAfter")}
        </p>
      </div>
    );
  }
  const labels = Object.fromEntries(questions.map((q) => [q.key, q.label]));
  const translated = state
    ? {
        ...state,
        errors: Object.fromEntries(Object.entries(state.errors ?? {}).map(([k, v]) => [k, text(v)])),
        formError: state.formError ? text(state.formError) : undefined,
      }
    : undefined;
  return (
    <div className="max-w-2xl">
      <h1>{t("equality.title")}</h1>
      <p>{t("equality.intro", { round: round.name })}</p>
      <ErrorSummary state={translated} labels={labels} />
      <Form method="post" noValidate>
        <input type="hidden" name="token" value={token} />
        {questions.map((q) => {
          const error = translated?.errors?.[q.key];
          const id = `field-${q.key}`;
          return (
            <fieldset
              key={q.key}
              className={`field ${error ? "field-error" : ""}`}
              aria-describedby={error ? `${id}-error` : undefined}
            >
              <legend className="font-semibold" lang={questionLang}>
                {q.label}
              </legend>
              {error ? (
                <p id={`${id}-error`} className="error-message">
                  <span className="sr-only">{t("forms:errorPrefix")} </span>
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
                    {option === PREFER_NOT_TO_SAY ? (
                      <label htmlFor={`${id}-${i}`}>{t("equality.preferNot")}</label>
                    ) : (
                      <label htmlFor={`${id}-${i}`} lang={questionLang}>
                        {option}
                      </label>
                    )}
                  </div>
                ))}
              </div>
            </fieldset>
          );
        })}
        <SubmitButton>{t("equality.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
