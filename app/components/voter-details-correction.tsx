/**
 * An officer's small form for correcting a resident's postcode and date of birth, with a reason.
 * Shown on the user's admin page; it posts to /admin/users/$userId/voter-details.
 */
import { DateInput } from "~/components/date-input";
import { Form } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import type { FormFailure } from "~/utils/form";

export const VOTER_DETAILS_CORRECTION_LABELS: Record<string, string> = {
  postcode: "Postcode",
  dateOfBirth: "Date of birth",
  reason: "Reason for the correction",
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
  return (
    <section aria-labelledby="voter-details-heading">
      <h2 id="voter-details-heading">Voting details</h2>
      <p>
        Postcode {details.postcode ?? "not given"}, date of birth {details.dateOfBirth ?? "not given"}.{" "}
        {details.hasVoted
          ? "This person has voted, so only an officer can correct these."
          : "The resident can still correct these on their account."}
      </p>
      <Form method="post" action={`/admin/users/${userId}/voter-details`} noValidate>
        <ErrorSummary state={state} labels={VOTER_DETAILS_CORRECTION_LABELS} />
        <TextField
          name="postcode"
          label="Postcode"
          className="input max-w-40"
          defaultValue={details.postcode ?? ""}
          state={state}
        />
        <DateInput name="dateOfBirth" legend="Date of birth" defaultValue={details.dateOfBirth} state={state} />
        <TextField name="reason" label="Reason for the correction" hint="Goes in the audit trail" state={state} />
        <SubmitButton secondary>Correct the voting details</SubmitButton>
      </Form>
    </section>
  );
}
