/**
 * Benchmark of a decision-day event: `npm run bench:event` (after `npm run build`).
 *
 * Starts the production server (scripts/server.mjs, NODE_ENV=production, in its own process) on
 * its own temporary database seeded with the demo council, a round in voting and an event with
 * BENCH_KIOSKS (default 20) enrolled kiosks. BENCH_VIEWERS (default 200) board viewers connect to
 * the board's server-sent events stream. After a warm-up (each kiosk casts one ballot, one kiosk at a
 * time, unmeasured, as bench:vote warms up), every kiosk casts BENCH_CASTS_PER_KIOSK (default 15)
 * ballots one after another, flat out: an officer's session issues each ballot through the event
 * page's action, then the kiosk POSTs its cast to /kiosk/cast with its signed device cookie and the
 * site's Origin, as the kiosk page's script does.
 *
 * Measures
 * - kiosk_cast_p99_ms: the p99 latency of the cast requests (answered once the ballot is on disk);
 * - board_update_p99_ms: for the k-th acknowledged cast, the time from its acknowledgement until a
 *   viewer has received a snapshot with at least k more votes than at the start, for every viewer
 *   and every k; the p99 of all those.
 * and checks that every acknowledged cast is in the database and that every viewer saw the final total.
 *
 * Also prints the server's CPU time per kiosk cast (from /proc: the server process's user + system
 * time over the casting phase, divided by the casts; it includes the officer's issue request and the
 * board broadcast that go with each cast), which depends less than latency on the machine's other load.
 *
 * The machine's other load matters: note `uptime` with the figures. BENCH_PROFILE=<dir> runs the
 * server under the V8 CPU profiler; the .cpuprofile is written there on exit. The last line printed
 * is one JSON object with the figures.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const PORT = Number(process.env.BENCH_PORT ?? 3906);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 200);
const KIOSKS = Number(process.env.BENCH_KIOSKS ?? 20);
const CASTS_PER_KIOSK = Number(process.env.BENCH_CASTS_PER_KIOSK ?? 15);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-bench-event-"));
const databaseFile = path.join(dir, "bench.db");
const secret = crypto.randomBytes(32).toString("hex");
process.env.DATABASE_URL = databaseFile;
process.env.SESSION_SECRET = secret;
process.env.WARDFUND_ROOT = ROOT;

const { openDatabase, migrateDatabase } = await import("../../app/db/client.server");
const { seedDemoCouncil } = await import("../seed/council");
const { createVotingRound } = await import("../../tests/factories");
const { createEvent, startEnrolment, confirmEnrolment } = await import("../../app/models/events/events.server");
const { sessionCookieFor } = await import("../../tests/support/requests");
const { setKioskCookie } = await import("../../app/models/events/kiosk-cookie.server");
const { cpuSeconds, percentile, startBenchServer } = await import("./server");

/** One board viewer: reads the stream and records when each total was first seen. */
function connectViewer(url: string, abort: AbortSignal) {
  const seen: { total: number; at: number }[] = [];
  let ready!: () => void;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  const done = (async () => {
    const response = await fetch(url, { signal: abort, headers: { Accept: "text/event-stream" } });
    if (!response.ok || !response.body) throw new Error(`board stream answered ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split("\n").find((line) => line.startsWith("data: "));
          if (!data) continue;
          seen.push({ total: (JSON.parse(data.slice(6)) as { total: number }).total, at: performance.now() });
          ready();
        }
      }
    } catch (error) {
      if (!abort.aborted) throw error;
    }
  })();
  return { seen, opened, done };
}

async function main() {
  console.log(`Database: ${databaseFile}`);
  const database = openDatabase(databaseFile);
  migrateDatabase(database);
  globalThis.__wardfundDb = database;
  await seedDemoCouncil(database, { withLedger: false });
  const admin = database.$client
    .prepare("select id, name from users where email = 'admin@eastbrook.example'")
    .get() as { id: string; name: string };
  const round = createVotingRound(database, { name: "Bench event round", projects: 6, maxRanked: 3 });
  const event = createEvent(admin, round.roundId, {
    name: "Bench decision day",
    place: "Town hall",
    startsAt: new Date(Date.now() - 3_600_000).toISOString(),
    endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    officers: "",
  });
  const kiosks = Array.from({ length: KIOSKS }, (_, i) => {
    const started = startEnrolment(admin, event.id, `Tablet ${i + 1}`);
    const enrolled = confirmEnrolment(started.linkToken, started.code);
    return {
      deviceId: enrolled.deviceId,
      cookie: setKioskCookie(enrolled.deviceId, enrolled.deviceToken, secret).split(";")[0]!,
    };
  });

  const server = await startBenchServer({
    root: ROOT,
    port: PORT,
    databaseFile,
    secret,
    env: { DAILY_JOBS: "off", MAIL_WORKER: "off" },
  });
  const abort = new AbortController();
  try {
    const viewers = Array.from({ length: VIEWERS }, () =>
      connectViewer(`${ORIGIN}/board/${event.boardToken}/stream`, abort.signal),
    );
    await Promise.all(viewers.map((v) => v.opened));
    const startTotal = viewers[0]!.seen[0]!.total;
    console.log(`${VIEWERS} board viewers connected (turnout ${startTotal}); ${KIOSKS} kiosks casting…`);

    const castLatencies: number[] = [];
    const castTimeline: { at: number; ms: number }[] = [];
    const acks: number[] = [];
    const statuses = new Map<number, number>();
    const rankingFor = (n: number) => {
      const ids = [...round.bidIds];
      return Array.from({ length: 1 + (n % 3) }, (_, k) => ids.splice((n * 5 + k * 3) % ids.length, 1)[0]!);
    };
    // The officer issues each ballot through the event page's action (single fetch), as on the day,
    // after checking the postcode and age the voter declares (a postcode of the demo council's area).
    const areaPostcode = database.$client.prepare("select postcode from postcodes limit 1").pluck().get() as string;
    const officerCookie = await sessionCookieFor("admin@eastbrook.example");
    const openIssue = database.$client.prepare(
      "select id from pb_event_issues where device_id = ? and state = 'issued'",
    );
    const issue = async (deviceId: number): Promise<number> => {
      const response = await fetch(`${ORIGIN}/admin/rounds/${round.roundId}/events/${event.id}.data`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: officerCookie },
        body: new URLSearchParams({
          intent: "issue",
          deviceId: String(deviceId),
          check: "declared",
          postcode: areaPostcode,
          ageConfirmed: "yes",
        }),
      });
      await response.arrayBuffer();
      const row = openIssue.get(deviceId) as { id: number } | undefined;
      if (!response.ok || !row) throw new Error(`issuing a ballot answered ${response.status}`);
      return row.id;
    };
    let voter = 0;
    // Warm-up, as bench:vote does: each kiosk casts one ballot, one kiosk at a time, before anything is
    // measured (a fresh process compiles its code paths on the first requests). Counted in the totals.
    for (const kiosk of kiosks) {
      const issueId = await issue(kiosk.deviceId);
      const body = new URLSearchParams({ issueId: String(issueId) });
      rankingFor(voter++).forEach((bidId, rank) => body.set(`rank-${bidId}`, String(rank + 1)));
      const response = await fetch(`${ORIGIN}/kiosk/cast`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: kiosk.cookie },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`a warm-up cast answered ${response.status}`);
    }
    const warmUpCasts = kiosks.length;
    const measuredFrom = startTotal + warmUpCasts;
    const cpuBefore = cpuSeconds(server.child.pid);
    const startedAt = performance.now();
    await Promise.all(
      kiosks.map(async (kiosk) => {
        for (let i = 0; i < CASTS_PER_KIOSK; i++) {
          const issueId = await issue(kiosk.deviceId);
          const body = new URLSearchParams({ issueId: String(issueId) });
          rankingFor(voter++).forEach((bidId, rank) => body.set(`rank-${bidId}`, String(rank + 1)));
          const sent = performance.now();
          const response = await fetch(`${ORIGIN}/kiosk/cast`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: kiosk.cookie },
            body,
          });
          await response.arrayBuffer();
          const at = performance.now();
          castLatencies.push(at - sent);
          castTimeline.push({ at: at - startedAt, ms: at - sent });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 200) acks.push(at);
        }
      }),
    );
    const castSeconds = (performance.now() - startedAt) / 1000;
    const cpuAfter = cpuSeconds(server.child.pid);
    const expectedFinal = measuredFrom + acks.length;
    // Let the last snapshot reach everyone (or give up after 10 s).
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline && viewers.some((v) => (v.seen.at(-1)?.total ?? 0) < expectedFinal))
      await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await Promise.allSettled(viewers.map((v) => v.done));

    acks.sort((a, b) => a - b);
    const updateLatencies: number[] = [];
    let missed = 0;
    for (const viewer of viewers) {
      acks.forEach((ackAt, k) => {
        const first = viewer.seen.find((s) => s.total >= measuredFrom + k + 1);
        if (!first) missed++;
        else updateLatencies.push(Math.max(0, first.at - ackAt));
      });
    }
    const inDatabase = (
      database.$client.prepare("select count(*) as n from pb_sealed_ballots where round_id = ?").get(round.roundId) as {
        n: number;
      }
    ).n;
    console.log(`Cast answers: ${JSON.stringify(Object.fromEntries(statuses))} in ${castSeconds.toFixed(1)} s`);
    console.log(
      `Ballots in the database: ${inDatabase} (acknowledged ${acks.length}, and ${warmUpCasts} warm-up casts)`,
    );
    console.log(
      `Board updates missed: ${missed}; load average: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    if (cpuBefore !== null && cpuAfter !== null)
      console.log(
        `Server CPU while casting: ${(cpuAfter - cpuBefore).toFixed(2)} s, ` +
          `${Math.round(((cpuAfter - cpuBefore) / castLatencies.length) * 1e6)} µs per kiosk cast ` +
          `(with its issue request and board broadcast)`,
      );
    console.log(
      `Kiosk casts: p50 ${Math.round(percentile(castLatencies, 50))} ms, p90 ${Math.round(percentile(castLatencies, 90))} ms, ` +
        `max ${Math.round(Math.max(...castLatencies))} ms`,
    );
    if (process.env.BENCH_TIMELINE) fs.writeFileSync(process.env.BENCH_TIMELINE, JSON.stringify(castTimeline));
    if (inDatabase !== acks.length + warmUpCasts) throw new Error("the database does not hold every acknowledged cast");
    if (missed > 0) throw new Error("some viewers never saw some casts");
    console.log(
      JSON.stringify({
        board_viewers: VIEWERS,
        board_update_p99_ms: Math.round(percentile(updateLatencies, 99)),
        kiosks: KIOSKS,
        kiosk_cast_p99_ms: Math.round(percentile(castLatencies, 99)),
      }),
    );
  } finally {
    abort.abort();
    // Waits for the server to exit, so a profile (BENCH_PROFILE) is written before this process ends.
    await server.stop();
  }
}

await main();
process.exit(0);
