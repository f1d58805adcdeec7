/**
 * Helpers for the ledger's hard tests: temp directories that are cleaned up, database copies, and
 * running the command-line tools (the standalone audit-pack verifier, the tsx scripts, small
 * worker scripts) as child processes, the way an operator or auditor would.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "~/db/client.server";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const VERIFIER = path.join(ROOT, "scripts/verify-audit-pack.mjs");

const made: string[] = [];

export function tempDir(prefix = "wardfund-ledger-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A consistent copy of a live database file (VACUUM INTO reads one snapshot). */
export function copyDatabase(database: Db, file: string): string {
  database.$client.prepare("vacuum into ?").run(file);
  return file;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node scripts/verify-audit-pack.mjs [args] DIR`, exactly as an auditor runs it. */
export function runVerifier(dir: string, ...args: string[]): RunResult {
  const result = spawnSync(process.execPath, [VERIFIER, ...args, dir], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A TypeScript script under the repository run with tsx, with DATABASE_URL set. */
export function runTsx(script: string, args: readonly string[], env: Record<string, string>): RunResult {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `npm run NAME -- args` from the repository root. */
export function runNpm(name: string, args: readonly string[], env: Record<string, string>): RunResult {
  const result = spawnSync("npm", ["run", "-s", name, ...(args.length > 0 ? ["--", ...args] : [])], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a tsx worker script with an IPC channel and piped stdout. */
export function forkTsx(script: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
}

/** Resolves with the exit code (or signal) once the child has gone. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Reads a pack file as text. */
export function readPackFile(dir: string, name: string): string {
  return fs.readFileSync(path.join(dir, name), "utf8");
}

/** Copies a pack directory (to tamper with the copy). */
export function copyPack(dir: string): string {
  const copy = tempDir("wardfund-pack-copy-");
  for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(copy, name));
  return copy;
}
