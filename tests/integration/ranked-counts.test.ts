/**
 * Every counting rule a round can use, against a real database: MES with add-one completion, IRV,
 * STV and Scottish STV rounds are closed, counted, ratified and published, and the stored report is
 * byte for byte what the real command line prints for the published ballot file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "~/models/accounts.server";
import {
  closeVoting,
  countRound,
  findCount,
  publishedResults,
  ratifyCount,
  recountCommand,
} from "~/models/counts.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createCountFixture, createSecondAdmin, type CountFixtureOptions } from "../factories";

const repo = fileURLToPath(new URL("../../", import.meta.url));
let t: TestDatabase;
let admin: { id: string; name: string };
let admin2: { id: string; name: string };
const dir = mkdtempSync(join(tmpdir(), "wardfund-ranked-"));

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  const first = findUserByEmail("admin@eastbrook.example")!;
  admin = { id: first.id, name: first.name };
  admin2 = { id: await createSecondAdmin(t.db), name: "Second administrator" };
});
afterAll(() => t.close());

function recount(fileText: string, rule: string): string {
  const path = join(dir, `ballots-${rule}.json`);
  writeFileSync(path, fileText);
  const args = recountCommand(rule).split(" ").slice(5); // after "npm run count -- ballots.json"
  return execFileSync("npx", ["tsx", "scripts/count.ts", path, ...args], { cwd: repo, encoding: "utf8" });
}

const cases: { rule: NonNullable<CountFixtureOptions["countingRule"]>; seats: number; winners: number }[] = [
  { rule: "mes-add1", seats: 1, winners: -1 },
  { rule: "irv", seats: 1, winners: 1 },
  { rule: "stv", seats: 2, winners: 2 },
  { rule: "scottish-stv", seats: 2, winners: 2 },
];

describe.each(cases)("a round counted by $rule", ({ rule, seats, winners }) => {
  it("counts, matches the command line's recount byte for byte, and publishes its winners", () => {
    const fixture = createCountFixture(t.db, { ballots: 120, countingRule: rule, seats, tieBreak: "lowest-cost" });
    closeVoting(admin, fixture.roundId, null);
    const outcome = countRound(admin, fixture.roundId);
    const count = findCount(fixture.roundId, t.db)!;
    expect(count.rule).toBe(rule);
    expect(recount(count.ballotFile, rule)).toBe(count.report);
    if (winners > 0) expect(outcome.winners).toHaveLength(winners);
    else expect(outcome.winners.length).toBeGreaterThan(0);
    ratifyCount(admin2, fixture.roundId, { noInterestDeclared: true });
    const published = publishedResults(fixture.roundId, t.db)!;
    expect(published.summary.view.rule).toBe(rule);
    expect(published.summary.view.winners.map((w) => w.bidId).sort()).toEqual(
      outcome.winners.map((w) => w.bidId).sort(),
    );
    if (rule === "mes-add1") {
      expect(published.summary.ranked).toBeNull();
      expect(published.summary.otherRule).toBe("greedy");
    } else {
      const ranked = published.summary.ranked!;
      expect(ranked.rounds.length).toBeGreaterThan(0);
      expect(ranked.rounds[0]!.tally.length).toBe(fixture.bidIds.length);
      expect(ranked.totalBallots).toBe("120");
      expect(published.summary.otherRule).toBeNull();
      expect(published.summary.recountCommand).toBe("npm run count -- ballots.json --format json");
    }
  }, 60_000);
});
