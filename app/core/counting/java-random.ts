/**
 * A bit-exact emulation of `java.util.Random`, the generator RCTab uses for random tie-breaks
 * (ballot-case format 1.4.8), in BigInt so that no step goes through floating point.
 *
 * - start: s = (seed XOR 0x5DEECE66D) mod 2^48
 * - next(b): s = (s × 0x5DEECE66D + 0xB) mod 2^48; the top b bits of s, read as a signed 32-bit int
 * - nextDouble() = (next(26) × 2^27 + next(27)) / 2^53, kept here as the exact 53-bit integer
 * - nextInt(n): Java's rejection loop (or the power-of-two shortcut)
 *
 * `pickIndex(n)` is `floor(nextDouble() × n)` as Java computes it: the product is rounded to a
 * double (53 significant bits, ties to even) before the floor, which this reproduces exactly.
 */

const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK_48 = (1n << 48n) - 1n;
const TWO_POW_53 = 1n << 53n;

export class JavaRandom {
  private state: bigint;

  /** `seed` is a Java long, given as a decimal integer string or a bigint. */
  constructor(seed: string | bigint) {
    const value = typeof seed === "bigint" ? seed : parseJavaLong(seed);
    this.state = (BigInt.asIntN(64, value) ^ MULTIPLIER) & MASK_48;
  }

  next(bits: number): number {
    this.state = (this.state * MULTIPLIER + ADDEND) & MASK_48;
    return Number(BigInt.asIntN(32, this.state >> BigInt(48 - bits)));
  }

  /** The 53-bit integer k such that Java's nextDouble() is exactly k / 2^53. */
  nextDoubleBits(): bigint {
    const high = BigInt(this.next(26));
    const low = BigInt(this.next(27));
    return (high << 27n) + low;
  }

  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x7fffffff) {
      throw new RangeError(`nextInt bound must be a positive 32-bit integer, got ${bound}`);
    }
    if ((bound & -bound) === bound) {
      return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n);
    }
    for (;;) {
      const bits = this.next(31);
      const value = bits % bound;
      if (bits - value + (bound - 1) < 0x80000000) return value;
    }
  }

  /** floor(nextDouble() × n), with Java's rounding of the double product. */
  pickIndex(n: number): number {
    const k = this.nextDoubleBits();
    const product = roundToDoublePrecision(k * BigInt(n));
    return Number(product / TWO_POW_53);
  }
}

/** Rounds a non-negative integer to 53 significant bits, ties to even, as an IEEE double would. */
export function roundToDoublePrecision(value: bigint): bigint {
  const bitLength = value.toString(2).length;
  if (bitLength <= 53) return value;
  const drop = BigInt(bitLength - 53);
  const unit = 1n << drop;
  const half = unit >> 1n;
  const kept = value >> drop;
  const remainder = value & (unit - 1n);
  const roundUp = remainder > half || (remainder === half && (kept & 1n) === 1n);
  return (roundUp ? kept + 1n : kept) << drop;
}

function parseJavaLong(text: string): bigint {
  if (!/^-?\d+$/.test(text.trim())) throw new SyntaxError(`random seed must be a decimal integer, got "${text}"`);
  const value = BigInt(text.trim());
  if (value < -(1n << 63n) || value >= 1n << 63n) throw new RangeError(`random seed ${text} does not fit a Java long`);
  return value;
}

/** Java's Collections.shuffle(list, rnd): for i = size down to 2, swap i − 1 with nextInt(i). */
export function javaShuffle<T>(items: readonly T[], random: JavaRandom): T[] {
  const list = [...items];
  for (let i = list.length; i > 1; i--) {
    const j = random.nextInt(i);
    const tmp = list[i - 1] as T;
    list[i - 1] = list[j] as T;
    list[j] = tmp;
  }
  return list;
}
