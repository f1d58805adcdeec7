/**
 * Operations benchmark: `npm run bench:ops`.
 *
 * 1. Imports a synthetic ONS Postcode Directory of BENCH_POSTCODE_ROWS (default 2,700,000) rows, in
 *    the directory's column layout (pcd, pcd2, pcds, dointr, doterm, oscty, ced, oslaua, osward, …),
 *    generated as it streams, through the real import (`importPostcodeCsv`) into a temporary
 *    database seeded with the demo council; one row in 400 is in one of its wards. Reports rows per
 *    second (of the clock, and of this process's CPU time, the steadier figure on a shared machine)
 *    and the peak resident memory of this process while the import runs (sampled every 50 ms).
 * 2. While the import streams, casts ballots through the real vote path (`castCodeBallot`,
 *    as the cast action calls it, one-time codes made beforehand) every 5 ms, in the same process
 *    and event loop; each cast's latency runs from when it was due to when its transaction
 *    committed, so any stall of the event loop by the import counts. Reports the p99.
 * 3. Times the whole process of the built count command (`node build/cli/count.mjs FILE --rule mes`)
 *    on the largest Pabulib file in ../shared/fixtures/pabulib (median of 5 runs).
 *
 * The last line printed is one JSON object with the figures.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const ROWS = Number(process.env.BENCH_POSTCODE_ROWS ?? 2_700_000);
const CAST_EVERY_MS = 5;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-bench-ops-"));
const databaseFile = path.join(dir, "bench.db");
process.env.DATABASE_URL = databaseFile;
process.env.SESSION_SECRET = crypto.randomBytes(32).toString("hex");
process.env.WARDFUND_ROOT = ROOT;

const { openDatabase, migrateDatabase } = await import("../../app/db/client.server");
const { seedDemoCouncil } = await import("../seed/council");
const { generateCodeBatch } = await import("../../app/models/voting/codes.server");
const { castCodeBallot } = await import("../../app/models/voting/cast.server");
const { importPostcodeCsv } = await import("../../app/models/postcode-csv.server");
const { listWards } = await import("../../app/models/council.server");
const { createVotingRound } = await import("../../tests/factories");

const HEADER =
  "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua24,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21\n";

/** The synthetic directory, in chunks of about 256 KB. */
async function* directory(rows: number, ownWards: readonly string[]) {
  yield HEADER;
  const letters = "ABDEFGHJLNPQRSTUWXYZ";
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const area = `Q${String.fromCharCode(65 + (((i / 400_000) | 0) % 26))}${1 + (((i / 4000) % 99) | 0)}`;
    const postcode = `${area} ${i % 10}${letters[((i / 10) | 0) % 20]}${letters[((i / 200) | 0) % 20]}`;
    const ward = i % 400 === 0 ? ownWards[i % ownWards.length]! : `E05${String(10_000 + (i % 9000)).padStart(6, "0")}`;
    chunk += `"${postcode.padEnd(7)}","${postcode.padEnd(8)}","${postcode}","198001","","E10000003","E58000001","E07000008",${ward},"E04001234",0,545123,258123,1,"E18000006","E40000007","E92000001","E12000006",0,"E14000617","E15000006","E24000003","E30000186","E16000055","E08000011","12UBGA","E00092345","12UBGA","E99999999","E01018345","E02003789",5,"7B3","E00092345","E01018345","E02003789","E33012345","E38000026","E63004321","C1","2B1",52.211,0.123,"E37000008","","E23000026",19234,"E56000033","E54000056","E00175432","E01035432","E02003789"\n`;
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const database = openDatabase(databaseFile);
  migrateDatabase(database);
  globalThis.__wardfundDb = database;
  await seedDemoCouncil(database, { withLedger: false });
  const admin = database.$client
    .prepare("select id, name from users where email = 'admin@eastbrook.example'")
    .get() as { id: string; name: string };
  const round = createVotingRound(database, { name: "Bench round", projects: 8, maxRanked: 5 });
  const codes = generateCodeBatch(admin, round.roundId, "Bench", 5000, database).codes;
  const ownWards = listWards().map((w) => w.gssCode);
  console.log(`Database: ${databaseFile}; importing ${ROWS.toLocaleString("en-GB")} synthetic rows`);

  global.gc?.();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const latencies: number[] = [];
  let importing = true;
  let nextCode = 0;
  const casting = (async () => {
    let due = performance.now();
    while (importing && nextCode < codes.length) {
      due += CAST_EVERY_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const started = due;
      const ranking = [round.bidIds[nextCode % round.bidIds.length]!];
      void castCodeBallot(round.roundId, codes[nextCode++]!, ranking, new Date(), database).then(() =>
        latencies.push(performance.now() - started),
      );
    }
  })();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await importPostcodeCsv(admin, "bench-onspd.csv", directory(ROWS, ownWards), new Set(ownWards), {
    database,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  importing = false;
  await casting;
  await new Promise((r) => setTimeout(r, 200));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  console.log(
    `Imported ${summary.imported.toLocaleString("en-GB")} postcodes, skipped ` +
      `${summary.otherWards.toLocaleString("en-GB")} of other wards, in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `Casts during the import: ${latencies.length}, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ` +
      `${percentile(latencies, 99).toFixed(1)} ms`,
  );

  const { buildCli } = (await import(path.join(ROOT, "scripts/build-cli.mjs"))) as {
    buildCli: () => Promise<string[]>;
  };
  await buildCli();
  const pabulib = path.resolve(ROOT, "../shared/fixtures/pabulib");
  const largest = fs
    .readdirSync(pabulib)
    .filter((f) => f.endsWith(".pb"))
    .map((f) => path.join(pabulib, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [path.join(ROOT, "build/cli/count.mjs"), largest, "--rule", "mes"], {
      encoding: "utf8",
    });
    times.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`count failed: ${run.stderr}`);
  }
  console.log(`Count CLI, MES, ${path.basename(largest)}: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
  console.log(
    `Load: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  database.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      postcodes_per_s: Math.round(ROWS / seconds),
      postcodes_per_cpu_s: Math.round(ROWS / cpuSeconds),
      import_peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      cast_p99_during_import_ms: Number(percentile(latencies, 99).toFixed(1)),
      count_cli_krakow_ms: Math.round(percentile(times, 50)),
    }),
  );
}

await main();
