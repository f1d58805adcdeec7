import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { ErrorSummary, SubmitButton, useErrorText } from "~/components/forms";
import { SHARE_COUNT, SHARE_THRESHOLD } from "~/core/voting";
import { findRound } from "~/models/rounds/queries.server";
import { createBallotKey } from "~/models/voting/ballot-key.server";
import { requireRole } from "~/utils/auth.server";
import { failure } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.round.name, cy: data.round.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: t("admin:ballotKey.title", { name }) }) }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
  return json({
    round: { id: round.id, name: round.name, nameCy: round.nameCy, phase: round.phase },
    keyMadeAt: round.ballotKeyCreatedAt,
  });
}

const schema = z.object({
  confirm: z.literal("yes", { errorMap: () => ({ message: "admin:ballotKey.confirmRequired" }) }),
});

/** Makes the key and answers with its shares, once; the answer is never cached. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("admin:refusal.noRound");
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json(failure({ confirm: parsed.error.issues[0]!.message }, {}), { status: 400 });
  try {
    const shares = await createBallotKey({ id: user.id, name: user.name }, roundId);
    return json({ shares }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof Refusal) return refusalAnswer(error, {});
    throw error;
  }
}

export default function BallotKey() {
  const { round, keyMadeAt } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const shares = answer && "shares" in answer ? answer.shares : null;
  const state = answer && "errors" in answer ? answer : undefined;
  const { t } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  return (
    <div className="max-w-3xl">
      <h1>
        <Trans
          t={t}
          i18nKey="ballotKey.heading"
          components={{ round: <LocalisedText value={{ en: round.name, cy: round.nameCy }} /> }}
        />
      </h1>
      {shares ? (
        <section aria-labelledby="shares-heading">
          <h2 id="shares-heading">{t("ballotKey.printNow")}</h2>
          <p className="notice" role="status">
            {t("ballotKey.made", { count: SHARE_COUNT, threshold: SHARE_THRESHOLD })}
          </p>
          <ol className="list-decimal pl-6">
            {shares.map((share, i) => (
              <li key={share} className="mb-4 break-inside-avoid">
                <p>{t("ballotKey.officerShare", { number: i + 1 })}</p>
                <p className="font-mono text-lg break-all">{share}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : keyMadeAt ? (
        <p>
          <Trans
            t={t}
            i18nKey="ballotKey.madeAt"
            values={{ date: format.dateTime(keyMadeAt) }}
            components={{ count: <Link to={`/admin/rounds/${round.id}/count`} /> }}
          />
        </p>
      ) : (
        <>
          <p>{t("ballotKey.intro", { count: SHARE_COUNT, threshold: SHARE_THRESHOLD })}</p>
          <ErrorSummary state={state} labels={{ confirm: t("ballotKey.confirmation") }} />
          <Form method="post" noValidate>
            <div className="field">
              {state?.errors?.confirm ? (
                <p id="field-confirm-error" className="error-message">
                  <span className="sr-only">{t("forms:errorPrefix")} </span>
                  {errorText(state.errors.confirm)}
                </p>
              ) : null}
              <div className="flex items-center gap-2">
                <input
                  type="checkbox"
                  id="field-confirm"
                  name="confirm"
                  value="yes"
                  className="h-5 w-5"
                  aria-describedby={state?.errors?.confirm ? "field-confirm-error" : undefined}
                />
                <label htmlFor="field-confirm">{t("ballotKey.confirm", { count: SHARE_COUNT })}</label>
              </div>
            </div>
            <SubmitButton>{t("ballotKey.make")}</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
