/**
 * Who may cast a ballot in a round, and the message when someone may not. The model gathers the
 * facts (phase, dates, the voter's ward and date of birth); this decides.
 */
import { votingWindowState } from "../rounds/phases";

/** Whole years between a date of birth and a day, both YYYY-MM-DD. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

export interface VotingWindow {
  phase: string;
  votingOpensAt: string;
  votingClosesAt: string;
}

/** Null while the round takes votes at instant `nowIso`, or why it does not (the rule is votingWindowState). */
export function votingClosedReason(round: VotingWindow, nowIso: string): string | null {
  const state = votingWindowState(round, nowIso);
  if (state === "open") return null;
  return state === "not-open" ? "Voting in this round has not opened yet." : "Voting in this round has closed.";
}

export type VoterFacts = {
  /** The voter's ward id from their postcode, or null when the postcode is unknown. */
  wardId: number | null;
  postcode: string | null;
  dateOfBirth: string | null;
};

export type OnlineEligibility =
  | { ok: true }
  | { ok: false; reason: "needs-details"; message: string }
  | { ok: false; reason: "outside-area" | "under-age"; message: string };

export function onlineEligibility(
  voter: VoterFacts,
  roundWardIds: readonly number[],
  minVoterAge: number,
  votingClosesOn: string,
): OnlineEligibility {
  if (!voter.postcode || !voter.dateOfBirth) {
    return {
      ok: false,
      reason: "needs-details",
      message: "We need your postcode and date of birth to check you can vote in this round.",
    };
  }
  if (voter.wardId === null || !roundWardIds.includes(voter.wardId)) {
    return {
      ok: false,
      reason: "outside-area",
      message: "Your postcode is outside the area of this round, so you cannot vote in it.",
    };
  }
  if (ageOn(voter.dateOfBirth, votingClosesOn) < minVoterAge) {
    return {
      ok: false,
      reason: "under-age",
      message: `You must be ${minVoterAge} or over on the day voting closes to vote in this round.`,
    };
  }
  return { ok: true };
}

export const ALREADY_VOTED = "You have already voted in this round.";
