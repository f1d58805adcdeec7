import { z } from "zod";

/** NCSC guidance: length over composition rules; a long passphrase is fine. */
export const passwordSchema = z
  .string()
  .min(12, "Password must be at least 12 characters")
  .max(200, "Password must be 200 characters or fewer");
