/**
 * A full disk: a real SQLite file held to its current size with PRAGMA max_page_count (so the
 * next write fails with SQLITE_FULL) answers 503 "not recorded", and ledger:export onto a full
 * file system says so and exits 3.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTransaction } from "~/db/client.server";
import { outbox } from "~/db/schema";
import { action as forgotPassword } from "~/routes/forgot-password";
import { NOT_RECORDED_MESSAGE, StorageUnavailable } from "~/utils/storage.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, responseOf } from "../support/requests";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

function fillTheDisk(): () => void {
  t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
  const pages = t.db.$client.pragma("page_count", { simple: true }) as number;
  t.db.$client.pragma(`max_page_count = ${pages}`);
  // Use up the free space left in the last pages too, so the very next write needs a new page.
  const filler = t.db.$client.prepare(
    "insert into outbox (to_address, subject, body, transport) values ('filler', 'filler', ?, 'outbox')",
  );
  for (const size of [4096, 512, 64, 8]) {
    try {
      for (;;) filler.run("f".repeat(size));
    } catch (error) {
      expect((error as { code?: string }).code).toBe("SQLITE_FULL");
    }
  }
  return () => {
    t.db.$client.pragma("max_page_count = 1073741823");
    t.db.$client.prepare("delete from outbox where to_address = 'filler'").run();
  };
}

describe("a full database disk", () => {
  it("answers an action with 503 and a plain 'not recorded' message, and records nothing", async () => {
    const before = t.db.select().from(outbox).all().length;
    const free = fillTheDisk();
    try {
      const response = await responseOf(() =>
        forgotPassword({
          request: formRequest("/forgot-password", { email: "admin@eastbrook.example" }),
          params: {},
          context: {},
        }),
      );
      expect(response).toBeInstanceOf(Response);
      const answer = response as Response;
      expect(answer.status).toBe(503);
      expect(answer.headers.get("Retry-After")).toBe("30");
      expect(await answer.text()).toBe(NOT_RECORDED_MESSAGE);
      expect(NOT_RECORDED_MESSAGE).toMatch(/not recorded.*Try again shortly/);

      const big = "x".repeat(64 * 1024);
      let thrown: unknown;
      try {
        writeTransaction((tx) => {
          for (let i = 0; i < 50; i++)
            tx.insert(outbox).values({ toAddress: "a@b.example", subject: "s", body: big, transport: "outbox" }).run();
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StorageUnavailable);
      expect((thrown as StorageUnavailable).cause).toMatchObject({ code: "SQLITE_FULL" });
    } finally {
      free();
    }
    expect(t.db.select().from(outbox).all().length).toBe(before);
  });
});

const root = path.resolve(__dirname, "../..");
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-mount-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

describe("ledger:export onto a full disk", () => {
  it("refuses /dev/full as a directory with exit 2, not the 'does not verify' code", () => {
    const run = spawnSync("npx", ["tsx", "scripts/ledger-export.ts", "--out", "/dev/full"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.file },
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("/dev/full is not a directory");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!canMountTmpfs())("says the disk is full, keeps nothing and exits 3", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir]);
    try {
      const checkpoints = () =>
        (t.db.$client.prepare("select count(*) as n from ledger_checkpoints").get() as { n: number }).n;
      const before = checkpoints();
      const run = spawnSync("npx", ["tsx", "scripts/ledger-export.ts", "--out", path.join(dir, "pack")], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: t.file },
        encoding: "utf8",
      });
      expect(run.stderr).toContain("no space left on the device (ENOSPC)");
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status).toBe(3);
      expect(fs.existsSync(path.join(dir, "pack"))).toBe(false);
      expect(checkpoints()).toBe(before);
    } finally {
      execFileSync("umount", [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
