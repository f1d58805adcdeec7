/**
 * Exact rational numbers over BigInt, for the Method of Equal Shares (ballot-case format 2.1:
 * "exact rational arithmetic"). Always reduced, with a positive denominator, so equal values
 * print the same "p/q" string.
 */
import { Dec, pow10 } from "../decimal";
import { compare } from "../order";

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

export class Rational {
  static readonly ZERO = new Rational(0n, 1n);

  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError("zero denominator");
    const sign = den < 0n ? -1n : 1n;
    const g = gcd(num, den) || 1n;
    this.num = (sign * num) / g;
    this.den = (sign * den) / g;
  }

  static fromDec(value: Dec): Rational {
    return new Rational(value.units, pow10(value.scale));
  }

  add(o: Rational): Rational {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Rational): Rational {
    return new Rational(this.num * o.num, this.den * o.den);
  }

  div(o: Rational): Rational {
    return new Rational(this.num * o.den, this.den * o.num);
  }

  cmp(o: Rational): -1 | 0 | 1 {
    return compare(this.num * o.den, o.num * this.den);
  }

  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  /** "p/q", always with the slash, so a reader never has to guess whether it is a fraction. */
  toString(): string {
    return `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
