/**
 * The checks an officer types at an event. The register check: the reference on the voter's letter
 * or polling card, or else their postcode, date of birth and surname (the two ways online matching
 * takes); its errors are catalogue keys (namespace `events`), put beside the field they are about.
 * The declared check: the postcode the voter gives and their confirmed age, with the messages the
 * page passes in.
 */
import { z } from "zod";
import { normalisePostcode } from "~/core/places/postcode";
import { normaliseDateOfBirth } from "~/core/voting/voter-rules";

/** The declared check's fields: a postcode that reads as one (normalised), and the age confirmed. */
export function declaredCheckFields(messages: { postcodeMissing: string; postcodeInvalid: string; age: string }) {
  return {
    postcode: z
      .string()
      .trim()
      .min(1, messages.postcodeMissing)
      .transform((v, ctx) => {
        const postcode = normalisePostcode(v);
        if (!postcode) ctx.addIssue({ code: "custom", message: messages.postcodeInvalid });
        return postcode ?? "";
      }),
    ageConfirmed: z.literal("yes", { errorMap: () => ({ message: messages.age }) }),
  };
}

export const registerCheckFields = {
  registerReference: z.string().trim().max(60).optional().default(""),
  registerPostcode: z.string().trim().max(20).optional().default(""),
  registerDateOfBirth: z.string().trim().max(20).optional().default(""),
  registerSurname: z.string().trim().max(100).optional().default(""),
};

export interface RegisterCheckValues {
  registerReference: string;
  registerPostcode: string;
  registerDateOfBirth: string;
  registerSurname: string;
}

/** Without a reference, each of the three details is needed, and the date must be a date. */
export function refineRegisterCheck(values: RegisterCheckValues, ctx: z.RefinementCtx): void {
  if (values.registerReference) return;
  const missing = (path: keyof RegisterCheckValues, key: string) =>
    ctx.addIssue({ code: "custom", path: [path], message: `events:errors.${key}` });
  if (!values.registerPostcode) missing("registerPostcode", "registerPostcode");
  if (!normaliseDateOfBirth(values.registerDateOfBirth)) missing("registerDateOfBirth", "registerDateOfBirth");
  if (!values.registerSurname) missing("registerSurname", "registerSurname");
}

/** What the server looks up: the reference when one was typed, else the three details. */
export function registerCheckInput(
  values: RegisterCheckValues,
): { reference: string } | { postcode: string; dateOfBirth: string; surname: string } {
  if (values.registerReference) return { reference: values.registerReference };
  return {
    postcode: values.registerPostcode,
    dateOfBirth: values.registerDateOfBirth,
    surname: values.registerSurname,
  };
}
