/**
 * Group commit: writes that arrive together are committed together.
 *
 * With synchronous=FULL every commit waits for the disk, which would cap a busy voting day at a
 * few hundred ballots a second. Works queued in the same turn of the event loop run one after
 * another inside one BEGIN IMMEDIATE transaction, each in its own savepoint (so one refusal rolls
 * back only that work), and the transaction commits once. No caller's promise settles until that
 * commit has returned, so an acknowledged write is on disk. If the commit itself fails, every work
 * in the group fails.
 *
 * Waiting for the disk does not hold up the event loop. The group's transaction commits with
 * synchronous=NORMAL (the write-ahead log is written but not yet synced, and the connection goes
 * back to FULL at once for every other write), then the log is synced on libuv's thread pool
 * (`fdatasync`) while requests go on being read, and only then do the callers' promises settle. So an
 * acknowledged write is on disk exactly as with synchronous=FULL, but a disk that is slow to sync (a
 * busy or shared one can take 100 ms) no longer stops every other request for that time. What a
 * crash or power cut does: a group committed but not yet synced has been acknowledged to no one;
 * after a process crash it is kept (the operating system holds it), after a power cut it may be lost
 * whole, which SQLite's log keeps consistent. Other requests may read it before it is synced (a
 * turnout board may count a vote a moment early). If the sync fails, every work in the group is
 * refused as not recorded. A database with no log file to sync (in memory) commits with FULL.
 *
 * A group is flushed one turn of the
 * event loop after its first work is queued, not in the same turn: the requests read in between
 * (typically the next casts of the voters answered by the previous commit) join it. Under load
 * that makes groups larger, and so fewer fsyncs per write (in the vote benchmark, with 32 voters
 * at a time: about 22 casts a group rather than 16); with no load it adds nothing but one pass of
 * the event loop.
 */
import fs from "node:fs";
import type Database from "better-sqlite3";
import { writeTransaction, type Db } from "~/db/client.server";
import { StorageUnavailable } from "~/utils/storage.server";

const MAX_GROUP = 512;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
type Job = { work: (tx: Db) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

interface Group {
  queue: Job[];
  scheduled: boolean;
}

/** The savepoint and sync-mode statements, prepared once per connection (unlike a nested `transaction()`). */
interface Savepoints {
  begin: Database.Statement;
  release: Database.Statement;
  rollbackTo: Database.Statement;
  syncNormal: Database.Statement;
  syncFull: Database.Statement;
}

const groups = new Map<Db, Group>();
const savepointCache = new WeakMap<Database.Database, Savepoints>();

function savepoints(database: Db): Savepoints {
  const client = database.$client;
  let s = savepointCache.get(client);
  if (!s) {
    s = {
      begin: client.prepare("savepoint group_commit"),
      release: client.prepare("release group_commit"),
      rollbackTo: client.prepare("rollback to group_commit"),
      syncNormal: client.prepare("pragma synchronous = NORMAL"),
      syncFull: client.prepare("pragma synchronous = FULL"),
    };
    savepointCache.set(client, s);
  }
  return s;
}

/** How the log is synced; a test replaces it to play a failing disk. */
export const walSync = {
  sync: (fd: number, done: (error: NodeJS.ErrnoException | null) => void): void => fs.fdatasync(fd, done),
};

/**
 * The write-ahead log's file descriptor, opened once per connection and closed when the connection is
 * gone; null where there is no log file to sync. (Never closed while the connection lives: closing a
 * descriptor drops the process's POSIX locks on that file, and SQLite keeps its own locks elsewhere, on
 * the database and -shm files, but nothing here needs to find that out.)
 */
const walFiles = new WeakMap<Database.Database, number | null>();
const closeWhenGone = new FinalizationRegistry<number>((fd) => fs.close(fd, () => {}));

function walFile(client: Database.Database): number | null {
  if (walFiles.has(client)) return walFiles.get(client)!;
  const onDisk = client.pragma("journal_mode", { simple: true }) === "wal" && !client.memory;
  if (!onDisk) {
    walFiles.set(client, null);
    return null;
  }
  try {
    const fd = fs.openSync(`${client.name}-wal`, "r+");
    walFiles.set(client, fd);
    closeWhenGone.register(client, fd);
    return fd;
  } catch {
    return null; // no log yet (nothing written): this group commits with FULL, and the next looks again
  }
}

function settle(jobs: Job[], outcomes: Outcome[]): void {
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
}

function flushGroup(database: Db): void {
  const group = groups.get(database)!;
  const jobs = group.queue.splice(0, MAX_GROUP);
  group.scheduled = false;
  if (group.queue.length) {
    group.scheduled = true;
    setImmediate(() => flushGroup(database));
  }
  const outcomes: Outcome[] = [];
  const s = savepoints(database);
  // The log file exists once the database has been written in WAL mode; until then, commit with FULL.
  const wal = walFile(database.$client);
  if (wal !== null) s.syncNormal.run();
  try {
    writeTransaction((tx) => {
      for (const job of jobs) {
        s.begin.run();
        try {
          const value = job.work(tx);
          s.release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          // An error that ended the whole transaction fails the group: nothing of it is committed.
          if (!tx.$client.inTransaction) throw error;
          s.rollbackTo.run();
          s.release.run();
          outcomes.push({ ok: false, error });
        }
      }
    }, database);
  } catch (error) {
    for (const job of jobs) job.reject(error);
    return;
  } finally {
    if (wal !== null) s.syncFull.run();
  }
  if (wal === null) return settle(jobs, outcomes);
  walSync.sync(wal, (error) => {
    if (error) for (const job of jobs) job.reject(new StorageUnavailable(error));
    else settle(jobs, outcomes);
  });
}

/**
 * Runs `work` (synchronous, like any write transaction's body) in the next group commit of
 * `database`. Resolves with its value once the group's transaction has committed; rejects with
 * what `work` threw (only its own savepoint is rolled back) or with the commit's error.
 */
export function inGroupCommit<T>(work: (tx: Db) => T, database: Db): Promise<T> {
  let group = groups.get(database);
  if (!group) {
    group = { queue: [], scheduled: false };
    groups.set(database, group);
  }
  const target = group;
  return new Promise<T>((resolve, reject) => {
    target.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!target.scheduled) {
      target.scheduled = true;
      setImmediate(() => setImmediate(() => flushGroup(database)));
    }
  });
}
