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
