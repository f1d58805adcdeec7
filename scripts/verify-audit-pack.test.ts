/**
 * Tamper tests for scripts/verify-audit-pack.mjs: real packs are built with the ledger core's
 * builders into temp directories, altered the way an attacker or a bad export would, and checked
 * by running the verifier as a child process, exactly as an auditor would.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAuditPack, ledgerLogLines, type Checkpoint } from "~/core/ledger/audit-pack";
import { chainHash, GENESIS_PREV_HASH, type LogRow } from "~/core/ledger/chain";
import type { EntryDraft, Posting } from "~/core/ledger/entry";
import { entryIdOf, SAMPLE_LEDGER_ID, sampleLedger, sealAll } from "~/core/ledger/test-support";

const SCRIPT = fileURLToPath(new URL("./verify-audit-pack.mjs", import.meta.url));
const VERIFY_MD = readFileSync(fileURLToPath(new URL("../app/core/ledger/VERIFY.md", import.meta.url)), "utf8");
const sample = sampleLedger();
const tempDirs: string[] = [];

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function checkpointAt(rows: readonly LogRow[], seq: number, reason = "Month end"): Checkpoint {
  return { seq, hash: rows[seq - 1]!.hash, createdAt: "2025-09-30T17:00:00.000Z", reason };
}

function writePack(
  rows: readonly LogRow[],
  checkpoints: readonly Checkpoint[] = [checkpointAt(rows, Math.min(6, rows.length))].filter(() => rows.length > 0),
  bom = false,
): string {
  const dir = mkdtempSync(join(tmpdir(), "audit-pack-"));
  tempDirs.push(dir);
  const files = buildAuditPack({
    ledger: SAMPLE_LEDGER_ID,
    rows,
    checkpoints,
    generator: "wardfund test",
    generatedAt: "2026-04-01T09:00:00.000Z",
    verifyMarkdown: VERIFY_MD,
    csv: { bom },
  });
  for (const file of files) writeFileSync(join(dir, file.name), file.content);
  return dir;
}

function verify(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args, dir], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Changes a file and, like a careful attacker, brings its manifest entry up to date. */
function tamper(dir: string, name: string, change: (text: string) => string, fixManifest = true): void {
  const path = join(dir, name);
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  if (!fixManifest) return;
  const manifestPath = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const entry = manifest.files.find((f: { name: string }) => f.name === name);
  entry.sha256 = createHash("sha256").update(Buffer.from(after, "utf8")).digest("hex");
  entry.bytes = Buffer.byteLength(after, "utf8");
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

const logLines = (text: string) => text.slice(0, -1).split("\n");
const joinLines = (lines: string[]) => `${lines.join("\n")}\n`;

function expectFailure(result: ReturnType<typeof verify>, where: string, reason?: RegExp): void {
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(new RegExp(`^FAIL ${where}: `));
  if (reason) expect(result.stderr).toMatch(reason);
}

describe("an untouched pack", () => {
  it("verifies, printing entries, head and OK", () => {
    const result = verify(writePack(sample.rows));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("entries:     12");
    expect(result.stdout).toContain("head seq:    12");
    expect(result.stdout).toContain(`head hash:   ${sample.head.hash}`);
    expect(result.stdout).toContain("checkpoints: 1 matched");
    expect(result.stdout.trim().endsWith("OK")).toBe(true);
  });

  it("verifies with Excel byte order marks on the CSVs", () => {
    expect(verify(writePack(sample.rows, [], true)).status).toBe(0);
  });

  it("verifies with LF instead of CRLF line ends in a CSV", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "entries.csv", (text) => text.replaceAll("\r\n", "\n"));
    expect(verify(dir).status).toBe(0);
  });

  it("verifies an empty ledger", () => {
    const result = verify(writePack([], []));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`head hash:   ${GENESIS_PREV_HASH}`);
  });

  it("accepts independently received heads, with or without their seq", () => {
    const dir = writePack(sample.rows);
    const result = verify(dir, "--expect-head", sample.head.hash, "--expect-head", `4:${sample.rows[3]!.hash}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("independent heads: seq 12 matched, seq 4 matched");
  });
});

describe("tampering with ledger_log.jsonl names the first bad seq", () => {
  it("an edited payload", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) => text.replace("AP-2025-118834", "AP-2025-118835"));
    expectFailure(verify(dir), "seq 5", /hash does not match/);
  });

  it("an edited amount", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) => {
      const lines = logLines(text);
      lines[3] = lines[3]!.replaceAll('\\"pence\\":100000', '\\"pence\\":100001');
      return joinLines(lines);
    });
    expectFailure(verify(dir), "seq 4", /hash does not match/);
  });

  it("swapped rows", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) => {
      const lines = logLines(text);
      [lines[5], lines[6]] = [lines[6]!, lines[5]!];
      return joinLines(lines);
    });
    expectFailure(verify(dir), "seq 6", /seq must run 1..N/);
  });

  it("a deleted middle row", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) => joinLines(logLines(text).filter((_, i) => i !== 6)));
    expectFailure(verify(dir), "seq 7", /line 7 has seq 8/);
  });

  it("a deleted middle row with the rest renumbered", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) =>
      joinLines(
        logLines(text)
          .filter((_, i) => i !== 6)
          .map((line, i) => line.replace(/^\{"seq":\d+,/, `{"seq":${i + 1},`)),
      ),
    );
    expectFailure(verify(dir), "seq 7", /prev_hash does not equal the hash of seq 6/);
  });

  it("an edit without updating the manifest is caught at the file", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) => text.replace("AP-2025-118834", "AP-2025-118835"), false);
    expectFailure(verify(dir), "ledger_log.jsonl", /SHA-256 does not match/);
  });

  it("a payload re-spelt non-canonically with every hash recomputed", () => {
    const rows = sample.rows.map((row) => ({ ...row }));
    rows[1]!.payload = rows[1]!.payload.replace('"v":1}', '"v":1 }');
    let prev = GENESIS_PREV_HASH;
    for (const row of rows) {
      row.prevHash = prev;
      row.hash = chainHash(prev, row.payload);
      prev = row.hash;
    }
    const dir = writePack(sample.rows, []);
    tamper(dir, "ledger_log.jsonl", () => [...ledgerLogLines(rows)].join(""));
    expectFailure(verify(dir), "seq 2", /not in canonical form/);
  });
});

describe("rewrites and truncation", () => {
  /** The sample with entry 3's memo changed and every later hash recomputed, as a DB owner could. */
  function rewrittenRows(): LogRow[] {
    const rows = sample.rows.map((row) => ({ ...row }));
    rows[2]!.payload = rows[2]!.payload.replace("phase 1", "phase 9");
    let prev = GENESIS_PREV_HASH;
    for (const row of rows) {
      row.prevHash = prev;
      row.hash = chainHash(prev, row.payload);
      prev = row.hash;
    }
    return rows;
  }

  it("a recomputed chain is caught by an old checkpoint left in checkpoints.csv", () => {
    const dir = writePack(rewrittenRows(), [checkpointAt(sample.rows, 6)]);
    expectFailure(verify(dir), "seq 6", /differs from checkpoint/);
  });

  it(
    "a recomputed chain with recomputed checkpoints passes alone, and fails against the head received " +
      "independently",
    () => {
      const rows = rewrittenRows();
      const dir = writePack(rows, [checkpointAt(rows, 6)]);
      expect(verify(dir).status).toBe(0);
      expectFailure(verify(dir, "--expect-head", `12:${sample.head.hash}`), "seq 12", /rewritten/);
      expectFailure(verify(dir, "--expect-head", sample.head.hash), "seq 13", /not in the log/);
    },
  );

  it("a truncated tail verifies on its own: it is detected only with an independent head", () => {
    const truncated = sample.rows.slice(0, 9);
    const dir = writePack(truncated, [checkpointAt(truncated, 6)]);
    const alone = verify(dir);
    expect(alone.status).toBe(0);
    expect(alone.stdout).toContain("entries:     9");
    expectFailure(verify(dir, "--expect-head", sample.head.hash), "seq 10", /truncated or rewritten/);
    expectFailure(
      verify(dir, "--expect-head", `12:${sample.head.hash}`),
      "seq 10",
      /beyond the end of the log \(seq 9\): the log was truncated/,
    );
  });

  it("a truncated tail is also detected by a checkpoint beyond the end", () => {
    const dir = writePack(sample.rows.slice(0, 9), [checkpointAt(sample.rows, 6), checkpointAt(sample.rows, 11)]);
    expectFailure(verify(dir), "seq 10", /checkpoint at seq 11 is beyond the end/);
  });

  it("a truncated log under an untouched manifest disagrees with the manifest head", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "ledger_log.jsonl", (text) => joinLines(logLines(text).slice(0, 9)));
    const manifestPath = join(dir, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.entry_count = 9;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expectFailure(verify(dir), "seq 10", /manifest head is seq 12/);
  });
});

describe("the readable files must match the log", () => {
  it("an edited amount in postings.csv", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "postings.csv", (text) =>
      text.replace(
        "4,E0004,1,COMMITTED:g-42,COMMITTED,D,100000,1000.00",
        "4,E0004,1,COMMITTED:g-42,COMMITTED,D,100000,1001.00",
      ),
    );
    expectFailure(verify(dir), "seq 4", /postings.csv line 1 column amount/);
  });

  it("an edited memo in entries.csv, inside a quoted multi-line field", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "entries.csv", (text) =>
      text.replace('""raised beds"", phase 1\nCafé', '""raised beds"", phase 2\nCafé'),
    );
    expectFailure(verify(dir), "seq 3", /entries.csv column memo/);
  });

  it("a formula protection that was stripped", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "entries.csv", (text) => text.replace("'=SUM(A1:A9)", "=SUM(A1:A9)"));
    expectFailure(verify(dir), "seq 7", /entries.csv column reason/);
  });

  it("a missing entries.csv row", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "entries.csv", (text) =>
      text
        .split("\r\n")
        .filter((line) => !line.startsWith("12,E0012,"))
        .join("\r\n"),
    );
    expectFailure(verify(dir), "seq 12", /entries.csv has no row/);
  });

  it("an extra postings.csv row", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "postings.csv", (text) => `${text}12,E0012,3,AVAILABLE:meadow,AVAILABLE,D,1,0.01\r\n`);
    expectFailure(verify(dir), "seq 13", /postings.csv has \d+ rows/);
  });

  it("an edited trial balance", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "trial_balance.csv", (text) =>
      text.replace(
        "PAID:g-42,PAID,C,10000,100000,-90000,90000,900.00",
        "PAID:g-42,PAID,C,10000,100000,-90000,90001,900.01",
      ),
    );
    expectFailure(verify(dir), "trial_balance.csv", /balance_pence/);
  });

  it("a malformed CSV is reported, not misread", () => {
    const dir = writePack(sample.rows);
    tamper(dir, "entries.csv", (text) => `${text}"unterminated`);
    expectFailure(verify(dir), "entries.csv", /never closed/);
  });

  it("a missing file", () => {
    const dir = writePack(sample.rows);
    unlinkSync(join(dir, "checkpoints.csv"));
    expectFailure(verify(dir), "checkpoints.csv", /missing/);
  });
});

describe("entries that are well chained but break the ledger's rules", () => {
  const P = (dc: "D" | "C", account: string, pence: number): Posting => ({ account, dc, pence });
  const draft = (type: EntryDraft["type"], postings: Posting[], extra: Partial<EntryDraft> = {}): EntryDraft => ({
    type,
    postings,
    reverses: null,
    resolves: null,
    reason: null,
    externalRef: null,
    memo: null,
    ...extra,
  });
  const budget = draft("BUDGET_SET", [P("D", "FUNDING:WB:2025/26", 1000), P("C", "AVAILABLE:a", 1000)]);
  const award = draft("COMMIT", [P("D", "AVAILABLE:a", 400), P("C", "COMMITTED:g", 400)]);
  const request = draft("PAY_REQUEST", [P("D", "COMMITTED:g", 400), P("C", "PAYABLE:g", 400)]);
  const confirm = draft("PAY_CONFIRM", [P("D", "PAYABLE:g", 400), P("C", "PAID:g", 400)], {
    resolves: entryIdOf(3),
    externalRef: "AP-1",
  });
  const packOf = (...drafts: EntryDraft[]) =>
    writePack(sealAll(drafts.map((d) => ({ draft: d, effectiveDate: "2025-06-01" }))).rows, []);

  it("a sound sequence passes", () => {
    expect(verify(packOf(budget, award, request, confirm)).status).toBe(0);
  });

  it("an unbalanced entry", () => {
    expectFailure(
      verify(packOf(budget, draft("COMMIT", [P("D", "AVAILABLE:a", 400), P("C", "COMMITTED:g", 399)]))),
      "seq 2",
      /do not balance/,
    );
  });

  it("an overspend", () => {
    expectFailure(
      verify(packOf(budget, draft("COMMIT", [P("D", "AVAILABLE:a", 1001), P("C", "COMMITTED:g", 1001)]))),
      "seq 2",
      /AVAILABLE:a falls below zero/,
    );
  });

  it("a reversal that does not mirror its original", () => {
    const wrong = draft("REVERSAL", [P("C", "AVAILABLE:a", 300), P("D", "COMMITTED:g", 300)], {
      reverses: entryIdOf(2),
      reason: "x",
    });
    expectFailure(verify(packOf(budget, award, wrong)), "seq 3", /not the exact mirror/);
  });

  it("an entry reversed twice", () => {
    const undo = draft("REVERSAL", [P("C", "AVAILABLE:a", 400), P("D", "COMMITTED:g", 400)], {
      reverses: entryIdOf(2),
      reason: "x",
    });
    const again = draft("REVERSAL", [P("C", "AVAILABLE:a", 400), P("D", "COMMITTED:g", 400)], {
      reverses: entryIdOf(2),
      reason: "y",
    });
    expectFailure(verify(packOf(budget, award, award, undo, again)), "seq 5", /already reversed/);
  });

  it("a reversal of a reversal", () => {
    const undo = draft("REVERSAL", [P("C", "AVAILABLE:a", 400), P("D", "COMMITTED:g", 400)], {
      reverses: entryIdOf(2),
      reason: "x",
    });
    const redo = draft("REVERSAL", [P("D", "AVAILABLE:a", 400), P("C", "COMMITTED:g", 400)], {
      reverses: entryIdOf(3),
      reason: "y",
    });
    expectFailure(verify(packOf(budget, award, undo, redo)), "seq 4", /itself a reversal/);
  });

  it("a reservation resolved twice", () => {
    expectFailure(
      verify(packOf(budget, award, request, confirm, award, request, confirm)),
      "seq 7",
      /resolves E0003, which was already resolved/,
    );
  });

  it("a resolution of the wrong kind of entry", () => {
    expectFailure(
      verify(packOf(budget, award, request, { ...confirm, resolves: entryIdOf(2) })),
      "seq 4",
      /not an earlier PAY_REQUEST/,
    );
  });
});

describe("the command line", () => {
  it("refuses bad arguments with exit 2", () => {
    expect(spawnSync(process.execPath, [SCRIPT], { encoding: "utf8" }).status).toBe(2);
    expect(spawnSync(process.execPath, [SCRIPT, "--expect-head", "nothex", "."], { encoding: "utf8" }).status).toBe(2);
    expect(spawnSync(process.execPath, [SCRIPT, "--frobnicate", "."], { encoding: "utf8" }).status).toBe(2);
    expect(spawnSync(process.execPath, [SCRIPT, join(tmpdir(), "no-such-pack-dir")], { encoding: "utf8" }).status).toBe(
      2,
    );
  });

  it("uses only node: built-ins and nothing from the app", () => {
    const source = readFileSync(SCRIPT, "utf8");
    const imports = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^node:/);
  });
});
