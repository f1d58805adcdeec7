import { z } from "zod";

/** NCSC guidance: length over composition rules; a long passphrase is fine. */
export const passwordSchema = z
  .string()
  .min(12, "account:field.passwordTooShort")
  .max(200, "account:field.passwordTooLong");

/** An email address field; `missing` is the message (or catalogue key) when it is left empty. */
export const emailField = (missing = "account:field.emailRequired") =>
  z.string().trim().min(1, missing).max(254, "account:field.emailTooLong").email("account:field.emailFormat");

/** A person's name on an account. */
export const personNameField = () =>
  z.string().trim().min(1, "account:field.nameRequired").max(120, "account:field.nameTooLong");

export const PASSWORDS_DIFFER = "account:field.passwordsDiffer";
