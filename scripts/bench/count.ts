/**
 * Benchmark of the counting engine: `npm run bench:count`.
 *
 * Builds seeded synthetic elections and times the counts:
 * - IRV, 1,000,000 ballots, 20 candidates (target < 1 s);
 * - STV, 3 seats, 1,000,000 ballots, 15 candidates, fractional Gregory transfers (< 3 s);
 * - PB greedy and MES, 100,000 voters, 60 projects, rankings of up to 10 (< 3 s each);
 * - peak memory of the whole run (< 500 MB).
 *
 * Voters are drawn realistically rather than uniformly: each voter sits somewhere on a line, each
 * candidate (project) has a place on it and a popularity, and a voter ranks candidates by
 * weighted sampling without replacement, the weight falling with distance; ranking lengths vary,
 * and a few ballots skip a rank or mark two names at one rank. So rankings repeat at the top of the
 * distribution but most are distinct (the distinct counts are printed).
 *
 * What is timed: the count itself (`countPrepared` / `countPb`: the rounds and the report),
 * after the ballots were generated and merged into groups as they were generated. The
 * generate-and-group time is printed too, on its own line, but is not in the targets.
 *
 * The last line printed is one JSON object with the figures.
 */
import { BallotGrouper } from "../../app/core/counting/ballots";
import { Dec } from "../../app/core/counting/decimal";
import { countPb } from "../../app/core/counting/pb/count";
import { PbBallotGrouper, type PbElection } from "../../app/core/counting/pb/election";
import { countPrepared, type PreparedContest } from "../../app/core/counting/rcv";
import { rules } from "../../app/core/counting/test-support";
import type { Ballot, Contest, Rules } from "../../app/core/counting/types";

/** mulberry32: a small seeded generator for the synthetic data (not used by any count). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOTER_TYPES = 64;

/** Per voter type, cumulative weights over the items: popularity falling with distance. */
function preferenceTables(items: number, random: () => number): Float64Array[] {
  const place = Array.from({ length: items }, () => random());
  const popularity = Array.from({ length: items }, (_, i) => 1 / (1 + i) ** 0.8);
  return Array.from({ length: VOTER_TYPES }, (_, type) => {
    const position = (type + 0.5) / VOTER_TYPES;
    const cumulative = new Float64Array(items);
    let sum = 0;
    for (let i = 0; i < items; i++) {
      sum += (popularity[i] as number) * Math.exp(-4 * Math.abs((place[i] as number) - position));
      cumulative[i] = sum;
    }
    return cumulative;
  });
}

/** A ranking of `length` distinct items, drawn by weight without replacement. */
function drawRanking(table: Float64Array, length: number, random: () => number, out: number[]): number[] {
  out.length = 0;
  const total = table[table.length - 1] as number;
  while (out.length < length) {
    const target = random() * total;
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((table[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    if (!out.includes(lo)) out.push(lo);
  }
  return out;
}

function rankingLength(random: () => number, max: number): number {
  // Most voters rank a few; some rank many.
  return Math.min(max, 1 + Math.floor(-Math.log(1 - random()) * 3));
}

const baseRules: Rules = rules({
  overvoteRule: "exhaust",
  maxSkippedRanks: 1,
  maxRankings: 10,
  tiebreak: { mode: "random", seed: "20260401" },
});

function rankedElection(ballots: number, candidateCount: number, contestRules: Rules, seed: number): PreparedContest {
  const random = seededRandom(seed);
  const candidates = Array.from({ length: candidateCount }, (_, i) => `Candidate ${String(i + 1).padStart(2, "0")}`);
  const single = candidates.map((name) => [name]);
  const tables = preferenceTables(candidateCount, random);
  const names = [...candidates];
  const grouper = new BallotGrouper({
    nameIndex: new Map(names.map((n, i) => [n, i])),
    maxRankings: contestRules.maxRankings,
  });
  const picks: number[] = [];
  const ballot: { ranking: string[][]; count: number } = { ranking: [], count: 1 };
  for (let i = 0; i < ballots; i++) {
    const table = tables[Math.floor(random() * VOTER_TYPES)] as Float64Array;
    drawRanking(table, rankingLength(random, 10), random, picks);
    const ranking: string[][] = picks.map((c) => single[c] as string[]);
    const oddity = random();
    if (oddity < 0.01 && ranking.length > 1 && ranking.length < 10) ranking.splice(1, 0, []);
    else if (oddity < 0.015 && ranking.length > 1)
      ranking[1] = [candidates[picks[0] as number] as string, candidates[picks[1] as number] as string];
    ballot.ranking = ranking;
    grouper.add(ballot as Ballot, i);
  }
  const contest: Contest = { candidates, rules: contestRules, ballots: [] };
  return { contest, names, writeIn: -1, store: grouper.finish() };
}

function pbElection(voters: number, projects: number, maxLength: number, seed: number): PbElection {
  const random = seededRandom(seed);
  const projectIds = Array.from({ length: projects }, (_, i) => String(i + 1));
  const costs = projectIds.map(() => Dec.of(10_000 * (5 + Math.floor(random() * 60))));
  const totalCost = costs.reduce((sum, c) => sum + c.units, 0n);
  const budget = new Dec(totalCost / 4n, 0);
  const grouper = new PbBallotGrouper(
    new Map(projectIds.map((id, i) => [id, i])),
    maxLength,
    (key) => key.split(","),
    (i) => `voter ${i}`,
  );
  const tables = preferenceTables(projects, random);
  const picks: number[] = [];
  for (let i = 0; i < voters; i++) {
    const table = tables[Math.floor(random() * VOTER_TYPES)] as Float64Array;
    drawRanking(table, rankingLength(random, maxLength), random, picks);
    grouper.add(picks.map((p) => projectIds[p] as string).join(","), 1, i);
  }
  return { projectIds, projectNames: projectIds.map(() => undefined), costs, budget, maxLength, ...grouper.finish() };
}

function time<T>(run: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number((process.hrtime.bigint() - start) / 1_000_000n) };
}

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function benchRanked(label: string, ballots: number, candidates: number, contestRules: Rules, seed: number): number {
  collect();
  const built = time(() => rankedElection(ballots, candidates, contestRules, seed));
  const prepared = built.result;
  console.log(
    `${label}: generated and grouped ${ballots} ballots into ${prepared.store.groupCount} distinct rankings in ` +
      `${built.ms} ms`,
  );
  const counted = time(() => countPrepared(prepared));
  const report = counted.result;
  const rounds = "rounds" in report ? report.rounds.length : 0;
  console.log(`${label}: counted in ${counted.ms} ms (${rounds} rounds; winners ${report.winners.join(", ")})`);
  return counted.ms;
}

function benchPb(label: string, election: PbElection, rule: "greedy" | "mes"): number {
  collect();
  const counted = time(() => countPb(election, rule, "project-id"));
  console.log(
    `${label}: ${rule} counted in ${counted.ms} ms (${counted.result.selected.length} projects funded, ` +
      `${counted.result.rounds.length} rounds)`,
  );
  return counted.ms;
}

const irv = benchRanked("IRV 1M×20", 1_000_000, 20, baseRules, 1);
const stv = benchRanked(
  "STV 3 seats 1M×15",
  1_000_000,
  15,
  { ...baseRules, method: "stv", seats: 3, integerQuota: false },
  2,
);
collect();
const builtPb = time(() => pbElection(100_000, 60, 10, 3));
console.log(
  `PB 100k×60: generated and grouped ${builtPb.result.voterCount} votes into ${builtPb.result.groupCount} distinct ` +
    `rankings in ${builtPb.ms} ms`,
);
const greedy = benchPb("PB 100k×60", builtPb.result, "greedy");
const mes = benchPb("PB 100k×60", builtPb.result, "mes");

console.log(
  JSON.stringify({
    irv_1m_20c_ms: irv,
    stv_3seats_1m_ms: stv,
    pb_greedy_100k_60p_ms: greedy,
    pb_mes_100k_60p_ms: mes,
    peak_rss_mb: peakRssMb(),
  }),
);
