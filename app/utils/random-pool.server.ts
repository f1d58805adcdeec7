/**
 * Cryptographically random bytes for the hot request paths (ballot ids, one-use nonces).
 *
 * `crypto.randomBytes` costs a few microseconds a call however few bytes are asked for; a cast
 * needs several small draws. Here the bytes come from the same CSPRNG, filled 4 KiB at a time:
 * every byte is handed out once, as a copy, and cleared from the pool when taken.
 */
import { randomBytes, randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 8) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
