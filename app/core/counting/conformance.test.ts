/**
 * Conformance: every reference contest in ../shared/fixtures/rcv and every Pabulib instance in
 * ../shared/fixtures/pabulib, compared with its expected result as a whole, not just the winner.
 *
 * For ranked-choice cases the whole `expected` report must match: every round's tally,
 * threshold, elected, eliminated (order-insensitive, as format 1.5 says), inactive totals and
 * transfers; the winners in order; totalBallots; finalThreshold; passes for multi-pass IRV. Beyond
 * deep equality, the printed JSON must be byte-identical to the fixture's once elected/eliminated
 * are put in one order. For PB, the projects selected by greedy, MES and MES with add-one
 * completion must be those pabutools selected, and greedy's points must reproduce the city's
 * published `score` column.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCaseJson } from "./case-format";
import { parsePabulib, splitFields } from "./pb/pabulib";
import { countPb } from "./pb/count";
import { projectPoints } from "./pb/election";
import type { PbRule } from "./pb/types";
import { countContest, expectedLayout } from "./rcv";
import type { ExpectedLayout, RoundReport, TabulationReport } from "./types";

const fixtures = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));
const rcvDir = `${fixtures}rcv/`;
const pabulibDir = `${fixtures}pabulib/`;

/** Puts the order-insensitive lists (elected, eliminated) in one order. */
function normalise(layout: ExpectedLayout): ExpectedLayout {
  const rounds = (list: RoundReport[]): RoundReport[] =>
    list.map((round) => ({ ...round, elected: [...round.elected].sort(), eliminated: [...round.eliminated].sort() }));
  const tabulation = (t: TabulationReport): TabulationReport => ({ ...t, rounds: rounds(t.rounds) });
  if ("passes" in layout) return { ...layout, passes: layout.passes.map(tabulation) };
  return tabulation(layout);
}

const rcvCases = readdirSync(rcvDir)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("ranked-choice reference contests", () => {
  it("finds all 30 cases", () => {
    expect(rcvCases).toHaveLength(30);
  });

  it.each(rcvCases)("%s: the whole expected report", (file) => {
    const contest = parseCaseJson(readFileSync(rcvDir + file, "utf8"));
    const expected = contest.expected as ExpectedLayout;
    const report = expectedLayout(countContest(contest));
    const got = normalise(report);
    const want = normalise(expected);
    expect(got).toEqual(want);
    expect(JSON.stringify(got, null, 2)).toBe(JSON.stringify(want, null, 2));
  });
});

interface ExpectedPb {
  budget: number;
  voters: number;
  greedy_by_score: { selected: string[] };
  mes: { selected: string[] };
  mes_add1: { selected: string[] };
}

const pbExpected = JSON.parse(readFileSync(`${pabulibDir}expected.json`, "utf8")) as Record<string, ExpectedPb>;
const ruleKeys: [PbRule, "greedy_by_score" | "mes" | "mes_add1"][] = [
  ["greedy", "greedy_by_score"],
  ["mes", "mes"],
  ["mes-add1", "mes_add1"],
];
const pbCases = Object.keys(pbExpected)
  .sort()
  .flatMap((file) => ruleKeys.map(([rule, key]) => [file, rule, key] as const));

describe("Pabulib instances", () => {
  it("finds all 5 instances", () => {
    expect(Object.keys(pbExpected)).toHaveLength(5);
    expect(readdirSync(pabulibDir).filter((f) => f.endsWith(".pb"))).toHaveLength(5);
  });

  it.each(pbCases)("%s, %s: the selected projects", (file, rule, key) => {
    const election = parsePabulib(readFileSync(pabulibDir + file, "utf8"));
    const expected = pbExpected[file] as ExpectedPb;
    expect(election.voterCount).toBe(expected.voters);
    expect(election.budget.toString()).toBe(String(expected.budget));
    const report = countPb(election, rule, "project-id");
    expect(report.selected).toEqual([...expected[key].selected].sort());
  });

  it.each(Object.keys(pbExpected).sort())("%s: greedy points reproduce the published score column", (file) => {
    const text = readFileSync(pabulibDir + file, "utf8");
    const election = parsePabulib(text);
    const points = projectPoints(election);
    const lines = text.split(/\r?\n/);
    const start = lines.indexOf("PROJECTS") + 1;
    const header = splitFields(lines[start] as string);
    const published = new Map<string, number>();
    for (let i = start + 1; lines[i] !== "VOTES"; i++) {
      const fields = splitFields(lines[i] as string);
      published.set(fields[header.indexOf("project_id")] as string, Number(fields[header.indexOf("score")]));
    }
    const ours = new Map(election.projectIds.map((id, p) => [id, points[p]]));
    expect(ours).toEqual(published);
  });
});
