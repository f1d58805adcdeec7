import { DateInput } from "~/components/date-input";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { voterDetailsSchema } from "~/forms/vote-form";
import { correctOwnVoterDetails, voterDetailsOf } from "~/models/voting/voter-details.server";
import { requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";
import { useVoterDetailsLabels, votingMessageKey } from "~/utils/voting-messages";

export const meta = titleMeta("account:voterDetails.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const details = voterDetailsOf(user.id);
  if (!details) throw new Response("Not found", { status: 404 });
  return json({ details });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(voterDetailsSchema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  try {
    correctOwnVoterDetails({ id: user.id, name: user.name }, form.data);
  } catch (error) {
    if (error instanceof Refusal) return refusalAnswer(votingMessageKey(error), form.values);
    throw error;
  }
  return redirect("/account/voter-details?saved=1");
}

export default function VoterDetails() {
  const { details } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("account");
  const format = useFormat();
  const labels = useVoterDetailsLabels();
  return (
    <div className="max-w-2xl">
      <p>
        <Link to="/account">{t("page.title")}</Link>
      </p>
      <h1>{t("voterDetails.title")}</h1>
      {params.has("saved") && !state ? (
        <p className="notice" role="status">
          {t("voterDetails.saved")}
        </p>
      ) : null}
      <p>{t("voterDetails.intro")}</p>
      <dl className="grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">{t("voterDetails.postcode")}</dt>
        <dd>{details.postcode ?? t("common:notGiven")}</dd>
        <dt className="font-semibold">{t("voterDetails.ward")}</dt>
        <dd>{details.wardName ?? (details.postcode ? t("voterDetails.notInArea") : t("voterDetails.notKnown"))}</dd>
        <dt className="font-semibold">{t("voterDetails.dateOfBirth")}</dt>
        <dd>{details.dateOfBirth ? format.date(details.dateOfBirth) : t("common:notGiven")}</dd>
      </dl>
      {details.hasVoted ? (
        <p className="notice">{t("voterDetails.locked")}</p>
      ) : (
        <>
          <h2>{t("voterDetails.correct")}</h2>
          <p className="hint">{t("voterDetails.untilYouVote")}</p>
          <ErrorSummary state={state} labels={labels} />
          <Form method="post" noValidate>
            <TextField
              name="postcode"
              label={labels.postcode}
              autoComplete="postal-code"
              className="input max-w-40"
              defaultValue={details.postcode ?? ""}
              state={state}
            />
            <DateInput
              name="dateOfBirth"
              legend={labels.dateOfBirth}
              defaultValue={details.dateOfBirth}
              state={state}
              birthday
            />
            <SubmitButton>{t("voterDetails.submit")}</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
