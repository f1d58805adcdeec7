import { describe, expect, it } from "vitest";
import {
  ballotOrderFromSeed,
  checkPhaseMove,
  COST_BANDS,
  inCostBand,
  manualBallotOrder,
  nextPhase,
  phaseDueByDate,
  ROUND_PHASE_ORDER,
  roundDateErrors,
  rulesAreLocked,
  seededShuffle,
  toIsoTimestamp,
} from "./index";

describe("seeded shuffle", () => {
  const items = Array.from({ length: 20 }, (_, i) => i + 1);

  it("gives the same order for the same seed", () => {
    expect(seededShuffle(items, "seed-abc")).toEqual(seededShuffle(items, "seed-abc"));
  });

  it("is a permutation of its input and leaves the input alone", () => {
    const copy = [...items];
    const out = seededShuffle(items, "another seed");
    expect(items).toEqual(copy);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
  });

  it("gives different orders for different seeds", () => {
    expect(seededShuffle(items, "a")).not.toEqual(seededShuffle(items, "b"));
  });

  it("reaches every position: each item lands first under some seed", () => {
    const firsts = new Set<number>();
    for (let s = 0; s < 400; s += 1) firsts.add(seededShuffle([1, 2, 3, 4], `s${s}`)[0]!);
    expect([...firsts].sort()).toEqual([1, 2, 3, 4]);
  });

  it("orders ballot projects by seed alone, whatever order they are read in", () => {
    expect(ballotOrderFromSeed([5, 3, 9, 1], "x")).toEqual(ballotOrderFromSeed([1, 9, 3, 5], "x"));
  });

  it("refuses an empty seed", () => {
    expect(() => seededShuffle([1, 2], "")).toThrow();
  });
});

describe("manual ballot order", () => {
  it("returns bid ids in position order", () => {
    const r = manualBallotOrder(
      new Map([
        [10, "2"],
        [11, "1"],
        [12, "3"],
      ]),
    );
    expect(r).toEqual({ ok: true, order: [11, 10, 12] });
  });

  it("flags positions used twice or out of range", () => {
    const r = manualBallotOrder(
      new Map([
        [10, "1"],
        [11, "1"],
        [12, "7"],
      ]),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors).map(Number).sort()).toEqual([10, 11, 12]);
      expect(r.errors[12]).toMatch(/from 1 to 3/);
    }
  });
});

describe("phase order", () => {
  it("moves only one step forward", () => {
    expect(nextPhase("draft")).toBe("accepting-bids");
    expect(nextPhase("closed")).toBeNull();
    expect(checkPhaseMove("reviewing", "voting")).toEqual({ ok: true });
    expect(checkPhaseMove("reviewing", "counting").ok).toBe(false);
    expect(checkPhaseMove("voting", "reviewing").ok).toBe(false);
    expect(checkPhaseMove("voting", "voting").ok).toBe(false);
    expect(checkPhaseMove("closed", "draft").ok).toBe(false);
    for (let i = 0; i < ROUND_PHASE_ORDER.length - 1; i += 1)
      expect(checkPhaseMove(ROUND_PHASE_ORDER[i]!, ROUND_PHASE_ORDER[i + 1]!).ok).toBe(true);
  });

  it("moves by date up to counting, one step at a time", () => {
    const dates = {
      bidsOpenAt: "2026-01-01T00:00:00.000Z",
      bidsCloseAt: "2026-02-01T00:00:00.000Z",
      votingOpensAt: "2026-03-01T00:00:00.000Z",
      votingClosesAt: "2026-04-01T00:00:00.000Z",
      resultsAt: "2026-04-10T00:00:00.000Z",
    };
    expect(phaseDueByDate("draft", dates, "2025-12-31T23:59:59.000Z")).toBeNull();
    expect(phaseDueByDate("draft", dates, "2026-01-01T00:00:00.000Z")).toBe("accepting-bids");
    expect(phaseDueByDate("accepting-bids", dates, "2026-02-15T00:00:00.000Z")).toBe("reviewing");
    expect(phaseDueByDate("reviewing", dates, "2026-02-15T00:00:00.000Z")).toBeNull();
    expect(phaseDueByDate("reviewing", dates, "2026-03-02T00:00:00.000Z")).toBe("voting");
    expect(phaseDueByDate("voting", dates, "2026-04-02T00:00:00.000Z")).toBe("counting");
    expect(phaseDueByDate("counting", dates, "2027-01-01T00:00:00.000Z")).toBeNull();
  });

  it("locks the rules once voting opens", () => {
    expect(rulesAreLocked("reviewing")).toBe(false);
    expect(rulesAreLocked("voting")).toBe(true);
    expect(rulesAreLocked("closed")).toBe(true);
  });
});

describe("round dates", () => {
  const good = {
    bidsOpenAt: "2026-01-01T09:00:00.000Z",
    bidsCloseAt: "2026-02-01T17:00:00.000Z",
    votingOpensAt: "2026-03-01T09:00:00.000Z",
    votingClosesAt: "2026-03-15T17:00:00.000Z",
    resultsAt: "2026-03-20T12:00:00.000Z",
  };

  it("accepts dates in order, with or without a results date", () => {
    expect(roundDateErrors(good)).toEqual({});
    expect(roundDateErrors({ ...good, resultsAt: null })).toEqual({});
  });

  it("names each date that is not later than the one before it", () => {
    expect(roundDateErrors({ ...good, bidsCloseAt: good.bidsOpenAt })).toEqual({
      bidsCloseAt: "admin:roundErrors.bidsCloseAtOrder",
    });
    expect(roundDateErrors({ ...good, votingClosesAt: "2026-02-20T00:00:00.000Z" })).toEqual({
      votingClosesAt: "admin:roundErrors.votingClosesAtOrder",
    });
    expect(Object.keys(roundDateErrors({ ...good, resultsAt: "2025-01-01T00:00:00.000Z" }))).toEqual(["resultsAt"]);
  });

  it("reads dates and datetime-local values as London wall-clock time, refusing impossible ones", () => {
    expect(toIsoTimestamp("2026-05-04")).toBe("2026-05-03T23:00:00.000Z");
    expect(toIsoTimestamp("2026-05-04T09:30")).toBe("2026-05-04T08:30:00.000Z");
    expect(toIsoTimestamp("2026-12-04T09:30")).toBe("2026-12-04T09:30:00.000Z");
    expect(toIsoTimestamp("2026-10-25T01:30")).toBeNull();
    expect(toIsoTimestamp("2026-02-30")).toBeNull();
    expect(toIsoTimestamp("2026-05-04T25:00")).toBeNull();
    expect(toIsoTimestamp("soon")).toBeNull();
  });
});

describe("cost bands", () => {
  it("cover every amount exactly once", () => {
    for (const pence of [1, 249_999, 250_000, 999_999, 1_000_000, 5_000_000]) {
      expect(COST_BANDS.filter((b) => inCostBand(pence, b.id))).toHaveLength(1);
    }
    expect(inCostBand(123, null)).toBe(true);
  });
});
