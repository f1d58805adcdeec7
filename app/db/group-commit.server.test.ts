import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "~/db/client.server";
import { StorageUnavailable } from "~/utils/storage.server";
import { inGroupCommit, walSync } from "./group-commit.server";

let dir: string;
let file: string;
let database: Db;
const realSync = walSync.sync;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-group-commit-"));
  file = path.join(dir, "group.db");
  database = openDatabase(file);
  database.$client.exec("create table notes (id integer primary key, text text not null unique)");
});

afterEach(() => {
  walSync.sync = realSync;
  database.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = (text: string) => (tx: Db) =>
  Number(tx.$client.prepare("insert into notes (text) values (?)").run(text).lastInsertRowid);

/** What another connection (another process, say) reads from the file. */
function readElsewhere(): string[] {
  const other = new Database(file, { readonly: true });
  try {
    return (other.prepare("select text from notes order by id").pluck().all() as string[]) ?? [];
  } finally {
    other.close();
  }
}

describe("group commit", () => {
  it("commits works queued together in one transaction, a refused work rolling back only itself", async () => {
    const outcomes = await Promise.allSettled([
      inGroupCommit(insert("first"), database),
      inGroupCommit(insert("first"), database), // the unique text refuses this one
      inGroupCommit(insert("second"), database),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(readElsewhere()).toEqual(["first", "second"]);
  });

  it("leaves the connection at synchronous=FULL for every other write", async () => {
    await inGroupCommit(insert("warm up: the log file now exists"), database);
    await inGroupCommit(insert("synced off the event loop"), database);
    expect(database.$client.pragma("synchronous", { simple: true })).toBe(2);
  });

  it("acknowledges a write only once the log has been synced, and keeps serving meanwhile", async () => {
    await inGroupCommit(insert("the log file now exists"), database);
    const pending: (() => void)[] = [];
    walSync.sync = (fd, done) => {
      pending.push(() => realSync(fd, done));
    };
    let acknowledged = false;
    const cast = inGroupCommit(insert("a ballot"), database).then(() => (acknowledged = true));
    while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Committed (another connection sees it) but not yet synced: nobody has been told it is stored.
    expect(readElsewhere()).toContain("a ballot");
    expect(acknowledged).toBe(false);
    // Meanwhile the next group commits too; each waits for its own sync.
    const next = inGroupCommit(insert("the next ballot"), database);
    while (pending.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(acknowledged).toBe(false);
    for (const release of pending) release();
    await Promise.all([cast, next]);
    expect(acknowledged).toBe(true);
  });

  it("refuses every work of the group as not recorded when the log cannot be synced", async () => {
    await inGroupCommit(insert("the log file now exists"), database);
    walSync.sync = (_fd, done) => done(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    const outcomes = await Promise.allSettled([
      inGroupCommit(insert("one"), database),
      inGroupCommit(insert("two"), database),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailable);
    }
    expect(database.$client.pragma("synchronous", { simple: true })).toBe(2);
  });

  it("commits with FULL when there is no log file to sync", async () => {
    const memory = openDatabase(":memory:");
    memory.$client.exec("create table notes (id integer primary key, text text not null unique)");
    let synced = 0;
    walSync.sync = (fd, done) => {
      synced++;
      realSync(fd, done);
    };
    await inGroupCommit(insert("kept in memory"), memory);
    expect(memory.$client.prepare("select count(*) from notes").pluck().get()).toBe(1);
    expect(synced).toBe(0);
    memory.$client.close();
  });
});
