/**
 * The phases of a participatory budgeting round and the order they come in. A round only ever
 * moves one step forward; a phase starts on its date or when an administrator moves it by hand.
 * Pure: the caller passes the round's dates and the time.
 */
import { messageKey } from "../messages/message-key";

export const ROUND_PHASE_ORDER = [
  "draft",
  "accepting-bids",
  "reviewing",
  "voting",
  "counting",
  "results",
  "delivery",
  "closed",
] as const;
export type RoundPhaseName = (typeof ROUND_PHASE_ORDER)[number];

export const PHASE_LABELS: Readonly<Record<RoundPhaseName, string>> = {
  draft: "Draft (not yet open)",
  "accepting-bids": "Accepting bids",
  reviewing: "Reviewing bids",
  voting: "Voting",
  counting: "Counting",
  results: "Results published",
  delivery: "Delivering projects",
  closed: "Closed",
};

export function phaseIndex(phase: RoundPhaseName): number {
  return ROUND_PHASE_ORDER.indexOf(phase);
}

/** The phase after `phase`, or null for a closed round. */
export function nextPhase(phase: RoundPhaseName): RoundPhaseName | null {
  return ROUND_PHASE_ORDER[phaseIndex(phase) + 1] ?? null;
}

/** A refusal's reason is a message key (core/messages): shown in the reader's language. */
export type PhaseMove = { ok: true } | { ok: false; reason: string };

/** A phase's name inside a message: translated from the admin catalogue when the message is shown. */
function phaseName(phase: RoundPhaseName): string {
  return `=admin:phase.${phase}`;
}

/** A move is allowed only to the very next phase. */
export function checkPhaseMove(from: RoundPhaseName, to: RoundPhaseName): PhaseMove {
  if (!ROUND_PHASE_ORDER.includes(to))
    return { ok: false, reason: messageKey("rounds:phase.notAPhase", { phase: String(to) }) };
  if (from === to) return { ok: false, reason: messageKey("rounds:phase.already", { phase: phaseName(to) }) };
  const next = nextPhase(from);
  if (next === null) return { ok: false, reason: "rounds:phase.noFurther" };
  if (to !== next) {
    return {
      ok: false,
      reason: messageKey("rounds:phase.oneAtATime", {
        from: phaseName(from),
        next: phaseName(next),
        to: phaseName(to),
      }),
    };
  }
  return { ok: true };
}

export interface RoundDates {
  bidsOpenAt: string;
  bidsCloseAt: string;
  votingOpensAt: string;
  votingClosesAt: string;
  resultsAt?: string | null;
}

/** The dated phase moves: each phase starts when its date has passed. Later phases follow the count. */
const DATED: readonly { phase: RoundPhaseName; date: keyof RoundDates }[] = [
  { phase: "accepting-bids", date: "bidsOpenAt" },
  { phase: "reviewing", date: "bidsCloseAt" },
  { phase: "voting", date: "votingOpensAt" },
  { phase: "counting", date: "votingClosesAt" },
];

/**
 * The next phase a round should move to because its date has passed at `nowIso`, or null. Only
 * the dated phases (up to counting) move by date; call again after each move to catch up.
 */
export function phaseDueByDate(phase: RoundPhaseName, dates: RoundDates, nowIso: string): RoundPhaseName | null {
  const next = nextPhase(phase);
  const dated = DATED.find((d) => d.phase === next);
  if (!dated) return null;
  const at = dates[dated.date];
  return typeof at === "string" && at <= nowIso ? dated.phase : null;
}

/** The date a phase starts on, when it is a dated phase. */
export function phaseStartDate(phase: RoundPhaseName, dates: RoundDates): string | null {
  const dated = DATED.find((d) => d.phase === phase);
  if (dated) return (dates[dated.date] as string | null | undefined) ?? null;
  if (phase === "results") return dates.resultsAt ?? null;
  return null;
}

/** Once voting opens, the rules everyone votes under are fixed. */
export function rulesAreLocked(phase: RoundPhaseName): boolean {
  return phaseIndex(phase) >= phaseIndex("voting");
}

/** The pot is put into the ledger when the round opens; after that it is fixed. */
export function potIsLocked(phase: RoundPhaseName): boolean {
  return phase !== "draft";
}

/** Turnout, results and the public gallery make sense once bids are in. */
export function isPublic(phase: RoundPhaseName): boolean {
  return phase !== "draft";
}

export interface VotingWindowDates {
  phase: RoundPhaseName | string;
  votingOpensAt: string;
  votingClosesAt: string;
}

export type VotingWindowState = "not-open" | "open" | "closed";

/**
 * Whether a round takes votes at instant `nowIso`: the one rule the round's pages and the vote
 * itself (online, by code, on paper) both follow. Voting is open while the round is in its voting
 * phase, from the moment voting opened until the moment it closes. A phase changed by hand moves
 * the date with it (see phaseDatesSetByHand), so the dates and the phase never disagree.
 */
export function votingWindowState(round: VotingWindowDates, nowIso: string): VotingWindowState {
  if (round.phase === "voting") {
    if (nowIso < round.votingOpensAt) return "not-open";
    return nowIso >= round.votingClosesAt ? "closed" : "open";
  }
  const index = ROUND_PHASE_ORDER.indexOf(round.phase as RoundPhaseName);
  return index >= 0 && index < phaseIndex("voting") ? "not-open" : "closed";
}

/** The date a phase moved to by hand sets (opening it now, or closing the one before it now). */
const DATE_SET_BY_PHASE: Partial<Record<RoundPhaseName, keyof RoundDates>> = {
  "accepting-bids": "bidsOpenAt",
  reviewing: "bidsCloseAt",
  voting: "votingOpensAt",
  counting: "votingClosesAt",
};

export type HandMoveDates = { ok: true; changes: Partial<RoundDates> } | { ok: false; reason: string };

/**
 * The dates a move to `phase` made by hand at `nowIso` sets, so the shown dates follow what really
 * happened: opening bids or voting early sets its opening date to now; closing bids or voting early
 * sets its closing date to now. A date already passed stays as it is. Opening voting when its
 * closing date has passed is refused: the closing date must be put later first.
 */
export function phaseDatesSetByHand(phase: RoundPhaseName, dates: RoundDates, nowIso: string): HandMoveDates {
  const field = DATE_SET_BY_PHASE[phase];
  if (!field) return { ok: true, changes: {} };
  if (phase === "voting" && dates.votingClosesAt <= nowIso) {
    return { ok: false, reason: "rounds:phase.votingClosePassed" };
  }
  if (phase === "accepting-bids" && dates.bidsCloseAt <= nowIso) {
    return { ok: false, reason: "rounds:phase.bidsClosePassed" };
  }
  const current = dates[field];
  return { ok: true, changes: typeof current === "string" && current > nowIso ? { [field]: nowIso } : {} };
}

/**
 * The dates an administrator may still change in a phase. Before voting every date may change
 * (each must stay later than the one before). While voting runs, only the closing date (to a time
 * still to come) and the results date; after voting closes, only the results date.
 */
export function editableRoundDates(phase: RoundPhaseName): readonly (keyof RoundDates)[] {
  if (!rulesAreLocked(phase)) return ["bidsOpenAt", "bidsCloseAt", "votingOpensAt", "votingClosesAt", "resultsAt"];
  if (phase === "voting") return ["votingClosesAt", "resultsAt"];
  return ["resultsAt"];
}

/** The most projects a voter can rank on a ballot: the round's limit, never more than the ballot holds. */
export function rankingLimit(maxRanked: number, projectsOnBallot: number): number {
  return projectsOnBallot > 0 ? Math.min(maxRanked, projectsOnBallot) : maxRanked;
}
