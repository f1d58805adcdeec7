/**
 * Suppressing small counts in a published one-way table (the answers to one equality question and
 * their total), so that no hidden count can be worked out from the shown counts and the total.
 *
 * Primary suppression hides every count under the threshold. That alone is not enough: with the
 * total shown, a single hidden count is the total minus the shown ones, and two hidden counts whose
 * sum is small (0, say) give themselves away. So secondary suppression hides further counts,
 * smallest first, until the hidden counts are at least two and add up to at least the threshold
 * (their sum is known to anyone: it is the total minus the shown counts). A table whose total is
 * under the threshold is hidden whole.
 *
 * Every hidden count is shown the same way ("hidden"), whether it was small or hidden to protect
 * another, so the label says nothing about its size. The tests check, by enumerating every table
 * that would publish the same view under these rules, that each hidden count can take more than one
 * value.
 */

export type SuppressedCell = { count: number; hidden: false } | { count: null; hidden: true };

export interface SuppressedTable {
  total: SuppressedCell;
  cells: SuppressedCell[];
}

const shown = (count: number): SuppressedCell => ({ count, hidden: false });
const HIDDEN: SuppressedCell = { count: null, hidden: true };

export function suppressTable(counts: readonly number[], threshold: number): SuppressedTable {
  for (const count of counts)
    if (!Number.isInteger(count) || count < 0) throw new Error(`A count must be a whole number, not ${count}`);
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total < threshold) return { total: HIDDEN, cells: counts.map(() => HIDDEN) };
  const hidden = new Set<number>();
  counts.forEach((count, i) => {
    if (count < threshold) hidden.add(i);
  });
  const hiddenSum = () => [...hidden].reduce((sum, i) => sum + counts[i]!, 0);
  // Hidden counts all under the threshold and adding up to k × (threshold − 1) must each be threshold − 1.
  const pinned = () =>
    [...hidden].every((i) => counts[i]! < threshold) && hiddenSum() === hidden.size * (threshold - 1);
  while (hidden.size > 0 && (hidden.size < 2 || hiddenSum() < threshold || pinned())) {
    // The smallest count still shown (the first such, on a tie) is hidden next.
    let next = -1;
    counts.forEach((count, i) => {
      if (!hidden.has(i) && (next < 0 || count < counts[next]!)) next = i;
    });
    if (next < 0) break;
    // Counts equal to it go too: a hidden count that equals the smallest shown one would be known.
    counts.forEach((count, i) => {
      if (count === counts[next]!) hidden.add(i);
    });
  }
  return { total: shown(total), cells: counts.map((count, i) => (hidden.has(i) ? HIDDEN : shown(count))) };
}
