/**
 * The one error a model throws when it refuses a request: a message a person can act on, the form
 * field it belongs to ("form" for the whole form), the HTTP status it answers with, and, when several
 * fields are wrong at once, an error for each. Routes turn it into an answer with `refusalAnswer`
 * (actions) or `refusalResponse` (loaders); models never build HTTP responses.
 */
export type RefusalStatus = 400 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

export interface RefusalOptions {
  /** The form field the message belongs to; "form" (the default) puts it at the top of the form. */
  field?: string;
  status?: RefusalStatus;
  /** Errors for several fields at once, shown beside each field and in the summary. */
  fieldErrors?: Readonly<Record<string, string>>;
  /** A stable machine-readable reason, for callers that branch on it (e.g. "already-voted"). */
  code?: string;
}

export class Refusal extends Error {
  override readonly name = "Refusal";
  readonly field: string;
  readonly status: RefusalStatus;
  readonly fieldErrors: Readonly<Record<string, string>>;
  readonly code: string | undefined;

  constructor(message: string, options: RefusalOptions = {}) {
    super(message);
    this.field = options.field ?? "form";
    this.status = options.status ?? 422;
    this.fieldErrors = options.fieldErrors ?? {};
    this.code = options.code;
  }

  static notFound(message = "Not found"): Refusal {
    return new Refusal(message, { status: 404 });
  }

  static forbidden(message = "You do not have access to this."): Refusal {
    return new Refusal(message, { status: 403 });
  }

  static conflict(message: string, options: Omit<RefusalOptions, "status"> = {}): Refusal {
    return new Refusal(message, { ...options, status: 409 });
  }
}

export function isRefusal(error: unknown): error is Refusal {
  return error instanceof Refusal;
}
