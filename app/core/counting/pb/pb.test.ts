/**
 * PB rules on small elections worked out by hand (ballot-case format 2.1), and the Pabulib reader.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError, TieBreakRequiredError } from "../errors";
import { comparePbRules, countPb } from "./count";
import { pbElectionFrom } from "./election";
import { mesSetup, runMes } from "./mes";
import { parsePabulib } from "./pabulib";
import type { GreedyReport, MesReport, PbElectionInput } from "./types";

const vote = (ids: string, count = 1) => ({ ranking: ids.split(","), count });

describe("greedy by points", () => {
  // maxLength 2: rank 1 earns 2 points, rank 2 earns 1.
  // Points: P1 3×2 = 6; P2 3×1 + 2×2 = 7; P3 2×1 = 2; P4 1×2 = 2.
  // Order: 2 (7), 1 (6), then 3 and 4 tie at 2 and go by id as text: 3, 4.
  // Budget 100: 2 (50) fits, left 50; 1 (60) does not; 3 (30) fits, left 20; 4 (20) fits, left 0.
  const input: PbElectionInput = {
    projects: [
      { id: "1", cost: 60 },
      { id: "2", cost: 50 },
      { id: "3", cost: 30 },
      { id: "4", cost: "20" },
    ],
    budget: 100,
    maxLength: 2,
    ballots: [vote("1,2", 3), vote("2,3", 2), vote("4")],
  };

  it("takes projects by points, skipping what no longer fits", () => {
    const report = countPb(pbElectionFrom(input), "greedy", "project-id") as GreedyReport;
    expect(report.rounds.map((s) => [s.project, s.points, s.selected, s.budget_left])).toEqual([
      ["2", 7, true, "50"],
      ["1", 6, false, "50"],
      ["3", 2, true, "20"],
      ["4", 2, true, "0"],
    ]);
    expect(report).toMatchObject({ selected: ["2", "3", "4"], cost_total: "100", budget_left: "0" });
    expect(report.tieBreaks).toMatchObject([{ tied: ["3", "4"], chosen: "3", rule: "project-id" }]);
  });

  it("refuses to guess a tie when no tie rule is given", () => {
    expect(() => countPb(pbElectionFrom(input), "greedy", "none")).toThrow(TieBreakRequiredError);
  });
});

const threeVoters: PbElectionInput = {
  projects: [
    { id: "a", cost: 30 },
    { id: "b", cost: 30 },
    { id: "c", cost: 40 },
  ],
  budget: 100,
  maxLength: 2,
  ballots: [vote("a,b"), vote("a,c"), vote("c,b")],
};

describe("Method of Equal Shares", () => {
  // Three voters, maxLength 2 (2 points for a first choice, 1 for a second).
  //   v1: a, b    v2: a, c    v3: c, b
  // Costs a 30, b 30, c 40; budget 100: each voter's share is 100/3.
  // Round 1 prices per point: a 30/4 = 15/2 (v1, v2 pay 15 each); b 30/2 = 15; c 40/3 (v2 pays
  //   40/3, v3 80/3). a is cheapest: v1 and v2 keep 100/3 − 15 = 55/3.
  // Round 2: b 15 (v1 pays 15 ≤ 55/3); c 40/3 (v2 pays 40/3 ≤ 55/3, v3 80/3 ≤ 100/3): c funded.
  //   v2 keeps 5, v3 keeps 20/3.
  // Round 3: b's supporters have 55/3 + 20/3 = 25 < 30: nothing is affordable. MES funds a, c.
  // 30 is left and b costs 30: not exhaustive. Add-one: with 100/3 + 1, + 2 the supporters of b
  //   hold 27, then 29; with + 3 (share 109/3), v1 has 64/3 and v3 29/3 after a and c: 31 ≥ 30.
  //   v3 cannot pay ρ (they hold less than 15), so pays all 29/3, and v1 pays the rest, 61/3:
  //   ρ = 61/3. Everything is funded (exhaustive, cost 100): mes-add1 funds a, b, c.
  const input = threeVoters;

  it("funds the project with the lowest price per point, each supporter paying ρ × points", () => {
    const report = countPb(pbElectionFrom(input), "mes", "project-id") as MesReport;
    expect(report.selected).toEqual(["a", "c"]);
    expect(report.budget_per_voter).toBe("100/3");
    expect(report.rounds).toEqual([
      {
        round: 1,
        project: "a",
        cost: "30",
        rho: "15/2",
        payments: [{ points: 2, voters: 2, paid_each: "15/1", capped: 0, paid_total: "30/1" }],
      },
      {
        round: 2,
        project: "c",
        cost: "40",
        rho: "40/3",
        payments: [
          { points: 2, voters: 1, paid_each: "80/3", capped: 0, paid_total: "80/3" },
          { points: 1, voters: 1, paid_each: "40/3", capped: 0, paid_total: "40/3" },
        ],
      },
    ]);
    expect(report).toMatchObject({ cost_total: "70", budget_left: "30" });
  });

  it("leaves each voter their share minus what they paid", () => {
    const election = pbElectionFrom(input);
    const outcome = runMes(mesSetup(election), election.budget.units, "project-id");
    expect([0, 1, 2].map((g) => outcome.moneyLeft(g).toString())).toEqual(["55/3", "5/1", "20/3"]);
  });

  it("with the add-one completion, raises the shares until the outcome is exhaustive", () => {
    const report = countPb(pbElectionFrom(input), "mes-add1", "project-id") as MesReport;
    expect(report.selected).toEqual(["a", "b", "c"]);
    expect(report.increments).toBe(3);
    expect(report.budget_per_voter).toBe("109/3");
    expect(report.rounds[2]).toMatchObject({
      project: "b",
      rho: "61/3",
      payments: [{ points: 1, voters: 2, capped: 1, paid_total: "30/1" }],
    });
    expect(report).toMatchObject({ cost_total: "100", budget_left: "0" });
  });

  it("keeps the last affordable outcome when raising the shares would overspend", () => {
    // One voter ranks x (cost 6) then y (cost 5); budget 10. MES funds x (6). Not exhaustive?
    // 4 left, y costs 5: exhaustive. So MES and mes-add1 agree: x only.
    const tiny = pbElectionFrom({
      projects: [
        { id: "x", cost: 6 },
        { id: "y", cost: 5 },
      ],
      budget: 10,
      maxLength: 2,
      ballots: [vote("x,y")],
    });
    expect(countPb(tiny, "mes-add1", "project-id").selected).toEqual(["x"]);
  });

  it("settles equal prices by project id as text, or refuses without a tie rule", () => {
    // Two voters with 5 each; each project costs 5 and has one supporter: ρ = 5 for both.
    // "10" sorts before "9" as text, so it is funded first.
    const tied = pbElectionFrom({
      projects: [
        { id: "10", cost: 5 },
        { id: "9", cost: 5 },
      ],
      budget: 10,
      maxLength: 1,
      ballots: [vote("9"), vote("10")],
    });
    const report = countPb(tied, "mes", "project-id") as MesReport;
    expect(report.rounds.map((r) => r.project)).toEqual(["10", "9"]);
    expect(report.tieBreaks).toMatchObject([{ round: 1, tied: ["10", "9"], chosen: "10" }]);
    expect(() => countPb(tied, "mes", "none")).toThrow(TieBreakRequiredError);
  });

  it("funds supported free projects first and never prices unsupported ones", () => {
    const free = pbElectionFrom({
      projects: [
        { id: "f", cost: 0 },
        { id: "g", cost: 10 },
        { id: "z", cost: 1 },
      ],
      budget: 10,
      maxLength: 2,
      ballots: [vote("f,g")],
    });
    const report = countPb(free, "mes", "project-id") as MesReport;
    expect(report.free_projects).toEqual(["f"]);
    expect(report.selected).toEqual(["f", "g"]);
  });
});

describe("comparing rules on the same ballots", () => {
  it("runs all three and lists the projects they disagree on", () => {
    // The election worked out for MES above: greedy by points (a 4, c 3, b 2) funds all three.
    const comparison = comparePbRules(pbElectionFrom(threeVoters), "project-id");
    expect(comparison.greedy.selected).toEqual(["a", "b", "c"]);
    expect(comparison.mes.selected).toEqual(["a", "c"]);
    expect(comparison.differences).toEqual([{ project: "b", fundedBy: ["greedy", "mes-add1"] }]);
  });
});

describe("Pabulib reader", () => {
  const file = (votes: string[], meta = "vote_type;ordinal\nmax_length;2") =>
    [
      "META",
      "key;value",
      "budget;100",
      meta,
      "PROJECTS",
      "project_id;cost;name",
      '1;60;"Park; benches"',
      "2;50;Lights",
      "VOTES",
      "voter_id;vote",
      ...votes,
    ].join("\n");

  it("reads projects, merges identical votes and keeps quoted fields whole", () => {
    const election = parsePabulib(file(["1;1,2", "2;1,2", "3;2"]));
    expect(election.projectNames).toEqual(["Park; benches", "Lights"]);
    expect(election.voterCount).toBe(3);
    expect(election.groupCount).toBe(2);
    expect(election.maxLength).toBe(2);
  });

  it.each([
    [["1;1,99"], "line 12: unknown project id 99"],
    [["1;1,2", "2;2,2"], "line 13: project 2 is ranked twice"],
    [["1;1,2,1"], "line 12: ranks 3 projects, more than max_length 2"],
  ])("names the line of a bad vote: %j", (votes, message) => {
    expect(() => parsePabulib(file(votes))).toThrow(message);
  });

  it("refuses votes that are not ordinal, and sections out of order", () => {
    expect(() => parsePabulib(file(["1;1"], "vote_type;approval"))).toThrow(/only ordinal votes/);
    expect(() => parsePabulib("META\nkey;value\nbudget;1\nvote_type;ordinal\nVOTES\nvoter_id;vote\n")).toThrow(
      "line 5: VOTES must follow the PROJECTS section",
    );
    expect(() => parsePabulib(file(["1;1"]), "12x")).toThrow(InvalidInputError);
  });

  it("counts with a budget given instead of the file's", () => {
    const election = parsePabulib(file(["1;1,2"]), "200");
    expect(countPb(election, "greedy", "project-id").selected).toEqual(["1", "2"]);
  });
});
