/**
 * Benchmark of casting votes: `npm run bench:vote` (after `npm run build`).
 *
 * Starts the production server (scripts/server.mjs, NODE_ENV=production, in its own process) on
 * its own temporary database (WAL, synchronous=FULL, as in production), seeded with the demo
 * council and a round in voting, and BENCH_CASTS (default 20,000) one-time codes made for it.
 * After 200 casts one at a time to warm up, autocannon, running in this process on the same
 * machine, casts the rest over BENCH_CONNECTIONS (default 32) keep-alive connections, one request
 * in flight on each: every request is a different voter (its own code, in the signed code cookie
 * the code page would have set), POSTed with the site's Origin to the real cast action of the
 * ballot page, as the page's own script does (a single-fetch submission to its `.data` URL). The cast action
 * answers 200 only once the ballot's transaction has committed.
 *
 * Reports casts per second (200 answers during the autocannon run, over the time from its start
 * to its last answer), the p50 and p99 latency autocannon measured, the server's CPU time per
 * cast (from /proc), and then counts in the database the ballots of the round (sealed, each with
 * its receipt), which must equal the casts acknowledged with a 200.
 *
 * Secrecy: while casting, it copies the database files (main, -wal, -shm) every two seconds; then
 * it closes the round and opens its ballots with two key shares, as officers do, and copies the
 * files again. Each copy's write-ahead log is replayed commit by commit (tests/support/wal-replay.ts)
 * and each snapshot read as an attacker would; `anonymity_set_min` is the smallest number of
 * rankings any voter could be paired with (all of the round's voters when nothing leaks).
 *
 * Then it makes a second round of 100,000 ballots (with their participation rows), closes it,
 * counts it by both rules, has a second administrator ratify it, and measures requests per second
 * on its public results page (/rounds/:id/results, a full server-rendered document) over 16
 * connections for 10 s. The first request, before the measurement, is the one that reads the
 * stored ballot file; a results page that does not answer 200 stops the benchmark.
 *
 * The machine's other load matters: note `uptime` with the figures. BENCH_PROFILE=<dir> runs the
 * server under the V8 CPU profiler. The last line printed is one JSON object with the figures.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const PORT = Number(process.env.BENCH_PORT ?? 3905);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const CODES = Number(process.env.BENCH_CASTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const RESULTS_BALLOTS = 100_000;
const RESULTS_SECONDS = 10;
const RESULTS_PROJECTS = 20;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-bench-vote-"));
const databaseFile = path.join(dir, "bench.db");
const secret = crypto.randomBytes(32).toString("hex");
process.env.DATABASE_URL = databaseFile;
process.env.SESSION_SECRET = secret;
process.env.WARDFUND_ROOT = ROOT;

const { openDatabase, migrateDatabase } = await import("../../app/db/client.server");
const { seedDemoCouncil } = await import("../seed/council");
const { generateCodeBatch } = await import("../../app/models/voting/codes.server");
const { voteCodeCookieValue, VOTE_CODE_COOKIE } = await import("../../app/utils/vote-code-cookie.server");
const { createVotingRound, createCountFixture, createSecondAdmin, openBallotsForCount } =
  await import("../../tests/factories");
const { anonymitySetMinFromCounts, countObservations } = await import("../../tests/support/wal-replay");
const { seedDemoCount } = await import("../seed/count");
const { cpuSeconds, startBenchServer } = await import("./server");

function log(message: string) {
  console.log(message);
}

async function main() {
  log(`Database: ${databaseFile}`);
  const database = openDatabase(databaseFile);
  migrateDatabase(database);
  await seedDemoCouncil(database, { withLedger: false });
  const admin = database.$client
    .prepare("select id, name from users where email = 'admin@eastbrook.example'")
    .get() as { id: string; name: string };
  const round = createVotingRound(database, { name: "Bench round", projects: 8, maxRanked: 5 });
  const t0 = performance.now();
  const codes: string[] = [];
  while (codes.length < CODES)
    codes.push(
      ...generateCodeBatch(
        admin,
        round.roundId,
        `Bench ${codes.length}`,
        Math.min(5000, CODES - codes.length),
        database,
      ).codes,
    );
  log(`Made ${codes.length} one-time codes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const expires = Date.now() + 3_600_000;
  const cookies = codes.map(
    (code) => `${VOTE_CODE_COOKIE}=${voteCodeCookieValue(round.roundId, code, expires, secret)}`,
  );
  const rankings = Array.from({ length: 64 }, (_, i) => {
    const ids = [...round.bidIds];
    const out: number[] = [];
    for (let k = 0; k < 1 + (i % 5); k++) out.push(ids.splice((i * 7 + k * 3) % ids.length, 1)[0]!);
    return `intent=cast&ranking=${out.join("%2C")}`;
  });

  const server = await startBenchServer({ root: ROOT, port: PORT, databaseFile, secret });
  try {
    // A single-fetch submission to the ballot page's action, as the page's script sends a cast.
    const castPath = `/rounds/${round.roundId}/vote.data`;
    // Warm up with a few casts (JIT, statement cache); they are counted like the rest.
    let next = 0;
    let acknowledged = 0;
    const statuses = new Map<number, number>();
    let lastResponseAt = 0;
    const onResponse = (status: number) => {
      lastResponseAt = performance.now();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) acknowledged += 1;
    };
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${ORIGIN}${castPath}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookies[next++]! },
        body: rankings[i % rankings.length],
        redirect: "manual",
      });
      await res.arrayBuffer();
      onResponse(res.status);
    }
    const remaining = codes.length - next;
    log(`Casting ${remaining} ballots over ${CONNECTIONS} connections…`);
    const startedAt = performance.now();
    const instance = autocannon({
      url: ORIGIN,
      connections: CONNECTIONS,
      pipelining: 1,
      amount: remaining,
      timeout: 30,
      requests: [
        {
          method: "POST",
          path: castPath,
          setupRequest: (request: Record<string, unknown>) => {
            const i = next++;
            return {
              ...request,
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                origin: ORIGIN,
                cookie: cookies[i] ?? cookies[0]!,
              },
              body: rankings[i % rankings.length],
            };
          },
        },
      ],
    });
    instance.on("response", (_client: unknown, statusCode: number) => onResponse(statusCode));
    const cpuBefore = cpuSeconds(server.child.pid);
    const acknowledgedBefore = acknowledged;
    const copies: { db: Buffer; wal: Buffer; shm: Buffer }[] = [];
    const copyFiles = () => {
      const read = (suffix: string) =>
        fs.existsSync(databaseFile + suffix) ? fs.readFileSync(databaseFile + suffix) : Buffer.alloc(0);
      copies.push({ db: read(""), wal: read("-wal"), shm: read("-shm") });
    };
    const copier = setInterval(copyFiles, 2000);
    const cast = await instance;
    clearInterval(copier);
    const cpuAfter = cpuSeconds(server.child.pid);
    // autocannon notices that its `amount` is done only at its next one-second sample, so its
    // duration is rounded up to a whole second or so; the rate uses the time from the start to the
    // last answer instead (both are printed).
    const castSeconds = (lastResponseAt - startedAt) / 1000;
    const castsPerSecond = Math.round((acknowledged - acknowledgedBefore) / castSeconds);
    const p50 = cast.latency.p50;
    const p99 = cast.latency.p99;
    log(
      `Cast responses: ${JSON.stringify(Object.fromEntries(statuses))}; errors ${cast.errors}, timeouts ` +
        `${cast.timeouts}`,
    );
    log(
      `Casts: ${acknowledged - acknowledgedBefore} acknowledged of ${cast.requests.total} in ` +
        `${castSeconds.toFixed(2)} s to the last answer (autocannon's duration ${cast.duration.toFixed(2)} s) = ` +
        `${castsPerSecond}/s, latency p50 ${p50} ms, p99 ${p99} ms`,
    );
    if (cpuBefore !== null && cpuAfter !== null) {
      // Less sensitive than the rate to other load on the machine: what each cast cost the server
      // (taken up to autocannon's end, so it includes up to a second of idle server time).
      log(
        `Server CPU while casting: ${(cpuAfter - cpuBefore).toFixed(2)} s, ` +
          `${Math.round(((cpuAfter - cpuBefore) / cast.requests.total) * 1e6)} µs per cast`,
      );
    }
    const countOf = (table: string) =>
      database.$client.prepare(`select count(*) from ${table} where round_id = ?`).pluck().get(round.roundId) as number;
    const present = countOf("pb_sealed_ballots");
    const receipts = countOf("pb_receipts");
    log(
      `Acknowledged ${acknowledged}; present in the database ${present} sealed ballots and ${receipts} receipts` +
        `${present === acknowledged && receipts === acknowledged ? "" : " (NOT EQUAL)"}`,
    );
    copyFiles();
    const t2 = performance.now();
    const opened = await openBallotsForCount(database, admin, round);
    copyFiles();
    log(`Opened ${opened} sealed ballots with two key shares in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
    const t3 = performance.now();
    const observations = copies.flatMap((copy) => countObservations(copy, round.roundId));
    const anonymitySetMin = anonymitySetMinFromCounts(observations);
    log(
      `Replayed ${copies.length} copies of the files (${observations.length} commits): the smallest anonymity set ` +
        `is ${anonymitySetMin} (in ${((performance.now() - t3) / 1000).toFixed(1)} s)`,
    );

    // A round of 100,000 ballots, closed, counted by both rules, ratified by a second
    // administrator and so published: the results page is then what the public reads.
    const t1 = performance.now();
    const big = database.$client.transaction(() =>
      createCountFixture(database, {
        ballots: RESULTS_BALLOTS,
        maxRanked: 5,
        costs: Array.from({ length: RESULTS_PROJECTS }, (_, i) => 150_000 + ((i * 37) % 11) * 40_000),
        potPence: 1_500_000,
        countingRule: "mes",
      }),
    )();
    const secondAdmin = await createSecondAdmin(database);
    seedDemoCount(database, big.roundId, admin.id, secondAdmin);
    log(
      `Counted and published a round of ${RESULTS_BALLOTS} ballots in ` +
        `${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
    const measuredPath = `/rounds/${big.roundId}/results`;
    // The first request reads the stored count's ballot file (once per server process). It is
    // tried again once: the count above held this process's event loop, so a kept-alive socket
    // the server has since closed may be offered first.
    const first = await fetch(`${ORIGIN}${measuredPath}`).catch(() => fetch(`${ORIGIN}${measuredPath}`));
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`The results page answered ${first.status}`);
    log(
      `Results page: measuring ${measuredPath} (${RESULTS_BALLOTS} ballots in the round) over 16 connections for ` +
        `${RESULTS_SECONDS} s`,
    );
    const results = await autocannon({ url: `${ORIGIN}${measuredPath}`, connections: 16, duration: RESULTS_SECONDS });
    const resultsRps = Math.round(results.requests.average);
    log(
      `Results page: ${resultsRps} requests/s (non-2xx ${results.non2xx}), latency p50 ${results.latency.p50} ms, ` +
        `p99 ${results.latency.p99} ms`,
    );
    console.log(
      JSON.stringify({
        casts_per_s: castsPerSecond,
        cast_p50_ms: p50,
        cast_p99_ms: p99,
        acknowledged,
        present,
        anonymity_set_min: anonymitySetMin,
        results_rps: resultsRps,
      }),
    );
  } finally {
    await server.stop();
    database.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
