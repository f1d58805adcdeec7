/**
 * Benchmark of casting votes: `npm run bench:vote` (after `npm run build`).
 *
 * Starts the production server (scripts/server.mjs, NODE_ENV=production) on its own temporary
 * database, seeded with the demo council and a round in voting, and one-time codes made for it.
 * autocannon then casts ballots: every request is a different voter (its own code, carried in the
 * signed code cookie the code page would have set), POSTed to the real cast action of the ballot
 * page with the site's Origin, as the page's own script does (a `_data` fetch submission).
 *
 * Reports sustained casts per second and the p50/p99 latency, then counts, in the database, every
 * ballot the server acknowledged (2xx). Then it loads 100,000 ballots into a second round and
 * measures requests per second on its results page (RESULTS_PATH; until the results page exists
 * it falls back to the round's gallery and then to the receipt check page, and says which).
 *
 * The last line printed is one JSON object with the figures.
 */
import { spawn, type ChildProcess } from "node:child_process";
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
const { seedDemoCouncil } = await import("../../app/db/demo-seed.server");
const { generateCodeBatch } = await import("../../app/models/voting.server");
const { voteCodeCookieValue, VOTE_CODE_COOKIE } = await import("../../app/utils/vote-code-cookie.server");
const { VOTE_ROUTE_ID } = await import("../../app/models/vote-form");
const { createVotingRound } = await import("../../tests/support/round-fixtures-voting");
const { createCountFixture, createSecondAdmin } = await import("../../tests/support/round-fixtures-count");
const { seedDemoCount } = await import("../../app/db/demo-count.server");

function log(message: string) {
  console.log(message);
}

async function waitForServer(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("The server exited while starting");
    try {
      const res = await fetch(`${ORIGIN}/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("The server did not start within 30 s");
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    console.error("No production build: run `npm run build` first.");
    process.exit(1);
  }
  log(`Database: ${databaseFile}`);
  const database = openDatabase(databaseFile);
  migrateDatabase(database);
  await seedDemoCouncil(database, { withLedger: false });
  const admin = database.$client.prepare("select id, name from users where email = 'admin@eastbrook.example'").get() as { id: string; name: string };
  const round = createVotingRound(database, { name: "Bench round", projects: 8, maxRanked: 5 });
  const t0 = performance.now();
  const codes: string[] = [];
  while (codes.length < CODES) codes.push(...generateCodeBatch(admin, round.roundId, `Bench ${codes.length}`, Math.min(5000, CODES - codes.length), database).codes);
  log(`Made ${codes.length} one-time codes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const expires = Date.now() + 3_600_000;
  const cookies = codes.map((code) => `${VOTE_CODE_COOKIE}=${voteCodeCookieValue(round.roundId, code, expires, secret)}`);
  const rankings = Array.from({ length: 64 }, (_, i) => {
    const ids = [...round.bidIds];
    const out: number[] = [];
    for (let k = 0; k < 1 + (i % 5); k++) out.push(ids.splice((i * 7 + k * 3) % ids.length, 1)[0]!);
    return `intent=cast&ranking=${out.join("%2C")}`;
  });

  // BENCH_PROFILE=<dir> runs the server under the V8 CPU profiler; the .cpuprofile is written there on exit.
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  const server = spawn(process.execPath, [...profile, path.join(ROOT, "scripts", "server.mjs")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), HOST: "127.0.0.1", DATABASE_URL: databaseFile, SESSION_SECRET: secret },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = () => {
    if (server.exitCode === null) server.kill("SIGTERM");
  };
  const stopped = () => (server.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => server.once("exit", () => resolve())));
  process.on("exit", stop);
  try {
    await waitForServer(server);
    const castPath = `/rounds/${round.roundId}/vote?_data=${encodeURIComponent(VOTE_ROUTE_ID)}`;
    // Warm up with a few casts (JIT, statement cache); they are counted like the rest.
    let next = 0;
    let acknowledged = 0;
    const statuses = new Map<number, number>();
    const onResponse = (status: number) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 200 && status < 400) acknowledged += 1;
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
              headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: cookies[i] ?? cookies[0]! },
              body: rankings[i % rankings.length],
            };
          },
        },
      ],
    });
    instance.on("response", (_client: unknown, statusCode: number) => onResponse(statusCode));
    const cast = await instance;
    const castsPerSecond = Math.round((cast.requests.total / (cast.duration || 1)) * 1) ;
    const p50 = cast.latency.p50;
    const p99 = cast.latency.p99;
    log(`Cast responses: ${JSON.stringify(Object.fromEntries(statuses))}; errors ${cast.errors}, timeouts ${cast.timeouts}`);
    log(`Casts: ${cast.requests.total} in ${cast.duration.toFixed(2)} s = ${castsPerSecond}/s (mean ${cast.requests.average}/s), latency p50 ${p50} ms, p99 ${p99} ms`);
    const present = database.$client.prepare("select count(*) from pb_ballots where round_id = ?").pluck().get(round.roundId) as number;
    log(`Acknowledged ${acknowledged}; present in the database ${present}`);

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
    log(`Counted and published a round of ${RESULTS_BALLOTS} ballots in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const measuredPath = `/rounds/${big.roundId}/results`;
    // The first request reads the stored count's ballot file (once per server process). It is
    // tried again once: the count above held this process's event loop, so a kept-alive socket
    // the server has since closed may be offered first.
    const first = await fetch(`${ORIGIN}${measuredPath}`).catch(() => fetch(`${ORIGIN}${measuredPath}`));
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`The results page answered ${first.status}`);
    log(`Results page: measuring ${measuredPath} (${RESULTS_BALLOTS} ballots in the round) over 16 connections for ${RESULTS_SECONDS} s`);
    const results = await autocannon({ url: `${ORIGIN}${measuredPath}`, connections: 16, duration: RESULTS_SECONDS });
    const resultsRps = Math.round(results.requests.average);
    log(`Results page: ${resultsRps} requests/s (non-2xx ${results.non2xx}), latency p50 ${results.latency.p50} ms, p99 ${results.latency.p99} ms`);
    console.log(JSON.stringify({ casts_per_s: castsPerSecond, cast_p50_ms: p50, cast_p99_ms: p99, acknowledged, present, results_rps: resultsRps }));
  } finally {
    stop();
    await stopped();
    database.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
