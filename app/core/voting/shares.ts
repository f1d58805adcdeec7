/**
 * Officers' key shares as text to print and type back: the share's bytes and a checksum in Crockford
 * base32 (5 bits a character), in groups of four, after the round's number. `R12-7K3M-9QXA-…`.
 * The checksum (the first 3 bytes of SHA-256 over the round and the share) catches a mistyped share
 * before it is used, so the officer is told which share to check rather than that the key is wrong.
 */
import { sha256Hex } from "../ledger/hash";
import { messageKey } from "../messages/message-key";
import { CROCKFORD_ALPHABET, groupInFours } from "./codes";

/** 2-of-3: any two officers open the ballots; one share may be lost (or leak) without harm. */
export const SHARE_COUNT = 3;
export const SHARE_THRESHOLD = 2;
const CHECKSUM_BYTES = 3;

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function checksum(roundId: number, share: Uint8Array): Uint8Array {
  const hex = sha256Hex(`${roundId}:${toHex(share)}`).slice(0, CHECKSUM_BYTES * 2);
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

/** Bytes as Crockford base32, 5 bits a character, the last character padded with zero bits. */
export function crockfordFromBytes(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The inverse of `crockfordFromBytes`; null when a character is not in the alphabet. */
export function bytesFromCrockford(text: string): Uint8Array | null {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text) {
    const value = CROCKFORD_ALPHABET.indexOf(ch);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

export function formatShare(roundId: number, share: Uint8Array): string {
  const body = new Uint8Array(share.length + CHECKSUM_BYTES);
  body.set(share);
  body.set(checksum(roundId, share), share.length);
  return `R${roundId}-${groupInFours(crockfordFromBytes(body))}`;
}

export type ShareReading = { ok: true; share: Uint8Array } | { ok: false; message: string };

/** Reads a typed share: spaces, case and the hyphens between groups ignored; O read as 0 and I, L as 1. */
export function readShare(roundId: number, input: string, shareBytes: number): ShareReading {
  const trimmed = input.toUpperCase().replace(/\s/g, "");
  if (trimmed === "") return { ok: false, message: "rounds:share.empty" };
  const match = /^R(\d+)-([0-9A-Z-]+)$/.exec(trimmed);
  if (!match) return { ok: false, message: "rounds:share.format" };
  if (Number(match[1]) !== roundId)
    return { ok: false, message: messageKey("rounds:share.otherRound", { round: match[1]! }) };
  const text = match[2]!.replace(/-/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  const body = bytesFromCrockford(text);
  const expectedChars = Math.ceil(((shareBytes + CHECKSUM_BYTES) * 8) / 5);
  if (!body || text.length !== expectedChars) return { ok: false, message: "rounds:share.incomplete" };
  const share = body.slice(0, shareBytes);
  const given = toHex(body.slice(shareBytes));
  if (given !== toHex(checksum(roundId, share))) return { ok: false, message: "rounds:share.typingError" };
  return { ok: true, share };
}
