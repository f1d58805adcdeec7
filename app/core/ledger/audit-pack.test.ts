import { describe, expect, it } from "vitest";
import {
  AUDIT_PACK_FILES,
  CHECKPOINTS_CSV_COLUMNS,
  ENTRIES_CSV_COLUMNS,
  POSTINGS_CSV_COLUMNS,
  TRIAL_BALANCE_CSV_COLUMNS,
  buildAuditPack,
  entryCsvRecord,
  ledgerLogLine,
  trialBalanceOfLog,
  type Checkpoint,
} from "./audit-pack";
import { GENESIS_PREV_HASH } from "./chain";
import { csvField, csvLine } from "./csv";
import { guardText, unguardText } from "../exports/format";
import { sha256Hex } from "./hash";
import { sampleLedger } from "./test-support";

const sample = sampleLedger();
const checkpoints: Checkpoint[] = [
  { seq: 6, hash: sample.rows[5]!.hash, createdAt: "2025-07-31T17:00:00.000Z", reason: "Month end July" },
  { seq: 12, hash: sample.head.hash, createdAt: "2026-04-01T09:00:00.000Z", reason: "Export" },
];
const pack = buildAuditPack({
  ledger: "wardfund-GB-LAE-EXB",
  rows: sample.rows,
  checkpoints,
  generator: "wardfund 0.1.0",
  generatedAt: "2026-04-01T09:00:00.000Z",
  verifyMarkdown: "# Verify\n",
});
const file = (name: string) => pack.find((f) => f.name === name)!.content;

describe("CSV writing", () => {
  it("quotes only when needed, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvLine(["a", "b,c", ""])).toBe('a,"b,c",\r\n');
  });

  it("protects would-be formulas reversibly, with the one guard every CSV uses", () => {
    for (const text of ["=SUM(A1)", "+44", "-5", "-2+3+cmd|' /C calc'!A0", "@cmd", "\tx", "\rx", "'quoted"]) {
      expect(guardText(text)).toBe(`'${text}`);
      expect(unguardText(guardText(text))).toBe(text);
    }
    for (const text of ["plain", "", "a=b", "5-2"]) {
      expect(guardText(text)).toBe(text);
      expect(unguardText(guardText(text))).toBe(text);
    }
  });
});

describe("audit pack files", () => {
  it("has every file, manifest last", () => {
    expect(pack.map((f) => f.name)).toEqual([
      AUDIT_PACK_FILES.log,
      AUDIT_PACK_FILES.entries,
      AUDIT_PACK_FILES.postings,
      AUDIT_PACK_FILES.trialBalance,
      AUDIT_PACK_FILES.checkpoints,
      AUDIT_PACK_FILES.verify,
      AUDIT_PACK_FILES.manifest,
    ]);
  });

  it("ledger_log.jsonl holds one line per seq with the exact payload string", () => {
    const lines = file(AUDIT_PACK_FILES.log).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(12);
    lines.forEach((line, i) => {
      const row = JSON.parse(line);
      expect(Object.keys(row)).toEqual(["seq", "prev_hash", "hash", "payload"]);
      expect(row).toEqual({
        seq: i + 1,
        prev_hash: sample.rows[i]!.prevHash,
        hash: sample.rows[i]!.hash,
        payload: sample.rows[i]!.payload,
      });
    });
    expect(JSON.parse(lines[0]!).prev_hash).toBe(GENESIS_PREV_HASH);
  });

  it("a log line survives payloads with line separators", () => {
    const row = { seq: 1, prevHash: GENESIS_PREV_HASH, hash: "a".repeat(64), payload: '{"memo":"x\u2028y"}' };
    const line = ledgerLogLine(row);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line).payload).toBe(row.payload);
  });

  it("entries.csv: header, one row per entry, text protected and quoted", () => {
    const text = file(AUDIT_PACK_FILES.entries);
    expect(text.startsWith(ENTRIES_CSV_COLUMNS.join(",") + "\r\n")).toBe(true);
    const commit = entryCsvRecord(sample.rows[2]!);
    expect(Object.fromEntries(ENTRIES_CSV_COLUMNS.map((c, i) => [c, commit[i]]))).toEqual({
      seq: "3",
      entry_id: "E0003",
      type: "COMMIT",
      fy: "2025/26",
      period: "3",
      effective_date: "2025-06-12",
      recorded_at: sample.entries[2]!.recordedAt,
      actor: "u-finance-3",
      approval: "AP-0001",
      reverses: "",
      resolves: "",
      reason: "",
      external_ref: "",
      memo: 'Riverside Allotment Society: "raised beds", phase 1\nCafé – garden',
      idempotency_key_sha256: sample.entries[2]!.idempotencyKeySha256,
      posting_count: "4",
      amount_pence: "100000",
      amount: "1000.00",
      hash: sample.rows[2]!.hash,
    });
    expect(text).toContain('"Riverside Allotment Society: ""raised beds"", phase 1\nCafé – garden"');
    const virement = entryCsvRecord(sample.rows[6]!);
    expect(virement[ENTRIES_CSV_COLUMNS.indexOf("reason")]).toBe("'=SUM(A1:A9) pooled by agreement");
    expect(entryCsvRecord(sample.rows[11]!)[ENTRIES_CSV_COLUMNS.indexOf("period")]).toBe("12");
  });

  it("postings.csv: one row per posting, line numbers from 1", () => {
    const rows = file(AUDIT_PACK_FILES.postings).split("\r\n");
    expect(rows[0]).toBe(POSTINGS_CSV_COLUMNS.join(","));
    const postingCount = sample.entries.reduce((n, e) => n + e.postings.length, 0);
    expect(rows.filter((r) => r !== "")).toHaveLength(postingCount + 1);
    expect(rows).toContain("3,E0003,1,AVAILABLE:riverside,AVAILABLE,D,28571,285.71");
    expect(rows).toContain("3,E0003,2,AVAILABLE:hillside,AVAILABLE,D,28572,285.72");
    expect(rows).toContain("3,E0003,4,COMMITTED:g-42,COMMITTED,C,100000,1000.00");
  });

  it("trial_balance.csv is recomputed from the payloads and nets to zero", () => {
    const tb = trialBalanceOfLog(sample.rows);
    expect(tb.netPence).toBe(0);
    const rows = file(AUDIT_PACK_FILES.trialBalance)
      .split("\r\n")
      .filter((r) => r !== "");
    expect(rows[0]).toBe(TRIAL_BALANCE_CSV_COLUMNS.join(","));
    expect(rows).toHaveLength(tb.rows.length + 1);
    expect(rows).toContain("FUNDING:WB:2025/26,FUNDING,D,1000000,0,1000000,1000000,10000.00");
    expect(rows).toContain("PAID:g-42,PAID,C,10000,100000,-90000,90000,900.00");
    expect(rows).toContain("RETURNED:WB:2025/26,RETURNED,C,0,10000,-10000,10000,100.00");
  });

  it("checkpoints.csv lists checkpoints in seq order", () => {
    expect(file(AUDIT_PACK_FILES.checkpoints)).toBe(
      `${CHECKPOINTS_CSV_COLUMNS.join(",")}\r\n6,${sample.rows[5]!.hash},2025-07-31T17:00:00.000Z,Month end ` +
        `July\r\n12,${sample.head.hash},2026-04-01T09:00:00.000Z,Export\r\n`,
    );
  });

  it("manifest.json records each file's hash and size, and the head", () => {
    const manifest = JSON.parse(file(AUDIT_PACK_FILES.manifest));
    expect(manifest).toMatchObject({
      format: "wardfund-audit-pack",
      format_version: 1,
      generator: "wardfund 0.1.0",
      generated_at: "2026-04-01T09:00:00.000Z",
      ledger: "wardfund-GB-LAE-EXB",
      hash_rule: "CGL-v1",
      payload_version: 1,
      entry_count: 12,
      head: sample.head,
    });
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(pack.slice(0, -1).map((f) => f.name));
    for (const entry of manifest.files) {
      const content = file(entry.name);
      expect(entry.sha256).toBe(sha256Hex(content));
      expect(entry.bytes).toBe(Buffer.byteLength(content, "utf8"));
    }
  });

  it("is byte-for-byte reproducible", () => {
    const again = buildAuditPack({
      ledger: "wardfund-GB-LAE-EXB",
      rows: sampleLedger().rows,
      checkpoints,
      generator: "wardfund 0.1.0",
      generatedAt: "2026-04-01T09:00:00.000Z",
      verifyMarkdown: "# Verify\n",
    });
    expect(again).toEqual(pack);
  });

  it("adds a byte order mark to every CSV when asked, and nowhere else", () => {
    const withBom = buildAuditPack({
      ledger: "L",
      rows: sample.rows,
      checkpoints,
      generator: "g",
      generatedAt: "2026-04-01T09:00:00.000Z",
      verifyMarkdown: "v",
      csv: { bom: true },
    });
    for (const f of withBom) expect(f.content.startsWith("\uFEFF")).toBe(f.name.endsWith(".csv"));
  });

  it("an empty ledger has the genesis head", () => {
    const empty = buildAuditPack({
      ledger: "L",
      rows: [],
      checkpoints: [],
      generator: "g",
      generatedAt: "2026-04-01T09:00:00.000Z",
      verifyMarkdown: "v",
    });
    const manifest = JSON.parse(empty.find((f) => f.name === AUDIT_PACK_FILES.manifest)!.content);
    expect(manifest.head).toEqual({ seq: 0, hash: GENESIS_PREV_HASH });
    expect(empty.find((f) => f.name === AUDIT_PACK_FILES.log)!.content).toBe("");
  });
});
