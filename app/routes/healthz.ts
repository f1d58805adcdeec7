/**
 * GET /healthz for a load balancer or monitor: no sign-in and no personal data. 200 when the
 * database answers, accepts a write and has every migration applied; 503 otherwise.
 */
import fs from "node:fs";
import path from "node:path";
import { json } from "@remix-run/node";
import { db, migrationsFolder } from "~/db/client.server";

function version(): string {
  try {
    const file = path.resolve(process.env.WARDFUND_ROOT ?? process.cwd(), "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export async function loader() {
  const client = db().$client;
  const check = { reachable: false, writable: false, migrationsApplied: 0, migrationsExpected: 0 };
  let problem: string | null = null;
  try {
    client.prepare("select 1").get();
    check.reachable = true;
    client.prepare("insert into health_checks (id, checked_at) values (1, ?) on conflict (id) do update set checked_at = excluded.checked_at").run(new Date().toISOString());
    check.writable = true;
  } catch (error) {
    problem = (error as { code?: string }).code ?? "database error";
  }
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    check.migrationsExpected = journal.entries.length;
    check.migrationsApplied = (client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n;
  } catch {
    problem ??= "migrations unknown";
  }
  const migrationsCurrent = check.migrationsExpected > 0 && check.migrationsApplied === check.migrationsExpected;
  const ok = check.reachable && check.writable && migrationsCurrent;
  return json(
    {
      status: ok ? "ok" : "unavailable",
      database: { reachable: check.reachable, writable: check.writable, ...(problem ? { problem } : {}) },
      migrations: { applied: check.migrationsApplied, expected: check.migrationsExpected, current: migrationsCurrent },
      version: version(),
    },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
