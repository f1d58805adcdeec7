/**
 * `verifyLogChain` (the fast chain check of ledger_log) against the core's `verifyChain` over the
 * same rows read column by column. On a sound ledger the fast path alone gives the verdict; on
 * every edit below, including ones aimed at the way the fast path reads a row as one string
 * (hash + hash input), the verdict must be exactly the core's: the same seq, code and reason.
 */
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainHash, verifyChain, type VerifyChainOptions } from "~/core/ledger";
import { openDatabase, type Db } from "~/db/client.server";
import { fastLogChainVerdict, logRows, verifyLogChain, type LogChainScanOptions } from "~/models/ledger-chain.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { populateLedger } from "../support/ledger-scenario";
import { copyDatabase, removeTempDirs, tempDir } from "../support/ledger-tools";

let t: TestDatabase;
const opened: Db[] = [];
let head: { seq: number; hash: string };

beforeAll(async () => {
  t = await createTestDatabase();
  populateLedger(t.db);
  head = t.db.$client.prepare("select seq, hash from ledger_log order by seq desc limit 1").get() as {
    seq: number;
    hash: string;
  };
});
afterAll(() => {
  for (const database of opened) database.$client.close();
  t.close();
  removeTempDirs();
});

/** A copy of the populated ledger with its triggers dropped, edited by `tamper`. */
function tampered(tamper: (sql: Database.Database) => void): Database.Database {
  const database = openDatabase(copyDatabase(t.db, path.join(tempDir(), "chain.db")));
  opened.push(database);
  const sql = database.$client;
  for (const { name } of sql.prepare("select name from sqlite_master where type = 'trigger'").all() as {
    name: string;
  }[])
    sql.exec(`drop trigger "${name}"`);
  sql.transaction(() => tamper(sql))();
  return sql;
}

const exact = (sql: Database.Database, options: VerifyChainOptions = {}) => verifyChain(logRows(sql), options);
const row = (sql: Database.Database, seq: number) =>
  sql.prepare("select prev_hash as prevHash, hash, payload from ledger_log where seq = ?").get(seq) as {
    prevHash: string;
    hash: string;
    payload: string;
  };
const setRow = (
  sql: Database.Database,
  seq: number,
  values: { prevHash?: string; hash?: string; payload?: string },
) => {
  const current = row(sql, seq);
  sql
    .prepare("update ledger_log set prev_hash = ?, hash = ?, payload = ? where seq = ?")
    .run(values.prevHash ?? current.prevHash, values.hash ?? current.hash, values.payload ?? current.payload, seq);
};

/** Edits to the log, each with the options to verify it against; the verdict must be the core's. */
const edits: [string, (sql: Database.Database) => void, VerifyChainOptions?][] = [
  [
    "an amount in a payload",
    (sql) => setRow(sql, 7, { payload: row(sql, 7).payload.replaceAll('"pence":100000', '"pence":90000') }),
  ],
  ["a deleted middle row", (sql) => sql.exec("delete from ledger_log where seq = 8")],
  ["a renumbered row", (sql) => sql.exec("update ledger_log set seq = 99 where seq = 15")],
  ["a prev_hash pointing elsewhere", (sql) => setRow(sql, 6, { prevHash: "e".repeat(64) })],
  ["a stored hash in upper case", (sql) => setRow(sql, 9, { hash: row(sql, 9).hash.toUpperCase() })],
  ["a stored hash one character short", (sql) => setRow(sql, 9, { hash: row(sql, 9).hash.slice(1) })],
  ["a stored hash with a line feed appended", (sql) => setRow(sql, 9, { hash: `${row(sql, 9).hash}\n` })],
  // 64 characters as SQLite counts them, 65 UTF-16 code units as JavaScript does.
  ["a stored hash starting with an emoji", (sql) => setRow(sql, 9, { hash: `😀${row(sql, 9).hash.slice(1)}` })],
  ["a stored hash of 64 characters that are not hex", (sql) => setRow(sql, 9, { hash: "g".repeat(64) })],
  // Moves characters between prev_hash and payload: the concatenated hash input stays the same.
  [
    "a prev_hash that swallowed the start of its payload, hash recomputed",
    (sql) => {
      const r = row(sql, 4);
      setRow(sql, 4, { prevHash: `${r.prevHash}\n${r.payload.slice(0, 10)}`, payload: r.payload.slice(10) });
    },
  ],
  [
    "a prev_hash one character short, the payload one longer",
    (sql) => {
      const r = row(sql, 4);
      setRow(sql, 4, { prevHash: r.prevHash.slice(0, 63), payload: `${r.prevHash.slice(63)}\n${r.payload}` });
    },
  ],
  [
    "a payload that is not canonical, with every hash from there recomputed",
    (sql) => {
      let prev = row(sql, 10).prevHash;
      for (let seq = 10; seq <= 15; seq++) {
        const payload = seq === 10 ? row(sql, seq).payload.replace('"v":1', '"v": 1') : row(sql, seq).payload;
        const hash = chainHash(prev, payload);
        setRow(sql, seq, { prevHash: prev, hash, payload });
        prev = hash;
      }
    },
  ],
  [
    "a payload whose seq disagrees with its row, hashes recomputed",
    (sql) => {
      let prev = row(sql, 12).prevHash;
      for (let seq = 12; seq <= 15; seq++) {
        const payload = seq === 12 ? row(sql, 13).payload : row(sql, seq).payload;
        const hash = chainHash(prev, payload);
        setRow(sql, seq, { prevHash: prev, hash, payload });
        prev = hash;
      }
    },
  ],
  [
    "a checkpoint beyond the end",
    (sql) => sql.exec("delete from ledger_log where seq > 12"),
    { checkpoints: [{ seq: 15, hash: "a".repeat(64) }] },
  ],
  ["a checkpoint that differs", () => undefined, { checkpoints: [{ seq: 3, hash: "b".repeat(64) }] }],
  [
    "a genesis checkpoint that is not the genesis hash",
    () => undefined,
    { checkpoints: [{ seq: 0, hash: "c".repeat(64) }] },
  ],
  ["an expected head the log does not end at", () => undefined, { expectedHead: { seq: 16, hash: "d".repeat(64) } }],
];

describe("verifyLogChain", () => {
  it("accepts the sound chain on the fast path alone, with the core's verdict", () => {
    const sql = t.db.$client;
    const options = {
      checkpoints: [
        { seq: 0, hash: "0".repeat(64) },
        { seq: 5, hash: row(sql, 5).hash },
      ],
      expectedHead: head,
    };
    const fast = sql.transaction(() => fastLogChainVerdict(sql, options)).deferred();
    expect(fast).toEqual({ ok: true, head, count: head.seq });
    expect(verifyLogChain(sql, options)).toEqual(exact(sql, options));
  });

  it("accepts an empty log", async () => {
    const empty = await createTestDatabase();
    try {
      expect(empty.db.$client.transaction(() => fastLogChainVerdict(empty.db.$client, {})).deferred()).toEqual({
        ok: true,
        head: { seq: 0, hash: "0".repeat(64) },
        count: 0,
      });
    } finally {
      empty.close();
    }
  });

  it.each(edits)("gives the core's verdict for %s", (_label, tamper, options = {}) => {
    const sql = tampered(tamper);
    const expected = sql.transaction(() => exact(sql, options)).deferred();
    expect(expected.ok).toBe(false);
    expect(sql.transaction(() => fastLogChainVerdict(sql, options)).deferred()).toBeNull();
    expect(verifyLogChain(sql, options)).toEqual(expected);
  });
});

/**
 * The same chain split into ranges of four rows (1-4, 5-8, 9-12, 13-15) checked by worker threads.
 * `callerChecks: false` leaves every range to the workers, so what is tested is what they report
 * and how the ranges are joined; `tally` shows that they, not the calling thread, did the work.
 */
describe("verifyLogChain with worker threads", () => {
  const RANGES = 4;
  const parallel = (): LogChainScanOptions & { tally: { caller: number; workers: number } } => ({
    parallelFrom: 1,
    workers: 2,
    rangeRows: 4,
    callerChecks: false,
    tally: { caller: 0, workers: 0 },
  });
  /** The fast verdict with the ranges left to workers, in a read transaction of its own. */
  const fastInParallel = (sql: Database.Database, options: VerifyChainOptions, scan = parallel()) =>
    sql.transaction(() => fastLogChainVerdict(sql, options, { ...scan, committedSnapshot: true })).deferred();

  it("accepts the sound chain, every range checked by a worker, payloads with text to decode included", () => {
    const sql = t.db.$client;
    // The chain holds a memo with an en dash: a worker hands that payload back to the core's reader.
    expect(sql.prepare("select count(*) from ledger_log where payload like '%–%'").pluck().get()).toBeGreaterThan(0);
    const options = {
      checkpoints: [
        { seq: 0, hash: "0".repeat(64) },
        { seq: 4, hash: row(sql, 4).hash },
        { seq: 9, hash: row(sql, 9).hash },
      ],
      expectedHead: head,
    };
    const scan = parallel();
    expect(fastInParallel(sql, options, scan)).toEqual({ ok: true, head, count: head.seq });
    expect(scan.tally).toEqual({ caller: 0, workers: RANGES });
    expect(verifyLogChain(sql, options, parallel())).toEqual(exact(sql, options));
  });

  it(
    "shares the ranges between the calling thread and the workers, and leaves the caller's cache size as it " + "was",
    () => {
      const sql = t.db.$client;
      const before = sql.pragma("cache_size", { simple: true }) as number;
      sql.pragma("cache_size = -4321");
      const scan = { ...parallel(), callerChecks: true, rangeRows: 1 };
      expect(verifyLogChain(sql, { expectedHead: head }, scan)).toEqual({ ok: true, head, count: head.seq });
      expect(scan.tally.caller + scan.tally.workers).toBe(head.seq);
      expect(sql.pragma("cache_size", { simple: true })).toBe(-4321);
      sql.pragma(`cache_size = ${before}`);
    },
  );

  /** The same text with its first hex digit changed. */
  const flipFirst = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
  const parallelEdits: [string, (sql: Database.Database) => void, VerifyChainOptions?][] = [
    [
      "a payload edited in the middle of a range",
      (sql) => setRow(sql, 6, { payload: row(sql, 6).payload.replace('"v":1', '"v":2') }),
    ],
    ["a stored hash edited at the end of a range", (sql) => setRow(sql, 8, { hash: "f".repeat(64) })],
    [
      "a prev_hash edited at the start of a range",
      (sql) => setRow(sql, 9, { prevHash: flipFirst(row(sql, 9).prevHash) }),
    ],
    [
      "a range rewritten in full, hashes recomputed, that no longer meets the next",
      (sql) => {
        let prev = row(sql, 5).prevHash;
        for (let seq = 5; seq <= 8; seq++) {
          // Still canonical v1: another idempotency key digest.
          const payload =
            seq === 5
              ? row(sql, seq).payload.replace(
                  /("idempotency_key_sha256":")(.)/,
                  (_m, key: string, c: string) => key + flipFirst(c),
                )
              : row(sql, seq).payload;
          const hash = chainHash(prev, payload);
          setRow(sql, seq, { prevHash: prev, hash, payload });
          prev = hash;
        }
      },
    ],
    [
      "a financial year that is not its date's, hashes recomputed to the end",
      (sql) => {
        let prev = row(sql, 10).prevHash;
        for (let seq = 10; seq <= 15; seq++) {
          const payload =
            seq === 10 ? row(sql, seq).payload.replace(/"fy":"\d{4}\/\d{2}"/, '"fy":"2030/31"') : row(sql, seq).payload;
          const hash = chainHash(prev, payload);
          setRow(sql, seq, { prevHash: prev, hash, payload });
          prev = hash;
        }
      },
    ],
    [
      "text that is not NFC, hashes recomputed to the end",
      (sql) => {
        let prev = row(sql, 11).prevHash;
        for (let seq = 11; seq <= 15; seq++) {
          const payload =
            seq === 11 ? row(sql, seq).payload.replace('"memo":null', '"memo":"Cafe\u0301"') : row(sql, seq).payload;
          const hash = chainHash(prev, payload);
          setRow(sql, seq, { prevHash: prev, hash, payload });
          prev = hash;
        }
      },
    ],
    [
      "a truncated tail, with a checkpoint of the old head",
      (sql) => sql.exec("delete from ledger_log where seq > 10"),
      { checkpoints: [{ seq: 15, hash: "a".repeat(64) }] },
    ],
    [
      "a tail rewritten from the middle of a range, hashes recomputed, against a checkpoint in the last range",
      (sql) => {
        let prev = row(sql, 7).prevHash;
        for (let seq = 7; seq <= 15; seq++) {
          const payload =
            seq === 7 ? row(sql, seq).payload.replaceAll('"pence":100000', '"pence":90000') : row(sql, seq).payload;
          const hash = chainHash(prev, payload);
          setRow(sql, seq, { prevHash: prev, hash, payload });
          prev = hash;
        }
      },
      { checkpoints: [{ seq: 14, hash: "placeholder" }] },
    ],
    [
      "a checkpoint that differs in the middle of a range",
      () => undefined,
      { checkpoints: [{ seq: 10, hash: "b".repeat(64) }] },
    ],
  ];

  it.each([...parallelEdits, ...edits])("gives the core's verdict for %s", (_label, tamper, options = {}) => {
    // A checkpoint marked "placeholder" records the untouched log's hash at its seq.
    const checkpoints = options.checkpoints?.map((c) =>
      c.hash === "placeholder" ? { seq: c.seq, hash: row(t.db.$client, c.seq).hash } : c,
    );
    const resolved = { ...options, ...(checkpoints ? { checkpoints } : {}) };
    const sql = tampered(tamper);
    const expected = sql.transaction(() => exact(sql, resolved)).deferred();
    expect(expected.ok).toBe(false);
    expect(fastInParallel(sql, resolved)).toBeNull();
    expect(verifyLogChain(sql, resolved, parallel())).toEqual(expected);
  });

  it("names the first bad seq as the core does when ranges after it are broken too", () => {
    const sql = tampered((s) => {
      setRow(s, 14, { payload: row(s, 14).payload.replace('"v":1', '"v":3') });
      setRow(s, 6, { payload: row(s, 6).payload.replace('"v":1', '"v":2') });
    });
    const expected = sql.transaction(() => exact(sql)).deferred();
    expect(expected).toMatchObject({ ok: false, seq: 6, code: "HASH_MISMATCH" });
    expect(verifyLogChain(sql, {}, parallel())).toEqual(expected);
  });

  it("uses no worker inside a transaction that has written, whose rows other connections cannot see", () => {
    const sql = tampered(() => undefined);
    sql.transaction(() => {
      setRow(sql, 6, { payload: row(sql, 6).payload.replace('"v":1', '"v":2') });
      const scan = parallel();
      const expected = exact(sql);
      expect(expected).toMatchObject({ ok: false, seq: 6 });
      expect(verifyLogChain(sql, {}, scan)).toEqual(expected);
      expect(scan.tally).toEqual({ caller: 0, workers: 0 });
    })();
  });

  it("checks an in-memory database on the calling thread alone", () => {
    const memory = new BetterSqlite3(":memory:");
    try {
      memory.exec(
        "create table ledger_log (seq integer primary key, entry_id text not null, prev_hash text not null, payload " +
          "text not null, hash text not null) strict",
      );
      const insert = memory.prepare("insert into ledger_log values (?, ?, ?, ?, ?)");
      for (const r of logRows(t.db.$client)) insert.run(r.seq, `e${r.seq}`, r.prevHash, r.payload, r.hash);
      const scan = parallel();
      expect(verifyLogChain(memory, { expectedHead: head }, scan)).toEqual({ ok: true, head, count: head.seq });
      expect(scan.tally).toEqual({ caller: 0, workers: 0 });
    } finally {
      memory.close();
    }
  });
});
