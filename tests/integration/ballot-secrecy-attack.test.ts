/**
 * The attacker holds copies of the database files (main file, -wal, -shm) taken after every cast,
 * and again once the ballots are opened for the count. They replay the write-ahead log commit by
 * commit, open each snapshot, and search the raw bytes for the rankings (which they know: the
 * rankings file is published).
 * No voter may be paired with a ranking with better odds than 1 in k, k = every voter of the round.
 *
 * The second test plays the same attack on ballots written the way they were before sealing (the
 * participation record and the plain ranking in one commit), and must pair every voter exactly: it
 * shows that the attack is strong enough to catch a revert of the sealing.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import { castCodeBallot } from "~/models/voting/cast.server";
import { generateCodeBatch } from "~/models/voting/codes.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import {
  anonymitySetMin,
  anonymitySetMinFromCounts,
  candidateRankings,
  commitSnapshots,
  openSnapshot,
  rawText,
  type FileCopy,
  type Observation,
} from "../support/wal-replay";
import { createVotingRound, openBallotsForCount } from "../factories";

let t: TestDatabase;
const VOTERS = 24;

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
});
afterAll(() => t.close());

const admin = () => {
  const u = findUserByEmail("admin@eastbrook.example")!;
  return { id: u.id, name: u.name };
};

function copyFiles(): FileCopy {
  const read = (suffix: string) =>
    fs.existsSync(t.file + suffix) ? fs.readFileSync(t.file + suffix) : Buffer.alloc(0);
  return { db: read(""), wal: read("-wal"), shm: read("-shm") };
}

/** Distinct rankings of three projects out of eight, spread over all of them. */
function distinctRankings(bidIds: number[], n: number): number[][] {
  const all: number[][] = [];
  for (const a of bidIds)
    for (const b of bidIds) for (const c of bidIds) if (a !== b && b !== c && a !== c) all.push([a, b, c]);
  return Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]!);
}

/** Everything the attacker learns from a series of copies of the files, in the order they were taken. */
function observe(copies: readonly FileCopy[], roundId: number, known: readonly string[]): Observation[] {
  const observations: Observation[] = [];
  for (const copy of copies) {
    let last: Observation = { voters: new Set(), rankings: new Set() };
    for (const image of commitSnapshots(copy)) {
      const snapshot = openSnapshot(image);
      try {
        const hasTable = snapshot.prepare("select 1 from sqlite_master where name = 'pb_participation'").get();
        if (!hasTable) continue;
        const voters = snapshot
          .prepare("select coalesce('user:' || user_id, 'code:' || code_id) from pb_participation where round_id = ?")
          .pluck()
          .all(roundId) as string[];
        const rankings = snapshot
          .prepare("select ranking from pb_ballots where round_id = ?")
          .pluck()
          .all(roundId) as string[];
        last = { voters: new Set(voters), rankings: new Set(rankings) };
        observations.push(last);
      } finally {
        snapshot.close();
      }
    }
    // The raw bytes of all three files, free pages and stale log frames included.
    const raw = rawText(copy);
    const seen = new Set([...last.rankings, ...known.filter((r) => raw.includes(r))]);
    observations.push({ voters: last.voters, rankings: seen });
  }
  return observations;
}

describe("someone holding the database files", () => {
  it(`cannot pair any of ${VOTERS} voters with their ranking at better odds than 1 in ${VOTERS}`, async () => {
    const round = createVotingRound(t.db, { projects: 8, maxRanked: 3 });
    const codes = generateCodeBatch(admin(), round.roundId, "Attack test", VOTERS).codes;
    const rankings = distinctRankings(round.bidIds, VOTERS);
    const truth = new Map<string, string>();
    const copies: FileCopy[] = [copyFiles()];
    for (let i = 0; i < VOTERS; i++) {
      // One at a time: each ballot in a commit of its own, the hardest case for secrecy.
      await castCodeBallot(round.roundId, codes[i]!, rankings[i]!);
      const codeId = t.db.$client
        .prepare("select max(code_id) from pb_participation where round_id = ?")
        .pluck()
        .get(round.roundId) as number;
      truth.set(`code:${codeId}`, JSON.stringify(rankings[i]));
      copies.push(copyFiles());
    }
    // While voting, no ranking is anywhere in the files, in any form the attacker can read.
    const known = rankings.map((r) => JSON.stringify(r));
    for (const copy of copies) {
      const raw = rawText(copy);
      for (const ranking of known) expect(raw.includes(ranking)).toBe(false);
    }
    await openBallotsForCount(t.db, admin(), round);
    copies.push(copyFiles());

    const observations = observe(copies, round.roundId, known);
    const candidates = candidateRankings(observations);
    expect(candidates.size).toBe(VOTERS);
    for (const [voter, set] of candidates) expect(set.has(truth.get(voter)!), voter).toBe(true);
    expect(anonymitySetMin(candidates)).toBe(VOTERS);
    expect(
      anonymitySetMinFromCounts(observations.map((o) => ({ voters: o.voters.size, rankings: o.rankings.size }))),
    ).toBe(VOTERS);
    // The rankings become readable only once, all together, after the last cast.
    const final = observations.at(-1)!;
    expect(final.rankings.size).toBe(VOTERS);
    // The sealed copies are gone from the files: the log was emptied and the rows zeroed.
    const after = copies.at(-1)!;
    expect(after.wal.length).toBe(0);
    expect(
      t.db.$client.prepare("select count(*) from pb_sealed_ballots where round_id = ?").pluck().get(round.roundId),
    ).toBe(0);
  }, 120_000);

  it("pairs every voter exactly when a ranking is written in plain beside its participation record", () => {
    const round = createVotingRound(t.db, { projects: 8, maxRanked: 3 });
    const codes = generateCodeBatch(admin(), round.roundId, "Control", VOTERS).codes;
    void codes;
    const codeIds = t.db.$client
      .prepare("select id from pb_vote_codes where round_id = ? order by id")
      .pluck()
      .all(round.roundId) as number[];
    const rankings = distinctRankings(round.bidIds, VOTERS);
    const copies: FileCopy[] = [copyFiles()];
    const client = t.db.$client;
    for (let i = 0; i < VOTERS; i++) {
      client.transaction(() => {
        client
          .prepare("insert into pb_participation (round_id, code_id, channel) values (?, ?, 'code')")
          .run(round.roundId, codeIds[i]);
        client
          .prepare("insert into pb_ballots (id, round_id, ranking) values (?, ?, ?)")
          .run(`CONTROL${String(i).padStart(4, "0")}`, round.roundId, JSON.stringify(rankings[i]));
      })();
      copies.push(copyFiles());
    }
    const observations = observe(
      copies,
      round.roundId,
      rankings.map((r) => JSON.stringify(r)),
    );
    const candidates = candidateRankings(observations);
    expect(anonymitySetMin(candidates)).toBe(1);
    expect(
      anonymitySetMinFromCounts(observations.map((o) => ({ voters: o.voters.size, rankings: o.rankings.size }))),
    ).toBe(1);
    for (let i = 0; i < VOTERS; i++)
      expect([...candidates.get(`code:${codeIds[i]}`)!]).toEqual([JSON.stringify(rankings[i])]);
  }, 120_000);
});
