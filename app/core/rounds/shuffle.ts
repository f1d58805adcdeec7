/**
 * A deterministic shuffle driven by a recorded seed, so a random ballot order can be reproduced by
 * anyone with the seed. The seed string is hashed (cyrb128) into the state of a small PRNG (sfc32),
 * which drives a Fisher–Yates shuffle. The seed itself is made by the caller (never here).
 */

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A generator of uniform numbers in [0, 1) from a seed string. */
export function seededRandom(seed: string): () => number {
  let [a, b, c, d] = cyrb128(seed);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A copy of `items` in an order fixed by `seed`: the same seed and items always give the same order. */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  if (seed.length === 0) throw new Error("A shuffle needs a seed.");
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The ballot order of `bidIds` from a seed: the ids are sorted first, so the order depends only on
 * the seed and the set of projects, not on the order they were read in.
 */
export function ballotOrderFromSeed(bidIds: readonly number[], seed: string): number[] {
  return seededShuffle(
    [...bidIds].sort((a, b) => a - b),
    seed,
  );
}

export type ManualOrder = { ok: true; order: number[] } | { ok: false; errors: Record<number, string> };

/**
 * A ballot order set by hand: every project gets a position from 1 to n, each used once. Returns
 * the bid ids in ballot order, or an error for each bid whose position is wrong.
 */
export function manualBallotOrder(positions: ReadonlyMap<number, string>): ManualOrder {
  const n = positions.size;
  const errors: Record<number, string> = {};
  const seen = new Map<number, number>();
  for (const [bidId, raw] of positions) {
    const text = raw.trim();
    const position = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(position) || position < 1 || position > n) {
      errors[bidId] = `Enter a position from 1 to ${n}`;
      continue;
    }
    const other = seen.get(position);
    if (other !== undefined) {
      errors[bidId] = `Position ${position} is used twice`;
      errors[other] ??= `Position ${position} is used twice`;
      continue;
    }
    seen.set(position, bidId);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, order: [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, bidId]) => bidId) };
}
