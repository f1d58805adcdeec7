/**
 * A voter's ranking: the bid ids of the projects they want, most wanted first.
 *
 * The plain form (no JavaScript) sends one rank number per project (blank = not ranked); the
 * review step sends the ranking itself as a comma-separated list of bid ids. Both are checked
 * here: ranks are whole numbers 1..n with no repeats and no gaps, at least one and at most K
 * projects, and every id is a project on this round's ballot.
 */

export type RankingCheck =
  { ok: true; ranking: number[] } | { ok: false; errors: Record<string, string>; formError: string };

export function rankFieldName(bidId: number): string {
  return `rank-${bidId}`;
}

/**
 * Reads the rank selects of the plain ballot form. `selections` maps field names (`rank-<bidId>`)
 * to what was sent; errors are keyed by field name so they show beside the select.
 */
export function rankingFromSelections(
  selections: Record<string, unknown>,
  ballotBidIds: readonly number[],
  maxRanked: number,
): RankingCheck {
  const errors: Record<string, string> = {};
  const chosen: { bidId: number; rank: number }[] = [];
  const limit = Math.min(maxRanked, ballotBidIds.length);
  for (const bidId of ballotBidIds) {
    const field = rankFieldName(bidId);
    const raw = selections[field];
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") continue;
    if (!/^\d+$/.test(text)) {
      errors[field] = `Choose a rank from 1 to ${limit}, or leave it blank`;
      continue;
    }
    const rank = Number(text);
    if (rank < 1 || rank > limit) {
      errors[field] = `Choose a rank from 1 to ${limit}, or leave it blank`;
      continue;
    }
    chosen.push({ bidId, rank });
  }
  if (Object.keys(errors).length) return { ok: false, errors, formError: "Some ranks are not valid." };
  if (chosen.length === 0)
    return { ok: false, errors: {}, formError: "Rank at least one project: give your favourite rank 1." };
  const byRank = new Map<number, number[]>();
  for (const c of chosen) byRank.set(c.rank, [...(byRank.get(c.rank) ?? []), c.bidId]);
  for (const [rank, bidIds] of byRank) {
    if (bidIds.length > 1)
      for (const bidId of bidIds)
        errors[rankFieldName(bidId)] =
          `Rank ${rank} is given to more than one project: give each project a different rank`;
  }
  if (Object.keys(errors).length) return { ok: false, errors, formError: "Each rank can be used once." };
  const ranks = [...byRank.keys()].sort((a, b) => a - b);
  const missing = ranks.length
    ? Array.from({ length: ranks[ranks.length - 1]! }, (_, i) => i + 1).filter((r) => !byRank.has(r))
    : [];
  if (missing.length) {
    const after = chosen.filter((c) => c.rank > missing[0]!);
    for (const c of after)
      errors[rankFieldName(c.bidId)] = `There is no project at rank ${missing[0]}: use ranks 1, 2, 3 … without gaps`;
    return {
      ok: false,
      errors,
      formError: `Ranks must follow on from 1 without gaps (nothing is ranked ${missing.join(", ")}).`,
    };
  }
  if (chosen.length > maxRanked)
    return { ok: false, errors: {}, formError: `You can rank at most ${maxRanked} projects.` };
  return { ok: true, ranking: [...chosen].sort((a, b) => a.rank - b.rank).map((c) => c.bidId) };
}

/** Checks a ranking sent as a list of bid ids (the review step, the enhanced ballot, paper keying). */
export function checkRanking(
  ranking: readonly number[],
  ballotBidIds: readonly number[],
  maxRanked: number,
): string | null {
  if (ranking.length === 0) return "Rank at least one project.";
  if (ranking.length > maxRanked) return `You can rank at most ${maxRanked} projects.`;
  const allowed = new Set(ballotBidIds);
  if (ranking.some((id) => !Number.isSafeInteger(id) || !allowed.has(id)))
    return "The ranking names a project that is not on this ballot.";
  if (new Set(ranking).size !== ranking.length) return "The ranking names a project more than once.";
  return null;
}

/** Parses "12,5,7" into bid ids; null when the text is not a list of whole numbers. */
export function parseRankingList(text: string): number[] | null {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const parts = trimmed.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d{1,9}$/.test(p))) return null;
  return parts.map(Number);
}

/** The selections that reproduce a ranking in the plain form (to keep a voter's choices on "Change"). */
export function selectionsFromRanking(ranking: readonly number[]): Record<string, string> {
  return Object.fromEntries(ranking.map((bidId, i) => [rankFieldName(bidId), String(i + 1)]));
}
