/**
 * Orderings shared by the counters. Names and project ids compare by UTF-16 code units, which is
 * JavaScript's default sort and the order the case format prescribes for ties and report keys.
 */

/** Natural ascending order of two strings (by UTF-16 code units), numbers or bigints. */
export function compare<T extends string | number | bigint>(a: T, b: T): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The items with the highest (or lowest) value, in their original order. */
export function extremes<T, V>(
  items: readonly T[],
  valueOf: (item: T) => V,
  compareValues: (a: V, b: V) => number,
  want: "highest" | "lowest",
): T[] {
  if (items.length === 0) return [];
  const values = items.map(valueOf);
  let best = values[0] as V;
  for (const value of values) {
    const order = compareValues(value, best);
    if (want === "highest" ? order > 0 : order < 0) best = value;
  }
  return items.filter((_, i) => compareValues(values[i] as V, best) === 0);
}
