/**
 * What someone holding copies of the database files can read, as they would read it: the
 * write-ahead log parsed by hand (https://www.sqlite.org/fileformat.html#the_write_ahead_log) and
 * replayed commit by commit onto the main file, each snapshot opened read-only, and the raw bytes
 * of every file searched. Used by the ballot-secrecy attack test and the vote benchmark.
 *
 * - WAL header, 32 bytes: magic 0x377f0682/3, version, page size (offset 8), checkpoint sequence,
 *   salt-1 (offset 16), salt-2 (offset 20), checksums.
 * - Each frame: a 24-byte header (page number at 0; the database size in pages at 4, non-zero only
 *   on a commit frame; salt-1 at 8, salt-2 at 12; checksums) and one page. Frames whose salts differ
 *   from the header's are left over from before the log was last reset, and are not replayed (their
 *   bytes are still searched by `rawText`).
 */
import Database from "better-sqlite3";

export interface FileCopy {
  db: Buffer;
  wal: Buffer;
  shm: Buffer;
}

export interface WalFrame {
  page: number;
  commitSize: number;
  data: Buffer;
}

const MAGIC = [0x377f0682, 0x377f0683];

/** The valid frames of a WAL file (none when it is empty or its header is not a WAL header). */
export function walFrames(wal: Buffer): { pageSize: number; frames: WalFrame[] } {
  if (wal.length < 32 || !MAGIC.includes(wal.readUInt32BE(0))) return { pageSize: 0, frames: [] };
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const frames: WalFrame[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    frames.push({
      page: wal.readUInt32BE(at),
      commitSize: wal.readUInt32BE(at + 4),
      data: wal.subarray(at + 24, at + 24 + pageSize),
    });
  }
  return { pageSize, frames };
}

/**
 * The database as of each commit in the log: the main file with the frames up to and including
 * each commit frame applied, cut or grown to that commit's size. The first snapshot is the main file
 * alone (what a reader would see with no log).
 */
export function* commitSnapshots(copy: FileCopy): Generator<Buffer> {
  const { pageSize, frames } = walFrames(copy.wal);
  let image = Buffer.from(copy.db);
  yield image;
  if (!pageSize) return;
  for (const frame of frames) {
    const end = frame.page * pageSize;
    if (image.length < end) image = Buffer.concat([image, Buffer.alloc(end - image.length)]);
    frame.data.copy(image, (frame.page - 1) * pageSize);
    if (frame.commitSize > 0) {
      image = image.subarray(0, frame.commitSize * pageSize);
      yield Buffer.from(image);
    }
  }
}

/** Opens a snapshot read-only in memory (marked as a rollback-journal file, so no log is looked for). */
export function openSnapshot(image: Buffer): Database.Database {
  const copy = Buffer.from(image);
  if (copy.length >= 20) {
    copy[18] = 1;
    copy[19] = 1;
  }
  return new Database(copy, { readonly: true });
}

/** Every byte of the copy as one latin1 string, to search for text the attacker knows (e.g. a published ranking). */
export function rawText(copy: FileCopy): string {
  return Buffer.concat([copy.db, copy.wal, copy.shm]).toString("latin1");
}

/** One moment the attacker saw: who had voted, and which rankings could be read. */
export interface Observation {
  voters: ReadonlySet<string>;
  rankings: ReadonlySet<string>;
}

/**
 * The attacker's best pairing. A voter's ballot was written in the commit that first shows them;
 * if rankings first become readable in that same observation, the voter's ranking is one of those;
 * otherwise it is one of the rankings that first become readable together at the next observation
 * where any do. Returns, for each voter, the rankings the attacker is left to choose from (a
 * voter whose ballot never becomes readable gets every ranking ever read, or none at all).
 */
export function candidateRankings(observations: readonly Observation[]): Map<string, Set<string>> {
  const firstVoter = new Map<string, number>();
  const firstRanking = new Map<string, number>();
  observations.forEach((o, i) => {
    for (const v of o.voters) if (!firstVoter.has(v)) firstVoter.set(v, i);
    for (const r of o.rankings) if (!firstRanking.has(r)) firstRanking.set(r, i);
  });
  const newAt = new Map<number, Set<string>>();
  for (const [r, i] of firstRanking) {
    if (!newAt.has(i)) newAt.set(i, new Set());
    newAt.get(i)!.add(r);
  }
  const result = new Map<string, Set<string>>();
  for (const [voter, from] of firstVoter) {
    let at = from;
    while (at < observations.length && !newAt.has(at)) at += 1;
    result.set(voter, newAt.get(at) ?? new Set(firstRanking.keys()));
  }
  return result;
}

/** The smallest candidate set over all voters: the odds of the best pairing are 1 in this. */
export function anonymitySetMin(candidates: Map<string, Set<string>>): number {
  let min = Infinity;
  for (const set of candidates.values()) min = Math.min(min, set.size);
  return min;
}

/** How many had voted and how many rankings could be read, at one moment (the cheap form, for big runs). */
export interface CountObservation {
  voters: number;
  rankings: number;
}

/**
 * `anonymitySetMin` from counts alone, for runs too big to list every voter: the voters who first
 * appear at an observation are paired with the rankings that first become readable there, or at
 * the next observation where any do; the odds are 1 in the number of those rankings. Infinity when
 * nobody voted; the number of voters when no ranking ever becomes readable.
 */
export function anonymitySetMinFromCounts(observations: readonly CountObservation[]): number {
  let min = Infinity;
  let voters = 0;
  let rankings = 0;
  let waiting = 0;
  for (const o of observations) {
    const newVoters = Math.max(o.voters - voters, 0);
    const newRankings = Math.max(o.rankings - rankings, 0);
    voters = Math.max(voters, o.voters);
    rankings = Math.max(rankings, o.rankings);
    waiting += newVoters;
    if (newRankings > 0 && waiting > 0) {
      min = Math.min(min, newRankings);
      waiting = 0;
    }
  }
  if (waiting > 0) min = Math.min(min, voters);
  return min;
}

/** Replays one copy of the files commit by commit, counting a round's voters and readable rankings. */
export function countObservations(copy: FileCopy, roundId: number): CountObservation[] {
  const out: CountObservation[] = [];
  for (const image of commitSnapshots(copy)) {
    let snapshot: Database.Database | null = null;
    try {
      snapshot = openSnapshot(image);
      const count = (sql: string) => snapshot!.prepare(sql).pluck().get(roundId) as number;
      out.push({
        voters: count("select count(*) from pb_participation where round_id = ?"),
        rankings: count("select count(*) from pb_ballots where round_id = ?"),
      });
    } catch {
      // A copy taken mid-write can be torn; a snapshot that does not open shows the attacker nothing.
    } finally {
      snapshot?.close();
    }
  }
  return out;
}
