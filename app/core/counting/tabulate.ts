/**
 * One tabulation of a ranked-choice contest, round by round, exactly as ballot-case format 1.4.3
 * states it (with 1.4.4 overvotes, 1.4.6 batch elimination, 1.4.7 surplus transfer and 1.4.8
 * tie-breaks). `rcv.ts` runs it once per contest, or once per pass of multi-pass IRV.
 *
 * Design. Ballots arrive grouped (identical rankings share one group with a count). Each group has
 * a recipient; a candidate's groups are kept in a list, so a round walks again only the groups
 * whose recipient stopped being live (eliminated, or elected in surplus mode) instead of every
 * ballot, and tallies are kept as running sums. Inactive groups keep their value in the running
 * total of their reason. A walk always starts again from rank 1 (the rule remembers nothing from
 * an earlier walk).
 *
 * Numbers. Without surplus transfers every ballot is worth exactly 1, so tallies are integer
 * counts (`unit` mode). With surplus transfers (STV) ballot values are exact decimals held as
 * bigint units of 10^-decimalPlaces (`weighted` mode), and only the three operations of 1.4.1
 * truncate. Thresholds, reported tallies and decisions use `Dec`.
 */
import type { BallotStore } from "./ballots";
import { OVERVOTE_MARK } from "./ballots";
import { Dec, pow10 } from "./decimal";
import { IntList } from "./int-list";
import { compare, extremes } from "./order";
import { TieBreaker, type TiePurpose } from "./tie-break";
import type { Rules, TieBreakRecord } from "./types";

/** Why a ballot became inactive; stored after the candidates in the running-sum arrays. */
export const Reason = {
  overvotes: 0,
  skippedRankings: 1,
  exhaustedChoices: 2,
  repeatedRankings: 3,
  finalRoundSurplus: 4,
  didNotRankAnyCandidates: 5,
} as const;
const REASON_COUNT = 6;

const enum Status {
  Continuing = 0,
  Excluded = 1,
  Elected = 2,
  Eliminated = 3,
}

export const EXHAUSTED = "exhausted";
const ONE_HUNDREDTH = new Dec(1n, 2);
export const RESIDUAL_SURPLUS = "residual surplus";

export interface TabulationInput {
  /** Every candidate of C: the declared ones, then the undeclared write-in (if any). */
  names: readonly string[];
  declared: readonly string[];
  /** Index of the write-in pseudo-candidate, or -1. */
  writeIn: number;
  excluded: ReadonlySet<number>;
  rules: Rules;
  seats: number;
  store: BallotStore;
  pass: number;
}

export interface InactiveTotals {
  overvotes: Dec;
  skippedRankings: Dec;
  exhaustedChoices: Dec;
  repeatedRankings: Dec;
  finalRoundSurplus: Dec | null;
}

export interface RoundRecord {
  round: number;
  /** The reported tally (1.4.3 f), by candidate index. */
  tally: Map<number, Dec>;
  threshold: Dec;
  elected: number[];
  eliminated: number[];
  inactive: InactiveTotals;
  /** From a candidate decided this round to a target name, `exhausted` or `residual surplus`. */
  transfers: Map<number, Map<string, Dec>>;
}

export interface TabulationResult {
  rounds: RoundRecord[];
  winners: number[];
  tieBreaks: TieBreakRecord[];
}

export function tabulate(input: TabulationInput): TabulationResult {
  return new Tabulation(input).run();
}

class Tabulation {
  private readonly rules: Rules;
  private readonly candidateCount: number;
  private readonly seats: number;
  private readonly surplusMode: boolean;
  private readonly places: number;
  private readonly numCandidates: number;
  private readonly status: Uint8Array;
  private readonly electedRound: Int32Array;
  private readonly tieBreaker: TieBreaker;
  private readonly tieBreaks: TieBreakRecord[] = [];
  private readonly rounds: RoundRecord[] = [];
  private readonly winners: number[] = [];

  // Ballot state: which groups sit with each candidate, and (weighted mode) each group's value.
  private readonly members: IntList[];
  private readonly values: bigint[];
  private readonly countsBig: bigint[];
  // Running sums: live candidates' tallies, then the inactive totals by reason. In unit mode they
  // are whole ballot counts, exact because the total was checked to be a safe integer.
  private readonly sumsUnit: Float64Array;
  private readonly sumsWeighted: bigint[];
  private readonly keptWithWinner = new Map<number, Dec>();

  private electedCount = 0;
  private eliminatedCount = 0;
  private threshold = Dec.ZERO;
  private readonly seenStamp: Int32Array;
  private stamp = 0;

  constructor(private readonly input: TabulationInput) {
    this.rules = input.rules;
    this.candidateCount = input.names.length;
    this.seats = input.seats;
    this.surplusMode = input.seats > 1 && input.rules.method !== "bottoms-up";
    this.places = input.rules.decimalPlaces;
    this.numCandidates = this.candidateCount - input.excluded.size;
    this.status = new Uint8Array(this.candidateCount);
    for (const c of input.excluded) this.status[c] = Status.Excluded;
    this.electedRound = new Int32Array(this.candidateCount);
    this.tieBreaker = new TieBreaker(input.rules.tiebreak, input.declared);
    this.members = Array.from({ length: this.candidateCount }, () => new IntList());
    const groups = input.store.groupCount;
    this.sumsUnit = new Float64Array(this.candidateCount + REASON_COUNT);
    this.sumsWeighted = new Array<bigint>(this.candidateCount + REASON_COUNT).fill(0n);
    this.values = this.surplusMode ? new Array<bigint>(groups).fill(pow10(this.places)) : [];
    this.countsBig = this.surplusMode ? Array.from(input.store.counts, (n) => BigInt(n)) : [];
    this.seenStamp = new Int32Array(this.candidateCount + 1);
  }

  run(): TabulationResult {
    for (let round = 1; this.keepGoing(round); round++) this.countRound(round);
    return { rounds: this.rounds, winners: this.winners, tieBreaks: this.tieBreaks };
  }

  // ---- 1.4.3: when to stop -------------------------------------------------------------------

  private keepGoing(round: number): boolean {
    const { rules } = this;
    const previous = this.rounds[round - 2];
    if (rules.stopAfterRound !== null && round - 1 >= rules.stopAfterRound) return false;
    if (this.electedCount === this.input.declared.length && this.seats > this.numCandidates) return false;
    // A round that decides nothing moves no ballot, so the next would repeat it: stop instead.
    // (This only ends counts that would otherwise never end, e.g. when no candidate is left.)
    if (previous && previous.elected.length === 0 && previous.eliminated.length === 0) return false;
    if (rules.continueUntilTwo) {
      return (
        this.eliminatedCount + this.electedCount + 1 < this.numCandidates || (previous?.eliminated.length ?? 0) > 0
      );
    }
    if (rules.method === "bottoms-up-percentage") return this.electedCount === 0;
    return this.electedCount < this.seats || (this.surplusMode && (previous?.elected.length ?? 0) > 0);
  }

  private isLive(c: number): boolean {
    const s = this.status[c];
    return s === Status.Continuing || (s === Status.Elected && this.rules.continueUntilTwo);
  }

  private liveCandidates(): number[] {
    const live: number[] = [];
    for (let c = 0; c < this.candidateCount; c++) if (this.isLive(c)) live.push(c);
    return live;
  }

  // ---- one round -----------------------------------------------------------------------------

  private countRound(round: number): void {
    this.moveBallots(round);
    const live = this.liveCandidates();
    const liveTally = new Map(live.map((c) => [c, this.tallyOf(c)] as const));
    const inactive = this.inactiveTotals();
    this.threshold = this.thresholdFor(round, liveTally, inactive);
    const record: RoundRecord = {
      round,
      tally: this.reportedTally(round, liveTally),
      threshold: this.threshold,
      elected: [],
      eliminated: [],
      inactive,
      transfers: new Map(),
    };
    this.rounds.push(record);
    const winners = this.identifyWinners(round, liveTally);
    if (winners.length > 0) this.elect(round, winners, liveTally, record);
    else if (this.mayEliminate()) this.eliminate(round, liveTally, record);
  }

  /** 1.4.3 (a): walks the groups whose recipient is no longer live (every group in round 1). */
  private moveBallots(round: number): void {
    const { store } = this.input;
    if (round === 1) {
      for (let g = 0; g < store.groupCount; g++) this.moveGroup(g, -1, null);
      return;
    }
    const previous = this.rounds[round - 2] as RoundRecord;
    for (let c = 0; c < this.candidateCount; c++) {
      const list = this.members[c] as IntList;
      if (list.length === 0 || this.isLive(c) || this.keepsItsBallots(c)) continue;
      this.members[c] = new IntList();
      const row = new Map<number, number | bigint>();
      for (let i = 0; i < list.length; i++) this.moveGroup(list.items[i] as number, c, row);
      this.recordTransfers(previous, c, row);
    }
  }

  /**
   * Without surplus transfers nothing leaves a winner, so its ballots stay with it. (1.4 only
   * counts on past an election in surplus mode, except in rare bottoms-up counts, where walking
   * a winner's ballots on at full value would count them twice.)
   */
  private keepsItsBallots(c: number): boolean {
    return !this.surplusMode && this.status[c] === Status.Elected;
  }

  private moveGroup(group: number, from: number, row: Map<number, number | bigint> | null): void {
    const target = this.walk(group);
    if (target < this.candidateCount) (this.members[target] as IntList).push(group);
    if (this.surplusMode) {
      const weight = (this.values[group] as bigint) * (this.countsBig[group] as bigint);
      this.sumsWeighted[target] = (this.sumsWeighted[target] as bigint) + weight;
      if (row && weight > 0n) row.set(target, ((row.get(target) as bigint | undefined) ?? 0n) + weight);
    } else {
      const weight = this.input.store.counts[group] as number;
      this.sumsUnit[target] = (this.sumsUnit[target] as number) + weight;
      if (row && from >= 0) row.set(target, ((row.get(target) as number | undefined) ?? 0) + weight);
    }
  }

  private recordTransfers(previous: RoundRecord, from: number, row: Map<number, number | bigint>): void {
    if (row.size === 0) return;
    const targets = previous.transfers.get(from) ?? new Map<string, Dec>();
    for (const [target, amount] of row) {
      const key = target < this.candidateCount ? (this.input.names[target] as string) : EXHAUSTED;
      const value = this.amountToDec(amount);
      targets.set(key, (targets.get(key) ?? Dec.ZERO).add(value));
    }
    previous.transfers.set(from, targets);
  }

  private amountToDec(amount: number | bigint): Dec {
    return typeof amount === "bigint" ? new Dec(amount, this.places) : Dec.of(amount);
  }

  private tallyOf(index: number): Dec {
    return this.surplusMode
      ? new Dec(this.sumsWeighted[index] as bigint, this.places)
      : Dec.of(this.sumsUnit[index] as number);
  }

  private inactiveTotals(): InactiveTotals {
    const reason = (r: number): Dec => this.tallyOf(this.candidateCount + r);
    const finalRound = this.surplusMode && this.electedCount >= this.seats;
    return {
      overvotes: reason(Reason.overvotes),
      skippedRankings: reason(Reason.skippedRankings),
      exhaustedChoices: reason(Reason.exhaustedChoices),
      repeatedRankings: reason(Reason.repeatedRankings),
      finalRoundSurplus: finalRound ? reason(Reason.finalRoundSurplus) : null,
    };
  }

  // ---- 1.4.3 (a): the walk down one ranking --------------------------------------------------

  /** The new recipient of a group: a candidate index, or candidateCount + inactive reason. */
  private walk(group: number): number {
    const { rankStart, posStart, marks } = this.input.store;
    const { rules } = this;
    const inactive = this.candidateCount;
    const first = rankStart[group] as number;
    const end = rankStart[group + 1] as number;
    if (first === end) return inactive + Reason.didNotRankAnyCandidates;
    const seatsFilled = this.surplusMode && this.electedCount >= this.seats;
    const maxSkipped = rules.maxSkippedRanks;
    let last = 0;
    this.stamp++;
    for (let p = first; p < end; p++) {
      const m0 = posStart[p] as number;
      const m1 = posStart[p + 1] as number;
      if (m0 === m1) continue;
      const rank = p - first + 1;
      const isLast = p === end - 1;
      if (seatsFilled) return inactive + Reason.finalRoundSurplus;
      if (maxSkipped !== null && rank - last > maxSkipped + 1) return inactive + Reason.skippedRankings;
      last = rank;
      if (rules.exhaustOnDuplicate && this.repeatsAName(m0, m1)) return inactive + Reason.repeatedRankings;
      const decision = this.overvoteDecision(m0, m1);
      if (decision === "exhaust") return inactive + Reason.overvotes;
      if (decision === "skip") {
        if (isLast) return inactive + Reason.exhaustedChoices;
        continue;
      }
      for (let m = m0; m < m1; m++) {
        const c = marks[m] as number;
        if (c !== OVERVOTE_MARK && this.isLive(c)) return c;
      }
      if (isLast) return inactive + Reason.exhaustedChoices;
    }
    return inactive + Reason.exhaustedChoices;
  }

  private repeatsAName(m0: number, m1: number): boolean {
    const { marks } = this.input.store;
    for (let m = m0; m < m1; m++) {
      const mark = marks[m] as number;
      const slot = mark === OVERVOTE_MARK ? this.candidateCount : mark;
      if (this.seenStamp[slot] === this.stamp) return true;
      this.seenStamp[slot] = this.stamp;
    }
    return false;
  }

  /** 1.4.4. */
  private overvoteDecision(m0: number, m1: number): "exhaust" | "skip" | "none" {
    const { marks } = this.input.store;
    const rule = this.rules.overvoteRule;
    if (m1 - m0 === 1) {
      if (marks[m0] !== OVERVOTE_MARK) return "none";
      return rule === "skip" ? "skip" : "exhaust";
    }
    if (rule === "exhaust") return "exhaust";
    if (rule === "skip") return "skip";
    let live = 0;
    for (let m = m0; m < m1; m++) if (this.isLive(marks[m] as number)) live++;
    return live >= 2 ? "exhaust" : "none";
  }

  // ---- 1.4.3 (c) threshold and (f) reported tally --------------------------------------------

  private thresholdFor(round: number, liveTally: Map<number, Dec>, inactive: InactiveTotals): Dec {
    if (!this.recomputesThreshold(round)) return this.threshold;
    let active = inactive.finalRoundSurplus ?? Dec.ZERO;
    for (const tally of liveTally.values()) active = active.add(tally);
    const { rules } = this;
    if (rules.method === "bottoms-up-percentage") {
      return active.mul(Dec.parse(rules.bottomsUpPercent as string)).mul(ONE_HUNDREDTH);
    }
    const places = rules.integerQuota ? 0 : this.places;
    if (rules.quota === "hare") return active.divCeil(Dec.of(this.seats), places);
    return active.divTrunc(Dec.of(this.seats + 1), places).add(new Dec(1n, places));
  }

  private recomputesThreshold(round: number): boolean {
    if (round === 1) return true;
    if (this.seats > 1) return false;
    if (this.rules.firstRoundDeterminesThreshold) return false;
    return !this.rules.continueUntilTwo || this.electedCount === 0;
  }

  private reportedTally(round: number, liveTally: Map<number, Dec>): Map<number, Dec> {
    const reported = new Map(liveTally);
    if (this.seats <= 1) return reported;
    const previous = this.rounds[round - 2];
    for (const winner of this.winners) {
      if (reported.has(winner)) continue;
      if (this.electedRound[winner] === round - 1) {
        reported.set(winner, this.keptTally(winner, previous as RoundRecord));
      } else {
        reported.set(winner, previous?.tally.get(winner) ?? Dec.ZERO);
      }
    }
    return reported;
  }

  /** A winner of the previous round: what stayed with it, capped at the threshold (1.4.3 f). */
  private keptTally(winner: number, previous: RoundRecord): Dec {
    const kept = this.keptWithWinner.get(winner) ?? Dec.ZERO;
    if (!kept.gt(this.threshold)) return kept;
    const targets = previous.transfers.get(winner) ?? new Map<string, Dec>();
    targets.set(RESIDUAL_SURPLUS, kept.sub(this.threshold));
    previous.transfers.set(winner, targets);
    return this.threshold;
  }

  // ---- 1.4.3 (d) winners ---------------------------------------------------------------------

  private identifyWinners(round: number, liveTally: Map<number, Dec>): number[] {
    const { rules, input } = this;
    const inTally = [...liveTally.keys()];
    if (input.writeIn >= 0 && liveTally.get(input.writeIn)?.sign() === 1) return [];
    if (rules.method === "bottoms-up-percentage") {
      return inTally.every((c) => (liveTally.get(c) as Dec).gt(this.threshold)) ? inTally : [];
    }
    const unfilled = this.seats - this.electedCount;
    let winners: number[] = [];
    if (unfilled > 0) {
      if (inTally.length <= unfilled) winners = inTally;
      else if (rules.firstRoundDeterminesThreshold && inTally.length - 1 === this.seats)
        winners = byTally(inTally, liveTally, "highest");
      else if (rules.method !== "bottoms-up") {
        winners = inTally.filter((c) => c !== input.writeIn && !(liveTally.get(c) as Dec).lt(this.threshold));
      }
    }
    const oneAtATime = winners.length > 1 && (rules.electOnePerRound || rules.firstRoundDeterminesThreshold);
    const lastTwo = this.seats === 1 && winners.length === 0 && inTally.length === 2 && unfilled === 1;
    if (oneAtATime || lastTwo) return this.highestWinners(round, winners.length > 0 ? winners : inTally, 1, liveTally);
    // Only a threshold of 0 (a Hare quota with no active vote) lets more candidates reach it than
    // there are seats left; 1.4 does not say what then, so the highest fill the seats.
    if (winners.length > unfilled) return this.highestWinners(round, winners, unfilled, liveTally);
    return winners;
  }

  /** The `places` highest of `candidates`, ties at the boundary settled by winner tie-breaks. */
  private highestWinners(round: number, candidates: number[], places: number, liveTally: Map<number, Dec>): number[] {
    const chosen: number[] = [];
    let rest = candidates;
    while (chosen.length < places && rest.length > 0) {
      const top = byTally(rest, liveTally, "highest");
      const take = top.length <= places - chosen.length ? top : [this.breakTie(round, "winner", top)];
      chosen.push(...take);
      rest = rest.filter((c) => !take.includes(c));
    }
    return chosen;
  }

  // ---- 1.4.3 (e) elect or eliminate ----------------------------------------------------------

  private elect(round: number, winners: number[], liveTally: Map<number, Dec>, record: RoundRecord): void {
    const ordered = [...winners].sort((a, b) => compare(this.input.names[a] as string, this.input.names[b] as string));
    for (const w of ordered) {
      this.status[w] = Status.Elected;
      this.electedRound[w] = round;
      this.electedCount++;
      this.winners.push(w);
      record.elected.push(w);
      const tally = liveTally.get(w) as Dec;
      this.keptWithWinner.set(w, this.surplusMode ? this.transferSurplus(w, tally) : tally);
    }
  }

  /** 1.4.7: lowers the value of every ballot at `winner`; returns the total left with it. */
  private transferSurplus(winner: number, tally: Dec): Dec {
    const surplus = tally.sub(this.threshold);
    const fraction = surplus.sign() > 0 ? surplus.divTrunc(tally, this.places).units : 0n;
    const scale = pow10(this.places);
    const list = this.members[winner] as IntList;
    let kept = 0n;
    for (let i = 0; i < list.length; i++) {
      const g = list.items[i] as number;
      const value = this.values[g] as bigint;
      const moving = (value * fraction) / scale;
      kept += (value - moving) * (this.countsBig[g] as bigint);
      this.values[g] = moving;
    }
    return new Dec(kept, this.places);
  }

  private mayEliminate(): boolean {
    const { rules } = this;
    return (
      this.electedCount < this.seats ||
      (rules.continueUntilTwo && this.eliminatedCount < this.numCandidates - 2) ||
      rules.method === "bottoms-up-percentage"
    );
  }

  private eliminate(round: number, liveTally: Map<number, Dec>, record: RoundRecord): void {
    const losers = this.chooseLosers(round, liveTally);
    losers.sort((a, b) => compare(this.input.names[a] as string, this.input.names[b] as string));
    for (const c of losers) {
      this.status[c] = Status.Eliminated;
      this.eliminatedCount++;
      record.eliminated.push(c);
    }
  }

  private chooseLosers(round: number, liveTally: Map<number, Dec>): number[] {
    const { writeIn } = this.input;
    if (writeIn >= 0 && liveTally.get(writeIn)?.sign() === 1) return [writeIn];
    const inTally = [...liveTally.keys()];
    if (this.rules.cutoffElimination) {
      const below = inTally.filter((c) => (liveTally.get(c) as Dec).lt(this.threshold));
      if (below.length > 0) return below;
    }
    if (this.rules.batchElimination) {
      const batch = this.batchElimination(liveTally);
      if (batch.length >= 2) return batch;
    }
    const bottom = byTally(inTally, liveTally, "lowest");
    return bottom.length > 1 ? [this.breakTie(round, "loser", bottom)] : bottom;
  }

  /** 1.4.6. */
  private batchElimination(liveTally: Map<number, Dec>): number[] {
    const byTally = new Map<string, { tally: Dec; candidates: number[] }>();
    for (const [c, tally] of liveTally) {
      const key = tally.toString();
      const entry = byTally.get(key) ?? { tally, candidates: [] };
      entry.candidates.push(c);
      byTally.set(key, entry);
    }
    const ascending = [...byTally.values()].sort((a, b) => a.tally.cmp(b.tally));
    let running = Dec.ZERO;
    const seen: number[] = [];
    let batch: number[] = [];
    let beforeLastGrowth: number[] = [];
    for (const { tally, candidates } of ascending) {
      if (running.lt(tally) && seen.length > batch.length) {
        beforeLastGrowth = batch;
        batch = [...seen];
      }
      running = running.add(tally.mulInt(candidates.length).truncTo(this.places));
      seen.push(...candidates);
    }
    if (this.rules.continueUntilTwo && batch.length + this.eliminatedCount === this.numCandidates - 1) {
      batch = beforeLastGrowth;
    }
    return batch;
  }

  // ---- 1.4.8 tie-breaks ----------------------------------------------------------------------

  private breakTie(round: number, purpose: TiePurpose, tied: number[]): number {
    const { names } = this.input;
    const tiedNames = tied.map((c) => names[c] as string);
    const answer = this.tieBreaker.choose({
      round,
      purpose,
      tied: tiedNames,
      reportedTally: (r, name) => this.rounds[r - 1]?.tally.get(names.indexOf(name)),
    });
    this.tieBreaks.push({
      pass: this.input.pass,
      round,
      purpose,
      tied: [...tiedNames].sort(),
      chosen: answer.chosen,
      mode: this.rules.tiebreak.mode,
      seed: this.rules.tiebreak.seed,
      explanation: answer.explanation,
    });
    return names.indexOf(answer.chosen);
  }
}

function byTally(candidates: number[], tally: Map<number, Dec>, want: "highest" | "lowest"): number[] {
  return extremes(
    candidates,
    (c) => tally.get(c) as Dec,
    (a, b) => a.cmp(b),
    want,
  );
}
