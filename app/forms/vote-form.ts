/**
 * Shared by the vote pages and their actions (no server code here, so components may use it).
 */
import { z } from "zod";
import { normalisePostcode } from "~/core/places/postcode";

export const VOTER_DETAILS_LABELS: Record<string, string> = { postcode: "Postcode", dateOfBirth: "Date of birth" };

export const voterDetailsSchema = z.object({
  postcode: z
    .string({ required_error: "Enter your postcode" })
    .trim()
    .min(1, "Enter your postcode")
    .transform((v, ctx) => {
      const postcode = normalisePostcode(v);
      if (!postcode) {
        ctx.addIssue({ code: "custom", message: "Enter a real postcode, like EB1 2AB" });
        return z.NEVER;
      }
      return postcode;
    }),
  dateOfBirth: z
    .string({ required_error: "Enter your date of birth" })
    .trim()
    .min(1, "Enter your date of birth")
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter your date of birth as year-month-day, like 1990-07-31")
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= "1900-01-01";
    }, "Enter a real date of birth"),
});

/** The short route id used by fetch submissions (for the benchmark and tests). */
export const VOTE_ROUTE_ID = "routes/rounds.$roundId.vote";
