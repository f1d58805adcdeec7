/**
 * Scottish local-election STV: the Weighted Inclusive Gregory Method of the Scottish Local
 * Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45–52. Method `scottish-stv`.
 * Values are bigint units of 10^-5 of a vote; the statute fixes quota, decimal places, overvotes,
 * skipped ranks and duplicates, so those rules fields are ignored. Ties "by lot" use the contest's
 * tie-break rule and are recorded in `tieBreaks`. One report round per stage.
 *
 * How each rule is counted, and the report's layout: docs/decisions/002-scottish-stv.md.
 */
import { OVERVOTE_MARK } from "./ballots";
import { Dec } from "./decimal";
import { InvalidInputError } from "./errors";
import type { PreparedContest } from "./rcv";
import { sortedAmounts } from "./report";
import { compare, extremes } from "./order";
import { EXHAUSTED, RESIDUAL_SURPLUS } from "./tabulate";
import { TieBreaker, type TiePurpose } from "./tie-break";
import type { ContestReport, RoundReport, TieBreakMode, TieBreakRecord } from "./types";

const PLACES = 5;
const ONE = 100_000n;

const enum Status {
  Continuing = 0,
  Withdrawn = 1,
  Elected = 2,
  Excluded = 3,
}

/** Why a paper's preferences stop; indexes `nonTransferable`. */
const enum Stop {
  End = 0,
  Skipped = 1,
  Overvote = 2,
}

interface Papers {
  /** Group g's usable preferences are prefs[prefStart[g]] … prefs[prefStart[g + 1] − 1]. */
  prefStart: Int32Array;
  prefs: Int32Array;
  stopReason: Uint8Array;
  valid: Uint8Array;
  counts: bigint[];
  validPapers: bigint;
  rejected: number;
}

/** Reads each group's preferences as the statute allows them (rule 45 and "consecutive order"). */
function readPapers(prepared: PreparedContest): Papers {
  const { rankStart, posStart, marks, counts, groupCount } = prepared.store;
  const prefStart = new Int32Array(groupCount + 1);
  const prefs: number[] = [];
  const stopReason = new Uint8Array(groupCount);
  const valid = new Uint8Array(groupCount);
  let validPapers = 0n;
  let rejected = 0;
  for (let g = 0; g < groupCount; g++) {
    let reason = Stop.End;
    for (let p = rankStart[g] as number; p < (rankStart[g + 1] as number); p++) {
      const m0 = posStart[p] as number;
      const m1 = posStart[p + 1] as number;
      if (m1 - m0 !== 1 || marks[m0] === OVERVOTE_MARK) {
        reason = m1 === m0 ? Stop.Skipped : Stop.Overvote;
        break;
      }
      prefs.push(marks[m0] as number);
    }
    prefStart[g + 1] = prefs.length;
    stopReason[g] = reason;
    const hasFirst = prefs.length > (prefStart[g] as number);
    valid[g] = hasFirst ? 1 : 0;
    if (hasFirst) validPapers += BigInt(counts[g] as number);
    else rejected += counts[g] as number;
  }
  return {
    prefStart,
    prefs: Int32Array.from(prefs),
    stopReason,
    valid,
    counts: Array.from(counts, (n) => BigInt(n)),
    validPapers,
    rejected,
  };
}

interface Stage {
  votes: Map<number, bigint>;
  elected: number[];
  excluded: number[];
  transfers: Map<number, Map<string, bigint>>;
  nonTransferable: [bigint, bigint, bigint];
}

export function countScottishStv(prepared: PreparedContest): ContestReport {
  if (prepared.contest.rules.undeclaredWriteIn !== null) {
    throw new InvalidInputError("rules.undeclaredWriteIn", "scottish-stv has no write-in candidates; set it to null");
  }
  return new ScottishCount(prepared).run();
}

class ScottishCount {
  private readonly papers: Papers;
  private readonly names: readonly string[];
  private readonly seats: number;
  private readonly status: Uint8Array;
  private readonly votes: bigint[];
  private readonly holder: Int32Array;
  private readonly position: Int32Array;
  private readonly value: bigint[];
  private readonly members: number[][];
  private readonly quota: bigint;
  private readonly pendingSurplus = new Set<number>();
  private readonly nonTransferable: [bigint, bigint, bigint] = [0n, 0n, 0n];
  private readonly stages: Stage[] = [];
  private readonly winners: number[] = [];
  private readonly tieBreaker: TieBreaker;
  private readonly tieBreaks: TieBreakRecord[] = [];

  constructor(private readonly prepared: PreparedContest) {
    const { contest, names, store } = prepared;
    this.papers = readPapers(prepared);
    this.names = names;
    this.seats = contest.rules.seats;
    this.status = new Uint8Array(names.length);
    for (const name of contest.rules.excluded) this.status[names.indexOf(name)] = Status.Withdrawn;
    this.votes = new Array<bigint>(names.length).fill(0n);
    this.holder = new Int32Array(store.groupCount).fill(-1);
    this.position = new Int32Array(store.groupCount);
    this.value = new Array<bigint>(store.groupCount).fill(ONE);
    this.members = names.map(() => []);
    this.quota = (this.papers.validPapers / BigInt(this.seats + 1) + 1n) * ONE;
    this.tieBreaker = new TieBreaker(
      { mode: lotMode(contest.rules.tiebreak.mode), seed: contest.rules.tiebreak.seed },
      contest.candidates,
    );
  }

  run(): ContestReport {
    this.firstStage();
    for (;;) {
      const stage = this.closeStage();
      if (this.finished(stage)) break;
      const surplus = this.nextSurplus();
      if (surplus >= 0) this.transferSurplus(surplus, stage);
      else this.exclude(this.lowestContinuing(), stage);
    }
    return this.report();
  }

  // ---- stages ----------------------------------------------------------------------------------

  private firstStage(): void {
    const { papers } = this;
    for (let g = 0; g < this.holder.length; g++) {
      if (!papers.valid[g]) continue;
      this.position[g] = (papers.prefStart[g] as number) - 1;
      this.moveTo(g, this.nextAvailable(g), null);
    }
  }

  /** Records the stage just finished and deems elected whoever reached the quota (rule 47). */
  private closeStage(): Stage {
    const stage: Stage = {
      votes: new Map(),
      elected: [],
      excluded: [],
      transfers: new Map(),
      nonTransferable: [...this.nonTransferable],
    };
    for (let c = 0; c < this.names.length; c++) {
      if (this.status[c] === Status.Continuing || this.status[c] === Status.Elected)
        stage.votes.set(c, this.votes[c] as bigint);
    }
    this.stages.push(stage);
    const reached = this.continuing().filter((c) => (this.votes[c] as bigint) >= this.quota);
    reached.sort(
      (a, b) =>
        compare(this.votes[b] as bigint, this.votes[a] as bigint) ||
        compare(this.names[a] as string, this.names[b] as string),
    );
    for (const c of reached) this.elect(c, stage);
    return stage;
  }

  private finished(stage: Stage): boolean {
    if (this.winners.length >= this.seats) return true;
    const continuing = this.continuing();
    if (continuing.length > this.seats - this.winners.length) return false;
    continuing.sort(
      (a, b) =>
        compare(this.votes[b] as bigint, this.votes[a] as bigint) ||
        compare(this.names[a] as string, this.names[b] as string),
    );
    for (const c of continuing) this.elect(c, stage);
    return true;
  }

  private elect(c: number, stage: Stage): void {
    this.status[c] = Status.Elected;
    this.winners.push(c);
    stage.elected.push(c);
    if ((this.votes[c] as bigint) > this.quota) this.pendingSurplus.add(c);
  }

  private continuing(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.names.length; c++) if (this.status[c] === Status.Continuing) out.push(c);
    return out;
  }

  // ---- rule 48/49: surpluses --------------------------------------------------------------------

  private nextSurplus(): number {
    if (this.pendingSurplus.size === 0) return -1;
    const largest = extremes([...this.pendingSurplus], (c) => this.votes[c] as bigint, compare, "highest");
    return largest.length === 1
      ? (largest[0] as number)
      : this.settleByEarlierStages(largest, "winner", "surplus-order");
  }

  private transferSurplus(c: number, stage: Stage): void {
    this.pendingSurplus.delete(c);
    const total = this.votes[c] as bigint;
    const surplus = total - this.quota;
    const row = new Map<string, bigint>();
    let moved = 0n;
    for (const g of this.members[c] as number[]) {
      const transferValue = (surplus * (this.value[g] as bigint)) / total;
      moved += transferValue * (this.papers.counts[g] as bigint);
      this.value[g] = transferValue;
      this.moveTo(g, this.nextAvailable(g), row);
    }
    this.members[c] = [];
    this.votes[c] = this.quota;
    if (surplus > moved) row.set(RESIDUAL_SURPLUS, surplus - moved);
    if (row.size > 0) stage.transfers.set(c, row);
  }

  // ---- rule 50/51: exclusion --------------------------------------------------------------------

  private lowestContinuing(): number {
    const lowest = extremes(this.continuing(), (c) => this.votes[c] as bigint, compare, "lowest");
    return lowest.length === 1 ? (lowest[0] as number) : this.settleByEarlierStages(lowest, "loser", "loser");
  }

  private exclude(c: number, stage: Stage): void {
    this.status[c] = Status.Excluded;
    stage.excluded.push(c);
    const row = new Map<string, bigint>();
    for (const g of this.members[c] as number[]) this.moveTo(g, this.nextAvailable(g), row);
    this.members[c] = [];
    this.votes[c] = 0n;
    if (row.size > 0) stage.transfers.set(c, row);
  }

  // ---- papers -----------------------------------------------------------------------------------

  /** The next preference for a continuing candidate after the paper's current one, or -1. */
  private nextAvailable(g: number): number {
    const { prefs, prefStart } = this.papers;
    for (let i = (this.position[g] as number) + 1; i < (prefStart[g + 1] as number); i++) {
      const c = prefs[i] as number;
      if (this.status[c] === Status.Continuing) {
        this.position[g] = i;
        return c;
      }
    }
    this.position[g] = prefStart[g + 1] as number;
    return -1;
  }

  private moveTo(g: number, target: number, row: Map<string, bigint> | null): void {
    const amount = (this.value[g] as bigint) * (this.papers.counts[g] as bigint);
    this.holder[g] = target;
    if (target >= 0) {
      (this.members[target] as number[]).push(g);
      this.votes[target] = (this.votes[target] as bigint) + amount;
    } else {
      const reason = this.papers.stopReason[g] as Stop;
      this.nonTransferable[reason] += amount;
    }
    if (row && amount > 0n) {
      const key = target >= 0 ? (this.names[target] as string) : EXHAUSTED;
      row.set(key, (row.get(key) ?? 0n) + amount);
    }
  }

  // ---- ties (rules 49(2)-(3), 51) ----------------------------------------------------------------

  private settleByEarlierStages(tied: number[], purpose: TiePurpose, recordAs: TieBreakRecord["purpose"]): number {
    let survivors = tied;
    const want = purpose === "winner" ? "highest" : "lowest";
    for (let s = this.stages.length - 2; s >= 0 && survivors.length > 1; s--) {
      const votes = (this.stages[s] as Stage).votes;
      survivors = extremes(survivors, (c) => votes.get(c) ?? 0n, compare, want);
    }
    if (survivors.length === 1) return survivors[0] as number;
    const round = this.stages.length;
    const answer = this.tieBreaker.choose({
      round,
      purpose,
      tied: survivors.map((c) => this.names[c] as string),
      reportedTally: () => undefined,
    });
    const rule = this.prepared.contest.rules.tiebreak;
    this.tieBreaks.push({
      pass: 1,
      round,
      purpose: recordAs,
      tied: survivors.map((c) => this.names[c] as string).sort(),
      chosen: answer.chosen,
      mode: rule.mode,
      seed: rule.seed,
      explanation: `equal at every earlier stage; by lot: ${answer.explanation}`,
    });
    return this.names.indexOf(answer.chosen);
  }

  // ---- report -----------------------------------------------------------------------------------

  private report(): ContestReport {
    const quota = new Dec(this.quota, PLACES).toString();
    const rounds: RoundReport[] = this.stages.map((stage, i) => this.roundReport(stage, i + 1, quota));
    return {
      rounds,
      winners: this.winners.map((c) => this.names[c] as string),
      totalBallots: String(this.prepared.store.totalBallots),
      finalThreshold: quota,
      tieBreaks: this.tieBreaks,
      rejectedBallots: String(this.papers.rejected),
    };
  }

  private roundReport(stage: Stage, round: number, threshold: string): RoundReport {
    const units = (amount: bigint): Dec => new Dec(amount, PLACES);
    const nameOf = (c: number): string => this.names[c] as string;
    const report: RoundReport = {
      round,
      tally: sortedAmounts([...stage.votes].map(([c, v]) => [nameOf(c), units(v)])),
      threshold,
      elected: stage.elected.map(nameOf),
      eliminated: stage.excluded.map(nameOf),
      inactive: {
        exhaustedChoices: units(stage.nonTransferable[Stop.End]).toString(),
        overvotes: units(stage.nonTransferable[Stop.Overvote]).toString(),
        repeatedRankings: "0",
        skippedRankings: units(stage.nonTransferable[Stop.Skipped]).toString(),
      },
    };
    if (stage.transfers.size > 0) {
      report.transfers = Object.fromEntries(
        [...stage.transfers].map(([c, row]) => [nameOf(c), sortedAmounts([...row].map(([k, v]) => [k, units(v)]))]),
      );
    }
    return report;
  }
}

/** The statute looks back through earlier stages itself; only the final draw uses the rule. */
function lotMode(mode: TieBreakMode): TieBreakMode {
  if (mode === "previous-rounds-then-random") return "random";
  if (mode === "previous-rounds-then-ask") return "ask";
  return mode;
}
