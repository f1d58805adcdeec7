import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import { decisionWarnings, grantRulesOf, mentionsMatchFunding, type DecisionWarningInput } from "./decision-warnings";

const base: DecisionWarningInput = {
  today: "2026-12-03",
  endOn: "2027-03-31",
  amountPence: 150_000,
  rules: {},
  fileCount: 0,
  summary: "New benches for the park.",
  description: "We will buy and fit four benches.",
};
const kinds = (input: Partial<DecisionWarningInput>) => decisionWarnings({ ...base, ...input }).map((w) => w.kind);

describe("decision warnings", () => {
  it("are none for a bid that meets a fund with no rules", () => {
    expect(decisionWarnings(base)).toEqual([]);
  });

  it("warn when the project ended before today, not on the day it ends", () => {
    expect(decisionWarnings({ ...base, endOn: "2026-11-30" })).toEqual([
      {
        kind: "project-ended",
        message: "bids:decide.warning.projectEnded?date=2026-11-30",
      },
    ]);
    expect(kinds({ endOn: "2026-12-03" })).toEqual([]);
    expect(kinds({ endOn: null })).toEqual([]);
  });

  it("warn when the fund asks for quotes above an amount and none are attached", () => {
    const rules = { quotesAbovePence: 100_000 };
    expect(messageText(decisionWarnings({ ...base, rules })[0]!.message, "en")).toBe(
      "The fund asks for quotes for bids over £1,000.00, and this bid of £1,500.00 has none attached.",
    );
    expect(kinds({ rules, fileCount: 1 })).toEqual([]);
    expect(kinds({ rules, amountPence: 100_000 })).toEqual([]);
  });

  it("warn when the fund expects match funding and the bid never says where it comes from", () => {
    const rules = { matchFundingPercent: 20 };
    expect(kinds({ rules })).toEqual(["no-match-funding"]);
    expect(messageText(decisionWarnings({ ...base, rules })[0]!.message, "en")).toContain(
      "at least 20% of the project's cost",
    );
    expect(kinds({ rules, description: "The tenants' association is contributing £400." })).toEqual([]);
    expect(kinds({ rules, summary: "Match funding from the parish council." })).toEqual([]);
    expect(kinds({ rules: { matchFundingPercent: 0 } })).toEqual([]);
  });

  it("list every warning that applies, in order", () => {
    expect(kinds({ endOn: "2026-01-01", rules: { quotesAbovePence: 50_000, matchFundingPercent: 10 } })).toEqual([
      "project-ended",
      "no-quotes",
      "no-match-funding",
    ]);
  });

  it("read match-funding words and grant rules", () => {
    expect(mentionsMatchFunding("in-kind help from volunteers")).toBe(true);
    expect(mentionsMatchFunding("we matched the colours")).toBe(false);
    expect(grantRulesOf('{"quotesAbovePence":100000}')).toEqual({ quotesAbovePence: 100000 });
    expect(grantRulesOf("not json")).toEqual({});
    expect(grantRulesOf(null)).toEqual({});
  });
});
