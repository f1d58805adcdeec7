/**
 * Turnout of a PB round without a single tally: how many voted, by ward and by channel. Online
 * and code votes each leave a participation row (with the voter's ward when known); paper
 * ballots are keyed in without one, so paper turnout is the ballots not matched by a row.
 */
export interface ParticipationCount {
  channel: "online" | "code" | "paper";
  wardName: string | null;
  count: number;
}

/**
 * How a ballot came in: an account under the `account` rule, an account matched to the register,
 * a one-time code, or paper. Online ballots take the route of the round's voter rule, which is
 * fixed when voting opens (a `codes` round takes no online ballots).
 */
export type BallotRoute = "account" | "register" | "code" | "paper";

export const ROUTE_LABELS: Readonly<Record<BallotRoute, string>> = {
  account: "Online, signed in",
  register: "Online, matched to the register",
  code: "Online, with a voting code",
  paper: "Paper ballot",
};

export interface Turnout {
  total: number;
  byChannel: { channel: "online" | "code" | "paper"; count: number }[];
  byRoute: { route: BallotRoute; count: number }[];
  /** Wards by name; votes whose ward is not known (paper, codes handed out at events) last. */
  byWard: { wardName: string; count: number }[];
}

export const CHANNEL_LABELS: Readonly<Record<"online" | "code" | "paper", string>> = {
  online: "Online, signed in",
  code: "Online, with a voting code",
  paper: "Paper ballot",
};

export function turnoutOf(
  ballotCount: number,
  participation: readonly ParticipationCount[],
  voterRule: "account" | "register" | "codes" = "account",
): Turnout {
  const rowsOf = (channel: string) =>
    participation.filter((p) => p.channel === channel).reduce((sum, p) => sum + p.count, 0);
  const participationRows = participation.reduce((sum, p) => sum + p.count, 0);
  const online = rowsOf("online");
  const code = rowsOf("code");
  const paper = Math.max(ballotCount - participationRows, 0) + rowsOf("paper");
  const wards = new Map<string, number>();
  for (const p of participation) if (p.wardName !== null) wards.set(p.wardName, (wards.get(p.wardName) ?? 0) + p.count);
  const known = [...wards.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "en-GB"))
    .map(([wardName, count]) => ({ wardName, count }));
  const unknown = Math.max(ballotCount, participationRows) - known.reduce((sum, w) => sum + w.count, 0);
  return {
    total: Math.max(ballotCount, participationRows),
    byChannel: [
      { channel: "online", count: online },
      { channel: "code", count: code },
      { channel: "paper", count: paper },
    ],
    byRoute: [
      { route: voterRule === "register" ? "register" : "account", count: online },
      { route: "code", count: code },
      { route: "paper", count: paper },
    ],
    byWard: unknown > 0 ? [...known, { wardName: "Ward not known", count: unknown }] : known,
  };
}

/** How many voted by one channel. */
export function channelCount(turnout: Turnout, channel: "online" | "code" | "paper"): number {
  return turnout.byChannel.find((c) => c.channel === channel)?.count ?? 0;
}

/**
 * The published turnout of a counted round: computed from the ballots counted (the ballot file),
 * so the published total is exactly what was counted. Online and code turnout come from the
 * participation records; the rest of the counted ballots are paper. A difference between the
 * two is not hidden here: it is shown to officers by `reconcileCount` before ratification.
 */
export function countedTurnoutOf(
  countedBallots: number,
  participation: readonly ParticipationCount[],
  voterRule: "account" | "register" | "codes" = "account",
): Turnout {
  const recorded = participation.reduce((sum, p) => sum + p.count, 0);
  if (recorded <= countedBallots) return turnoutOf(countedBallots, participation, voterRule);
  // More participation records than counted ballots: publish what was counted, wards scaled down
  // to it by dropping the ward breakdown (it would no longer add up).
  const online = participation.filter((p) => p.channel === "online").reduce((sum, p) => sum + p.count, 0);
  const onlineShown = Math.min(online, countedBallots);
  return {
    total: countedBallots,
    byChannel: [
      { channel: "online", count: onlineShown },
      { channel: "code", count: countedBallots - onlineShown },
      { channel: "paper", count: 0 },
    ],
    byRoute: [
      { route: voterRule === "register" ? "register" : "account", count: onlineShown },
      { route: "code", count: countedBallots - onlineShown },
      { route: "paper", count: 0 },
    ],
    byWard: countedBallots > 0 ? [{ wardName: "Ward not known", count: countedBallots }] : [],
  };
}

export interface CountReconciliation {
  counted: number;
  /** Participation records (online and code votes). */
  participation: number;
  /** Paper ballots accepted in batches. */
  paper: number;
  /** counted − (participation + paper): zero when every ballot is accounted for. */
  difference: number;
  /** What officers are told before they ratify. */
  reason: string;
}

/**
 * Every counted ballot should be an online or code vote (one participation record each) or a paper
 * ballot from an accepted batch. Officers see the difference, and why, before ratifying.
 */
export function reconcileCount(counted: number, participation: number, paper: number): CountReconciliation {
  const difference = counted - (participation + paper);
  const reason =
    difference === 0
      ? `Every counted ballot is accounted for: ${participation} online and code votes recorded, and ${paper} ` +
        `paper ballots in accepted batches.`
      : difference > 0
        ? `${difference} counted ${difference === 1 ? "ballot has" : "ballots have"} no participation record and ` +
          `no accepted paper batch. Find out why before ratifying, and give the reason in the note.`
        : `${-difference} ${-difference === 1 ? "person is" : "people are"} recorded as having voted but ` +
          `${-difference === 1 ? "its ballot was" : "their ballots were"} not counted. Find out why before ` +
          `ratifying, and give the reason in the note.`;
  return { counted, participation, paper, difference, reason };
}
