/**
 * Setting up a real council: `db:setup` in production migrates and seeds nothing, `council:init`
 * creates the council and one administrator with a one-time link and refuses to run twice, the
 * server refuses to start in production without its secrets, and two set-ups started at once both
 * succeed.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "~/db/client.server";
import { checkPasswordToken, setPasswordWithToken, signInWithPassword } from "~/models/accounts.server";
import { serverEnvironment } from "~/utils/env.server";
import { exited, removeTempDirs, runTsx, tempDir } from "../support/ledger-tools";

afterAll(removeTempDirs);

const PRODUCTION = {
  NODE_ENV: "production",
  SESSION_SECRET: "x".repeat(40),
  APP_URL: "https://grants.northby.example",
};
const COUNCIL_FLAGS = [
  "--name",
  "Northby Borough Council",
  "--org-id",
  "GB-LAE-NBY",
  "--fy-start",
  "April",
  "--admin-email",
  "It@Northby.example",
  "--admin-name",
  "Jo Bloggs",
];

function count(database: Db, table: string): number {
  return (database.$client.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
}

async function withDatabase<T>(file: string, work: (database: Db) => T | Promise<T>): Promise<T> {
  const database = openDatabase(file);
  const previous = globalThis.__wardfundDb;
  globalThis.__wardfundDb = database;
  try {
    return await work(database);
  } finally {
    database.$client.close();
    globalThis.__wardfundDb = previous;
  }
}

describe("db:setup in production", () => {
  it("migrates an empty database and seeds nothing: no council, accounts or ledger entries", async () => {
    const file = path.join(tempDir("wardfund-setup-"), "council.db");
    const run = runTsx("scripts/db-setup.ts", [], { ...PRODUCTION, DATABASE_URL: file });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("npm run council:init");
    expect(run.stdout).not.toContain("demo");
    await withDatabase(file, (database) => {
      expect(count(database, "__drizzle_migrations")).toBeGreaterThan(0);
      for (const table of [
        "council_settings",
        "users",
        "role_grants",
        "wards",
        "community_groups",
        "funds",
        "journal_entries",
        "bids",
        "pb_rounds",
      ]) {
        expect(count(database, table), table).toBe(0);
      }
    });
  });
});

describe("council:init", () => {
  const file = path.join(tempDir("wardfund-init-"), "council.db");

  it("creates the council and exactly one administrator, whose one-time link sets a password once", async () => {
    const run = runTsx("scripts/council-init.ts", COUNCIL_FLAGS, { ...PRODUCTION, DATABASE_URL: file });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const link = /https:\/\/grants\.northby\.example\/reset-password\/(\S+)/.exec(run.stdout);
    expect(link, run.stdout).not.toBeNull();
    expect(run.stdout.split(link![1]!)).toHaveLength(2);
    await withDatabase(file, async (database) => {
      const settings = database.$client
        .prepare("select name, org_identifier as org, financial_year_start_month as month from council_settings")
        .all();
      expect(settings).toEqual([{ name: "Northby Borough Council", org: "GB-LAE-NBY", month: 4 }]);
      const users = database.$client.prepare("select id, email, name, password_hash as hash from users").all() as {
        id: string;
        email: string;
        name: string;
        hash: string | null;
      }[];
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ email: "it@northby.example", name: "Jo Bloggs", hash: null });
      const roles = database.$client
        .prepare("select role, ward_id as wardId from role_grants where user_id = ?")
        .all(users[0]!.id);
      expect(roles).toEqual([{ role: "admin", wardId: null }]);
      expect(count(database, "journal_entries")).toBe(0);
      expect(count(database, "outbox")).toBe(0);

      const token = link![1]!;
      expect(checkPasswordToken(token)).toEqual({ ok: true, userId: users[0]!.id, purpose: "invite" });
      expect(await setPasswordWithToken(token, "a long northby passphrase")).toMatchObject({ ok: true });
      expect(checkPasswordToken(token)).toMatchObject({
        ok: false,
        message: "account:link.used",
      });
      const signIn = await signInWithPassword("it@northby.example", "a long northby passphrase", "192.0.2.1");
      expect(signIn).toMatchObject({ ok: true, userId: users[0]!.id });
    });
  });

  it("refuses a database that already has a council, and changes nothing", async () => {
    const run = runTsx(
      "scripts/council-init.ts",
      [...COUNCIL_FLAGS.slice(0, -4), "--admin-email", "second@northby.example", "--admin-name", "Sam Second"],
      {
        ...PRODUCTION,
        DATABASE_URL: file,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("council:init refused: This database already has a council (Northby Borough Council)");
    expect(run.stdout).not.toContain("reset-password");
    await withDatabase(file, (database) => {
      expect(count(database, "users")).toBe(1);
      expect(count(database, "password_tokens")).toBe(1);
    });
  });

  it("says which flags are wrong or missing, without a terminal to ask in", () => {
    const other = path.join(tempDir("wardfund-init-"), "council.db");
    const bad = runTsx(
      "scripts/council-init.ts",
      ["--name", "Northby", "--org-id", "northby", "--fy-start", "13", "--admin-email", "jo", "--admin-name", "Jo"],
      {
        ...PRODUCTION,
        DATABASE_URL: other,
      },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--org-id: give an org-id.guide identifier");
    expect(bad.stderr).toContain("--fy-start: give the month the financial year starts");
    expect(bad.stderr).toContain("--admin-email: give a valid email address");
    const missing = runTsx("scripts/council-init.ts", ["--name", "Northby Borough Council"], {
      ...PRODUCTION,
      DATABASE_URL: other,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("council:init needs --org-id, --fy-start, --admin-email, --admin-name");
  });
});

describe("the server's environment", () => {
  it("refuses production without SESSION_SECRET and APP_URL, naming each", () => {
    const neither = serverEnvironment({ NODE_ENV: "production" });
    expect(neither.ok).toBe(false);
    const message = neither.ok ? "" : neither.message;
    expect(message).toContain("Wardfund will not start in production without these settings:");
    expect(message).toContain("SESSION_SECRET: at least 32 random characters");
    expect(message).toContain("APP_URL: the public address of the site");
    expect(message).toContain("REGISTER_KEY: at least 32 random characters");
    const noUrl = serverEnvironment({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) });
    expect(noUrl.ok ? "" : noUrl.message).not.toContain("SESSION_SECRET:");
    expect(noUrl.ok ? "" : noUrl.message).toContain("APP_URL:");
    const shortSecret = serverEnvironment({
      NODE_ENV: "production",
      SESSION_SECRET: "short",
      APP_URL: "https://grants.northby.example",
      REGISTER_KEY: "r".repeat(40),
    });
    expect(shortSecret.ok ? "" : shortSecret.message).toContain(
      "SESSION_SECRET: String must contain at least 32 character(s)",
    );
  });

  // scripts/server.mjs checks through the Remix build, so this one needs `npm run build` first.
  it.skipIf(!fs.existsSync("build/index.js"))(
    "stops a production server that lacks them before it listens, saying why",
    () => {
      const run = spawnSync(process.execPath, ["scripts/server.mjs"], {
        encoding: "utf8",
        env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "", APP_URL: "", PORT: "0", DAILY_JOBS: "off" },
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("Wardfund will not start in production without these settings:");
      expect(run.stdout).not.toContain("is running");
    },
  );

  it.skipIf(!fs.existsSync("build/index.js"))(
    "prints a generated SESSION_SECRET once in development, and says it is a demo",
    async () => {
      const file = path.join(tempDir("wardfund-dev-"), "demo.db");
      const child = spawn(process.execPath, ["scripts/server.mjs"], {
        env: {
          ...process.env,
          NODE_ENV: "development",
          SESSION_SECRET: "",
          DATABASE_URL: file,
          PORT: "0",
          DAILY_JOBS: "off",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line: ${output}`)), 20_000);
        child.stdout!.on("data", () => {
          if (output.includes("is running")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill();
      await exited(child);
      expect(output.match(/SESSION_SECRET/g) ?? []).toHaveLength(1);
      expect(output).toMatch(
        /SESSION_SECRET was not set, so this process made one up \(sessions end when it stops\): [0-9a-f]{64}/,
      );
      expect(output).toContain("This is a demo council");
    },
  );
});

describe("two set-ups at once", () => {
  it("on a fresh database both succeed: the second waits, then finds the council seeded", async () => {
    const file = path.join(tempDir("wardfund-race-"), "demo.db");
    const start = () => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/db-setup.ts"], {
        env: { ...process.env, NODE_ENV: "development", DATABASE_URL: file },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      return exited(child).then((result) => ({ ...result, output }));
    };
    const [first, second] = await Promise.all([start(), start()]);
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    expect([first.output, second.output].filter((o) => o.includes("Seeded the demo council"))).toHaveLength(1);
    // The set-up makes up no session secret of its own to print: only the server says it, once.
    expect(first.output + second.output).not.toContain("SESSION_SECRET");
    await withDatabase(file, (database) => {
      expect(count(database, "council_settings")).toBe(1);
      expect(count(database, "wards")).toBe(10);
    });
  }, 120_000);
});
