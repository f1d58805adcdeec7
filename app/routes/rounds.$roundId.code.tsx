import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { votingWindowState } from "~/core/rounds";
import { findRound } from "~/models/rounds/queries.server";
import { checkVotingCode } from "~/models/voting/codes.server";
import { clientIp, idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";
import { setVoteCodeCookie } from "~/utils/vote-code-cookie.server";
import { useTranslatedFormState } from "~/utils/voting-messages";

export const meta = titleMeta("voting:code.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("voting:msg.noRound");
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
  if (!findRound(roundId)) throw notFound("voting:msg.noRound");
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
  const state = useTranslatedFormState(useActionData<typeof action>());
  const { t } = useTranslation("voting");
  const format = useFormat();
  const voteLink = <Link to={`/rounds/${round.id}/vote`} />;
  return (
    <div className="max-w-2xl">
      <h1>{t("code.heading", { round: round.name })}</h1>
      {round.open ? (
        <>
          <p>{t("code.intro")}</p>
          {round.voterRule === "codes" ? (
            <p>{t("code.onlyCodes")}</p>
          ) : (
            <p>
              <Trans
                t={t}
                i18nKey={round.voterRule === "register" ? "code.noCodeRegister" : "code.noCode"}
                components={{ anchor: voteLink }}
              />
            </p>
          )}
          <ErrorSummary state={state} labels={{ code: t("code.label") }} />
          <Form method="post" noValidate>
            <TextField
              name="code"
              label={t("code.label")}
              hint={t("code.hint")}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="characters"
              state={state}
            />
            <SubmitButton>{t("code.submit")}</SubmitButton>
          </Form>
        </>
      ) : (
        <>
          <p className="text-lg font-semibold">
            {round.closed ? t("msg.closed") : t("code.opensOn", { opens: format.dateTime(round.opensAt) })}
          </p>
          {round.closed ? (
            <p>
              {round.resultsPublished ? (
                <Link to={`/rounds/${round.id}/results`}>{t("code.seeResults", { round: round.name })}</Link>
              ) : (
                <Trans
                  t={t}
                  i18nKey="code.notPublished"
                  components={{ anchor: <Link to={`/rounds/${round.id}/results`} /> }}
                />
              )}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
