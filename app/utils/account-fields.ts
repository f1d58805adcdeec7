import { z } from "zod";

/** NCSC guidance: length over composition rules; a long passphrase is fine. */
export const passwordSchema = z
  .string()
  .min(12, "Password must be at least 12 characters")
  .max(200, "Password must be 200 characters or fewer");

/** An email address field; `missing` is the message when it is left empty. */
export const emailField = (missing = "Enter your email address") =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(254, "Email address must be 254 characters or fewer")
    .email("Enter an email address like name@example.org");
