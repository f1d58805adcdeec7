/**
 * Form handling shared by every action: parse FormData with a zod schema and, on failure, return
 * field errors plus the submitted values so the page re-renders with nothing lost.
 */
import { z, type ZodErrorMap, type ZodTypeAny } from "zod";

/**
 * zod's own messages (where a schema gives none) as catalogue keys, which the form components
 * translate into the reader's language (components/forms.tsx `useErrorText`).
 */
export const catalogueErrorMap: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case "invalid_type":
      return { message: issue.received === "undefined" ? "forms:zod.required" : "forms:zod.invalid" };
    case "too_small":
      return { message: issue.type === "string" ? "forms:zod.tooShort" : "forms:zod.tooSmall" };
    case "too_big":
      return { message: issue.type === "string" ? "forms:zod.tooLong" : "forms:zod.tooBig" };
    case "invalid_enum_value":
      return { message: "forms:zod.choose" };
    case "invalid_string":
      return { message: issue.validation === "email" ? "forms:zod.email" : "forms:zod.invalid" };
    case "invalid_date":
      return { message: "forms:zod.date" };
    default:
      return { message: ctx.defaultError === "Invalid input" ? "forms:zod.invalid" : ctx.defaultError };
  }
};
z.setErrorMap(catalogueErrorMap);

export type FieldErrors = Record<string, string>;

export interface FormFailure {
  ok: false;
  errors: FieldErrors;
  values: Record<string, string>;
  /** A message for the whole form (shown at the top of the error summary). */
  formError?: string;
}

export type FormResult<T> = { ok: true; data: T; values: Record<string, string> } | FormFailure;

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    // Multi-valued fields (checkboxes) keep every value, comma-joined, for redisplay.
    values[key] = key in values ? `${values[key]},${value}` : value;
  }
  delete values.password;
  delete values.confirmPassword;
  return values;
}

/** Builds an object from FormData: repeated names become arrays (for checkbox groups). */
export function formObject(formData: FormData, arrayFields: string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    result[key] = arrayFields.includes(key) ? all : all[0];
  }
  for (const key of arrayFields) result[key] ??= [];
  return result;
}

export function parseForm<S extends ZodTypeAny>(
  schema: S,
  formData: FormData,
  arrayFields: string[] = [],
): FormResult<z.infer<S>> {
  const values = formValues(formData);
  const parsed = schema.safeParse(formObject(formData, arrayFields));
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values };
}

export function failure(errors: FieldErrors, values: Record<string, string> = {}, formError?: string): FormFailure {
  return { ok: false, errors, values, formError };
}
