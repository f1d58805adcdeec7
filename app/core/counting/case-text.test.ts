/**
 * The streaming reader of case-file text must give exactly what JSON.parse and the ordinary path
 * give, whatever the key order and spacing, and name the same fields in its errors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCaseJson } from "./case-format";
import { prepareCaseText } from "./case-text";
import { countContest, countPrepared } from "./rcv";
import { rules } from "./test-support";

const rcvDir = fileURLToPath(new URL("../../../../shared/fixtures/rcv/", import.meta.url));

describe("reading case text ballot by ballot", () => {
  it.each(
    readdirSync(rcvDir)
      .filter((f) => f.endsWith(".json"))
      .sort(),
  )("%s: same report as the whole-object path", (file) => {
    const text = readFileSync(rcvDir + file, "utf8");
    const { prepared } = prepareCaseText(text);
    expect(countPrepared(prepared)).toEqual(countContest(parseCaseJson(text)));
  });

  const contest = {
    candidates: ["José", 'Ann "Nan" Lee', "B"],
    rules: rules(),
    ballots: [
      { ranking: [["José"], ["B"]], count: 2 },
      { count: 1, ranking: [['Ann "Nan" Lee']] },
      { ranking: [["José"], ["B"]], count: 2 },
      { ranking: [], count: 1 },
    ],
  };

  it("accepts any key order, spacing and escaped names, and merges repeated ballots", () => {
    const ballotsFirst = JSON.stringify(
      { ballots: contest.ballots, rules: contest.rules, candidates: contest.candidates },
      null,
      3,
    ).replace("José", "Jos\\u00e9");
    const { prepared } = prepareCaseText(ballotsFirst);
    expect(prepared.store.groupCount).toBe(3);
    expect(prepared.store.totalBallots).toBe(6);
    expect(countPrepared(prepared)).toEqual(countContest(contest));
  });

  it("names the ballot at fault", () => {
    const bad = structuredClone(contest);
    (bad.ballots[2] as { count: number }).count = -1;
    expect(() => prepareCaseText(JSON.stringify(bad))).toThrow("ballots[2].count: must be a positive integer");
    const unknown = JSON.stringify(contest).replace('["B"]', '["Z"]');
    expect(() => prepareCaseText(unknown)).toThrow('ballots[0].ranking[1][0]: unknown candidate "Z"');
  });

  it("reports a syntax error as JSON.parse does, and a wrong field by name", () => {
    expect(() => prepareCaseText('{"candidates": ["A"], "ballots": [{"ranking": [], "count": 1},]}')).toThrow(
      /^file: is not valid JSON/,
    );
    expect(() => prepareCaseText("[]")).toThrow(/^file: /);
    const noRules = JSON.stringify({ candidates: ["A"], ballots: [] });
    expect(() => prepareCaseText(noRules)).toThrow(/^rules: /);
  });
});
