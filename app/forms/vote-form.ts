/**
 * Shared by the vote pages and their actions (no server code here, so components may use it).
 */
import { z } from "zod";
import { normalisePostcode } from "~/core/places/postcode";
import { dateInputField, withDateInputs } from "~/forms/date-input";

/** English labels; pages show `useVoterDetailsLabels()` (app/utils/voting-messages.ts) in the reader's language. */
export const VOTER_DETAILS_LABELS: Record<string, string> = { postcode: "Postcode", dateOfBirth: "Date of birth" };

/** The voter-details fields before the date boxes are gathered; extend this, then wrap with `voterDetailsForm`. */
export const voterDetailsFields = z.object({
  postcode: z
    .string({ required_error: "voting:field.postcodeRequired" })
    .trim()
    .min(1, "voting:field.postcodeRequired")
    .transform((v, ctx) => {
      const postcode = normalisePostcode(v);
      if (!postcode) {
        ctx.addIssue({ code: "custom", message: "voting:field.postcodeFormat" });
        return z.NEVER;
      }
      return postcode;
    }),
  dateOfBirth: dateInputField("Date of birth", {
    inThePast: true,
    earliest: "1900-01-01",
    missing: "voting:field.dateOfBirthRequired",
  }),
});

/** A schema over the voter-details fields (or an extension of them) that reads the date of birth's three boxes. */
export const voterDetailsForm = <S extends z.ZodTypeAny>(schema: S) => withDateInputs(schema, ["dateOfBirth"]);

export const voterDetailsSchema = voterDetailsForm(voterDetailsFields);

/** The short route id used by fetch submissions (for the benchmark and tests). */
export const VOTE_ROUTE_ID = "routes/rounds.$roundId.vote";
