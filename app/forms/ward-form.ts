/**
 * The ward form's schema, shared by the new-ward and edit-ward pages. Messages are catalogue keys
 * (forms:ward.*), translated where they are shown.
 */
import { z } from "zod";
import { isWardGssCode, normaliseGssCode } from "~/core/places/gss";

export const wardSchema = z.object({
  name: z.string().trim().min(1, "forms:ward.nameRequired").max(80, "forms:ward.nameTooLong"),
  nameCy: z
    .string()
    .trim()
    .max(80, "forms:ward.welshNameTooLong")
    .optional()
    .transform((v) => (v ? v : null)),
  gssCode: z
    .string()
    .transform(normaliseGssCode)
    .refine((v) => v.length > 0, "forms:ward.gssRequired")
    .refine((v) => v.length === 0 || isWardGssCode(v), "forms:ward.gssFormat"),
  population: z
    .string()
    .trim()
    // "10,250" and "10 250" are how people write populations; the separators are dropped.
    .transform((v) => v.replace(/(?<=\d)[,\s](?=\d{3}(\D|$))/g, ""))
    .refine((v) => v !== "", "forms:ward.populationWhole")
    .pipe(
      z.coerce
        .number({ invalid_type_error: "forms:ward.populationWhole" })
        .int("forms:ward.populationWhole")
        .min(0, "forms:ward.populationNegative")
        .max(10_000_000, "forms:ward.populationTooLarge"),
    ),
});

/** The catalogue keys of the ward form's field labels. */
export const WARD_FIELD_LABEL_KEYS = {
  name: "forms:ward.name",
  nameCy: "forms:ward.nameCy",
  gssCode: "forms:ward.gssCode",
  population: "forms:ward.population",
};
