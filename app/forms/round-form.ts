/**
 * The round settings form, shared by the set-up page and the round's settings page: the zod schema
 * that turns the posted fields into a RoundInput, and the labels the error summary uses. Not a
 * .server module, so the pages' components may use the labels.
 */
import { z } from "zod";
import { roundDateErrors } from "~/core/rounds/dates";
import { londonWallClockToInstant } from "~/core/time";
import { tryParsePounds } from "~/core/money";

const pounds = (label: string) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "") {
      ctx.addIssue({ code: "custom", message: `Enter ${label}` });
      return 0;
    }
    const parsed = tryParsePounds(value, { allowZero: false });
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.error.userMessage });
      return 0;
    }
    return parsed.pence;
  });

const timestamp = (label: string, required: boolean) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "") {
      if (required) ctx.addIssue({ code: "custom", message: `Enter when ${label}` });
      return null;
    }
    const result = londonWallClockToInstant(value);
    if (result.ok) return result.iso;
    ctx.addIssue({
      code: "custom",
      message: result.problem === "format" ? `Enter when ${label} as a date and time` : result.message,
    });
    return null;
  });

const wholeNumber = (message: string, min: number, max: number) =>
  z.string().transform((value, ctx) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) ctx.addIssue({ code: "custom", message });
    return n;
  });

export const roundFormSchema = z
  .object({
    name: z.string().trim().min(3, "Enter the round's name").max(120, "Keep the name to 120 characters"),
    description: z.string().trim().min(10, "Describe what the round is for").max(5000),
    wardIds: z.array(z.coerce.number().int().positive()),
    pot: pounds("the pot"),
    minBid: pounds("the smallest bid"),
    maxBid: pounds("the largest bid"),
    bidsOpenAt: timestamp("bids open", true),
    bidsCloseAt: timestamp("bids close", true),
    votingOpensAt: timestamp("voting opens", true),
    votingClosesAt: timestamp("voting closes", true),
    resultsAt: timestamp("results are published", false),
    maxRanked: wholeNumber("Enter how many projects a voter may rank, from 1 to 50", 1, 50),
    minVoterAge: wholeNumber("Enter the minimum voting age, from 11 to 25", 11, 25),
    countingRule: z.enum(["greedy", "mes"], { errorMap: () => ({ message: "Choose how votes are counted" }) }),
    tieBreak: z.enum(["project-id", "lowest-cost", "ballot-order"], {
      errorMap: () => ({ message: "Choose how ties are broken" }),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.minBid > 0 && v.maxBid > 0 && v.maxBid < v.minBid)
      ctx.addIssue({ code: "custom", path: ["maxBid"], message: "The largest bid must be at least the smallest bid" });
    else if (v.maxBid > 0 && v.pot > 0 && v.maxBid > v.pot)
      ctx.addIssue({ code: "custom", path: ["maxBid"], message: "The largest bid cannot be more than the pot" });
    if (v.bidsOpenAt && v.bidsCloseAt && v.votingOpensAt && v.votingClosesAt) {
      const errors = roundDateErrors({
        bidsOpenAt: v.bidsOpenAt,
        bidsCloseAt: v.bidsCloseAt,
        votingOpensAt: v.votingOpensAt,
        votingClosesAt: v.votingClosesAt,
        resultsAt: v.resultsAt,
      });
      for (const [field, message] of Object.entries(errors)) ctx.addIssue({ code: "custom", path: [field], message });
    }
  })
  .transform((v) => ({
    name: v.name,
    description: v.description,
    wardIds: v.wardIds,
    potPence: v.pot,
    minBidPence: v.minBid,
    maxBidPence: v.maxBid,
    bidsOpenAt: v.bidsOpenAt!,
    bidsCloseAt: v.bidsCloseAt!,
    votingOpensAt: v.votingOpensAt!,
    votingClosesAt: v.votingClosesAt!,
    resultsAt: v.resultsAt,
    maxRanked: v.maxRanked,
    minVoterAge: v.minVoterAge,
    countingRule: v.countingRule,
    tieBreak: v.tieBreak,
  }));

export const ROUND_FORM_ARRAYS = ["wardIds"];

export const ROUND_FIELD_LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  wardIds: "Area",
  pot: "Pot",
  minBid: "Smallest bid",
  maxBid: "Largest bid",
  bidsOpenAt: "Bids open",
  bidsCloseAt: "Bids close",
  votingOpensAt: "Voting opens",
  votingClosesAt: "Voting closes",
  resultsAt: "Results published",
  maxRanked: "Projects a voter may rank",
  minVoterAge: "Minimum voting age",
  countingRule: "Counting rule",
  tieBreak: "Tie-break",
  reason: "Reason",
};
