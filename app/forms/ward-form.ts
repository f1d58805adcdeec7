/** The ward form's schema, shared by the new-ward and edit-ward pages. */
import { z } from "zod";
import { isWardGssCode, normaliseGssCode, WARD_GSS_HINT } from "~/core/places/gss";

export const wardSchema = z.object({
  name: z.string().trim().min(1, "Enter the ward's name").max(80, "Name must be 80 characters or fewer"),
  gssCode: z
    .string()
    .transform(normaliseGssCode)
    .refine((v) => v.length > 0, "Enter the ward's GSS code")
    .refine((v) => v.length === 0 || isWardGssCode(v), WARD_GSS_HINT),
  population: z
    .string()
    .trim()
    // "10,250" and "10 250" are how people write populations; the separators are dropped.
    .transform((v) => v.replace(/(?<=\d)[,\s](?=\d{3}(\D|$))/g, ""))
    .refine((v) => v !== "", "Enter the population as a whole number")
    .pipe(
      z.coerce
        .number({ invalid_type_error: "Enter the population as a whole number, like 10,250" })
        .int("Enter the population as a whole number, like 10,250")
        .min(0, "Population cannot be negative")
        .max(10_000_000, "Population looks too large for a ward"),
    ),
});

export const WARD_FIELD_LABELS = { name: "Ward name", gssCode: "GSS code", population: "Population" };
