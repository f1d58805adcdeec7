/**
 * The live turnout board's broadcaster: one per server process, shared by every board viewer.
 *
 * Viewers subscribe to a round. A tick (every second, and at once when the commit path calls
 * `notifyTurnout` after a kiosk cast is on disk) runs ONE turnout query per round that has viewers,
 * whatever their number, and sends the snapshot to every viewer only when it changed. Votes cast
 * online or with a code are picked up by the next tick. The snapshot is turnout only, never a tally.
 */
import { boardSnapshot, type BoardSnapshot } from "~/core/events/board";
import { db, type Db } from "~/db/client.server";
import { findRound } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";

/** A viewer's sender: the snapshot, and the same as one server-sent event, encoded once for every viewer. */
type Send = (snapshot: BoardSnapshot, frame: Uint8Array) => void;

const encoder = new TextEncoder();

function sseFrame(text: string): Uint8Array {
  return encoder.encode(`event: turnout\ndata: ${text}\n\n`);
}

interface RoundChannel {
  viewers: Set<Send>;
  closesAt: string;
  last: string | null;
  snapshot: BoardSnapshot | null;
  frame: Uint8Array | null;
}

const TICK_MS = 1000;
/**
 * A burst of casts is sent at most this often: every flush writes to every viewer, so in a busy hall
 * this bounds the broadcast's work while keeping the board well inside its two seconds.
 */
const MIN_GAP_MS = 250;

class TurnoutBroadcaster {
  private readonly rounds = new Map<number, RoundChannel>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = 0;
  /** Turnout queries run, for tests and the benchmark: one per round per flush, never per viewer. */
  queries = 0;

  constructor(private readonly database: () => Db) {}

  /** Adds a viewer; it is sent the current snapshot at once. Returns the unsubscribe function. */
  subscribe(roundId: number, closesAt: string, send: Send): () => void {
    let channel = this.rounds.get(roundId);
    if (!channel) {
      channel = { viewers: new Set(), closesAt, last: null, snapshot: null, frame: null };
      this.rounds.set(roundId, channel);
      this.refresh(roundId, channel);
    }
    channel.viewers.add(send);
    if (channel.snapshot && channel.frame) send(channel.snapshot, channel.frame);
    this.timer ??= setInterval(() => this.flush(), TICK_MS);
    this.timer.unref?.();
    return () => {
      channel!.viewers.delete(send);
      if (channel!.viewers.size === 0) this.rounds.delete(roundId);
      if (this.rounds.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** Called once a cast is committed: flush soon rather than at the next tick. */
  notify(roundId: number): void {
    if (!this.rounds.has(roundId) || this.pending) return;
    const wait = Math.max(0, this.lastFlush + MIN_GAP_MS - Date.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      this.flush();
    }, wait);
  }

  viewerCount(roundId: number): number {
    return this.rounds.get(roundId)?.viewers.size ?? 0;
  }

  private flush(): void {
    this.lastFlush = Date.now();
    for (const [roundId, channel] of this.rounds) this.refresh(roundId, channel);
  }

  private refresh(roundId: number, channel: RoundChannel): void {
    const database = this.database();
    this.queries++;
    const round = findRound(roundId, database);
    const open = round?.phase === "voting" && new Date().toISOString() < round.votingClosesAt;
    const snapshot = boardSnapshot(roundTurnout(roundId, database), channel.closesAt, open);
    const text = JSON.stringify(snapshot);
    if (text === channel.last) return;
    channel.last = text;
    channel.snapshot = snapshot;
    const frame = (channel.frame = sseFrame(text));
    for (const send of channel.viewers) {
      try {
        send(snapshot, frame);
      } catch {
        channel.viewers.delete(send);
      }
    }
  }
}

let broadcaster: TurnoutBroadcaster | null = null;

export function turnoutBroadcaster(): TurnoutBroadcaster {
  broadcaster ??= new TurnoutBroadcaster(() => db());
  return broadcaster;
}

export function notifyTurnout(roundId: number): void {
  broadcaster?.notify(roundId);
}

/** The board's first paint (and the no-JavaScript refresh): the same snapshot, read directly. */
export function boardSnapshotNow(roundId: number, closesAt: string, database: Db = db()): BoardSnapshot {
  const round = findRound(roundId, database);
  const open = round?.phase === "voting" && new Date().toISOString() < round.votingClosesAt;
  return boardSnapshot(roundTurnout(roundId, database), closesAt, open);
}

/** When the board's countdown ends: the event's end or the round's close, whichever is first. */
export function boardClosesAt(event: { roundId: number; endsAt: string }, database: Db = db()): string {
  const round = findRound(event.roundId, database);
  return round && round.votingClosesAt < event.endsAt ? round.votingClosesAt : event.endsAt;
}
