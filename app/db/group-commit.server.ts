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
 * The commit (and its fsync) runs on the event loop, so while it waits for the disk no request is
 * read; the works that arrive meanwhile make up the next group. A group is flushed one turn of the
 * event loop after its first work is queued, not in the same turn: the requests read in between
 * (typically the next casts of the voters answered by the previous commit) join it. Under load
 * that makes groups larger, and so fewer fsyncs per write (in the vote benchmark, with 32 voters
 * at a time: about 22 casts a group rather than 16); with no load it adds nothing but one pass of
 * the event loop.
 */
import type Database from "better-sqlite3";
import { writeTransaction, type Db } from "~/db/client.server";

const MAX_GROUP = 512;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
type Job = { work: (tx: Db) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

interface Group {
  queue: Job[];
  scheduled: boolean;
}

/** The savepoint statements, prepared once per connection (unlike a nested `transaction()`). */
interface Savepoints {
  begin: Database.Statement;
  release: Database.Statement;
  rollbackTo: Database.Statement;
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
    };
    savepointCache.set(client, s);
  }
  return s;
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
  try {
    writeTransaction((tx) => {
      const s = savepoints(tx);
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
  }
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
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
