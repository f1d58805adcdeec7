/**
 * The production server as the benchmarks run it: scripts/server.mjs in its own process with
 * NODE_ENV=production, on a database the benchmark made, answering on 127.0.0.1. BENCH_PROFILE=<dir>
 * runs it under the V8 CPU profiler; `stop` waits for it to exit, so the profile is written first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface BenchServer {
  child: ChildProcess;
  origin: string;
  /** Asks the server to stop and resolves once it has exited. */
  stop(): Promise<void>;
}

export async function startBenchServer(options: {
  root: string;
  port: number;
  databaseFile: string;
  secret: string;
  /** Settings beyond the required ones (e.g. DAILY_JOBS: "off"). */
  env?: Record<string, string>;
}): Promise<BenchServer> {
  const { root, port, databaseFile, secret } = options;
  if (!fs.existsSync(path.join(root, "build", "index.js"))) {
    console.error("No production build: run `npm run build` first.");
    process.exit(1);
  }
  const origin = `http://127.0.0.1:${port}`;
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`]
    : [];
  const child = spawn(process.execPath, [...profile, path.join(root, "scripts", "server.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseFile,
      SESSION_SECRET: secret,
      REGISTER_KEY: crypto.randomBytes(32).toString("hex"),
      APP_URL: origin,
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const kill = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  process.on("exit", kill);
  const stop = async () => {
    kill();
    if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
  };
  try {
    await waitUntilAnswering(child, origin);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, origin, stop };
}

async function waitUntilAnswering(child: ChildProcess, origin: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("The server exited while starting");
    try {
      if ((await fetch(`${origin}/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("The server did not start within 30 s");
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is none. */
export function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
