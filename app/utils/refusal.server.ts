import { json } from "@remix-run/node";

import { failure } from "./form";
import { Refusal } from "./refusal";

export interface RefusalAnswerOptions {
  /** Where a whole-form refusal is shown instead, for forms whose one field is the natural place. */
  field?: string;
  /** The status to answer with instead of the refusal's own. */
  status?: number;
  /** Extra keys the page needs beside the errors (e.g. which of several forms was sent). */
  extra?: Record<string, unknown>;
}

/** The form errors a refusal stands for: its field errors, and its message beside its field or at the top. */
export function refusalFailure(refusal: Refusal, values: Record<string, string> = {}, field?: string) {
  const target = refusal.field === "form" ? (field ?? "form") : refusal.field;
  const errors: Record<string, string> = { ...refusal.fieldErrors };
  if (target !== "form") errors[target] ??= refusal.message;
  return failure(errors, values, target === "form" ? refusal.message : undefined);
}

/** An action's answer to a refusal: the form again, with its values and the errors, and the refusal's status. */
export function refusalAnswer(refusal: Refusal, values: Record<string, string> = {}, options: RefusalAnswerOptions = {}) {
  return json({ ...refusalFailure(refusal, values, options.field), ...options.extra }, { status: options.status ?? refusal.status });
}

/** A loader's answer to a refusal: a plain response with its status, for the route's error boundary. */
export function refusalResponse(refusal: Refusal): Response {
  return new Response(refusal.message, { status: refusal.status });
}

/**
 * Runs an action's work and answers a refusal with the form again; any other error propagates.
 * `work` returns the action's success answer (usually a redirect).
 */
export async function answeringRefusals<T>(
  values: Record<string, string>,
  work: () => T | Promise<T>,
  options: RefusalAnswerOptions = {},
): Promise<T | ReturnType<typeof refusalAnswer>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return refusalAnswer(error, values, options);
    throw error;
  }
}

/** Runs a loader's work; a refusal becomes a response with its status (a 404 page, a 403 page). */
export async function loadingRefusals<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) throw refusalResponse(error);
    throw error;
  }
}
