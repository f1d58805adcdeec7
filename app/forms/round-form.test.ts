import { describe, expect, it } from "vitest";
import { roundFormSchema } from "./round-form";

const good = {
  name: "Riverside Voices",
  description: "Projects along the river, chosen by residents.",
  wardIds: ["3", "4"],
  pot: "20,000",
  minBid: "250",
  maxBid: "5000.50",
  bidsOpenAt: "2030-05-01T09:00",
  bidsCloseAt: "2030-06-01T17:00",
  votingOpensAt: "2030-07-01T09:00",
  votingClosesAt: "2030-07-15T17:00",
  resultsAt: "",
  maxRanked: "5",
  minVoterAge: "16",
  countingRule: "mes",
  tieBreak: "lowest-cost",
};

describe("the round form", () => {
  it("turns the posted fields into pence, instants (typed as London time) and numbers", () => {
    const parsed = roundFormSchema.parse(good);
    expect(parsed).toMatchObject({
      potPence: 2_000_000,
      minBidPence: 25_000,
      maxBidPence: 500_050,
      wardIds: [3, 4],
      maxRanked: 5,
      resultsAt: null,
      bidsOpenAt: "2030-05-01T08:00:00.000Z",
    });
    expect(roundFormSchema.parse({ ...good, resultsAt: "2030-12-01T09:00" }).resultsAt).toBe(
      "2030-12-01T09:00:00.000Z",
    );
  });

  it("keeps the optional Welsh name and description, empty as English only, checked like the English ones", () => {
    expect(roundFormSchema.parse(good)).toMatchObject({ nameCy: null, descriptionCy: null });
    const welsh = roundFormSchema.parse({
      ...good,
      nameCy: "  Lleisiau Glan yr Afon ",
      descriptionCy: "Prosiectau ar hyd yr afon, wedi'u dewis gan drigolion.",
    });
    expect(welsh).toMatchObject({
      nameCy: "Lleisiau Glan yr Afon",
      descriptionCy: "Prosiectau ar hyd yr afon, wedi'u dewis gan drigolion.",
    });
    const bad = roundFormSchema.safeParse({ ...good, nameCy: "Ab", descriptionCy: "x".repeat(5001) });
    expect(bad.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["nameCy", "projects:roundForm.nameCyTooShort"],
      ["descriptionCy", "projects:roundForm.descriptionCyTooLong"],
    ]);
  });

  it("says when a typed time falls in the hour the clocks skip or repeat", () => {
    const spring = roundFormSchema.safeParse({ ...good, bidsOpenAt: "2030-03-31T01:30" });
    expect(spring.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["bidsOpenAt", expect.stringMatching(/1:30am does not happen on that day in the UK: the clocks go forward/)],
    ]);
    const autumn = roundFormSchema.safeParse({ ...good, votingClosesAt: "2030-10-27T01:15" });
    expect(autumn.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["votingClosesAt", expect.stringMatching(/1:15am happens twice on that day in the UK: the clocks go back/)],
    ]);
  });

  it("names each field at fault: dates out of order, bad money, limits", () => {
    const result = roundFormSchema.safeParse({
      ...good,
      votingOpensAt: "2030-05-15T09:00",
      pot: "lots",
      maxRanked: "0",
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((i) => String(i.path[0])));
    expect(fields).toEqual(new Set(["pot", "maxRanked", "votingOpensAt"]));
    const dates = roundFormSchema.safeParse({ ...good, votingOpensAt: "2030-05-15T09:00" });
    expect(dates.error!.issues.map((i) => i.path[0])).toEqual(["votingOpensAt"]);
    const limits = roundFormSchema.safeParse({ ...good, minBid: "6000" });
    expect(limits.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["maxBid", "admin:roundErrors.maxBelowMin"],
    ]);
  });
});
