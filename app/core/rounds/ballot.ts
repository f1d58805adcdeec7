/**
 * Which projects of a PB round are on its ballot. The one place this rule is written: every
 * query that needs the ballot reads a round's projects and keeps those this says are on it.
 */

/** What decides whether a project is on the ballot. */
export interface BallotPlace {
  eligibility: string;
  mergedIntoBidId: number | null;
  ballotPosition: number | null;
}

/** On the ballot: found eligible, not merged into another bid, and given a ballot position. */
export function isOnBallot(project: BallotPlace): boolean {
  return project.eligibility === "eligible" && project.mergedIntoBidId === null && project.ballotPosition !== null;
}

/** Bid statuses of a project that can go on the ballot (once its review found it eligible). */
export const BALLOT_BID_STATUSES = ["eligible", "on-ballot"] as const;

/**
 * Will go on the ballot when voting opens: eligible, not merged, and its bid still eligible (or
 * already on the ballot). Its position may not be fixed yet.
 */
export function isBallotCandidate(project: Omit<BallotPlace, "ballotPosition"> & { status: string }): boolean {
  return (
    project.eligibility === "eligible" &&
    project.mergedIntoBidId === null &&
    (BALLOT_BID_STATUSES as readonly string[]).includes(project.status)
  );
}

/** The projects on the ballot, in ballot order. */
export function ballotInOrder<T extends BallotPlace>(projects: readonly T[]): (T & { ballotPosition: number })[] {
  return projects
    .filter((p): p is T & { ballotPosition: number } => isOnBallot(p))
    .sort((a, b) => a.ballotPosition - b.ballotPosition);
}
