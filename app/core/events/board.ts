/**
 * What the turnout board shows, pure: turnout by channel and in total, and the time left, never
 * a tally. `boardSnapshot` turns the participation counts into what is sent to every viewer.
 */
import { messageKey } from "../messages/message-key";
import type { Turnout } from "../results/turnout";

/** Each turnout channel's name, as a catalogue key (the results pages' names for the same routes). */
const CHANNEL_LABEL_KEYS: Readonly<Record<string, string>> = {
  online: "voting:route.account",
  code: "voting:route.code",
  paper: "voting:route.paper",
  event: "voting:route.event",
};

export interface BoardSnapshot {
  total: number;
  /** `label` is a catalogue key. */
  channels: { channel: string; label: string; count: number }[];
  /** The event's end or the round's close, whichever comes first (ISO). */
  closesAt: string;
  votingOpen: boolean;
}

export function boardSnapshot(turnout: Turnout, closesAt: string, votingOpen: boolean): BoardSnapshot {
  return {
    total: turnout.total,
    channels: turnout.byChannel.map((c) => ({
      channel: c.channel,
      label: CHANNEL_LABEL_KEYS[c.channel] ?? c.channel,
      count: c.count,
    })),
    closesAt,
    votingOpen,
  };
}

/** "1 hour 5 minutes left", "4 minutes left", "Voting has closed", as a message key (kiosk:board.*). */
export function timeLeftText(closesAt: string, nowIso: string): string {
  const ms = Date.parse(closesAt) - Date.parse(nowIso);
  if (!(ms > 0)) return "kiosk:board.closed";
  const minutes = Math.ceil(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return messageKey("kiosk:board.minutesLeft", { minutes: rest });
  if (rest === 0) return messageKey("kiosk:board.hoursLeft", { hours });
  return messageKey("kiosk:board.hoursMinutesLeft", { hours, minutes: rest });
}
