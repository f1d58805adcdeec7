/** The refusals of the vote, each with a code callers branch on and the status it answers with. */
import { Refusal, type RefusalStatus } from "~/utils/refusal";

export type VoteRefusalCode =
  | "closed"
  | "already-voted"
  | "outside-area"
  | "under-age"
  | "needs-details"
  | "bad-code"
  | "bad-ranking"
  | "rate-limited"
  | "not-found"
  | "codes-only"
  | "needs-register-match";

const STATUS: Readonly<Record<VoteRefusalCode, RefusalStatus>> = {
  closed: 403,
  "already-voted": 409,
  "outside-area": 403,
  "under-age": 403,
  "needs-details": 403,
  "bad-code": 400,
  "bad-ranking": 400,
  "rate-limited": 429,
  "not-found": 404,
  "codes-only": 403,
  "needs-register-match": 403,
};

export function voteRefusal(message: string, code: VoteRefusalCode): Refusal {
  return new Refusal(message, { code, status: STATUS[code] });
}

/** Whether the error is SQLite refusing a row that would break a unique index (raised directly or by Drizzle). */
export function isUniqueViolation(error: unknown): boolean {
  const codeOf = (e: unknown) => (typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined);
  const cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return codeOf(error) === "SQLITE_CONSTRAINT_UNIQUE" || codeOf(cause) === "SQLITE_CONSTRAINT_UNIQUE";
}
