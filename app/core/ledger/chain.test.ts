import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { payRequest } from "./builders";
import {
  GENESIS_HEAD,
  GENESIS_PREV_HASH,
  appendToChain,
  chainHash,
  sealEntry,
  verifyChain,
  type LogRow,
} from "./chain";
import { LedgerError } from "./errors";
import { idempotencyKeySha256, parsePayloadV1 } from "./payload";
import { sampleLedger } from "./test-support";

const sample = sampleLedger();

describe("hash rule CGL-v1", () => {
  it("is SHA-256 of the tag, prev hash and payload, joined by newlines", () => {
    const payload = '{"a":"é"}';
    const expected = createHash("sha256")
      .update(Buffer.from(`CGL-v1\n${GENESIS_PREV_HASH}\n${payload}`, "utf8"))
      .digest("hex");
    expect(chainHash(GENESIS_PREV_HASH, payload)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("genesis prev hash is 64 zeros", () => {
    expect(GENESIS_PREV_HASH).toBe("0".repeat(64));
    expect(GENESIS_HEAD).toEqual({ seq: 0, hash: GENESIS_PREV_HASH });
  });

  it("refuses a malformed prev hash", () => {
    expect(() => chainHash("ABC", "{}")).toThrow(LedgerError);
    expect(() => chainHash("A".repeat(64), "{}")).toThrow(LedgerError);
  });
});

describe("sealing", () => {
  it("links each row to the one before", () => {
    expect(sample.rows[0]!.prevHash).toBe(GENESIS_PREV_HASH);
    sample.rows.forEach((row, i) => {
      expect(row.seq).toBe(i + 1);
      if (i > 0) expect(row.prevHash).toBe(sample.rows[i - 1]!.hash);
      expect(row.hash).toBe(chainHash(row.prevHash, row.payload));
    });
    expect(sample.head).toEqual({ seq: 12, hash: sample.rows[11]!.hash });
  });

  it("returns the entry the payload describes", () => {
    const entry = sample.entries[2]!;
    expect(entry.seq).toBe(3);
    expect(entry.fy).toBe("2025/26");
    expect(entry.type).toBe("COMMIT");
    expect(parsePayloadV1(sample.rows[2]!.payload).entry_id).toBe(entry.entryId);
  });

  it("appendToChain refuses a payload whose seq does not follow the head", () => {
    expect(() => appendToChain(GENESIS_HEAD, sample.rows[1]!.payload)).toThrow(/does not follow/);
  });

  it("is deterministic", () => {
    expect(sampleLedger().rows).toEqual(sample.rows);
  });

  it("refuses a header the payload cannot hold", () => {
    const draft = payRequest({ grantId: "g", pence: 1 });
    const header = {
      ledger: "L",
      entryId: "e1",
      effectiveDate: "2025-04-01",
      recordedAt: "2025-04-01T00:00:00.000Z",
      actor: "u1",
      approval: null,
      idempotencyKeySha256: idempotencyKeySha256("k"),
    };
    expect(() => sealEntry(draft, header, GENESIS_HEAD)).not.toThrow();
    expect(() => sealEntry(draft, { ...header, recordedAt: "2025-04-01" }, GENESIS_HEAD)).toThrow(LedgerError);
    expect(() => sealEntry(draft, { ...header, effectiveDate: "2025-02-30" }, GENESIS_HEAD)).toThrow(LedgerError);
    expect(() => sealEntry(draft, { ...header, actor: "not an id" }, GENESIS_HEAD)).toThrow(LedgerError);
    expect(() => sealEntry(draft, { ...header, idempotencyKeySha256: "k" }, GENESIS_HEAD)).toThrow(LedgerError);
  });
});

describe("verifyChain", () => {
  const rows = sample.rows;
  const copy = () => rows.map((r) => ({ ...r }));

  it("accepts the untouched chain and reports its head", () => {
    expect(verifyChain(rows)).toEqual({ ok: true, head: sample.head, count: 12 });
    expect(verifyChain([])).toEqual({ ok: true, head: GENESIS_HEAD, count: 0 });
  });

  it("names the first bad seq when a payload is edited", () => {
    const tampered = copy();
    tampered[4]!.payload = tampered[4]!.payload.replace("AP-2025-118834", "AP-2025-999999");
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 5, code: "HASH_MISMATCH" });
  });

  it("names the first bad seq when an amount is edited", () => {
    const tampered = copy();
    tampered[3]!.payload = tampered[3]!.payload.replaceAll('"pence":100000', '"pence":100001');
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 4, code: "HASH_MISMATCH" });
  });

  it("catches a rewritten chain at the next link", () => {
    const tampered = copy();
    tampered[2]!.payload = tampered[2]!.payload.replace("phase 1", "phase 9");
    tampered[2]!.hash = chainHash(tampered[2]!.prevHash, tampered[2]!.payload);
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 4, code: "PREV_HASH_MISMATCH" });
  });

  it("catches swapped rows", () => {
    const tampered = copy();
    [tampered[5], tampered[6]] = [tampered[6]!, tampered[5]!];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 6, code: "SEQ_OUT_OF_ORDER" });
  });

  it("catches a deleted middle row", () => {
    const tampered = copy();
    tampered.splice(6, 1);
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 7, code: "SEQ_OUT_OF_ORDER" });
  });

  it("catches a renumbered chain after a deletion", () => {
    const tampered = copy();
    tampered.splice(6, 1);
    tampered.forEach((row, i) => (row.seq = i + 1));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 7, code: "PREV_HASH_MISMATCH" });
  });

  it("catches a payload that disagrees with its row's seq, even with hashes recomputed", () => {
    const tampered: LogRow[] = [];
    let prev = GENESIS_PREV_HASH;
    for (const row of [rows[0]!, rows[2]!]) {
      const hash = chainHash(prev, row.payload);
      tampered.push({ seq: tampered.length + 1, prevHash: prev, hash, payload: row.payload });
      prev = hash;
    }
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 2, code: "PAYLOAD_SEQ_MISMATCH" });
  });

  it("rejects a payload that is not canonical even when its hash is right", () => {
    const spaced = rows[0]!.payload.replace('"v":1', '"v": 1');
    const tampered = [
      { seq: 1, prevHash: GENESIS_PREV_HASH, hash: chainHash(GENESIS_PREV_HASH, spaced), payload: spaced },
    ];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 1, code: "PAYLOAD_INVALID" });
  });

  it("a truncated tail verifies alone, and is caught only by an independent head or checkpoint", () => {
    const truncated = rows.slice(0, 9);
    expect(verifyChain(truncated).ok).toBe(true);
    expect(verifyChain(truncated, { expectedHead: sample.head })).toMatchObject({
      ok: false,
      seq: 10,
      code: "HEAD_MISMATCH",
    });
    expect(verifyChain(truncated, { checkpoints: [{ seq: 11, hash: rows[10]!.hash }] })).toMatchObject({
      ok: false,
      seq: 10,
      code: "CHECKPOINT_BEYOND_END",
    });
  });

  it("checks checkpoints inside the log", () => {
    expect(
      verifyChain(rows, {
        checkpoints: [
          { seq: 3, hash: rows[2]!.hash },
          { seq: 0, hash: GENESIS_PREV_HASH },
        ],
      }).ok,
    ).toBe(true);
    expect(verifyChain(rows, { checkpoints: [{ seq: 3, hash: rows[3]!.hash }] })).toMatchObject({
      ok: false,
      seq: 3,
      code: "CHECKPOINT_MISMATCH",
    });
  });

  it("a head published earlier than the log's end is a mismatch when an exact head is expected", () => {
    expect(verifyChain(rows, { expectedHead: { seq: 10, hash: rows[9]!.hash } })).toMatchObject({
      ok: false,
      seq: 11,
      code: "HEAD_MISMATCH",
    });
    expect(verifyChain(rows, { checkpoints: [{ seq: 10, hash: rows[9]!.hash }] }).ok).toBe(true);
  });
});
