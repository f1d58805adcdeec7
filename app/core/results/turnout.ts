/**
 * Turnout of a PB round without a single tally: how many voted, by ward and by channel. Online
 * and code votes each leave a participation row (with the voter's ward when known); paper
 * ballots are keyed in without one, so paper turnout is the ballots not matched by a row.
 */
export type Channel = "online" | "code" | "paper" | "event";

export interface ParticipationCount {
  channel: Channel;
  wardName: string | null;
  count: number;
}

export interface Turnout {
  total: number;
  byChannel: { channel: Channel; count: number }[];
  /** Wards by name; votes whose ward is not known (paper, codes handed out at events) last. */
  byWard: { wardName: string; count: number }[];
}

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  online: "Online, signed in",
  code: "Online, with a voting code",
  paper: "Paper ballot",
  event: "At a decision-day event",
};

export function turnoutOf(ballotCount: number, participation: readonly ParticipationCount[]): Turnout {
  const rowsOf = (channel: string) =>
    participation.filter((p) => p.channel === channel).reduce((sum, p) => sum + p.count, 0);
  const participationRows = participation.reduce((sum, p) => sum + p.count, 0);
  const online = rowsOf("online");
  const code = rowsOf("code");
  const event = rowsOf("event");
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
      ...(event > 0 ? [{ channel: "event" as const, count: event }] : []),
    ],
    byWard: unknown > 0 ? [...known, { wardName: "Ward not known", count: unknown }] : known,
  };
}

/** How many voted by one channel. */
export function channelCount(turnout: Turnout, channel: Channel): number {
  return turnout.byChannel.find((c) => c.channel === channel)?.count ?? 0;
}
