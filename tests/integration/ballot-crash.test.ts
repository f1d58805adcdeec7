/**
 * kill -9 during a stream of casts: a casting process (the app's cast path on its own connection,
 * as the server runs it) is killed several times mid-stream and started again. Every receipt it
 * acknowledged before dying is in the ballot box afterwards and its sealed ballot opens at the
 * count; participation records, receipts and counted ballots are equal in number.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import { generateCodeBatch } from "~/models/voting/codes.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { exited, forkTsx } from "../support/ledger-tools";
import { createVotingRound, openBallotsForCount } from "../factories";

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-cast-crash-"));
});
afterAll(() => {
  t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const admin = () => {
  const u = findUserByEmail("admin@eastbrook.example")!;
  return { id: u.id, name: u.name };
};

/** Runs the casting process; kills it (SIGKILL) once it has answered `killAfter` casts, or lets it finish. */
async function runCasts(args: string[], killAfter: number | null): Promise<{ receipts: string[]; killed: boolean }> {
  const child = forkTsx("tests/support/cast-stream-worker.ts", args);
  const receipts: string[] = [];
  let seen = 0;
  let buffered = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      seen += 1;
      if (line !== "refused") receipts.push(line);
      if (killAfter !== null && seen >= killAfter && child.exitCode === null) child.kill("SIGKILL");
    }
  });
  const end = await exited(child);
  if (killAfter === null && end.code !== 0) throw new Error(`the casting process failed: ${stderr}`);
  return { receipts, killed: end.signal === "SIGKILL" };
}

describe("kill -9 during a stream of casts", () => {
  it("loses no acknowledged ballot, and participation equals ballots", async () => {
    const round = createVotingRound(t.db, { projects: 4, maxRanked: 2 });
    const codes = generateCodeBatch(admin(), round.roundId, "Crash test", 400).codes;
    const codesFile = path.join(dir, "codes.json");
    fs.writeFileSync(codesFile, JSON.stringify(codes));
    const args = [t.file, String(round.roundId), codesFile, ...round.bidIds.map(String)];
    const acknowledged: string[] = [];
    let kills = 0;
    for (const killAfter of [30, 60, 45, 90]) {
      const run = await runCasts(args, killAfter);
      acknowledged.push(...run.receipts);
      if (run.killed) kills += 1;
    }
    const last = await runCasts(args, null);
    acknowledged.push(...last.receipts);
    expect(kills).toBeGreaterThanOrEqual(3);
    const client = t.db.$client;
    const count = (sql: string) => client.prepare(sql).pluck().get(round.roundId) as number;
    const participation = count("select count(*) from pb_participation where round_id = ?");
    expect(participation).toBe(400);
    expect(count("select count(*) from pb_receipts where round_id = ?")).toBe(participation);
    expect(count("select count(*) from pb_sealed_ballots where round_id = ?")).toBe(participation);
    const stored = new Set(
      client.prepare("select receipt from pb_receipts where round_id = ?").pluck().all(round.roundId),
    );
    for (const receipt of acknowledged) expect(stored.has(receipt), receipt).toBe(true);
    // At the count every sealed ballot opens and carries an issued receipt (openSealedBallots checks both ways).
    const opened = await openBallotsForCount(t.db, admin(), round);
    expect(opened).toBe(participation);
    expect(count("select count(*) from pb_ballots where round_id = ?")).toBe(participation);
  }, 180_000);
});
