/**
 * What GET /healthz reports: whether the database answers, accepts a write and has every
 * migration applied, and the app's version. No personal data.
 */
import fs from "node:fs";
import path from "node:path";
import { db, migrationsFolder, type Db } from "~/db/client.server";

export interface Health {
  ok: boolean;
  database: { reachable: boolean; writable: boolean; problem?: string };
  migrations: { applied: number; expected: number; current: boolean };
  version: string;
}

function version(): string {
  try {
    const file = path.resolve(process.env.WARDFUND_ROOT ?? process.cwd(), "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function checkHealth(now = new Date(), database: Db = db()): Health {
  const client = database.$client;
  const check = { reachable: false, writable: false, applied: 0, expected: 0 };
  let problem: string | null = null;
  try {
    client.prepare("select 1").get();
    check.reachable = true;
    client
      .prepare(
        "insert into health_checks (id, checked_at) values (1, ?) " +
          "on conflict (id) do update set checked_at = excluded.checked_at",
      )
      .run(now.toISOString());
    check.writable = true;
  } catch (error) {
    problem = (error as { code?: string }).code ?? "database error";
  }
  try {
    const journalFile = path.join(migrationsFolder(), "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: unknown[] };
    check.expected = journal.entries.length;
    check.applied = (client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n;
  } catch {
    problem ??= "migrations unknown";
  }
  const current = check.expected > 0 && check.applied === check.expected;
  return {
    ok: check.reachable && check.writable && current,
    database: { reachable: check.reachable, writable: check.writable, ...(problem ? { problem } : {}) },
    migrations: { applied: check.applied, expected: check.expected, current },
    version: version(),
  };
}
