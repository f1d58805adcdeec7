/**
 * One formula guard for every CSV the app writes: a bid whose title is a spreadsheet formula is
 * decided, its title becomes the COMMIT's memo, and it reaches the ledger CSV and the audit pack
 * neutralised, while the pack still verifies with the standalone verifier (which undoes the guard
 * exactly when it compares the CSV with the hashed log).
 */
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardText, unguardText } from "~/core/exports";
import { ballotsCsv } from "~/core/results/ballot-file";
import { exportAuditPack } from "~/models/audit-pack.server";
import { decideBid } from "~/models/decisions.server";
import { writeLedgerCsv } from "~/models/ledger-csv.server";
import { loadPrincipal } from "~/utils/auth.server";
import { submittedBid, userId } from "../factories";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { FINANCE } from "../support/ledger-world";
import { readPackFile, removeTempDirs, runVerifier, tempDir } from "../support/ledger-tools";

const TITLE = "-2+3+cmd|' /C calc'!A0";
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => {
  t.close();
  removeTempDirs();
});

const records = (text: string) => parse(text, { bom: true }) as string[][];

async function ledgerCsvText(): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await writeLedgerCsv(out, {}, { database: t.db });
  return Buffer.concat(chunks).toString("utf8");
}

describe("a bid title that is a formula", () => {
  let grantId: string;

  beforeAll(() => {
    const bidId = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 20_000,
      title: TITLE,
    });
    const councillor = loadPrincipal(userId(t.db, "councillor@eastbrook.example"))!;
    const result = decideBid(councillor, {
      bidId,
      hasInterest: false,
      outcome: "approve",
      idempotencyKey: "csv-guard-decision",
    });
    if (result.kind !== "decided" || !result.grantId) throw new Error("the bid was not approved");
    grantId = result.grantId;
  });

  it("reaches the ledger CSV neutralised", async () => {
    const [header, ...rows] = records(await ledgerCsvText());
    const memo = header!.indexOf("memo");
    const commitRows = rows.filter((r) => r.includes(`COMMITTED:${grantId}`));
    expect(commitRows.length).toBeGreaterThan(0);
    for (const row of commitRows) {
      expect(row[memo]).toBe(`'${TITLE}`);
      expect(unguardText(row[memo]!)).toBe(TITLE);
    }
  });

  it("reaches the audit pack neutralised, and the pack still verifies", () => {
    const dir = path.join(tempDir(), "pack");
    exportAuditPack(dir, { actor: FINANCE, reason: "formula guard check" }, t.db);
    const [header, ...rows] = records(readPackFile(dir, "entries.csv"));
    const memos = rows.map((r) => r[header!.indexOf("memo")]);
    expect(memos).toContain(`'${TITLE}`);
    expect(memos).not.toContain(TITLE);
    const verified = runVerifier(dir);
    expect(verified.stderr).toBe("");
    expect(verified).toMatchObject({ status: 0, stdout: expect.stringMatching(/OK/) });
  });

  it("the verifier refuses the pack when the guard is stripped from that memo", () => {
    const dir = path.join(tempDir(), "pack");
    exportAuditPack(dir, { actor: FINANCE, reason: "tamper check" }, t.db);
    const file = path.join(dir, "entries.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`'${TITLE}`, TITLE));
    expect(runVerifier(dir).status).not.toBe(0);
  });
});

describe("every CSV the app writes uses the one guard", () => {
  it("the ballots CSV neutralises a formula-like cell the same way", () => {
    const file = JSON.stringify({ maxLength: 2, ballots: [{ ranking: ["=cmd", "-1+1"] }] });
    expect(ballotsCsv(file)).toBe(`rank_1,rank_2\r\n${guardText("=cmd")},${guardText("-1+1")}\r\n`);
  });

  it("no module writing CSV defines a guard of its own", () => {
    const root = path.resolve(__dirname, "../../app");
    const files = [
      "models/ledger-csv.server.ts",
      "models/audit-pack.server.ts",
      "models/exports.server.ts",
      "core/ledger/audit-pack.ts",
      "core/ledger/csv.ts",
      "core/results/ballot-file.ts",
      "routes/admin.rounds.$roundId.codes.tsx",
      "core/exports/spend.ts",
      "core/exports/vcse.ts",
      "core/exports/three-sixty-giving.ts",
    ];
    for (const name of files) {
      const text = fs.readFileSync(path.join(root, name), "utf8");
      expect(text, name).not.toMatch(/\/\^\[=\+/);
    }
    const writers = [
      "models/ledger-csv.server.ts",
      "core/ledger/audit-pack.ts",
      "core/results/ballot-file.ts",
      "routes/admin.rounds.$roundId.codes.tsx",
      "core/exports/spend.ts",
      "core/exports/vcse.ts",
      "core/exports/three-sixty-giving.ts",
    ];
    for (const name of writers) expect(fs.readFileSync(path.join(root, name), "utf8"), name).toMatch(/\bguardText\(/);
  });
});
