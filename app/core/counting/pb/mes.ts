/**
 * The Method of Equal Shares over ranked ballots (ballot-case format 2.1), in exact rational
 * arithmetic, reproducing pabutools' `method_of_equal_shares` with lexicographic tie-breaking.
 *
 * Every voter starts with an equal share of the budget. Each round funds the project that is
 * affordable at the lowest price per point ρ: a project of cost c is affordable at ρ when
 * Σ_supporters min(money left, ρ × points) ≥ c, and each supporter then pays min(money left,
 * ρ × points). Rounds stop when nothing is affordable. Equal ρ goes to the project id that sorts
 * first as text (tie rule `project-id`), or stops the count (`none`). Projects nobody ranks are
 * never funded; projects with support and cost 0 are funded before the first round.
 *
 * `mes-add1` re-runs MES with each voter's share raised by one currency unit at a time until the
 * outcome is exhaustive (no supported project left out fits the money the outcome leaves) or
 * would cost more than the budget, in which case the outcome before stands.
 *
 * Design. Voters who have paid the same amounts hold the same money; such voters share a money
 * "class", and each group of identical ballots points at its class. All money is held as bigint
 * numerators over one common denominator D, so comparing two voters' money is comparing two
 * integers; D grows by one factor per funded project. A project's price is found by starting with
 * every supporter paying ρ × points and moving those who cannot afford it to "pays all they
 * have" until nobody moves (the fixed point is the least ρ that covers the cost). A project's last
 * price is a lower bound on its next one (money only falls), so each round re-prices only the
 * projects whose bound does not already exceed the best price found.
 */
import { Dec, pow10 } from "../decimal";
import { TieBreakRequiredError } from "../errors";
import { compare } from "../order";
import { moneyScale, pointsAt, projectPoints, type PbElection } from "./election";
import { gcd, Rational } from "./rational";
import type { MesPayment, MesReport, MesRound, PbTieBreakRecord, PbTieRule } from "./types";

/** What does not change between runs: supporters of each project with their points, costs. */
export interface MesSetup {
  election: PbElection;
  scale: number;
  costUnits: bigint[];
  budgetUnits: bigint;
  supStart: Int32Array;
  supGroup: Int32Array;
  supPoints: Int32Array;
  totalPoints: number[];
  /** Projects with support and a positive cost: the ones MES prices. */
  priced: number[];
  /** Projects with support and cost 0. */
  free: number[];
}

/** For each project, its supporter entries (group, points), as compressed rows. */
function supportersByProject(election: PbElection): Pick<MesSetup, "supStart" | "supGroup" | "supPoints"> {
  const projects = election.projectIds.length;
  const { groupStart, groupItems, maxLength } = election;
  const supStart = new Int32Array(projects + 1);
  for (let i = 0; i < groupItems.length; i++)
    supStart[(groupItems[i] as number) + 1] = (supStart[(groupItems[i] as number) + 1] as number) + 1;
  for (let p = 0; p < projects; p++) supStart[p + 1] = (supStart[p + 1] as number) + (supStart[p] as number);
  const next = supStart.slice(0, projects);
  const supGroup = new Int32Array(groupItems.length);
  const supPoints = new Int32Array(groupItems.length);
  for (let g = 0; g < election.groupCount; g++) {
    const start = groupStart[g] as number;
    for (let i = start; i < (groupStart[g + 1] as number); i++) {
      const at = (next[groupItems[i] as number] as number)++;
      supGroup[at] = g;
      supPoints[at] = pointsAt(maxLength, i - start);
    }
  }
  return { supStart, supGroup, supPoints };
}

export function mesSetup(election: PbElection): MesSetup {
  const totalPoints = projectPoints(election);
  const scale = moneyScale(election);
  const costUnits = election.costs.map((cost) => cost.unitsAt(scale));
  const supported = election.projectIds.map((_, p) => p).filter((p) => (totalPoints[p] as number) > 0);
  return {
    election,
    scale,
    costUnits,
    budgetUnits: election.budget.unitsAt(scale),
    ...supportersByProject(election),
    totalPoints,
    priced: supported.filter((p) => (costUnits[p] as bigint) > 0n),
    free: supported.filter((p) => costUnits[p] === 0n),
  };
}

export interface MesOutcome {
  /** Project indices in the order funded, free projects first. */
  funded: number[];
  rounds: MesRound[];
  tieBreaks: PbTieBreakRecord[];
  /** Each voter's starting money, in currency. */
  share: Rational;
  /** Money each ballot group has left at the end, in currency. */
  moneyLeft(group: number): Rational;
}

/** A set of supporters of one project, merged by (money class, points). */
interface SupporterPairs {
  classOf: number[];
  points: number[];
  weight: number[];
  /** Pair index for each supporter entry of the project, in supporter order. */
  pairOfEntry: Int32Array;
}

interface Price {
  /** ρ in money units per point is rnum / (D × richPoints). */
  rnum: bigint;
  richPoints: number;
}

class MesRun {
  private denominator: bigint;
  private readonly classMoney: bigint[];
  private readonly classRefs: number[];
  private readonly groupClass: Int32Array;
  private zeroClass = -1;
  private readonly open: Set<number>;
  private readonly boundNum: bigint[];
  private readonly boundDen: bigint[];
  readonly funded: number[];
  readonly rounds: MesRound[] = [];
  readonly tieBreaks: PbTieBreakRecord[] = [];

  constructor(
    private readonly setup: MesSetup,
    shareTimesVoters: bigint,
    private readonly tieRule: PbTieRule,
  ) {
    const { election } = setup;
    this.denominator = BigInt(election.voterCount);
    this.classMoney = [shareTimesVoters];
    this.classRefs = [election.groupCount];
    this.groupClass = new Int32Array(election.groupCount);
    this.open = new Set(setup.priced);
    this.boundNum = [...setup.costUnits];
    this.boundDen = setup.totalPoints.map((points) => BigInt(points));
    this.funded = [...setup.free];
  }

  run(): void {
    for (let round = 1; ; round++) {
      const best = this.cheapest(round);
      if (best === null) return;
      this.fund(round, best.project, best.pairs, best.price);
    }
  }

  moneyLeft(group: number): Rational {
    return new Rational(
      this.classMoney[this.groupClass[group] as number] as bigint,
      this.denominator * pow10(this.setup.scale),
    );
  }

  // ---- choosing the project -------------------------------------------------------------------

  private cheapest(round: number): { project: number; pairs: SupporterPairs; price: Price } | null {
    const ids = this.setup.election.projectIds;
    const byBound = [...this.open].sort(
      (a, b) => this.compareBounds(a, b) || compare(ids[a] as string, ids[b] as string),
    );
    let tied: { project: number; pairs: SupporterPairs; price: Price }[] = [];
    let best = -1;
    for (const p of byBound) {
      if (best >= 0 && this.compareBounds(p, best) > 0) break;
      const pairs = this.supporterPairs(p);
      const costD = (this.setup.costUnits[p] as bigint) * this.denominator;
      if (this.moneyOf(pairs) < costD) {
        this.open.delete(p);
        continue;
      }
      const price = this.priceOf(pairs, costD);
      this.boundNum[p] = price.rnum;
      this.boundDen[p] = this.denominator * BigInt(price.richPoints);
      const order = best < 0 ? -1 : this.compareBounds(p, best);
      if (order < 0) {
        best = p;
        tied = [{ project: p, pairs, price }];
      } else if (order === 0) tied.push({ project: p, pairs, price });
    }
    if (tied.length === 0) return null;
    return tied.length === 1 ? (tied[0] as (typeof tied)[0]) : this.breakTie(round, tied);
  }

  private breakTie<T extends { project: number }>(round: number, tied: T[]): T {
    const ids = this.setup.election.projectIds;
    const sorted = [...tied].sort((a, b) => compare(ids[a.project] as string, ids[b.project] as string));
    const names = sorted.map((t) => ids[t.project] as string);
    if (this.tieRule === "none")
      throw new TieBreakRequiredError(round, "project to fund", names, "equal price per point and no tie rule");
    const chosen = sorted[0] as T;
    this.tieBreaks.push({
      round,
      tied: names,
      chosen: names[0] as string,
      rule: this.tieRule,
      explanation: "equal price per point: project id first as text",
    });
    return chosen;
  }

  private compareBounds(a: number, b: number): number {
    const left = (this.boundNum[a] as bigint) * (this.boundDen[b] as bigint);
    const right = (this.boundNum[b] as bigint) * (this.boundDen[a] as bigint);
    return left < right ? -1 : left > right ? 1 : 0;
  }

  private supporterPairs(project: number): SupporterPairs {
    const { supStart, supGroup, supPoints, election } = this.setup;
    const start = supStart[project] as number;
    const end = supStart[project + 1] as number;
    const pairs: SupporterPairs = { classOf: [], points: [], weight: [], pairOfEntry: new Int32Array(end - start) };
    const index = new Map<number, number>();
    const stride = election.maxLength + 1;
    for (let i = start; i < end; i++) {
      const g = supGroup[i] as number;
      const points = supPoints[i] as number;
      const cls = this.groupClass[g] as number;
      const key = cls * stride + points;
      let pair = index.get(key);
      if (pair === undefined) {
        pair = pairs.classOf.length;
        index.set(key, pair);
        pairs.classOf.push(cls);
        pairs.points.push(points);
        pairs.weight.push(0);
      }
      pairs.weight[pair] = (pairs.weight[pair] as number) + (election.groupCounts[g] as number);
      pairs.pairOfEntry[i - start] = pair;
    }
    return pairs;
  }

  private moneyOf(pairs: SupporterPairs): bigint {
    let total = 0n;
    for (let i = 0; i < pairs.classOf.length; i++) {
      total += BigInt(pairs.weight[i] as number) * (this.classMoney[pairs.classOf[i] as number] as bigint);
    }
    return total;
  }

  /** The least ρ with Σ min(money, ρ × points) = cost, as rnum / (D × richPoints). */
  private priceOf(pairs: SupporterPairs, costD: bigint): Price {
    let rich: number[] = [];
    let richPoints = 0;
    for (let i = 0; i < pairs.classOf.length; i++) {
      if ((this.classMoney[pairs.classOf[i] as number] as bigint) === 0n) continue;
      rich.push(i);
      richPoints += (pairs.weight[i] as number) * (pairs.points[i] as number);
    }
    let poorMoney = 0n;
    for (;;) {
      const rnum = costD - poorMoney;
      const richBig = BigInt(richPoints);
      const rnumTimes = this.multiplesByPoints(rnum);
      const stillRich: number[] = [];
      for (const i of rich) {
        const money = this.classMoney[pairs.classOf[i] as number] as bigint;
        if (money * richBig < (rnumTimes[pairs.points[i] as number] as bigint)) {
          poorMoney += BigInt(pairs.weight[i] as number) * money;
          richPoints -= (pairs.weight[i] as number) * (pairs.points[i] as number);
        } else stillRich.push(i);
      }
      if (stillRich.length === rich.length) return { rnum, richPoints };
      rich = stillRich;
    }
  }

  private multiplesByPoints(value: bigint): bigint[] {
    const out: bigint[] = [];
    for (let points = 0; points <= this.setup.election.maxLength; points++) out.push(value * BigInt(points));
    return out;
  }

  // ---- funding it ------------------------------------------------------------------------------

  private fund(round: number, project: number, pairs: SupporterPairs, price: Price): void {
    const richBig = BigInt(price.richPoints);
    const poor = pairs.classOf.map(
      (cls, i) => (this.classMoney[cls] as bigint) * richBig < price.rnum * BigInt(pairs.points[i] as number),
    );
    const g = gcd(price.rnum, richBig);
    const perPoint = price.rnum / g;
    const factor = richBig / g;
    this.rescale(factor);
    const newClassOfPair = pairs.classOf.map((cls, i) => {
      const money = this.classMoney[cls] as bigint;
      const left = poor[i] ? 0n : money - perPoint * BigInt(pairs.points[i] as number);
      return this.classFor(left);
    });
    this.moveSupporters(project, pairs, newClassOfPair);
    this.open.delete(project);
    this.funded.push(project);
    this.rounds.push(this.roundRecord(round, project, pairs, poor, perPoint, newClassOfPair));
  }

  private rescale(factor: bigint): void {
    if (factor === 1n) return;
    this.denominator *= factor;
    for (let k = 0; k < this.classMoney.length; k++) {
      if ((this.classRefs[k] as number) > 0) this.classMoney[k] = (this.classMoney[k] as bigint) * factor;
    }
  }

  private classFor(money: bigint): number {
    if (money === 0n && this.zeroClass >= 0) return this.zeroClass;
    const k = this.classMoney.push(money) - 1;
    this.classRefs.push(0);
    if (money === 0n) this.zeroClass = k;
    return k;
  }

  private moveSupporters(project: number, pairs: SupporterPairs, newClassOfPair: number[]): void {
    const { supStart, supGroup } = this.setup;
    const start = supStart[project] as number;
    for (let i = start; i < (supStart[project + 1] as number); i++) {
      const g = supGroup[i] as number;
      const from = this.groupClass[g] as number;
      const to = newClassOfPair[pairs.pairOfEntry[i - start] as number] as number;
      this.classRefs[from] = (this.classRefs[from] as number) - 1;
      this.classRefs[to] = (this.classRefs[to] as number) + 1;
      this.groupClass[g] = to;
    }
  }

  private roundRecord(
    round: number,
    project: number,
    pairs: SupporterPairs,
    poor: boolean[],
    perPoint: bigint,
    newClassOfPair: number[],
  ): MesRound {
    const unit = this.denominator * pow10(this.setup.scale);
    const byPoints = new Map<number, { voters: number; capped: number; paid: bigint }>();
    pairs.classOf.forEach((_, i) => {
      const points = pairs.points[i] as number;
      const weight = pairs.weight[i] as number;
      const entry = byPoints.get(points) ?? { voters: 0, capped: 0, paid: 0n };
      const before = this.classMoney[pairs.classOf[i] as number] as bigint;
      const after = this.classMoney[newClassOfPair[i] as number] as bigint;
      entry.voters += weight;
      if (poor[i]) entry.capped += weight;
      entry.paid += BigInt(weight) * (before - after);
      byPoints.set(points, entry);
    });
    const payments: MesPayment[] = [...byPoints]
      .sort(([a], [b]) => b - a)
      .map(([points, entry]) => ({
        points,
        voters: entry.voters,
        paid_each: new Rational(perPoint * BigInt(points), unit).toString(),
        capped: entry.capped,
        paid_total: new Rational(entry.paid, unit).toString(),
      }));
    const { election } = this.setup;
    return {
      round,
      project: election.projectIds[project] as string,
      cost: (election.costs[project] as Dec).toString(),
      rho: new Rational(perPoint, unit).toString(),
      payments,
    };
  }
}

/** One run of MES with each voter's share = shareTimesVoters / voterCount money units. */
export function runMes(setup: MesSetup, shareTimesVoters: bigint, tieRule: PbTieRule): MesOutcome {
  const run = new MesRun(setup, shareTimesVoters, tieRule);
  run.run();
  return {
    funded: run.funded,
    rounds: run.rounds,
    tieBreaks: run.tieBreaks,
    share: new Rational(shareTimesVoters, BigInt(setup.election.voterCount) * pow10(setup.scale)),
    moneyLeft: (group) => run.moneyLeft(group),
  };
}

export function costOf(setup: MesSetup, projects: readonly number[]): bigint {
  return projects.reduce((sum, p) => sum + (setup.costUnits[p] as bigint), 0n);
}

/** No priced project left out would fit the money the outcome leaves (pabutools' is_exhaustive). */
export function isExhaustive(setup: MesSetup, funded: readonly number[]): boolean {
  const taken = new Set(funded);
  const spent = costOf(setup, funded);
  return setup.priced.every((p) => taken.has(p) || spent + (setup.costUnits[p] as bigint) > setup.budgetUnits);
}

export interface MesAdd1Outcome extends MesOutcome {
  increments: number;
}

/** MES with the add-one completion; `maxIncrements` bounds the search (it refuses beyond). */
export function runMesAdd1(setup: MesSetup, tieRule: PbTieRule, maxIncrements = 1_000_000): MesAdd1Outcome {
  const voters = BigInt(setup.election.voterCount);
  const unitTimesVoters = pow10(setup.scale) * voters;
  let previous: MesAdd1Outcome | null = null;
  for (let k = 0; k <= maxIncrements; k++) {
    const outcome = { ...runMes(setup, setup.budgetUnits + BigInt(k) * unitTimesVoters, tieRule), increments: k };
    if (costOf(setup, outcome.funded) > setup.budgetUnits) return previous ?? outcome;
    if (isExhaustive(setup, outcome.funded)) return outcome;
    previous = outcome;
  }
  throw new RangeError(`mes-add1 found no exhaustive outcome within ${maxIncrements} increments`);
}

export function mesReport(setup: MesSetup, outcome: MesOutcome | MesAdd1Outcome, rule: "mes" | "mes-add1"): MesReport {
  const { election, scale } = setup;
  const spent = costOf(setup, outcome.funded);
  const ids = outcome.funded.map((p) => election.projectIds[p] as string);
  const report: MesReport = {
    rule,
    budget: election.budget.toString(),
    selected: [...ids].sort(compare),
    cost_total: new Dec(spent, scale).toString(),
    budget_left: new Dec(setup.budgetUnits - spent, scale).toString(),
    tieBreaks: outcome.tieBreaks,
    voters: election.voterCount,
    budget_per_voter: outcome.share.toString(),
    free_projects: setup.free.map((p) => election.projectIds[p] as string),
    rounds: outcome.rounds,
  };
  if ("increments" in outcome) report.increments = outcome.increments;
  return report;
}
