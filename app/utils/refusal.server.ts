import { json } from "@remix-run/node";

import { failure } from "./form";
import { Refusal } from "./refusal";

export interface RefusalAnswerOptions<Extra extends Record<string, unknown> = Record<never, never>> {
  /** Where a whole-form refusal is shown instead, for forms whose one field is the natural place. */
  field?: string;
  /** The status to answer with instead of the refusal's own. */
  status?: number;
  /**
   * `answeringRefusals` throws a 404 refusal as the page's 404 (the thing is not there, so neither is
   * its form); with this status it is answered on the form instead.
   */
  notFoundStatus?: number;
  /** Extra keys the page needs beside the errors (e.g. which of several forms was sent). */
  extra?: Extra;
}

/** The form errors a refusal stands for: its field errors, and its message beside its field or at the top. */
export function refusalFailure(refusal: Refusal, values: Record<string, string> = {}, field?: string) {
  const target = refusal.field === "form" ? (field ?? "form") : refusal.field;
  const errors: Record<string, string> = { ...refusal.fieldErrors };
  if (target !== "form") errors[target] ??= refusal.message;
  return failure(errors, values, target === "form" ? refusal.message : undefined);
}

/** An action's answer to a refusal: the form again, with its values and the errors, and the refusal's status. */
export function refusalAnswer<Extra extends Record<string, unknown> = Record<never, never>>(
  refusal: Refusal,
  values: Record<string, string> = {},
  options: RefusalAnswerOptions<Extra> = {},
) {
  const status = (refusal.status === 404 ? options.notFoundStatus : undefined) ?? options.status ?? refusal.status;
  return json({ ...refusalFailure(refusal, values, options.field), ...(options.extra as Extra) }, { status });
}

/** A loader's answer to a refusal: a plain response with its status, for the route's error boundary. */
export function refusalResponse(refusal: Refusal): Response {
  return new Response(refusal.message, { status: refusal.status });
}

/**
 * Runs an action's work and answers a refusal with the form again; a 404 refusal is thrown as the
 * page's 404 unless `notFoundStatus` says otherwise; any other error propagates. `work` returns the
 * action's success answer (usually a redirect).
 */
export async function answeringRefusals<T, Extra extends Record<string, unknown> = Record<never, never>>(
  values: Record<string, string>,
  work: () => T | Promise<T>,
  options: RefusalAnswerOptions<Extra> = {},
): Promise<T | ReturnType<typeof refusalAnswer<Extra>>> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.status === 404 && options.notFoundStatus === undefined) throw refusalResponse(error);
    return refusalAnswer(error, values, options);
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
