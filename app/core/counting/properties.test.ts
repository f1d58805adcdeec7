/**
 * Property tests (fast-check) over random contests with random rules, and random PB elections:
 * - votes are conserved in every round: tallies + inactive + residual surplus so far + ballots
 *   that never counted = total ballots, exactly;
 * - winners never exceed seats, and are distinct;
 * - a PB selection never costs more than the budget, and its totals add up;
 * - shuffling the order of the ballots never changes the report (tie-breaks included);
 * - MES never charges a voter more than their share, and what voters paid is exactly the cost of
 *   what was funded.
 * Each invariant is a checker returning a problem (or null); the last block feeds each checker a
 * deliberately broken report to show it would catch the break.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "./decimal";
import { countPb } from "./pb/count";
import { pbElectionFrom, type PbElection } from "./pb/election";
import { costOf, mesSetup, runMes } from "./pb/mes";
import { Rational } from "./pb/rational";
import type { PbElectionInput, PbReport } from "./pb/types";
import { countContest } from "./rcv";
import { rules as defaultRules } from "./test-support";
import type { Ballot, Contest, ContestReport, Method, Rules, TabulationReport } from "./types";

const NAMES = ["A", "B", "C", "D", "E", "F"];

// ---- generators ----------------------------------------------------------------------------

function positionArb(names: string[], unnamedOvervote: boolean): fc.Arbitrary<string[]> {
  const options: { weight: number; arbitrary: fc.Arbitrary<string[]> }[] = [
    { weight: 10, arbitrary: fc.constantFrom(...names).map((n) => [n]) },
    { weight: 2, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...names), { minLength: 2, maxLength: 3 }) },
  ];
  if (unnamedOvervote) options.push({ weight: 1, arbitrary: fc.constant(["#overvote"]) });
  return fc.oneof(...options);
}

function ballotsArb(names: string[], unnamedOvervote: boolean): fc.Arbitrary<Ballot[]> {
  const ranking = fc.array(positionArb(names, unnamedOvervote), { maxLength: 6 }).map((positions) => {
    const trimmed = [...positions];
    while (trimmed.length > 0 && (trimmed[trimmed.length - 1] as string[]).length === 0) trimmed.pop();
    return trimmed;
  });
  return fc.array(fc.record({ ranking, count: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 25 });
}

const methodArb = fc.constantFrom<Method>(
  "irv",
  "stv",
  "multi-pass-irv",
  "bottoms-up",
  "bottoms-up-percentage",
  "scottish-stv",
);

const contestArb: fc.Arbitrary<Contest> = fc
  .record({
    candidateCount: fc.integer({ min: 2, max: 6 }),
    method: methodArb,
    seats: fc.integer({ min: 1, max: 3 }),
    quota: fc.constantFrom("droop" as const, "hare" as const),
    integerQuota: fc.boolean(),
    decimalPlaces: fc.integer({ min: 0, max: 4 }),
    overvoteRule: fc.constantFrom("exhaust" as const, "skip" as const, "exhaust-if-multiple-continuing" as const),
    maxSkippedRanks: fc.option(fc.integer({ min: 0, max: 2 })),
    exhaustOnDuplicate: fc.boolean(),
    batchElimination: fc.boolean(),
    cutoffElimination: fc.boolean(),
    continueUntilTwo: fc.boolean(),
    firstRoundDeterminesThreshold: fc.boolean(),
    electOnePerRound: fc.boolean(),
    percent: fc.integer({ min: 5, max: 60 }),
    stopAfterRound: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 5 }),
    tieMode: fc.constantFrom(
      "random" as const,
      "candidate-order" as const,
      "generated-permutation" as const,
      "previous-rounds-then-random" as const,
    ),
    seed: fc.integer({ min: -5, max: 1000 }),
    excludedMask: fc.integer({ min: 0, max: 63 }),
    writeIn: fc.boolean(),
  })
  .chain((r) => {
    const candidates = NAMES.slice(0, r.candidateCount);
    const scottish = r.method === "scottish-stv";
    const writeIn = r.writeIn && !scottish ? "W" : null;
    const excluded = candidates.filter((_, i) => (r.excludedMask >> i) & 1).slice(0, r.candidateCount - 1);
    const percentage = r.method === "bottoms-up-percentage";
    const seats = percentage ? 0 : r.method === "irv" ? 1 : r.seats;
    const rules: Rules = defaultRules({
      method: r.method,
      seats,
      quota: r.quota,
      integerQuota: r.integerQuota,
      decimalPlaces: r.decimalPlaces,
      overvoteRule: r.overvoteRule,
      maxSkippedRanks: r.maxSkippedRanks,
      exhaustOnDuplicate: r.exhaustOnDuplicate,
      batchElimination: r.batchElimination,
      cutoffElimination: percentage && r.cutoffElimination,
      continueUntilTwo: seats === 1 && r.continueUntilTwo,
      firstRoundDeterminesThreshold: r.firstRoundDeterminesThreshold,
      electOnePerRound: r.electOnePerRound,
      bottomsUpPercent: percentage ? String(r.percent) : null,
      stopAfterRound: r.stopAfterRound,
      tiebreak: { mode: r.tieMode, seed: String(r.seed) },
      excluded,
      undeclaredWriteIn: writeIn,
    });
    const marks = writeIn ? [...candidates, writeIn] : candidates;
    const unnamedOvervote = r.overvoteRule !== "exhaust-if-multiple-continuing";
    return ballotsArb(marks, unnamedOvervote).map((ballots) => ({ candidates, rules, ballots }));
  });

// ---- invariants ----------------------------------------------------------------------------

const sum = (values: Iterable<string>): Dec => [...values].reduce((total, v) => total.add(Dec.parse(v)), Dec.ZERO);

/** Ballots that are counted in no round: no marks at all (or, in Scottish STV, rejected). */
function neverCounted(contest: Contest, report: ContestReport): Dec {
  if (report.rejectedBallots !== undefined) return Dec.parse(report.rejectedBallots);
  return Dec.of(contest.ballots.filter((b) => b.ranking.length === 0).reduce((n, b) => n + b.count, 0));
}

export function conservationProblem(tabulation: TabulationReport, uncounted: Dec): string | null {
  const total = Dec.parse(tabulation.totalBallots);
  let residual = Dec.ZERO;
  for (const round of tabulation.rounds) {
    const accounted = sum(Object.values(round.tally))
      .add(sum(Object.values(round.inactive)))
      .add(residual)
      .add(uncounted);
    if (!accounted.eq(total)) return `round ${round.round}: ${accounted} accounted for, ${total} cast`;
    for (const targets of Object.values(round.transfers ?? {}))
      residual = residual.add(Dec.parse(targets["residual surplus"] ?? "0"));
  }
  return null;
}

function tabulations(report: ContestReport): TabulationReport[] {
  return "passes" in report ? report.passes : [report];
}

export function seatsProblem(report: ContestReport, seats: number): string | null {
  if (new Set(report.winners).size !== report.winners.length) return "a candidate won twice";
  if (seats > 0 && report.winners.length > seats) return `${report.winners.length} winners for ${seats} seats`;
  return null;
}

export function budgetProblem(report: PbReport, election: PbElection): string | null {
  const budget = Dec.parse(report.budget);
  const cost = report.selected.reduce(
    (total, id) => total.add(election.costs[election.projectIds.indexOf(id)] as Dec),
    Dec.ZERO,
  );
  if (cost.gt(budget)) return `spends ${cost} of ${budget}`;
  if (!cost.eq(Dec.parse(report.cost_total))) return `cost_total ${report.cost_total} but the projects cost ${cost}`;
  if (!budget.sub(cost).eq(Dec.parse(report.budget_left)))
    return `budget_left ${report.budget_left} is not ${budget.sub(cost)}`;
  return null;
}

export function sharesProblem(
  share: Rational,
  left: Rational[],
  counts: ArrayLike<number>,
  fundedCost: Rational,
): string | null {
  let paid = Rational.ZERO;
  for (let g = 0; g < left.length; g++) {
    const money = left[g] as Rational;
    if (money.sign() < 0) return `voter group ${g} paid more than their share (left ${money})`;
    if (money.cmp(share) > 0) return `voter group ${g} holds more than their share`;
    paid = paid.add(share.sub(money).mul(new Rational(BigInt(counts[g] as number))));
  }
  return paid.cmp(fundedCost) === 0 ? null : `voters paid ${paid} for projects costing ${fundedCost}`;
}

function shuffled<T>(items: readonly T[], order: readonly number[]): T[] {
  return order.map((i) => items[i] as T);
}

// ---- PB generators --------------------------------------------------------------------------

const pbArb: fc.Arbitrary<PbElectionInput> = fc
  .record({
    costs: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 7 }),
    budget: fc.integer({ min: 1, max: 150 }),
    maxLength: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ costs, budget, maxLength }) => {
    const ids = costs.map((_, i) => String(i + 1));
    const ranking = fc.uniqueArray(fc.constantFrom(...ids), { maxLength });
    return fc
      .array(fc.record({ ranking, count: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 12 })
      .map((ballots) => ({
        projects: ids.map((id, i) => ({ id, cost: costs[i] as number })),
        budget,
        maxLength,
        ballots,
      }));
  });

/** PROPERTY_RUNS=5000 npx vitest run … searches harder. */
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

describe("ranked-choice properties", () => {
  it("conserves votes in every round, and never elects more than the seats", () => {
    fc.assert(
      fc.property(contestArb, (contest) => {
        const report = countContest(contest);
        const uncounted = neverCounted(contest, report);
        for (const tabulation of tabulations(report)) expect(conservationProblem(tabulation, uncounted)).toBeNull();
        expect(seatsProblem(report, contest.rules.seats)).toBeNull();
      }),
      RUNS,
    );
  });

  it("gives the same report whatever the order of the ballots", () => {
    const withOrder = contestArb.chain((contest) =>
      fc
        .shuffledSubarray(
          contest.ballots.map((_, i) => i),
          { minLength: contest.ballots.length },
        )
        .map((order) => ({ contest, order })),
    );
    fc.assert(
      fc.property(withOrder, ({ contest, order }) => {
        const reordered = { ...contest, ballots: shuffled(contest.ballots, order) };
        expect(JSON.stringify(countContest(reordered))).toBe(JSON.stringify(countContest(contest)));
      }),
      RUNS,
    );
  });
});

describe("PB properties", () => {
  it("never spends more than the budget, under any rule", () => {
    fc.assert(
      fc.property(pbArb, fc.constantFrom("greedy" as const, "mes" as const, "mes-add1" as const), (input, rule) => {
        const election = pbElectionFrom(input);
        expect(budgetProblem(countPb(election, rule, "project-id"), election)).toBeNull();
      }),
      RUNS,
    );
  });

  it("gives the same selection whatever the order of the ballots", () => {
    const withOrder = pbArb.chain((input) =>
      fc
        .shuffledSubarray(
          input.ballots.map((_, i) => i),
          { minLength: input.ballots.length },
        )
        .map((order) => ({ input, order })),
    );
    fc.assert(
      fc.property(
        withOrder,
        fc.constantFrom("greedy" as const, "mes" as const, "mes-add1" as const),
        ({ input, order }, rule) => {
          const reordered = { ...input, ballots: shuffled(input.ballots, order) };
          const a = countPb(pbElectionFrom(input), rule, "project-id");
          const b = countPb(pbElectionFrom(reordered), rule, "project-id");
          expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        },
      ),
      RUNS,
    );
  });

  it("MES never charges a voter more than their share, and voters pay exactly for what is funded", () => {
    fc.assert(
      fc.property(pbArb, (input) => {
        const election = pbElectionFrom(input);
        const setup = mesSetup(election);
        const outcome = runMes(setup, setup.budgetUnits, "project-id");
        const left = Array.from({ length: election.groupCount }, (_, g) => outcome.moneyLeft(g));
        const cost = Rational.fromDec(new Dec(costOf(setup, outcome.funded), setup.scale));
        expect(sharesProblem(outcome.share, left, election.groupCounts, cost)).toBeNull();
      }),
      RUNS,
    );
  });
});

describe("each checker catches a broken report", () => {
  const contest: Contest = {
    candidates: ["A", "B", "C"],
    rules: defaultRules({ method: "stv", seats: 2, integerQuota: false }),
    ballots: [
      { ranking: [["A"], ["B"]], count: 6 },
      { ranking: [["A"], ["C"]], count: 2 },
      { ranking: [["B"]], count: 3 },
      { ranking: [["C"]], count: 1 },
    ],
  };
  const report = countContest(contest) as TabulationReport & ContestReport;

  it("conservation", () => {
    expect(conservationProblem(report, Dec.ZERO)).toBeNull();
    const tampered = structuredClone(report);
    (tampered.rounds[1] as TabulationReport["rounds"][0]).tally.C = "2";
    expect(conservationProblem(tampered, Dec.ZERO)).toMatch(/round 2/);
    const lostResidual = structuredClone(report);
    delete lostResidual.rounds[0]?.transfers?.A?.["residual surplus"];
    expect(conservationProblem(lostResidual, Dec.ZERO)).toMatch(/round 2/);
  });

  it("seats", () => {
    expect(seatsProblem(report, 2)).toBeNull();
    expect(seatsProblem({ ...report, winners: ["A", "B", "C"] }, 2)).toMatch(/3 winners/);
    expect(seatsProblem({ ...report, winners: ["A", "A"] }, 2)).toMatch(/twice/);
  });

  it("budget", () => {
    const election = pbElectionFrom({
      projects: [
        { id: "1", cost: 6 },
        { id: "2", cost: 5 },
      ],
      budget: 10,
      ballots: [{ ranking: ["1", "2"], count: 1 }],
    });
    const greedy = countPb(election, "greedy", "project-id");
    expect(budgetProblem(greedy, election)).toBeNull();
    expect(budgetProblem({ ...greedy, selected: ["1", "2"] }, election)).toMatch(/spends 11 of 10/);
    expect(budgetProblem({ ...greedy, budget_left: "5" }, election)).toMatch(/budget_left/);
  });

  it("shares", () => {
    const share = new Rational(10n);
    expect(sharesProblem(share, [new Rational(4n)], [1], new Rational(6n))).toBeNull();
    expect(sharesProblem(share, [new Rational(-1n)], [1], new Rational(11n))).toMatch(/more than their share/);
    expect(sharesProblem(share, [new Rational(4n)], [1], new Rational(5n))).toMatch(/voters paid/);
  });
});
