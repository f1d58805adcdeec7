import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import {
  bidIssues,
  bidReference,
  fundRefusal,
  parseCount,
  ruleNotes,
  type BidContent,
  type FundTerms,
} from "./validation";

const terms: FundTerms = {
  kind: "ward-budget",
  name: "Ward Budgets 2026/27",
  minPence: 10_000,
  maxPence: 500_000,
  wardIds: [1, 2],
  eligibleTypes: ["constituted-group", "cio"],
  rules: { noRetrospectiveCosts: true, quotesAbovePence: 100_000, matchFundingPercent: null },
  opensOn: "2026-04-01",
  closesOn: "2027-02-28",
  phase: null,
};

const complete: BidContent = {
  title: "Raised beds",
  summary: "Accessible raised beds for the allotment.",
  description: "We will build four raised beds that wheelchair users can reach.",
  amountPence: 80_000,
  budgetLines: [
    { description: "Timber", amountPence: 50_000 },
    { description: "Soil", amountPence: 30_000 },
  ],
  wardIds: [1],
  beneficiaries: "Older and disabled plot holders",
  beneficiaryCount: 40,
  startOn: "2026-12-01",
  endOn: "2027-03-31",
  fileCount: 0,
};

const TODAY = "2026-11-23";

describe("bidIssues", () => {
  it("finds nothing wrong with a complete bid", () => {
    expect(bidIssues(complete, terms, TODAY)).toEqual([]);
  });

  it("lists every problem of an empty draft, each with its step and field", () => {
    const empty: BidContent = {
      title: "",
      summary: "",
      description: "",
      amountPence: null,
      budgetLines: [],
      wardIds: [],
      beneficiaries: "",
      beneficiaryCount: null,
      startOn: null,
      endOn: null,
      fileCount: 0,
    };
    expect(bidIssues(empty, terms, TODAY).map((i) => `${i.step}/${i.field}`)).toEqual([
      "about/title",
      "about/summary",
      "about/description",
      "money/amount",
      "money/lines",
      "where/wardIds",
      "where/beneficiaries",
      "where/beneficiaryCount",
      "where/startOn",
      "where/endOn",
    ]);
  });

  it("refuses budget lines that do not add up, with how far out they are", () => {
    const issues = bidIssues(
      { ...complete, budgetLines: [{ description: "Timber", amountPence: 50_000 }] },
      terms,
      TODAY,
    );
    expect(issues.map((i) => ({ ...i, message: en(i.message) }))).toEqual([
      {
        step: "money",
        field: "lines",
        message: "The budget lines add up to £500.00, £300.00 less than the £800.00 you are asking for.",
      },
    ]);
  });

  it("keeps the amount within the fund's limits", () => {
    expect(
      en(
        bidIssues(
          { ...complete, amountPence: 5_000, budgetLines: [{ description: "x", amountPence: 5_000 }] },
          terms,
          TODAY,
        )[0]!.message,
      ),
    ).toBe("Ask for at least £100.00, the smallest grant Ward Budgets 2026/27 makes.");
    const big = bidIssues(
      { ...complete, amountPence: 600_000, budgetLines: [{ description: "x", amountPence: 600_000 }], fileCount: 1 },
      terms,
      TODAY,
    );
    expect(big.map((i) => en(i.message))).toEqual([
      "Ask for no more than £5,000.00, the largest grant Ward Budgets 2026/27 makes.",
    ]);
  });

  it("applies the grant rules: no retrospective costs, quotes above a threshold", () => {
    expect(bidIssues({ ...complete, startOn: "2026-11-22" }, terms, TODAY).map((i) => i.field)).toEqual(["startOn"]);
    expect(bidIssues({ ...complete, startOn: "2026-11-22" }, { ...terms, rules: {} }, TODAY)).toEqual([]);
    const large = { ...complete, amountPence: 150_000, budgetLines: [{ description: "Shed", amountPence: 150_000 }] };
    expect(bidIssues(large, terms, TODAY).map((i) => `${i.step}/${i.field}`)).toEqual(["files/files"]);
    expect(bidIssues({ ...large, fileCount: 1 }, terms, TODAY)).toEqual([]);
  });

  it("checks dates run forwards and wards are the fund's", () => {
    expect(bidIssues({ ...complete, endOn: "2026-11-30" }, terms, TODAY).map((i) => i.field)).toEqual(["endOn"]);
    expect(bidIssues({ ...complete, endOn: complete.startOn }, terms, TODAY)).toEqual([]);
    expect(bidIssues({ ...complete, wardIds: [3] }, terms, TODAY).map((i) => en(i.message))).toEqual([
      "Choose only wards that Ward Budgets 2026/27 covers.",
    ]);
    // In Welsh, the fund's Welsh name when it has one.
    const welsh = bidIssues({ ...complete, wardIds: [3] }, { ...terms, nameCy: "Cyllidebau Ward 2026/27" }, TODAY);
    expect(welsh.map((i) => messageText(i.message, "cy"))).toEqual([
      "Dewiswch dim ond wardiau y mae Cyllidebau Ward 2026/27 yn eu cynnwys.",
    ]);
  });
});

describe("fundRefusal", () => {
  it("lets an eligible group bid while the fund is open", () => {
    expect(fundRefusal(terms, "2026-04-01", "cio")).toBeNull();
    expect(fundRefusal(terms, "2027-02-28", "cio")).toBeNull();
  });
  it("refuses before it opens, after it closes, and the wrong kind of organisation", () => {
    expect(en(fundRefusal(terms, "2026-03-31", "cio"))).toBe("Ward Budgets 2026/27 opens for bids on 2026-04-01.");
    expect(en(fundRefusal(terms, "2027-03-01", "cio"))).toBe("Ward Budgets 2026/27 closed for bids on 2027-02-28.");
    expect(en(fundRefusal(terms, TODAY, "faith-group"))).toBe(
      "Ward Budgets 2026/27 does not take bids from this kind of organisation.",
    );
  });
  it("lets PB bids in only while the round is accepting them", () => {
    const round: FundTerms = {
      ...terms,
      kind: "pb-round",
      opensOn: null,
      closesOn: null,
      eligibleTypes: null,
      phase: "accepting-bids",
    };
    expect(fundRefusal(round, TODAY, "faith-group")).toBeNull();
    expect(en(fundRefusal({ ...round, phase: "voting" }, TODAY, "cio"))).toBe(
      "Ward Budgets 2026/27 is not accepting bids.",
    );
  });
});

describe("small helpers", () => {
  it("makes references", () => {
    expect(bidReference("ward-budget", 2026, 7)).toBe("WB-2026-0007");
    expect(bidReference("pb-round", 2027, 12345)).toBe("PB-2027-12345");
  });
  it("parses a count of people", () => {
    expect(parseCount("1,200")).toBe(1200);
    expect(parseCount("0")).toBe(0);
    expect(parseCount("-3")).toBeNull();
    expect(parseCount("12.5")).toBeNull();
    expect(parseCount("")).toBeNull();
  });
  it("explains the grant rules in sentences", () => {
    expect(
      ruleNotes({
        ...terms,
        rules: { noRetrospectiveCosts: true, quotesAbovePence: 100_000, matchFundingPercent: 20 },
      }).map(en),
    ).toEqual([
      "The fund does not pay for work that has already started.",
      "For bids over £1,000.00, attach at least one quote.",
      "The fund expects you to find at least 20% of the project's cost from elsewhere; say where in the description.",
    ]);
  });
});

/** A message in English, as the pages show it. */
function en(message: string | null): string | null {
  return message === null ? null : messageText(message, "en");
}
