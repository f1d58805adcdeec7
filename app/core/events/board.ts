/**
 * What the turnout board shows, pure: turnout by channel and in total, and the time left, never
 * a tally. `boardSnapshot` turns the participation counts into what is sent to every viewer.
 */
import { CHANNEL_LABELS, type Turnout } from "../results/turnout";

export interface BoardSnapshot {
  total: number;
  channels: { channel: string; label: string; count: number }[];
  /** The event's end or the round's close, whichever comes first (ISO). */
  closesAt: string;
  votingOpen: boolean;
}

export function boardSnapshot(turnout: Turnout, closesAt: string, votingOpen: boolean): BoardSnapshot {
  return {
    total: turnout.total,
    channels: turnout.byChannel.map((c) => ({ channel: c.channel, label: CHANNEL_LABELS[c.channel], count: c.count })),
    closesAt,
    votingOpen,
  };
}

/** "1 hour 5 minutes left", "4 minutes left", "Voting has closed". */
export function timeLeftText(closesAt: string, nowIso: string): string {
  const ms = Date.parse(closesAt) - Date.parse(nowIso);
  if (!(ms > 0)) return "Voting has closed";
  const minutes = Math.ceil(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (hours === 0) return `${plural(rest, "minute")} left`;
  return `${plural(hours, "hour")}${rest ? ` ${plural(rest, "minute")}` : ""} left`;
}
