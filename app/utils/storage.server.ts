/**
 * What a request gets when the database cannot store its write: the disk is full (SQLITE_FULL) or
 * failing (SQLITE_IOERR and its extended codes). Not a generic 500, but a 503 that says plainly
 * that nothing was recorded and to try again shortly. `writeTransaction` throws it, so every action
 * answers the same way; it is also an Error-like object for the command-line scripts.
 */
export const NOT_RECORDED_MESSAGE =
  "Your vote, payment or change was not recorded: the service cannot save anything just now. Nothing was lost. Try " +
  "again shortly.";

const STORAGE_CODES = /^SQLITE_(FULL|IOERR)/;

export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && STORAGE_CODES.test(code);
}

export class StorageUnavailable extends Response {
  readonly name = "StorageUnavailable";
  readonly message = NOT_RECORDED_MESSAGE;
  constructor(readonly cause: unknown) {
    super(NOT_RECORDED_MESSAGE, {
      status: 503,
      statusText: "Service Unavailable",
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "30" },
    });
  }
  override toString(): string {
    return `${NOT_RECORDED_MESSAGE} (${(this.cause as { code?: string })?.code ?? "storage error"})`;
  }
}
