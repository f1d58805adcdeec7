import { describe, expect, it } from "vitest";
import { pbCaseFromValue } from "../counting/pb/case-json";
import { countPb } from "../counting/pb/count";
import { pbElectionFrom } from "../counting/pb/election";
import { sha256Hex } from "../ledger/hash";
import { ballotsCsv, buildBallotFile, projectIdFor, type BallotFileInput } from "./ballot-file";
import { chartSvg, greedyChartSpec, mesChartSpec, narrowChartSvg, wideChartSvg, wrapLabel } from "./chart";
import { compareRules, poundsTextToPence, resultView, type ResultProject, type StoredReport } from "./report-view";
import { turnoutOf } from "./turnout";

const projects = [
  {
    bidId: 12,
    reference: "PB-2026-0012",
    title: "Benches & bins for <the> park",
    costPence: 150000,
    ballotPosition: 2,
  },
  { bidId: 7, reference: "PB-2026-0007", title: "Youth club kit", costPence: 70050, ballotPosition: 1 },
  { bidId: 9, reference: "PB-2026-0009", title: "Community fridge", costPence: 90000, ballotPosition: 3 },
];
const input: BallotFileInput = {
  roundId: 4,
  roundName: "Eastbrook decides",
  potPence: 230000,
  maxRanked: 2,
  tieBreak: "project-id",
  projects,
  ballots: [{ ranking: [9] }, { ranking: [12, 7] }, { ranking: [7, 9] }],
};

describe("the published ballot file", () => {
  it("lists projects in ballot order and rankings in text order with no id, with amounts in pounds", () => {
    const file = buildBallotFile(input);
    const value = JSON.parse(file.text);
    expect(value.projects.map((p: { id: string }) => p.id)).toEqual(["PB-2026-0007", "PB-2026-0012", "PB-2026-0009"]);
    expect(value.projects[0]).toEqual({ id: "PB-2026-0007", cost: "700.50", name: "Youth club kit" });
    expect(value.budget).toBe("2300.00");
    expect(value.maxLength).toBe(2);
    expect(value.ballots).toEqual([
      { ranking: ["PB-2026-0007", "PB-2026-0009"], count: 1 },
      { ranking: ["PB-2026-0009"], count: 1 },
      { ranking: ["PB-2026-0012", "PB-2026-0007"], count: 1 },
    ]);
    expect(file.text).not.toMatch(/"id":"[^P0]/);
    expect(file.text.endsWith("}\n")).toBe(true);
  });

  it("gives the same bytes and hash whatever order the ballots and projects come in", () => {
    const first = buildBallotFile(input);
    const shuffled = buildBallotFile({
      ...input,
      projects: [...projects].reverse(),
      ballots: [...input.ballots].reverse(),
    });
    expect(shuffled.text).toBe(first.text);
    expect(shuffled.sha256).toBe(first.sha256);
    expect(first.sha256).toBe(sha256Hex(first.text));
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is a PB ballot file the engine counts", () => {
    const file = buildBallotFile(input);
    const report = countPb(pbElectionFrom(pbCaseFromValue(JSON.parse(file.text))), "greedy", "project-id");
    expect(report.selected).toEqual(["PB-2026-0007", "PB-2026-0009"]);
  });

  it("orders ids by the round's tie-break rule", () => {
    expect(projectIdFor(projects[0]!, "ballot-order")).toBe("002:PB-2026-0012");
    expect(projectIdFor(projects[0]!, "lowest-cost")).toBe("000000150000:PB-2026-0012");
    const ids = projects.map((p) => projectIdFor(p, "lowest-cost")).sort();
    expect(ids[0]).toBe("000000070050:PB-2026-0007");
  });

  it("refuses a ballot that ranks a bid not on the ballot", () => {
    expect(() => buildBallotFile({ ...input, ballots: [{ ranking: [99] }] })).toThrow(/bid 99/);
  });

  it("keeps identical rankings as separate ballots, adjacent", () => {
    const ballots = [{ ranking: [9] }, { ranking: [7] }, { ranking: [9] }];
    const value = JSON.parse(buildBallotFile({ ...input, ballots }).text);
    expect(value.ballots.map((b: { ranking: string[] }) => b.ranking[0])).toEqual([
      "PB-2026-0007",
      "PB-2026-0009",
      "PB-2026-0009",
    ]);
  });

  it("writes an empty ballot list as []", () => {
    expect(JSON.parse(buildBallotFile({ ...input, ballots: [] }).text).ballots).toEqual([]);
  });

  it("turns into CSV of ranks only, in the file's order, with no receipt or id", () => {
    const csv = ballotsCsv(buildBallotFile(input).text);
    expect(csv.split("\r\n")).toEqual([
      "rank_1,rank_2",
      "PB-2026-0007,PB-2026-0009",
      "PB-2026-0009,",
      "PB-2026-0012,PB-2026-0007",
      "",
    ]);
  });
});

const resultProjects: ResultProject[] = projects.map((p) => ({
  id: p.reference,
  bidId: p.bidId,
  reference: p.reference,
  title: p.title,
  costPence: p.costPence,
}));
function reports() {
  const election = pbElectionFrom(pbCaseFromValue(JSON.parse(buildBallotFile(input).text)));
  return {
    greedy: countPb(election, "greedy", "project-id") as unknown as StoredReport,
    mes: countPb(election, "mes", "project-id") as unknown as StoredReport,
  };
}

describe("the result view", () => {
  it("reads amounts as whole pence", () => {
    expect(poundsTextToPence("1600.5")).toBe(160050);
    expect(poundsTextToPence("2300")).toBe(230000);
    expect(poundsTextToPence("0.07")).toBe(7);
    expect(() => poundsTextToPence("1.005")).toThrow(RangeError);
  });

  it("gives winners, total, what is left, and each step in pence", () => {
    const { greedy, mes } = reports();
    const view = resultView(greedy, resultProjects, 230000);
    expect(view.winners.map((w) => w.bidId)).toEqual([9, 7]);
    expect(view.totalPence).toBe(160050);
    expect(view.leftOverPence).toBe(69950);
    expect(view.greedyRows.map((r) => [r.project.bidId, r.points, r.selected, r.budgetLeftPence])).toEqual([
      [7, 3, true, 159950],
      [9, 3, true, 69950],
      [12, 2, false, 69950],
    ]);
    const mesView = resultView(mes, resultProjects, 230000);
    expect(mesView.mesRows.map((r) => [r.round, r.project.bidId, r.budgetLeftPence])).toEqual([
      [1, 7, 159950],
      [2, 9, 69950],
    ]);
    expect(mesView.mesRows[0]!.pricePerPoint).toBe("467/2");
  });

  it("compares the two rules project by project", () => {
    const { greedy, mes } = reports();
    const rows = compareRules(greedy, mes, resultProjects);
    expect(rows.every((r) => !r.differs)).toBe(true);
    const fake: StoredReport = { ...mes, selected: ["PB-2026-0012"] };
    const differing = compareRules(greedy, fake, resultProjects).filter((r) => r.differs);
    expect(differing.map((r) => [r.project.bidId, r.chosen, r.chosenByOther])).toEqual([
      [7, true, false],
      [9, true, false],
      [12, false, true],
    ]);
  });
});

/** Checks that every tag opened is closed in order: enough to catch a broken SVG string. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0 && !/&(?!amp;|lt;|gt;|quot;|#39;)/.test(svg);
}

describe("the charts", () => {
  const { greedy, mes } = reports();
  const greedySpec = greedyChartSpec(resultView(greedy, resultProjects, 230000).greedyRows, 230000);
  const greedySvg = wideChartSvg(greedySpec);
  const greedyNarrow = narrowChartSvg(greedySpec);
  const mesSvg = wideChartSvg(mesChartSpec(resultView(mes, resultProjects, 230000).mesRows, 230000));

  it("come as a wide drawing and a narrow one, each with its own class and ids", () => {
    const both = chartSvg(greedySpec);
    expect(both).toBe(`${greedySvg}\n${greedyNarrow}`);
    expect(greedySvg).toContain('class="chart-wide"');
    expect(greedyNarrow).toContain('class="chart-narrow"');
    expect(greedyNarrow).toContain('aria-labelledby="greedy-chart-narrow-title greedy-chart-narrow-desc"');
    expect(wellFormed(greedyNarrow)).toBe(true);
    // The narrow drawing keeps its words at a fixed size: no viewBox, bars placed in percentages.
    expect(greedyNarrow).not.toContain("viewBox");
    for (const [, value] of greedyNarrow.matchAll(/<rect x="([^"]+)"[^>]* width="([^"]+)"/g)) {
      expect(value).toMatch(/^\d+%$/);
    }
    expect(greedyNarrow.match(/fill="#1d4ed8"/g)).toHaveLength(2);
  });

  it("wrap a long label over lines of at most 30 characters", () => {
    expect(wrapLabel("Planters and benches along the whole of the High Street near the station")).toEqual([
      "Planters and benches along the",
      "whole of the High Street near",
      "the station",
    ]);
    expect(wrapLabel("A".repeat(40))).toEqual([`${"A".repeat(29)}…`]);
    expect(
      wrapLabel("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"),
    ).toHaveLength(3);
  });

  it("are well-formed SVG with escaped text", () => {
    for (const svg of [greedySvg, mesSvg]) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(wellFormed(svg)).toBe(true);
    }
    expect(greedySvg).toContain("Benches &amp; bins for &lt;the&gt; park");
    expect(wellFormed("<svg><text>a</svg>")).toBe(false);
  });

  it("are images labelled by their own title and description", () => {
    expect(greedySvg).toContain('role="img" aria-labelledby="greedy-chart-title greedy-chart-desc"');
    expect(greedySvg).toMatch(/<title id="greedy-chart-title">[^<]+<\/title>/);
    expect(greedySvg).toMatch(/<desc id="greedy-chart-desc">[^<]*budget of £2,300\.00[^<]*<\/desc>/);
    expect(mesSvg).toContain('aria-labelledby="mes-chart-title mes-chart-desc"');
  });

  it("use whole-pixel coordinates and money labels in whole pence", () => {
    for (const svg of [greedySvg, mesSvg]) {
      for (const [, value] of svg.matchAll(/\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]+)"/g)) {
        if (value === "100%") continue;
        expect(value).toMatch(/^\d+$/);
      }
      for (const [amount] of svg.matchAll(/£[\d,]+(?:\.\d+)?/g)) expect(amount).toMatch(/^£\d{1,3}(,\d{3})*\.\d{2}$/);
    }
    expect(greedySvg).toContain("£700.50 · 3 points");
    expect(mesSvg).toContain("£699.50 left");
  });

  it("draw a chosen project solid and a left-out one dashed", () => {
    expect(greedySvg.match(/fill="#1d4ed8"/g)).toHaveLength(2);
    expect(greedySvg.match(/stroke-dasharray/g)).toHaveLength(1);
  });
});

describe("turnout", () => {
  it("counts paper ballots as those without a participation row, and wards by name", () => {
    const turnout = turnoutOf(10, [
      { channel: "online", wardName: "Abbey Fields", count: 4 },
      { channel: "code", wardName: null, count: 2 },
      { channel: "online", wardName: "Brook", count: 1 },
    ]);
    expect(turnout.total).toBe(10);
    expect(turnout.byChannel).toEqual([
      { channel: "online", count: 5 },
      { channel: "code", count: 2 },
      { channel: "paper", count: 3 },
    ]);
    expect(turnout.byWard).toEqual([
      { wardName: "Abbey Fields", count: 4 },
      { wardName: "Brook", count: 1 },
      { wardName: "Ward not known", count: 5 },
    ]);
  });

  it("is all zero before anyone votes", () => {
    expect(turnoutOf(0, [])).toEqual({
      total: 0,
      byChannel: [
        { channel: "online", count: 0 },
        { channel: "code", count: 0 },
        { channel: "paper", count: 0 },
      ],
      byRoute: [
        { route: "account", count: 0 },
        { route: "code", count: 0 },
        { route: "paper", count: 0 },
      ],
      byWard: [],
    });
  });

  it("names online ballots by the round's voter rule: register or account", () => {
    const rows = [
      { channel: "online" as const, wardName: "Abbey Fields", count: 3 },
      { channel: "code" as const, wardName: null, count: 2 },
    ];
    expect(turnoutOf(6, rows, "register").byRoute).toEqual([
      { route: "register", count: 3 },
      { route: "code", count: 2 },
      { route: "paper", count: 1 },
    ]);
    expect(turnoutOf(6, rows).byRoute[0]).toEqual({ route: "account", count: 3 });
  });
});
