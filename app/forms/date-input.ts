/**
 * The zod side of the GOV.UK date input: a form posts `<name>-day`, `<name>-month` and
 * `<name>-year`; `withDateInputs` gathers them into one value per date before the schema runs, and
 * `dateInputField` checks it and gives YYYY-MM-DD, with GOV.UK's messages (keyed by the date's
 * name, so the error sits on the fieldset). Not a .server module: components use the names.
 */
import { z, type ZodTypeAny } from "zod";
import { londonDateOf } from "~/core/ledger";
import { DATE_PARTS, readDateParts, type DateParts, type DatePartsRules } from "~/core/time/date-parts";

/** The posted name of one box of a date input. */
export const datePartName = (name: string, part: (typeof DATE_PARTS)[number]) => `${name}-${part}`;

const partsSchema = z
  .object({ day: z.string().optional(), month: z.string().optional(), year: z.string().optional() })
  .default({});

/**
 * A date typed in three boxes, as YYYY-MM-DD. `inThePast` refuses today and later (London today,
 * read when the form is checked); `earliest` refuses anything before it.
 */
export function dateInputField(
  label: string,
  options: { inThePast?: boolean; earliest?: string; missing?: string } = {},
) {
  return partsSchema.transform((parts, ctx) => {
    const rules: DatePartsRules = { label, earliest: options.earliest, missing: options.missing };
    if (options.inThePast) rules.mustBeBefore = londonDateOf(new Date());
    const result = readDateParts(parts as Partial<DateParts>, rules);
    if (result.ok) return result.date;
    ctx.addIssue({ code: "custom", message: result.message, params: { parts: result.parts } });
    return z.NEVER;
  });
}

/** Runs `schema` on the posted fields with each named date's three boxes gathered into one object. */
export function withDateInputs<S extends ZodTypeAny>(schema: S, names: readonly string[]) {
  return z.preprocess((raw) => {
    if (typeof raw !== "object" || raw === null) return raw;
    const fields = { ...(raw as Record<string, unknown>) };
    for (const name of names) {
      fields[name] = Object.fromEntries(DATE_PARTS.map((part) => [part, fields[datePartName(name, part)] ?? ""]));
    }
    return fields;
  }, schema);
}
