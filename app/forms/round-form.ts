/**
 * The round settings form, shared by the set-up page and the round's settings page: the zod schema
 * that turns the posted fields into a RoundInput, and the labels the error summary uses. Not a
 * .server module, so the pages' components may use the labels.
 */
import { z } from "zod";
import { roundDateErrors } from "~/core/rounds/dates";
import { londonWallClockToInstant } from "~/core/time";
import { tryParsePounds } from "~/core/money";

/** Messages are catalogue keys (admin:roundErrors.*, admin:money.*), translated where they are shown. */
const E = (key: string) => `admin:roundErrors.${key}`;

type MoneyField = "pot" | "minBid" | "maxBid";
type DateField = "bidsOpenAt" | "bidsCloseAt" | "votingOpensAt" | "votingClosesAt" | "resultsAt";

const pounds = (field: MoneyField) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "") {
      ctx.addIssue({ code: "custom", message: E(`${field}Required`) });
      return 0;
    }
    const parsed = tryParsePounds(value, { allowZero: false });
    if (!parsed.ok) {
      const code = parsed.error.code;
      const known = code in MONEY_MESSAGE_CODES;
      ctx.addIssue({ code: "custom", message: known ? `admin:money.${code}` : parsed.error.userMessage });
      return 0;
    }
    return parsed.pence;
  });

/** The money errors a typed amount can have, each with its catalogue message. */
const MONEY_MESSAGE_CODES = {
  EMPTY: true,
  INVALID_FORMAT: true,
  TOO_MANY_DECIMAL_PLACES: true,
  NEGATIVE_NOT_ALLOWED: true,
  ZERO_NOT_ALLOWED: true,
  TOO_LARGE: true,
} as const;

const timestamp = (field: DateField, required: boolean) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "") {
      if (required) ctx.addIssue({ code: "custom", message: E(`${field}Required`) });
      return null;
    }
    const result = londonWallClockToInstant(value);
    if (result.ok) return result.iso;
    ctx.addIssue({
      code: "custom",
      message: result.problem === "format" ? E(`${field}Format`) : result.message,
    });
    return null;
  });

const wholeNumber = (message: string, min: number, max: number) =>
  z.string().transform((value, ctx) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) ctx.addIssue({ code: "custom", message });
    return n;
  });

/** An optional Welsh text: empty is null (English only); otherwise between `min` and `max` characters. */
const welsh = (min: number, max: number, tooShort: string, tooLong: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v ?? "")
    .refine((v) => v === "" || v.length >= min, tooShort)
    .refine((v) => v.length <= max, tooLong)
    .transform((v) => (v === "" ? null : v));

export const roundFormSchema = z
  .object({
    name: z.string().trim().min(3, E("nameRequired")).max(120, E("nameTooLong")),
    description: z.string().trim().min(10, E("descriptionRequired")).max(5000, E("descriptionTooLong")),
    // The Welsh versions are optional; when given they follow the English ones' rules.
    nameCy: welsh(3, 120, "projects:roundForm.nameCyTooShort", "projects:roundForm.nameCyTooLong"),
    descriptionCy: welsh(
      10,
      5000,
      "projects:roundForm.descriptionCyTooShort",
      "projects:roundForm.descriptionCyTooLong",
    ),
    wardIds: z.array(z.coerce.number().int().positive()),
    pot: pounds("pot"),
    minBid: pounds("minBid"),
    maxBid: pounds("maxBid"),
    bidsOpenAt: timestamp("bidsOpenAt", true),
    bidsCloseAt: timestamp("bidsCloseAt", true),
    votingOpensAt: timestamp("votingOpensAt", true),
    votingClosesAt: timestamp("votingClosesAt", true),
    resultsAt: timestamp("resultsAt", false),
    maxRanked: wholeNumber(E("maxRanked"), 1, 50),
    minVoterAge: wholeNumber(E("minVoterAge"), 11, 25),
    countingRule: z.enum(["greedy", "mes", "mes-add1", "irv", "stv", "scottish-stv"], {
      errorMap: () => ({ message: E("countingRule") }),
    }),
    seats: z.preprocess((v) => (v === undefined || v === "" ? "1" : v), wholeNumber(E("seats"), 1, 50)),
    tieBreak: z.enum(["project-id", "lowest-cost", "ballot-order"], {
      errorMap: () => ({ message: E("tieBreak") }),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.minBid > 0 && v.maxBid > 0 && v.maxBid < v.minBid)
      ctx.addIssue({ code: "custom", path: ["maxBid"], message: E("maxBelowMin") });
    else if (v.maxBid > 0 && v.pot > 0 && v.maxBid > v.pot)
      ctx.addIssue({ code: "custom", path: ["maxBid"], message: E("maxAbovePot") });
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
    nameCy: v.nameCy,
    descriptionCy: v.descriptionCy,
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
    seats: v.seats,
  }));

export const ROUND_FORM_ARRAYS = ["wardIds"];

/** The error summary's label for each field, as catalogue keys (`t` them where they are shown). */
export const ROUND_FIELD_LABEL_KEYS: Record<string, string> = {
  ...Object.fromEntries(
    [
      "name",
      "description",
      "wardIds",
      "pot",
      "minBid",
      "maxBid",
      "bidsOpenAt",
      "bidsCloseAt",
      "votingOpensAt",
      "votingClosesAt",
      "resultsAt",
      "maxRanked",
      "minVoterAge",
      "countingRule",
      "tieBreak",
      "seats",
      "reason",
    ].map((field) => [field, `admin:roundLabels.${field}`]),
  ),
  nameCy: "projects:roundForm.nameCy",
  descriptionCy: "projects:roundForm.descriptionCy",
};
