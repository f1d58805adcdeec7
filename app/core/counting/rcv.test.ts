/**
 * Rule-by-rule tests on small contests worked out by hand (ballot-case format 1.4). Ballots are
 * written compactly: `ballot("A B+C - #", n)` is n ballots ranking A first, an overvote of B and
 * C second, a skipped third rank and an unnamed overvote fourth.
 */
import { describe, expect, it } from "vitest";
import { parseCaseJson } from "./case-format";
import { InvalidInputError, TieBreakRequiredError } from "./errors";
import { countContest, expectedLayout } from "./rcv";
import { ballot as b, contest, rules } from "./test-support";
import type { Ballot, ContestReport, Rules, TabulationReport } from "./types";

function count(
  candidates: string,
  ballots: Ballot[],
  overrides: Partial<Rules> = {},
): TabulationReport & ContestReport {
  return countContest(contest(candidates, ballots, overrides)) as TabulationReport & ContestReport;
}

describe("IRV", () => {
  it("elects a majority winner in round 1: threshold ⌊5/2⌋ + 1 = 3", () => {
    const report = count("A B C", [b("A", 3), b("B"), b("C")]);
    expect(report.rounds).toHaveLength(1);
    expect(report.rounds[0]).toMatchObject({ threshold: "3", elected: ["A"], eliminated: [] });
    expect(report.winners).toEqual(["A"]);
  });

  it("eliminates the lowest and transfers its ballots to their next choice", () => {
    // Round 1: A 4, B 3, C 2 of 9, threshold 5: C out, both C ballots go to B.
    // Round 2: A 4, B 5 (threshold recomputed on 9 active: 5): B elected.
    const report = count("A B C", [b("A", 4), b("B", 3), b("C B", 2)]);
    expect(expectedLayout(report)).toEqual({
      rounds: [
        {
          round: 1,
          tally: { A: "4", B: "3", C: "2" },
          threshold: "5",
          elected: [],
          eliminated: ["C"],
          inactive: { exhaustedChoices: "0", overvotes: "0", repeatedRankings: "0", skippedRankings: "0" },
          transfers: { C: { B: "2" } },
        },
        {
          round: 2,
          tally: { A: "4", B: "5" },
          threshold: "5",
          elected: ["B"],
          eliminated: [],
          inactive: { exhaustedChoices: "0", overvotes: "0", repeatedRankings: "0", skippedRankings: "0" },
        },
      ],
      winners: ["B"],
      totalBallots: "9",
      finalThreshold: "5",
    });
  });

  it("lowers the threshold as ballots exhaust, and elects the leader of the last two", () => {
    // Round 1: A 3, B 2, C 2 (7 ballots, threshold 4). C and B tie for last: candidate-order
    // picks the one declared last, C. Its ballots exhaust. Round 2: A 3, B 2 of 5, threshold 3:
    // A elected.
    const report = count("A B C", [b("A", 3), b("B", 2), b("C", 2)]);
    expect(report.rounds[0]?.eliminated).toEqual(["C"]);
    expect(report.tieBreaks).toMatchObject([
      { round: 1, purpose: "loser", tied: ["B", "C"], chosen: "C", mode: "candidate-order" },
    ]);
    expect(report.rounds[1]).toMatchObject({ tally: { A: "3", B: "2" }, threshold: "3", elected: ["A"] });
    expect(report.rounds[1]?.inactive.exhaustedChoices).toBe("2");
  });

  it("lets the leader of the last two win even below the threshold", () => {
    // Round 1: A 1, B 1, C 1, threshold 2: a three-way tie for last; candidate order drops the
    // one declared last, C, whose ballot exhausts. Round 2: A 1, B 1, threshold 2: nobody reaches
    // it, but with one seat and two left the higher wins; they tie, and candidate order picks the
    // one declared first, A.
    const report = count("A B C", [b("A"), b("B"), b("C")]);
    expect(report.winners).toEqual(["A"]);
    expect(report.tieBreaks.map((t) => t.purpose)).toEqual(["loser", "winner"]);
  });

  it("stops after the round given by stopAfterRound, winner or not", () => {
    const report = count("A B C", [b("A", 4), b("B", 3), b("C B", 2)], { stopAfterRound: 1 });
    expect(report.rounds).toHaveLength(1);
    expect(report.winners).toEqual([]);
  });

  it("continues until two remain when continueUntilTwo is set, freezing the threshold once elected", () => {
    // A has a majority in round 1 (4 of 7, threshold 4) and is elected, but counting goes on
    // (a round elects or eliminates, never both): D (0) is eliminated in round 2, C (1) in
    // round 3, and round 4 shows the last two, A 4 and B 3 (C's ballot went to B).
    const report = count("A B C D", [b("A", 4), b("B", 2), b("C B")], { continueUntilTwo: true });
    expect(report.rounds.map((r) => [r.elected, r.eliminated])).toEqual([
      [["A"], []],
      [[], ["D"]],
      [[], ["C"]],
      [[], []],
    ]);
    expect(report.rounds[3]?.tally).toEqual({ A: "4", B: "3" });
    expect(report.rounds.map((r) => r.threshold)).toEqual(["4", "4", "4", "4"]);
    expect(report.winners).toEqual(["A"]);
  });
});

describe("ballot rules while walking a ranking (1.4.3 a, 1.4.4)", () => {
  const firstRoundInactive = (ballots: Ballot[], overrides: Partial<Rules>) =>
    count("A B C", [b("A", 5), ...ballots], overrides).rounds[0];

  it("overvote `exhaust` makes the ballot inactive as an overvote", () => {
    expect(firstRoundInactive([b("B+C A")], { overvoteRule: "exhaust" })?.inactive.overvotes).toBe("1");
  });

  it("overvote `skip` moves on to the next rank", () => {
    const round = firstRoundInactive([b("B+C C")], { overvoteRule: "skip" });
    expect(round?.tally.C).toBe("1");
    expect(round?.inactive.overvotes).toBe("0");
  });

  it("an overvote in the last rank under `skip` exhausts the ballot", () => {
    expect(firstRoundInactive([b("B+C")], { overvoteRule: "skip" })?.inactive.exhaustedChoices).toBe("1");
  });

  it("an unnamed #overvote follows the exhaust or skip rule", () => {
    expect(firstRoundInactive([b("# B")], { overvoteRule: "exhaust" })?.inactive.overvotes).toBe("1");
    expect(firstRoundInactive([b("# B")], { overvoteRule: "skip" })?.tally.B).toBe("1");
  });

  it("exhaust-if-multiple-continuing counts a mark for the only live name", () => {
    // With C excluded, only B is live in "B+C": not an overvote, a vote for B. With all three
    // live, B and C are both continuing: the ballot exhausts as an overvote.
    const report = count("A B C", [b("A", 5), b("B+C"), b("B")], {
      overvoteRule: "exhaust-if-multiple-continuing",
      excluded: ["C"],
    });
    expect(report.rounds[0]?.tally).toEqual({ A: "5", B: "2" });
    const both = count("A B C", [b("A", 5), b("B+C"), b("B")], { overvoteRule: "exhaust-if-multiple-continuing" });
    expect(both.rounds[0]?.inactive.overvotes).toBe("1");
  });

  it(
    "maxSkippedRanks: a gap longer than allowed makes the ballot inactive (a gap before the first mark " + "counts)",
    () => {
      expect(firstRoundInactive([b("- B")], { maxSkippedRanks: 0 })?.inactive.skippedRankings).toBe("1");
      expect(firstRoundInactive([b("- B")], { maxSkippedRanks: 1 })?.tally.B).toBe("1");
      expect(firstRoundInactive([b("B - - C")], { maxSkippedRanks: 1 })?.tally.B).toBe("1");
    },
  );

  it("the skipped-rank limit is checked as the walk reaches each mark, from rank 1 every time", () => {
    // Round 1: A 5, B 1, C 2: the "B - - C" ballot is with B. B is eliminated; walking again from
    // rank 1, the gap of two before C exceeds maxSkippedRanks 1: inactive, skipped rankings.
    const report = count("A B C", [b("A", 4), b("C", 3), b("B - - C")], { maxSkippedRanks: 1 });
    expect(report.rounds[1]?.inactive.skippedRankings).toBe("1");
    expect(report.rounds[0]?.transfers).toEqual({ B: { exhausted: "1" } });
  });

  it("exhaustOnDuplicate: ranking a name again makes the ballot inactive; otherwise it is passed over", () => {
    // Round 1: the "B B C" ballot stops at B (live). B is eliminated; walking again from rank 1,
    // the second B is a repeat: inactive in round 2, not passed on to C.
    const dup = count("A B C", [b("A", 4), b("C", 3), b("B B C")], { exhaustOnDuplicate: true });
    expect(dup.rounds[0]?.inactive.repeatedRankings).toBe("0");
    expect(dup.rounds[1]?.inactive.repeatedRankings).toBe("1");
    expect(dup.rounds[1]?.tally.C).toBe("3");
    const pass = count("A B C", [b("A", 4), b("C", 3), b("B B C", 2)]);
    expect(pass.rounds[1]?.tally.C).toBe("5");
  });

  it("a ballot with no marks counts in totalBallots but in no round", () => {
    const report = count("A B", [b("A", 2), b("B"), { ranking: [], count: 4 }]);
    expect(report.totalBallots).toBe("7");
    expect(report.rounds[0]?.inactive.exhaustedChoices).toBe("0");
    expect(report.rounds[0]?.threshold).toBe("2");
  });

  it("passes over excluded candidates and leaves them out of the tally", () => {
    const report = count("A B C", [b("A", 2), b("C B", 3)], { excluded: ["C"] });
    expect(report.rounds[0]?.tally).toEqual({ A: "2", B: "3" });
    expect(report.winners).toEqual(["B"]);
  });

  it("eliminates the undeclared write-in first while it holds votes, and it never wins", () => {
    const report = count("A B", [b("A", 2), b("B", 1), b("W", 5)], { undeclaredWriteIn: "W" });
    expect(report.rounds[0]).toMatchObject({ tally: { A: "2", B: "1", W: "5" }, elected: [], eliminated: ["W"] });
    expect(report.winners).toEqual(["A"]);
  });
});

describe("batch and cutoff elimination (1.4.6, 1.4.3 e)", () => {
  it("eliminates everyone who cannot catch up in one round", () => {
    // Tallies 12, 8, 3, 2, 1 (threshold 14). Running totals: 1 < 2 → {E}; 3 < 3 no;
    // 6 < 8 → {E, D, C}; 14 < 12 no. So C, D and E go together.
    const report = count("A B C D E", [b("A", 12), b("B", 8), b("C", 3), b("D", 2), b("E", 1)], {
      batchElimination: true,
    });
    expect(report.rounds[0]?.eliminated).toEqual(["C", "D", "E"]);
    expect(report.rounds[1]).toMatchObject({ tally: { A: "12", B: "8" }, threshold: "11", elected: ["A"] });
  });

  it("falls back to the single lowest when the batch would hold one candidate", () => {
    const report = count("A B C", [b("A", 5), b("B", 4), b("C", 3)], { batchElimination: true });
    expect(report.rounds[0]?.eliminated).toEqual(["C"]);
  });

  it("cutoff elimination drops everyone under the percentage threshold at once", () => {
    // 20 ballots, 25 %: threshold 5. C (3) and D (2) are under it and go together; then A 10 and
    // B 5 are both above 25 % of 15 (3.75), so both are elected.
    const report = count("A B C D", [b("A", 10), b("B", 5), b("C", 3), b("D", 2)], {
      method: "bottoms-up-percentage",
      seats: 0,
      bottomsUpPercent: "25",
      cutoffElimination: true,
    });
    expect(report.rounds[0]).toMatchObject({ threshold: "5", eliminated: ["C", "D"] });
    expect(report.rounds[1]).toMatchObject({ threshold: "3.75", elected: ["A", "B"] });
  });
});

describe("STV (Gregory surplus, 1.4.7)", () => {
  const ballots = [b("A B", 6), b("A C", 2), b("B", 3), b("C")];

  it("transfers fractional surpluses, reports residual surplus and the final surplus round (Droop)", () => {
    // 12 ballots, 2 seats: T = trunc4(12/3) + 0.0001 = 4.0001. A has 8: surplus 3.9999,
    // f = trunc4(3.9999 / 8) = 0.4999; each A ballot moves 0.4999 and leaves 0.5001, so 4.0008
    // stays with A: reported at T, residual 0.0007. B gets 6 × 0.4999 = 2.9994 → 5.9994, C gets
    // 0.9998 → 1.9998. B is elected: surplus 1.9993, f = trunc4(1.9993/5.9994) = 0.3332; B's own
    // 3 ballots move 0.3332 each, the 6 from A move trunc4(0.4999 × 0.3332) = 0.1665 each:
    // 1.9986 in all, to finalRoundSurplus since the seats are filled; B keeps
    // 3 × 0.6668 + 6 × 0.3334 = 4.0008: residual 0.0007 again.
    const report = count("A B C", ballots, { method: "stv", seats: 2, integerQuota: false });
    expect(report.rounds.map((r) => r.tally)).toEqual([
      { A: "8", B: "3", C: "1" },
      { A: "4.0001", B: "5.9994", C: "1.9998" },
      { A: "4.0001", B: "4.0001", C: "1.9998" },
    ]);
    expect(report.rounds[0]?.transfers).toEqual({ A: { B: "2.9994", C: "0.9998", "residual surplus": "0.0007" } });
    expect(report.rounds[1]?.transfers).toEqual({ B: { exhausted: "1.9986", "residual surplus": "0.0007" } });
    expect(report.rounds[2]?.inactive.finalRoundSurplus).toBe("1.9986");
    expect(report.winners).toEqual(["A", "B"]);
    expect(report.finalThreshold).toBe("4.0001");
  });

  it("with a Hare quota, elects the last seat when no more candidates than seats remain", () => {
    // T = ceil(12/2) = 6. A 8: f = 2/8 = 0.25; B 4.5, C 1.5. Nobody else reaches 6: C is
    // eliminated; then B is the only one left for the last seat.
    const report = count("A B C", ballots, { method: "stv", seats: 2, integerQuota: false, quota: "hare" });
    expect(report.rounds[0]?.threshold).toBe("6");
    expect(report.rounds[1]?.tally).toEqual({ A: "6", B: "4.5", C: "1.5" });
    expect(report.rounds[2]?.elected).toEqual(["B"]);
    expect(report.winners).toEqual(["A", "B"]);
  });

  it("electOnePerRound elects only the highest of several over the threshold", () => {
    // T = trunc4(10/3) + 0.0001 = 3.3334; A 5 and B 4 both exceed it.
    const report = count("A B C", [b("A", 5), b("B", 4), b("C")], {
      method: "stv",
      seats: 2,
      integerQuota: false,
      electOnePerRound: true,
    });
    expect(report.rounds[0]?.elected).toEqual(["A"]);
    expect(report.rounds[1]?.elected).toEqual(["B"]);
    const together = count("A B C", [b("A", 5), b("B", 4), b("C")], { method: "stv", seats: 2, integerQuota: false });
    expect(together.rounds[0]?.elected).toEqual(["A", "B"]);
  });
});

describe("bottoms-up and multi-pass methods (1.4.5)", () => {
  it("bottoms-up eliminates until as many remain as seats and elects them together", () => {
    const report = count("A B C D", [b("A", 4), b("B", 3), b("C", 2), b("D B")], { method: "bottoms-up", seats: 2 });
    expect(report.rounds.map((r) => r.eliminated)).toEqual([["D"], ["C"], []]);
    expect(report.rounds[2]?.elected).toEqual(["A", "B"]);
  });

  it("bottoms-up-percentage elects everyone above the percentage of active votes", () => {
    // 10 ballots, 30 %: threshold 3, and C 2 and D 1 are not above it. D (lowest) goes, its
    // ballot to B: A 5, B 3, C 2 of 10, threshold 3; C goes and its ballots exhaust: A 5, B 3 of
    // 8, threshold 2.4, and both are above it.
    const report = count("A B C D", [b("A", 5), b("B", 2), b("C", 2), b("D B")], {
      method: "bottoms-up-percentage",
      seats: 0,
      bottomsUpPercent: "30",
    });
    expect(report.rounds.map((r) => r.threshold)).toEqual(["3", "3", "2.4"]);
    expect(report.winners).toEqual(["A", "B"]);
  });

  it("multi-pass IRV runs one IRV per seat, excluding earlier winners", () => {
    const report = countContest(
      contest("A B C", [b("A B", 4), b("B", 2), b("C B", 3)], { method: "multi-pass-irv", seats: 2 }),
    );
    expect("passes" in report && report.passes.map((p) => p.winners)).toEqual([["A"], ["B"]]);
    expect(report.winners).toEqual(["A", "B"]);
    expect("passes" in report && report.passes[1]?.rounds[0]?.tally).toEqual({ B: "6", C: "3" });
  });
});

describe("determinism and tie-breaks", () => {
  it("gives a byte-identical report for the same input", () => {
    const input = contest("A B C D", [b("A B", 3), b("B", 3), b("C D", 2), b("D C", 2)], {
      tiebreak: { mode: "random", seed: "7" },
    });
    expect(JSON.stringify(countContest(input))).toBe(JSON.stringify(countContest(input)));
  });

  it("records a seeded random tie-break with its seed", () => {
    const report = count("A B C", [b("A", 3), b("B", 3), b("C", 3)], { tiebreak: { mode: "random", seed: "1" } });
    // Same draw as the reference case tiebreak_seed_test: seed 1 picks index 2 of the sorted names.
    expect(report.tieBreaks[0]).toMatchObject({
      round: 1,
      purpose: "loser",
      tied: ["A", "B", "C"],
      chosen: "C",
      mode: "random",
      seed: "1",
    });
  });

  it("refuses to guess when the tie-break mode is ask", () => {
    expect(() => count("A B C", [b("A", 3), b("B", 2), b("C", 2)], { tiebreak: { mode: "ask", seed: null } })).toThrow(
      TieBreakRequiredError,
    );
  });

  it("previous-rounds-then-ask settles by an earlier round, and asks when every round is tied", () => {
    // Round 1: A 4, B 3, C 2, D 2 → D and C tie: no earlier round → ask.
    const ask = { tiebreak: { mode: "previous-rounds-then-ask", seed: null } } as const;
    expect(() => count("A B C D", [b("A", 4), b("B", 3), b("C", 2), b("D", 2)], ask)).toThrow(TieBreakRequiredError);
    // Round 1: A 5, B 3, C 2, D 1 → D out, to C. Round 2: B 3, C 3 tie for last; round 1 had
    // B 3 > C 2, so C is eliminated.
    const report = count("A B C D", [b("A", 5), b("B", 3), b("C", 2), b("D C")], ask);
    expect(report.rounds[1]?.eliminated).toEqual(["C"]);
    expect(report.tieBreaks[0]?.explanation).toContain("round 1");
  });
});

describe("input errors name the field", () => {
  const fail =
    (overrides: Partial<Rules>, ballots: Ballot[] = [b("A")], candidates = "A B") =>
    () =>
      countContest(contest(candidates, ballots, overrides));

  const cases: [message: string, overrides: Partial<Rules>, ballots?: Ballot[]][] = [
    ["ballots[1].count: must be a positive integer", {}, [b("A"), b("B", 0)]],
    ['ballots[0].ranking[1][0]: unknown candidate "Z"', {}, [b("A Z")]],
    ['ballots[0].ranking[0]: "#overvote" must be alone in its rank', {}, [{ ranking: [["#overvote", "A"]], count: 1 }]],
    ["ballots[0].ranking: must not end with a skipped (empty) rank", {}, [b("A -")]],
    ["ballots[0].ranking: has 2 ranks, more than maxRankings (1)", { maxRankings: 1 }, [b("A B")]],
    ['rules.excluded[0]: "Q" is not a declared candidate', { excluded: ["Q"] }],
    ["rules.tiebreak.seed: mode random needs a decimal integer seed", { tiebreak: { mode: "random", seed: null } }],
    ["rules.seats: must be an integer ≥ 1", { seats: 0 }],
    ["rules.bottomsUpPercent: is required by bottoms-up-percentage", { method: "bottoms-up-percentage", seats: 0 }],
  ];

  it.each(cases)("%s", (message, overrides, ballots) => {
    const error = new InvalidInputError(
      message.slice(0, message.indexOf(": ")),
      message.slice(message.indexOf(": ") + 2),
    );
    expect(fail(overrides, ballots)).toThrow(error);
  });

  it("refuses exhaust-if-multiple-continuing with an unnamed #overvote", () => {
    expect(fail({ overvoteRule: "exhaust-if-multiple-continuing" }, [b("# A")])).toThrow(/rules.overvoteRule/);
  });

  it("names the rule field a case file gets wrong", () => {
    const file = { candidates: ["A"], rules: { ...rules(), method: "borda" }, ballots: [] };
    expect(() => parseCaseJson(JSON.stringify(file))).toThrow(/^rules\.method: /);
    expect(() => parseCaseJson("{")).toThrow(/^file: is not valid JSON/);
    const noCount = { candidates: ["A"], rules: rules(), ballots: [{ ranking: [["A"]] }] };
    expect(() => countContest(parseCaseJson(JSON.stringify(noCount)))).toThrow(
      "ballots[0].count: must be a positive integer",
    );
  });
});
