/**
 * An officer's small form for correcting a resident's postcode and date of birth, with a reason.
 * Shown on the user's admin page; it posts to /admin/users/$userId/voter-details.
 */
import { DateInput } from "~/components/date-input";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import type { FormFailure } from "~/utils/form";
import { useFormat } from "~/utils/translate";

/** The error summary's label keys for the form's fields. */
export const VOTER_DETAILS_CORRECTION_LABELS: Record<string, string> = {
  postcode: "admin:voterDetails.postcode",
  dateOfBirth: "admin:voterDetails.dateOfBirth",
  reason: "admin:voterDetails.reason",
};

export interface VoterDetailsView {
  postcode: string | null;
  dateOfBirth: string | null;
  hasVoted: boolean;
}

export function VoterDetailsCorrection({
  userId,
  details,
  state,
}: {
  userId: string;
  details: VoterDetailsView;
  state?: FormFailure;
}) {
  const { t } = useTranslation("admin");
  const format = useFormat();
  const labels = Object.fromEntries(Object.entries(VOTER_DETAILS_CORRECTION_LABELS).map(([k, key]) => [k, t(key)]));
  return (
    <section aria-labelledby="voter-details-heading">
      <h2 id="voter-details-heading">{t("voterDetails.heading")}</h2>
      <p>
        {t("voterDetails.summary", {
          postcode: details.postcode ?? t("voterDetails.notGiven"),
          dateOfBirth: details.dateOfBirth ? format.date(details.dateOfBirth) : t("voterDetails.notGiven"),
        })}{" "}
        {details.hasVoted ? t("voterDetails.voted") : t("voterDetails.notVoted")}
      </p>
      <Form method="post" action={`/admin/users/${userId}/voter-details`} noValidate>
        <ErrorSummary state={state} labels={labels} />
        <TextField
          name="postcode"
          label={t("voterDetails.postcode")}
          className="input max-w-40"
          defaultValue={details.postcode ?? ""}
          state={state}
        />
        <DateInput
          name="dateOfBirth"
          legend={t("voterDetails.dateOfBirth")}
          defaultValue={details.dateOfBirth}
          state={state}
        />
        <TextField name="reason" label={t("voterDetails.reason")} hint={t("voterDetails.reasonHint")} state={state} />
        <SubmitButton secondary>{t("voterDetails.submit")}</SubmitButton>
      </Form>
    </section>
  );
}
