/**
 * SHA-256 over UTF-8 text, as lowercase hex. The one place the ledger core touches node:crypto,
 * so every other module stays a pure function of its inputs.
 *
 * Node's one-shot `crypto.hash` (Node 20.12 and later) is used where there is one: it skips the
 * Hash object and costs about half as much per call, which matters when a chain of a million
 * entries is verified. Older Node falls back to `createHash`; both give the same digest.
 */
import * as crypto from "node:crypto";

type OneShotHash = (algorithm: string, data: string, outputEncoding: "hex") => string;
const oneShot = (crypto as { hash?: OneShotHash }).hash;

export const sha256Hex: (text: string) => string =
  typeof oneShot === "function"
    ? (text) => oneShot("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: unknown): value is string {
  return typeof value === "string" && SHA256_HEX_PATTERN.test(value);
}
