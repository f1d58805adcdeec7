/**
 * Scottish STV (WIGM) on small elections worked out by hand from the rules of the Scottish Local
 * Government Elections Order 2007, Schedule 1, rules 45–52. Values are to five decimal places,
 * truncated.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError, TieBreakRequiredError } from "./errors";
import { countContest } from "./rcv";
import { ballot as b, contest } from "./test-support";
import type { Ballot, ContestReport, Rules, TabulationReport } from "./types";

function count(
  candidates: string,
  seats: number,
  ballots: Ballot[],
  overrides: Partial<Rules> = {},
): TabulationReport & ContestReport {
  return countContest(
    contest(candidates, ballots, {
      method: "scottish-stv",
      seats,
      tiebreak: { mode: "ask", seed: null },
      ...overrides,
    }),
  ) as TabulationReport & ContestReport;
}

const zeroInactive = { exhaustedChoices: "0", overvotes: "0", repeatedRankings: "0", skippedRankings: "0" };

describe("Scottish STV, hand-worked", () => {
  it("two seats: a first-stage surplus, two exclusions, a non-transferable paper", () => {
    // 20 valid papers, 2 seats: quota = floor(20 / 3) + 1 = 7.
    // Stage 1: A 12, B 3, C 2, D 3. A is elected with a surplus of 5.
    // Stage 2 (A's surplus): transfer value = 5 × 1 / 12 = 0.41666 (truncated). The 8 "A B C"
    //   papers give B 8 × 0.41666 = 3.33328, the 4 "A C" give C 1.66664; 12 × 0.41666 = 4.99992
    //   moved, so 0.00008 is lost to truncation. A stands at the quota, 7.
    //   B 6.33328, C 3.66664, D 3: nobody at 7, D is lowest and is excluded.
    // Stage 3 (D excluded): the 3 "D C" papers go to C at value 1: C 6.66664. B is now lowest.
    // Stage 4 (B excluded): the 8 "A B C" papers go on to C at 0.41666 (3.33328), the 3 "B"
    //   papers have no next preference: non-transferable, 3. C has 9.99992 ≥ 7: elected.
    const report = count("A B C D", 2, [b("A B C", 8), b("A C", 4), b("B", 3), b("C B", 2), b("D C", 3)]);
    expect(report.rounds).toEqual([
      {
        round: 1,
        tally: { A: "12", B: "3", C: "2", D: "3" },
        threshold: "7",
        elected: ["A"],
        eliminated: [],
        inactive: zeroInactive,
        transfers: { A: { B: "3.33328", C: "1.66664", "residual surplus": "0.00008" } },
      },
      {
        round: 2,
        tally: { A: "7", B: "6.33328", C: "3.66664", D: "3" },
        threshold: "7",
        elected: [],
        eliminated: ["D"],
        inactive: zeroInactive,
        transfers: { D: { C: "3" } },
      },
      {
        round: 3,
        tally: { A: "7", B: "6.33328", C: "6.66664" },
        threshold: "7",
        elected: [],
        eliminated: ["B"],
        inactive: zeroInactive,
        transfers: { B: { C: "3.33328", exhausted: "3" } },
      },
      {
        round: 4,
        tally: { A: "7", C: "9.99992" },
        threshold: "7",
        elected: ["C"],
        eliminated: [],
        inactive: { ...zeroInactive, exhaustedChoices: "3" },
      },
    ]);
    expect(report.winners).toEqual(["A", "C"]);
    expect(report.finalThreshold).toBe("7");
    expect(report.rejectedBallots).toBe("0");
  });

  it("a surplus made of transferred papers moves at (surplus × value received) / total", () => {
    // 27 papers, 3 seats: quota = floor(27 / 4) + 1 = 7.
    // Stage 1: A 12, B 3, C 4, D 5, E 3. A elected, surplus 5.
    // Stage 2 (A's surplus): value 5/12 = 0.41666; the 12 "A B" papers give B 4.99992:
    //   B = 7.99992 ≥ 7, elected with a surplus of 0.99992.
    // Stage 3 (B's surplus, all of B's papers, rule 48(3)):
    //   the 3 "B C" papers (value 1): 0.99992 × 1 / 7.99992 = 0.12499 each → C gets 0.37497;
    //   the 12 "A B" papers (value 0.41666): 0.99992 × 0.41666 / 7.99992 = 0.05207 each, with no
    //   preference after B: non-transferable 12 × 0.05207 = 0.62484;
    //   moved 0.99981 of 0.99992: 0.00011 lost to truncation.
    // Stage 4: A 7, B 7, C 4.37497, D 5, E 3: E excluded, non-transferable (3.62484 in all).
    // Stage 5: C (4.37497) excluded: its 4 "C" papers and the 3 "B C" papers at 0.12499 are
    //   non-transferable: 7.99981 in all.
    // Then D is the only continuing candidate for the one vacancy left: elected (rule 52).
    const report = count("A B C D E", 3, [b("A B", 12), b("B C", 3), b("C", 4), b("D", 5), b("E", 3)]);
    expect(report.rounds.map((r) => r.tally)).toEqual([
      { A: "12", B: "3", C: "4", D: "5", E: "3" },
      { A: "7", B: "7.99992", C: "4", D: "5", E: "3" },
      { A: "7", B: "7", C: "4.37497", D: "5", E: "3" },
      { A: "7", B: "7", C: "4.37497", D: "5" },
      { A: "7", B: "7", D: "5" },
    ]);
    expect(report.rounds[1]?.transfers).toEqual({
      B: { C: "0.37497", exhausted: "0.62484", "residual surplus": "0.00011" },
    });
    expect(report.rounds.map((r) => r.inactive.exhaustedChoices)).toEqual(["0", "0", "0.62484", "3.62484", "7.99981"]);
    expect(report.rounds.map((r) => [r.elected, r.eliminated])).toEqual([
      [["A"], []],
      [["B"], []],
      [[], ["E"]],
      [[], ["C"]],
      [["D"], []],
    ]);
    expect(report.winners).toEqual(["A", "B", "D"]);
  });

  it("rejects papers without a single first preference and stops preferences at a gap or a double mark", () => {
    // 30 papers, of which 4 show no single first preference ("B+C D" × 2, "- A", "A+B C") and
    // are rejected: 26 valid, quota = floor(26 / 4) + 1 = 7.
    // Stage 1: A 12, B 2, C 5, D 4, E 3: A elected, surplus 5, value 0.41666.
    // Stage 2: the 9 "A B" papers give B 3.74994; the 3 "A - C" papers stop at the gap:
    //   non-transferable (skipped rank) 1.24998. B 5.74994, C 5, D 4, E 3: E excluded.
    // Stage 3: the 3 "E D" papers give D 3 → 7: elected, no surplus. One seat left, B and C
    //   continuing: C (5) lower than B (5.74994) is excluded; its "C" papers are non-transferable.
    // Stage 4: B is the only one left for the last seat (rule 52).
    const report = count("A B C D E", 3, [
      b("A B", 9),
      b("A - C", 3),
      b("B+C D", 2),
      b("C", 5),
      b("B", 2),
      b("D", 4),
      b("E D", 3),
      b("- A"),
      b("A+B C"),
    ]);
    expect(report.rejectedBallots).toBe("4");
    expect(report.totalBallots).toBe("30");
    expect(report.rounds[0]?.tally).toEqual({ A: "12", B: "2", C: "5", D: "4", E: "3" });
    expect(report.rounds[0]?.threshold).toBe("7");
    expect(report.rounds[1]?.inactive.skippedRankings).toBe("1.24998");
    expect(report.rounds[1]?.tally).toEqual({ A: "7", B: "5.74994", C: "5", D: "4", E: "3" });
    expect(report.rounds[2]).toMatchObject({ elected: ["D"], eliminated: ["C"] });
    expect(report.winners).toEqual(["A", "D", "B"]);
  });

  it("breaks a tie for exclusion by the most recent earlier stage where the candidates differed (rule 51)", () => {
    // 20 papers, 2 seats, quota 7. Stage 1: A 10 (surplus 3), B 5, C 2, D 3.
    // Stage 2: value 3/10 = 0.3, the 10 "A C" papers give C 3: B 5, C 5, D 3: D excluded,
    //   non-transferable. Stage 3: B 5 and C 5 tie for lowest; stage 2 had them equal too; stage
    //   1 had C 2 < B 5, so C is excluded. B then fills the last seat.
    const report = count("A B C D", 2, [b("A C", 10), b("B", 5), b("C", 2), b("D", 3)]);
    expect(report.rounds[2]).toMatchObject({ tally: { A: "7", B: "5", C: "5" }, eliminated: ["C"] });
    expect(report.winners).toEqual(["A", "B"]);
    expect(report.tieBreaks).toEqual([]);
  });

  it("decides by lot with the seeded generator when candidates were equal at every stage, and records it", () => {
    // 4 papers, 1 seat, quota 3: A 2, B 1, C 1. B and C tie for exclusion at stage 1 with no
    // earlier stage: by lot. Without a rule for lots, the count stops for the returning officer.
    const ballots = [b("A", 2), b("B"), b("C")];
    expect(() => count("A B C", 1, ballots)).toThrow(TieBreakRequiredError);
    const report = count("A B C", 1, ballots, { tiebreak: { mode: "random", seed: "42" } });
    expect(report.tieBreaks).toHaveLength(1);
    expect(report.tieBreaks[0]).toMatchObject({
      round: 1,
      purpose: "loser",
      tied: ["B", "C"],
      mode: "random",
      seed: "42",
    });
    const excluded = report.tieBreaks[0]?.chosen;
    expect(report.rounds[0]?.eliminated).toEqual([excluded]);
  });

  it("transfers the larger surplus first, and equal surpluses in an order decided by lot (rule 49)", () => {
    // 13 papers, 3 seats: quota = floor(13 / 4) + 1 = 4. Stage 1: A 5, B 5, C 2, D 1: A and B are
    // elected with equal surpluses of 1 and no earlier stage: the order is by lot. With
    // candidate order, A (declared first) goes first: value 1/5 = 0.2, C gets 1. Then B's: D
    // gets 1. Stage 3: C 3, D 2: D is excluded and its papers are non-transferable; C fills the
    // last seat.
    const ballots = [b("A C", 5), b("B D", 5), b("C", 2), b("D")];
    expect(() => count("A B C D", 3, ballots)).toThrow(TieBreakRequiredError);
    const report = count("A B C D", 3, ballots, { tiebreak: { mode: "candidate-order", seed: null } });
    expect(report.tieBreaks).toMatchObject([{ round: 1, purpose: "surplus-order", tied: ["A", "B"], chosen: "A" }]);
    expect(report.rounds[0]?.transfers).toEqual({ A: { C: "1" } });
    expect(report.rounds[1]?.transfers).toEqual({ B: { D: "1" } });
    expect(report.rounds[2]).toMatchObject({ tally: { A: "4", B: "4", C: "3", D: "2" }, eliminated: ["D"] });
    expect(report.winners).toEqual(["A", "B", "C"]);
  });

  it("elects all continuing candidates at once when they fit the seats (rule 52)", () => {
    // 3 seats, 3 candidates: everyone is elected at once (rule 52), no transfer.
    const report = count("A B C", 3, [b("A B", 5), b("B", 1), b("C")]);
    expect(report.rounds).toHaveLength(1);
    expect(report.winners).toEqual(["A", "B", "C"]);
    expect(report.rounds[0]?.transfers).toBeUndefined();
  });

  it("has no write-in candidates", () => {
    expect(() => count("A B", 1, [b("A")], { undeclaredWriteIn: "W" })).toThrow(InvalidInputError);
  });
});
