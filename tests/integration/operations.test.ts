/**
 * Operating the app: /healthz, the online backup (npm run db:backup) and the retention rules.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as healthz } from "~/routes/healthz";
import { applyRetention } from "~/models/retention.server";
import { createTestDatabase, type TestDatabase } from "../support/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

describe("/healthz", () => {
  it("reports the database writable, migrations current and the version, and nothing personal", async () => {
    const response = await healthz();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: "ok",
      database: { reachable: true, writable: true },
      migrations: { current: true },
      version: "0.1.0",
    });
    expect(JSON.stringify(body)).not.toMatch(/@|example/);
  });

  it("answers 503 when a migration is missing", async () => {
    const last = t.db.$client
      .prepare("select rowid as id, hash, created_at from __drizzle_migrations order by created_at desc limit 1")
      .get() as { id: number; hash: string; created_at: number };
    t.db.$client.prepare("delete from __drizzle_migrations where rowid = ?").run(last.id);
    try {
      const response = await healthz();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "unavailable", migrations: { current: false } });
    } finally {
      t.db.$client
        .prepare("insert into __drizzle_migrations (hash, created_at) values (?, ?)")
        .run(last.hash, last.created_at);
    }
  });
});

describe("npm run db:backup", () => {
  it("writes a consistent copy whose ledger verifies, with the attachments beside it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-backup-"));
    const attachments = path.join(dir, "uploads");
    fs.mkdirSync(path.join(attachments, "bids"), { recursive: true });
    fs.writeFileSync(path.join(attachments, "bids", "plan.pdf"), "%PDF-1.4 plan");
    const target = path.join(dir, "backup", "wardfund.db");
    const run = spawnSync("npx", ["tsx", "scripts/db-backup.ts", target], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, DATABASE_URL: t.file, ATTACHMENTS_DIR: attachments },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Ledger verifies");
    const copy = new Database(target, { readonly: true });
    const live = t.db.$client.prepare("select count(*) as n from ledger_log").get() as { n: number };
    expect(copy.prepare("select count(*) as n from ledger_log").get()).toEqual(live);
    copy.close();
    expect(fs.readFileSync(path.join(`${target}.attachments`, "bids", "plan.pdf"), "utf8")).toBe("%PDF-1.4 plan");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("retention", () => {
  it("removes old sessions, sign-in failures and used tokens, and old delivered mail bodies", () => {
    const c = t.db.$client;
    const user = c.prepare("select id from users limit 1").get() as { id: string };
    const long = new Date(Date.parse("2031-06-01T00:00:00Z") - 200 * 86_400_000).toISOString();
    c.prepare(
      "insert into outbox (to_address, subject, body, transport, sent_at, created_at) values ('x@y.example', 'old', " +
        "'old body', 'smtp', ?, ?)",
    ).run(long, long);
    c.prepare(
      "insert into password_tokens (user_id, purpose, token_hash, expires_at, used_at) values (?, 'reset', 'h-old', " +
        "?, ?)",
    ).run(user.id, long, long);
    const summary = applyRetention(new Date("2031-06-01T00:00:00Z"));
    expect(summary.mailBodies).toBeGreaterThanOrEqual(1);
    expect(summary.tokens).toBeGreaterThanOrEqual(1);
    const mail = c.prepare("select body, body_removed_at from outbox where subject = 'old'").get() as {
      body: string;
      body_removed_at: string;
    };
    expect(mail.body).toMatch(/removed/);
    expect(mail.body_removed_at).not.toBeNull();
    expect(c.prepare("select count(*) as n from password_tokens where token_hash = 'h-old'").get()).toEqual({ n: 0 });
  });
});
