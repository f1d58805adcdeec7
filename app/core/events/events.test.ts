import { describe, expect, it } from "vitest";
import { rankedView } from "../results/ranked-view";
import type { ResultView } from "../results/report-view";
import { boardSnapshot, timeLeftText } from "./board";
import { acceptableBytes, confirmCodeFrom, tidyCode } from "./codes";
import { revealSteps } from "./reveal";
import { messageText } from "~/utils/message-text";

/** The board and the reveal speak in message keys: read here in English, as the board shows them. */
const en = (message: string) => messageText(message, "en");
const cy = (message: string) => messageText(message, "cy");

const projects = [
  { id: "A", bidId: 1, reference: "PB-1", title: "Benches", costPence: 100_000 },
  { id: "B", bidId: 2, reference: "PB-2", title: "Fridge", costPence: 50_000 },
  { id: "C", bidId: 3, reference: "PB-3", title: "Trees", costPence: 70_000 },
];

describe("confirmation codes", () => {
  it("are six digits, drawn without bias, and read with spaces or dashes", () => {
    expect(confirmCodeFrom(new Uint8Array([0, 9, 10, 249, 123, 55]))).toBe("090935");
    expect(acceptableBytes(new Uint8Array([0, 1, 2, 3, 4, 249]))).toBe(true);
    expect(acceptableBytes(new Uint8Array([0, 1, 2, 3, 4, 250]))).toBe(false);
    expect(tidyCode(" 123-456 ")).toBe("123456");
  });
});

describe("the board", () => {
  it("shows turnout by channel and the time left, and nothing else", () => {
    const snapshot = boardSnapshot(
      {
        total: 12,
        byChannel: [
          { channel: "online", count: 2 },
          { channel: "event", count: 10 },
        ],
        byRoute: [
          { route: "account", count: 2 },
          { route: "event", count: 10 },
        ],
        byWard: [{ wardName: "Abbey", count: 12 }],
      },
      "2026-12-03T18:00:00.000Z",
      true,
    );
    expect(Object.keys(snapshot).sort()).toEqual(["channels", "closesAt", "total", "votingOpen"]);
    expect(snapshot.channels[1]).toMatchObject({ channel: "event", count: 10 });
    expect(en(snapshot.channels[1]!.label)).toBe("At a decision-day event");
    const left = (now: string) => timeLeftText("2026-12-03T18:00:00.000Z", now);
    expect(en(left("2026-12-03T16:54:30.000Z"))).toBe("1 hour 6 minutes left");
    expect(en(left("2026-12-03T17:59:30.000Z"))).toBe("1 minute left");
    expect(en(left("2026-12-03T15:00:00.000Z"))).toBe("3 hours left");
    expect(en(left("2026-12-03T18:00:00.000Z"))).toBe("Voting has closed");
    expect(cy(left("2026-12-03T16:54:30.000Z"))).toBe("1 awr a 6 munud ar ôl");
    expect(cy(left("2026-12-03T17:58:00.000Z"))).toBe("2 funud ar ôl");
    expect(cy(left("2026-12-03T18:00:00.000Z"))).toBe("Mae'r pleidleisio wedi cau");
  });
});

describe("the reveal", () => {
  it("steps through each IRV round with its eliminations and transfers, then the winner", () => {
    const ranked = rankedView(
      "irv",
      1,
      {
        rounds: [
          {
            round: 1,
            tally: { A: "4", B: "3", C: "2" },
            threshold: "5",
            elected: [],
            eliminated: ["C"],
            inactive: { exhaustedChoices: "0" },
            transfers: { C: { B: "2" } },
          },
          {
            round: 2,
            tally: { A: "4", B: "5" },
            threshold: "5",
            elected: ["B"],
            eliminated: [],
            inactive: { exhaustedChoices: "0" },
          },
        ],
        winners: ["B"],
        totalBallots: "9",
        finalThreshold: "5",
        tieBreaks: [],
      },
      projects,
    );
    const view: ResultView = {
      rule: "irv",
      winners: ranked.winners,
      totalPence: ranked.totalPence,
      leftOverPence: 150_000,
      potPence: 200_000,
      greedyRows: [],
      mesRows: [],
      tieBreaks: [],
    };
    const steps = revealSteps(view, ranked);
    expect(steps.map((s) => en(s.heading))).toEqual(["Round 1", "Round 2", "The winner"]);
    expect(steps.map((s) => cy(s.heading))).toEqual(["Rownd 1", "Rownd 2", "Yr enillydd"]);
    expect(steps[0]!.rows).toEqual([
      { label: "Benches", value: "4" },
      { label: "Fridge", value: "3" },
      { label: "Trees", value: "2", mark: "eliminated" },
    ]);
    expect(steps[0]!.notes.map(en)).toContain("Trees's votes move on: Fridge 2.");
    expect(steps[0]!.notes.map(cy)).toContain("Mae pleidleisiau Trees yn symud ymlaen: Fridge 2.");
    expect(steps[1]!.rows[0]).toEqual({ label: "Fridge", value: "5", mark: "elected" });
    expect(steps[2]!.rows).toEqual([{ label: "Fridge", value: "£500.00", mark: "winner" }]);
  });

  it("steps through greedy selections with the budget left", () => {
    const view: ResultView = {
      rule: "greedy",
      winners: [projects[0]!],
      totalPence: 100_000,
      leftOverPence: 20_000,
      potPence: 120_000,
      greedyRows: [
        { project: projects[0]!, points: 9, selected: true, budgetLeftPence: 20_000 },
        { project: projects[2]!, points: 5, selected: false, budgetLeftPence: 20_000 },
      ],
      mesRows: [],
      tieBreaks: [],
    };
    const steps = revealSteps(view, null);
    expect(steps).toHaveLength(3);
    expect(en(steps[1]!.notes[0]!)).toMatch(/^Skipped/);
    expect(en(steps[0]!.heading)).toBe("Step 1: Benches");
    expect(steps[0]!.rows.map((r) => [en(r.label), r.value])).toEqual([
      ["Points", "9"],
      ["Cost", "£1,000.00"],
      ["Budget left", "£200.00"],
    ]);
    expect(en(steps[2]!.heading)).toBe("The winner");
    expect(en(steps[2]!.notes[0]!)).toBe("£1,000.00 of the £1,200.00 pot.");
  });
});
