/**
 * The voting rules (app/core/voting) and the vote's models (app/models/voting) word their refusals
 * and statuses in English; this module knows each of those messages and gives its catalogue key, so
 * the vote pages show them in the reader's language. A message it does not know is shown as given.
 * Used where the message is shown (components) or on an action's error path, never on the success
 * path of a cast.
 */
import { useTranslation } from "react-i18next";
import { ALREADY_VOTED } from "~/core/voting/eligibility";
import { CODES_ONLY_MESSAGE, NEEDS_REGISTER_MESSAGE } from "~/core/voting/voter-rules";
import { Refusal } from "~/utils/refusal";

/** A catalogue key and its values. */
export interface KeyedMessage {
  key: string;
  values?: Record<string, string | number>;
}

const EXACT: Readonly<Record<string, string>> = {
  [ALREADY_VOTED]: "voting:msg.alreadyVoted",
  "Voting in this round has not opened yet.": "voting:msg.notOpen",
  "Voting in this round has closed.": "voting:msg.closed",
  "We need your postcode and date of birth to check you can vote in this round.": "voting:msg.needsDetails",
  "Your postcode is outside the area of this round, so you cannot vote in it.": "voting:msg.outsideArea",
  [CODES_ONLY_MESSAGE]: "voting:msg.codesOnly",
  [NEEDS_REGISTER_MESSAGE]: "voting:msg.needsRegister",
  "Rank at least one project.": "voting:msg.rankOne",
  "The ranking names a project that is not on this ballot.": "voting:msg.notOnBallot",
  "The ranking names a project more than once.": "voting:msg.twice",
  "Some ranks are not valid.": "voting:msg.someRanks",
  "Each rank can be used once.": "voting:msg.rankOnce",
  "Rank at least one project: give your favourite rank 1.": "voting:msg.rankFavourite",
  "There is no such round.": "voting:msg.noRound",
  "Voting is not open: this round has no ballot key.": "voting:msg.noKey",
  "That code does not work for this round.": "voting:msg.codeWrong",
  "That code does not work for this round. Check it and try again.": "voting:msg.codeWrongCheck",
  "That code has been cancelled. Ask the council for a new one.": "voting:msg.codeCancelled",
  "That code has already been used to vote in this round.": "voting:msg.codeUsed",
  "Enter the code as printed: 12 letters and numbers, for example 7K3M-9QXA-2BHD.": "voting:msg.codeFormat",
  "This link to the equality questions has expired. Thank you for voting.": "voting:msg.equalityExpired",
  "You have already answered these questions. Thank you.": "voting:msg.equalityAnswered",
  ["We could not find you on the register for this round. Check what you typed against your letter or " +
  "polling card."]: "voting:msg.noMatch",
  ["That register entry is already used by another account. If it is yours, contact the council to sort it " + "out."]:
    "voting:msg.rowTaken",
  "That register entry was already used to vote at a decision-day event. If that was not you, contact the council.":
    "voting:msg.rowClaimedAtEvent",
  "Too many tries did not match the register. Try again tomorrow, or contact the council.":
    "voting:msg.registerLimited",
  "This round does not use the council's register.": "voting:msg.noRegister",
  ["You have voted, so your postcode and date of birth can no longer be changed here. If they are wrong, " +
  "contact the council: an officer can correct them."]: "voting:msg.detailsLocked",
  "There is no such account.": "voting:msg.noAccount",
};

type Pattern = { pattern: RegExp; key: string; values: (m: RegExpMatchArray) => KeyedMessage["values"] };

const PATTERNS: readonly Pattern[] = [
  {
    pattern: /^You must be (\d+) or over on the day voting closes to vote in this round\.$/,
    key: "voting:msg.underAge",
    values: (m) => ({ age: Number(m[1]) }),
  },
  {
    pattern: /^You can rank at most (\d+) projects\.$/,
    key: "voting:msg.rankAtMost",
    values: (m) => ({ count: Number(m[1]) }),
  },
  {
    pattern: /^Choose a rank from 1 to (\d+), or leave it blank$/,
    key: "voting:msg.chooseRank",
    values: (m) => ({ limit: Number(m[1]) }),
  },
  {
    pattern: /^Rank (\d+) is given to more than one project: give each project a different rank$/,
    key: "voting:msg.rankTwice",
    values: (m) => ({ rank: Number(m[1]) }),
  },
  {
    pattern: /^There is no project at rank (\d+): use ranks 1, 2, 3 … without gaps$/,
    key: "voting:msg.rankGap",
    values: (m) => ({ rank: Number(m[1]) }),
  },
  {
    pattern: /^Ranks must follow on from 1 without gaps \(nothing is ranked ([\d, ]+)\)\.$/,
    key: "voting:msg.rankGaps",
    values: (m) => ({ missing: m[1]! }),
  },
  {
    pattern: /^Too many codes that did not work were tried from here\. Wait (\d+) minutes/,
    key: "voting:msg.codeLimited",
    values: (m) => ({ minutes: Number(m[1]) }),
  },
];

/** The catalogue key (and values) of a known voting message, or null for any other text. */
export function votingMessage(message: string): KeyedMessage | null {
  const exact = EXACT[message];
  if (exact) return { key: exact };
  for (const { pattern, key, values } of PATTERNS) {
    const match = message.match(pattern);
    if (match) return { key, values: values(match) };
  }
  return null;
}

/**
 * A known message without values as its catalogue key (the forms translate keys), else as given.
 * Messages with values are translated where they are shown, by `useVotingText`.
 */
export function votingMessageKeyOf(message: string): string {
  const known = votingMessage(message);
  return known && !known.values ? known.key : message;
}

/** The refusal with its messages as catalogue keys where they are known, for `refusalAnswer`. */
export function votingMessageKey(refusal: Refusal): Refusal {
  const fieldErrors = Object.fromEntries(
    Object.entries(refusal.fieldErrors).map(([field, message]) => [field, votingMessageKeyOf(message)]),
  );
  return new Refusal(votingMessageKeyOf(refusal.message), {
    field: refusal.field,
    status: refusal.status,
    fieldErrors,
    code: refusal.code,
  });
}

/** Shows a voting message in the reader's language: a known English message, a catalogue key, or other text. */
export function useVotingText(): (message: string | null | undefined) => string {
  const { t } = useTranslation();
  return (message) => {
    if (!message) return "";
    if (/^[a-z]+:[A-Za-z0-9_.-]+$/.test(message)) return t(message);
    const known = votingMessage(message);
    return known ? t(known.key, known.values) : message;
  };
}

/** The form state with every known voting message translated, for ErrorSummary and the fields. */
export function useTranslatedFormState<S extends { errors?: Record<string, string>; formError?: string }>(
  state: S | undefined,
): S | undefined {
  const text = useVotingText();
  if (!state) return state;
  return {
    ...state,
    ...(state.errors ? { errors: Object.fromEntries(Object.entries(state.errors).map(([k, v]) => [k, text(v)])) } : {}),
    ...(state.formError ? { formError: text(state.formError) } : {}),
  };
}

/** The labels of the voter-details fields in the reader's language. */
export function useVoterDetailsLabels(): {
  postcode: string;
  dateOfBirth: string;
  reference: string;
  surname: string;
} {
  const { t } = useTranslation("voting");
  return {
    postcode: t("field.postcode"),
    dateOfBirth: t("field.dateOfBirth"),
    reference: t("field.reference"),
    surname: t("field.surname"),
  };
}
