import { describe, expect, it } from "vitest";
import { payRequest } from "./builders";
import { LedgerError } from "./errors";
import {
  PAYLOAD_V1_KEYS,
  checkPayloadV1,
  entryOfPayloadV1,
  idempotencyKeySha256,
  parsePayloadV1,
  payloadV1Of,
  serialisePayloadV1,
} from "./payload";

const header = {
  ledger: "wardfund-test",
  seq: 1,
  entryId: "E0001",
  effectiveDate: "2026-03-31",
  recordedAt: "2026-03-31T23:30:00.000Z",
  actor: "u-1",
  approval: null,
  idempotencyKeySha256: idempotencyKeySha256("key-1"),
};
const draft = payRequest({ grantId: "g1", pence: 1234, memo: "Café" });
const payload = payloadV1Of({ ...draft, ...header });

describe("payload v1", () => {
  it("always has every key, with explicit nulls", () => {
    expect(Object.keys(payload).sort()).toEqual([...PAYLOAD_V1_KEYS]);
    expect(payload.approval).toBeNull();
    expect(payload.reverses).toBeNull();
    expect(payload.resolves).toBeNull();
    expect(payload.reason).toBeNull();
    expect(payload.external_ref).toBeNull();
  });

  it("derives fy from the effective date", () => {
    expect(payload.fy).toBe("2025/26");
  });

  it("serialises canonically, postings as {account, dc, pence} in line order", () => {
    expect(serialisePayloadV1(payload)).toBe(
      '{"actor":"u-1","approval":null,"effective_date":"2026-03-31","entry_id":"E0001","external_ref":null,"fy":"2025/26",' +
        `"idempotency_key_sha256":"${idempotencyKeySha256("key-1")}","ledger":"wardfund-test","memo":"Café",` +
        '"postings":[{"account":"COMMITTED:g1","dc":"D","pence":1234},{"account":"PAYABLE:g1","dc":"C","pence":1234}],' +
        '"reason":null,"recorded_at":"2026-03-31T23:30:00.000Z","resolves":null,"reverses":null,"seq":1,"type":"PAY_REQUEST","v":1}',
    );
  });

  it("parses back to the same entry", () => {
    const parsed = parsePayloadV1(serialisePayloadV1(payload));
    expect(parsed).toEqual(payload);
    expect(entryOfPayloadV1(parsed)).toEqual({ ...draft, ...header, fy: "2025/26" });
  });

  it("idempotency keys are stored as SHA-256 hex", () => {
    expect(idempotencyKeySha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it.each<[string, Record<string, unknown>]>([
    [
      "a missing key",
      (() => {
        const p: Record<string, unknown> = { ...payload };
        delete p.memo;
        return p;
      })(),
    ],
    ["an extra key", { ...payload, extra: null }],
    ["v 2", { ...payload, v: 2 }],
    ["a fy that does not match the date", { ...payload, fy: "2026/27" }],
    ["a bad date", { ...payload, effective_date: "2026-02-30" }],
    ["recorded_at without ms", { ...payload, recorded_at: "2026-03-31T23:30:00Z" }],
    ["seq 0", { ...payload, seq: 0 }],
    ["an unknown type", { ...payload, type: "GIFT" }],
    ["a bad idempotency hash", { ...payload, idempotency_key_sha256: "ABC" }],
    ["a boolean memo", { ...payload, memo: true }],
    ["a posting with a float", { ...payload, postings: [{ account: "COMMITTED:g1", dc: "D", pence: 1.5 }] }],
    [
      "a posting with an extra key",
      { ...payload, postings: [{ account: "COMMITTED:g1", dc: "D", pence: 1, line_no: 1 }] },
    ],
    ["a posting with a zero amount", { ...payload, postings: [{ account: "COMMITTED:g1", dc: "D", pence: 0 }] }],
  ])("rejects %s", (_label, value) => {
    expect(checkPayloadV1(value).length).toBeGreaterThan(0);
    expect(() => serialisePayloadV1(value as never)).toThrow(LedgerError);
  });

  it("parsePayloadV1 refuses non-JSON, non-canonical or malformed text", () => {
    const text = serialisePayloadV1(payload);
    expect(() => parsePayloadV1("{")).toThrow(/not JSON/);
    expect(() => parsePayloadV1(JSON.stringify(payload))).toThrow(/canonical/);
    expect(() => parsePayloadV1(text.replace('"v":1', '"v":1,"w":2'))).toThrow(LedgerError);
    expect(() => parsePayloadV1(text.replace("Café", "Cafe\u0301"))).toThrow(/canonical/);
  });
});
