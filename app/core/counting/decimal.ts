/**
 * Exact decimal numbers for vote arithmetic (ballot-case format 1.4.1 and 1.6).
 *
 * A `Dec` is an integer number of units at a scale: `units / 10^scale`. Sums, differences and
 * products are exact; the only operations that lose digits are the named ones, `truncTo` (round
 * toward zero) and `ceilTo` (round up), each at a stated number of decimal places, so the rounding
 * of every count is visible at its call site. `toString` prints the canonical form of 1.6: an
 * optional `-`, digits, and a `.` with digits only when the number is not whole, never a trailing
 * zero, never an exponent; zero is "0".
 */
import { compare } from "./order";

const TEN = 10n;

/** 10^places as a bigint; places up to 40 are cached because the counter asks for them often. */
export function pow10(places: number): bigint {
  if (places < POW10.length) return POW10[places] as bigint;
  return TEN ** BigInt(places);
}
const POW10: bigint[] = Array.from({ length: 41 }, (_, i) => TEN ** BigInt(i));

/** Floor division of bigints (rounds toward minus infinity, unlike `/` which truncates). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Ceiling division of bigints. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

export class Dec {
  static readonly ZERO = new Dec(0n, 0);

  constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static of(value: number | bigint): Dec {
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      throw new RangeError(`Dec.of needs a safe integer, got ${value}`);
    }
    return new Dec(BigInt(value), 0);
  }

  /** Reads a plain decimal string such as "12", "-0.5" or "3.0000" (no exponent). */
  static parse(text: string): Dec {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
    if (!match) throw new SyntaxError(`not a decimal number: "${text}"`);
    const [, sign, whole, fraction = ""] = match;
    const units = BigInt(`${whole}${fraction}`);
    return new Dec(sign === "-" ? -units : units, fraction.length);
  }

  static isDecimalText(text: string): boolean {
    return /^-?\d+(?:\.\d+)?$/.test(text.trim());
  }

  /** The same number at a larger scale (exact). */
  atScale(scale: number): Dec {
    if (scale === this.scale) return this;
    if (scale < this.scale) throw new RangeError("atScale cannot drop digits; use truncTo or ceilTo");
    return new Dec(this.units * pow10(scale - this.scale), scale);
  }

  /** Units of this number at the given scale, which must not drop digits. */
  unitsAt(scale: number): bigint {
    return this.atScale(scale).units;
  }

  add(other: Dec): Dec {
    const scale = Math.max(this.scale, other.scale);
    return new Dec(this.unitsAt(scale) + other.unitsAt(scale), scale);
  }

  sub(other: Dec): Dec {
    const scale = Math.max(this.scale, other.scale);
    return new Dec(this.unitsAt(scale) - other.unitsAt(scale), scale);
  }

  mul(other: Dec): Dec {
    return new Dec(this.units * other.units, this.scale + other.scale);
  }

  mulInt(k: bigint | number): Dec {
    return new Dec(this.units * BigInt(k), this.scale);
  }

  cmp(other: Dec): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    return compare(this.unitsAt(scale), other.unitsAt(scale));
  }

  eq(other: Dec): boolean {
    return this.cmp(other) === 0;
  }

  lt(other: Dec): boolean {
    return this.cmp(other) < 0;
  }

  gt(other: Dec): boolean {
    return this.cmp(other) > 0;
  }

  sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  /** Rounds toward zero to `places` decimal places. */
  truncTo(places: number): Dec {
    if (places >= this.scale) return this;
    return new Dec(this.units / pow10(this.scale - places), places);
  }

  /** Rounds up (toward plus infinity) to `places` decimal places. */
  ceilTo(places: number): Dec {
    if (places >= this.scale) return this;
    return new Dec(ceilDiv(this.units, pow10(this.scale - places)), places);
  }

  /** this / divisor, truncated toward zero at `places` decimal places. */
  divTrunc(divisor: Dec, places: number): Dec {
    if (divisor.units === 0n) throw new RangeError("division by zero");
    // (u1/10^s1) / (u2/10^s2) * 10^places = u1 * 10^(s2 + places) / (u2 * 10^s1)
    const numerator = this.units * pow10(divisor.scale + places);
    const denominator = divisor.units * pow10(this.scale);
    return new Dec(numerator / denominator, places);
  }

  /** this / divisor, rounded up at `places` decimal places. */
  divCeil(divisor: Dec, places: number): Dec {
    if (divisor.units === 0n) throw new RangeError("division by zero");
    const numerator = this.units * pow10(divisor.scale + places);
    const denominator = divisor.units * pow10(this.scale);
    return new Dec(ceilDiv(numerator, denominator), places);
  }

  /** The canonical decimal string of the case format (1.6). */
  toString(): string {
    return canonicalDecimal(this.units, this.scale);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Canonical string of units / 10^scale. */
export function canonicalDecimal(units: bigint, scale: number): string {
  if (units === 0n) return "0";
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale <= 0) return (negative ? "-" : "") + digits + "0".repeat(-scale);
  const padded = digits.padStart(scale + 1, "0");
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, "");
  return (negative ? "-" : "") + whole + (fraction ? `.${fraction}` : "");
}

/** Rewrites any plain decimal string in canonical form ("3.0000" → "3"). */
export function canonicalise(text: string): string {
  return Dec.parse(text).toString();
}

export function maxDec(values: Iterable<Dec>): Dec | undefined {
  let best: Dec | undefined;
  for (const value of values) if (best === undefined || value.gt(best)) best = value;
  return best;
}

export function minDec(values: Iterable<Dec>): Dec | undefined {
  let best: Dec | undefined;
  for (const value of values) if (best === undefined || value.lt(best)) best = value;
  return best;
}
