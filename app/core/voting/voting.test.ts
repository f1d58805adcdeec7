import { describe, expect, it } from "vitest";
import {
  ageOn,
  base32FromBytes,
  buildEqualityReport,
  checkEqualityAnswers,
  checkRanking,
  compareKeyings,
  groupInFours,
  normaliseVotingCode,
  onlineEligibility,
  parseKeying,
  parseRankingList,
  rankingFromSelections,
  resolvedBallots,
  selectionsFromRanking,
  suppressSmallCounts,
  votingClosedReason,
} from ".";

const BALLOT = [11, 12, 13, 14, 15];

describe("rankingFromSelections", () => {
  it("orders the projects by the ranks given, ignoring blanks", () => {
    expect(rankingFromSelections({ "rank-13": "1", "rank-11": "2", "rank-12": "" }, BALLOT, 3)).toEqual({
      ok: true,
      ranking: [13, 11],
    });
  });
  it("refuses an empty ballot", () => {
    const r = rankingFromSelections({}, BALLOT, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.formError).toMatch(/at least one/);
  });
  it("refuses the same rank twice, marking both fields", () => {
    const r = rankingFromSelections({ "rank-11": "1", "rank-12": "1" }, BALLOT, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(["rank-11", "rank-12"]);
  });
  it("refuses gaps and points at the ranks after the gap", () => {
    const r = rankingFromSelections({ "rank-11": "1", "rank-12": "3" }, BALLOT, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors["rank-12"]).toMatch(/no project at rank 2/);
      expect(r.formError).toMatch(/without gaps/);
    }
  });
  it("refuses ranks beyond K and words", () => {
    expect(rankingFromSelections({ "rank-11": "4" }, BALLOT, 3).ok).toBe(false);
    expect(rankingFromSelections({ "rank-11": "first" }, BALLOT, 3).ok).toBe(false);
    expect(rankingFromSelections({ "rank-11": "0" }, BALLOT, 3).ok).toBe(false);
  });
  it("round-trips through selectionsFromRanking", () => {
    const sel = selectionsFromRanking([14, 12, 15]);
    expect(rankingFromSelections(sel, BALLOT, 5)).toEqual({ ok: true, ranking: [14, 12, 15] });
  });
});

describe("checkRanking and parseRankingList", () => {
  it("accepts a ranking of ballot projects", () => {
    expect(checkRanking([12, 11], BALLOT, 3)).toBeNull();
  });
  it("refuses empty, too long, repeated and unknown rankings", () => {
    expect(checkRanking([], BALLOT, 3)).toMatch(/at least one/);
    expect(checkRanking([11, 12, 13, 14], BALLOT, 3)).toMatch(/at most 3/);
    expect(checkRanking([11, 11], BALLOT, 3)).toMatch(/more than once/);
    expect(checkRanking([99], BALLOT, 3)).toMatch(/not on this ballot/);
  });
  it("parses comma lists", () => {
    expect(parseRankingList("12, 5,7")).toEqual([12, 5, 7]);
    expect(parseRankingList("")).toEqual([]);
    expect(parseRankingList("1;2")).toBeNull();
    expect(parseRankingList("-1")).toBeNull();
  });
});

describe("codes", () => {
  it("encodes one character per byte in Crockford base32", () => {
    const bytes = Uint8Array.from({ length: 12 }, (_, i) => i * 3);
    const code = base32FromBytes(bytes, 12);
    expect(code).toBe("0369CFJNRVY1"); // 33 & 31 = 1: only the low 5 bits are used
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(groupInFours(code)).toBe(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
  });
  it("reads codes typed loosely", () => {
    expect(normaliseVotingCode("abcd-efgh-jkmn")).toBe("ABCDEFGHJKMN");
    expect(normaliseVotingCode(" oi1l 2345 6789 ")).toBe("0111" + "23456789");
    expect(normaliseVotingCode("ABCD-EFGH-JKM")).toBeNull();
    expect(normaliseVotingCode("ABCD-EFGH-JKMU")).toBeNull();
  });
});

describe("eligibility", () => {
  it("counts whole years", () => {
    expect(ageOn("2010-06-15", "2026-06-14")).toBe(15);
    expect(ageOn("2010-06-15", "2026-06-15")).toBe(16);
    expect(ageOn("2010-02-28", "2026-03-01")).toBe(16);
  });
  const round = {
    phase: "voting",
    votingOpensAt: "2026-11-01T00:00:00.000Z",
    votingClosesAt: "2026-11-30T17:00:00.000Z",
  };
  it("knows when voting is open", () => {
    expect(votingClosedReason(round, "2026-11-15T12:00:00.000Z")).toBeNull();
    expect(votingClosedReason(round, "2026-11-30T17:00:00.000Z")).toMatch(/closed/);
    expect(votingClosedReason(round, "2026-10-15T12:00:00.000Z")).toMatch(/not opened/);
    expect(votingClosedReason({ ...round, phase: "counting" }, "2026-11-15T12:00:00.000Z")).toMatch(/closed/);
    expect(votingClosedReason({ ...round, phase: "reviewing" }, "2026-11-15T12:00:00.000Z")).toMatch(/not opened/);
  });
  it("checks area and age", () => {
    const voter = { wardId: 2, postcode: "EB1 1AA", dateOfBirth: "2000-01-01" };
    expect(onlineEligibility(voter, [1, 2], 16, "2026-11-30")).toEqual({ ok: true });
    expect(onlineEligibility({ ...voter, wardId: 3 }, [1, 2], 16, "2026-11-30")).toMatchObject({
      ok: false,
      reason: "outside-area",
    });
    expect(onlineEligibility({ ...voter, wardId: null }, [1, 2], 16, "2026-11-30")).toMatchObject({
      ok: false,
      reason: "outside-area",
    });
    expect(onlineEligibility({ ...voter, dateOfBirth: "2011-01-01" }, [1, 2], 16, "2026-11-30")).toMatchObject({
      ok: false,
      reason: "under-age",
    });
    expect(onlineEligibility({ ...voter, dateOfBirth: null }, [1, 2], 16, "2026-11-30")).toMatchObject({
      ok: false,
      reason: "needs-details",
    });
  });
});

describe("paper keying", () => {
  const positions = new Map([
    [1, 11],
    [2, 12],
    [3, 13],
  ]);
  it("reads one ballot per line and skips blank lines", () => {
    expect(parseKeying("3 1\n\n2,3,1\n 1 ", positions, 3)).toEqual({
      ok: true,
      ballots: [[13, 11], [12, 13, 11], [11]],
    });
  });
  it("reports lines it cannot read", () => {
    const r = parseKeying("3 1\n4\n1 1\nx", positions, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(parseKeying("1 2 3", positions, 2).ok).toBe(false);
    expect(parseKeying("\n", positions, 2).ok).toBe(false);
  });
  it("finds mismatches, including ballots only one keying has", () => {
    expect(compareKeyings([[11], [12, 13]], [[11], [13, 12], [11]])).toEqual([
      { index: 1, first: [12, 13], second: [13, 12] },
      { index: 2, first: null, second: [11] },
    ]);
    expect(compareKeyings([[11]], [[11]])).toEqual([]);
  });
  it("applies resolutions in batch order and drops papers resolved as void", () => {
    expect(
      resolvedBallots(
        [[11], [12, 13], [13]],
        [[11], [13, 12]],
        [
          { index: 1, ranking: [12, 13] },
          { index: 2, ranking: null },
        ],
      ),
    ).toEqual([[11], [12, 13]]);
    expect(() => resolvedBallots([[11]], [[12]], [])).toThrow(/no resolution/);
  });
});

describe("equality monitoring", () => {
  it("suppresses any count under 10", () => {
    expect(
      suppressSmallCounts([
        { answer: "A", count: 10 },
        { answer: "B", count: 9 },
        { answer: "C", count: 0 },
      ]),
    ).toEqual([
      { answer: "A", count: 10, display: "10" },
      { answer: "B", count: null, display: "fewer than 10" },
      { answer: "C", count: null, display: "fewer than 10" },
    ]);
  });
  it("builds a report over every option with small groups hidden, and enough others that none can be derived", () => {
    const report = buildEqualityReport(
      [{ key: "q", label: "Q", options: ["Yes", "No"] }],
      [
        { questionKey: "q", answer: "Yes", count: 25 },
        { questionKey: "q", answer: "No", count: 3 },
        { questionKey: "q", answer: "Gone", count: 12 },
        { questionKey: "other", answer: "Yes", count: 50 },
      ],
    );
    expect(report[0]!.total).toEqual({ answer: "All responses", count: 40, display: "40" });
    // No 3, Prefer not to say 0: hidden; they add up to 3, so Other (12) is hidden too.
    expect(report[0]!.answers.map((a) => a.display)).toEqual(["25", "hidden", "hidden", "hidden"]);
    const shownSum = report[0]!.answers.reduce((sum, a) => sum + (a.count ?? 0), 0);
    expect(40 - shownSum).toBeGreaterThanOrEqual(10);
    expect(report[0]!.answers.every((a) => a.count === null || a.count >= 10)).toBe(true);
  });
  it("accepts only offered answers", () => {
    const qs = [{ key: "q", label: "Q", options: ["Yes", "No"] }];
    expect(checkEqualityAnswers(qs, { q: "Yes" })).toEqual({
      ok: true,
      answers: [{ questionKey: "q", answer: "Yes" }],
    });
    expect(checkEqualityAnswers(qs, { q: "" })).toEqual({ ok: true, answers: [] });
    expect(checkEqualityAnswers(qs, { q: "Maybe" }).ok).toBe(false);
    expect(checkEqualityAnswers(qs, { q: "Prefer not to say" }).ok).toBe(true);
  });
});
