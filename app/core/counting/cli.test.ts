/**
 * The `npm run count` command line (scripts/count.ts): reports on standard output, and on bad
 * input a non-zero exit with a message naming the field or line. The command's logic runs in
 * process; one test starts the real script to check its output and exit codes end to end.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCount } from "../../../scripts/count";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "wardfund-count-")), name);
  writeFileSync(path, content);
  return path;
}

const seedCase = `${fixtures}rcv/tiebreak_seed_test.json`;

describe("npm run count", () => {
  it("prints the expected layout of a case file", async () => {
    const run = await runCount([seedCase, "--layout", "expected"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(seedCase, "utf8")).expected);
  });

  it("prints the tie-break record with the full report, and text tables on request", async () => {
    const full = JSON.parse((await runCount([seedCase])).stdout);
    expect(full.tieBreaks).toHaveLength(2);
    expect(full.tieBreaks[0]).toMatchObject({ mode: "random", seed: "1", chosen: "Yinka Dare" });
    const text = await runCount([seedCase, "--format", "text"]);
    expect(text.stdout).toContain("Winners: George Gervin");
  });

  it("counts a Pabulib file by the rule asked, as JSON or text", async () => {
    const file = `${fixtures}pabulib/poland_krakow_2018_bienczyce.pb`;
    const json = await runCount([file, "--rule", "mes"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      rule: "mes",
      selected: ["13", "3", "5", "7"],
      cost_total: "96300",
      budget_left: "66800",
    });
    const text = await runCount([file, "--format", "text"]);
    expect(text.stdout).toContain("Rule: greedy; budget 163100");
    expect(text.stdout).toContain("Selected: 13, 5, 6, 7");
    const richer = await runCount([file, "--budget", "1000000"]);
    expect(JSON.parse(richer.stdout).budget).toBe("1000000");
  });

  it("exits 1 naming the field of a bad case file", async () => {
    const noSeats = await runCount([
      tempFile("bad.json", JSON.stringify({ candidates: ["A"], rules: { method: "irv" }, ballots: [] })),
    ]);
    expect(noSeats.exitCode).toBe(1);
    expect(noSeats.stderr).toMatch(/^error: .*bad\.json: rules\.seats: /);
    const badCount = JSON.parse(readFileSync(seedCase, "utf8"));
    badCount.ballots[2].count = 0;
    const second = await runCount([tempFile("count.json", JSON.stringify(badCount))]);
    expect(second).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: expect.stringMatching(/^error: .*count\.json: ballots\[2\]\.count: must be a positive integer\n$/),
    });
    const missing = await runCount(["/no/such/file.json"]);
    expect(missing.stderr).toBe("error: cannot read /no/such/file.json: no such file (ENOENT)\n");
  });

  it("exits 1 naming the line of a bad Pabulib vote", async () => {
    const pb = [
      "META",
      "key;value",
      "budget;10",
      "vote_type;ordinal",
      "PROJECTS",
      "project_id;cost",
      "1;5",
      "VOTES",
      "voter_id;vote",
      "1;1",
      "2;99",
      "3;1",
    ].join("\n");
    const file = tempFile("bad.pb", pb);
    const run = await runCount([file]);
    expect(run).toEqual({ exitCode: 1, stdout: "", stderr: `error: ${file}: line 11: unknown project id 99\n` });
  });

  it("counts a PB ballot file in JSON by the rule asked, and names a bad field", async () => {
    const election = {
      format: "wardfund-pb-ballots/1",
      projects: [
        { id: "PB-1", cost: "1500.00", name: "Park benches" },
        { id: "PB-2", cost: "700.50" },
        { id: "PB-3", cost: "900.00" },
      ],
      budget: "2300.00",
      maxLength: 2,
      ballots: [
        { id: "r1", ranking: ["PB-1", "PB-2"], count: 1 },
        { id: "r2", ranking: ["PB-3"], count: 1 },
        { id: "r3", ranking: ["PB-2", "PB-3"], count: 1 },
      ],
    };
    const file = tempFile("ballots.json", JSON.stringify(election));
    const greedy = await runCount([file, "--rule", "greedy", "--tie", "project-id"]);
    expect(greedy.exitCode).toBe(0);
    expect(JSON.parse(greedy.stdout)).toMatchObject({
      rule: "greedy",
      selected: ["PB-2", "PB-3"],
      cost_total: "1600.5",
      budget_left: "699.5",
    });
    expect(JSON.parse((await runCount([file, "--rule", "mes"])).stdout)).toMatchObject({ rule: "mes", voters: 3 });
    expect((await runCount([file])).stderr).toContain(
      "the file does not say which rule counts it; choose one with --rule",
    );
    // A published file states its rule: it counts without --rule, and --rule still overrides it.
    const stated = tempFile("stated.json", JSON.stringify({ ...election, rule: "mes" }));
    expect(JSON.parse((await runCount([stated])).stdout)).toMatchObject({ rule: "mes", voters: 3 });
    expect(JSON.parse((await runCount([stated, "--rule", "greedy"])).stdout)).toMatchObject({ rule: "greedy" });
    const odd = tempFile("odd.json", JSON.stringify({ ...election, rule: "borda" }));
    expect((await runCount([odd])).stderr).toContain('"borda" is not greedy, mes or mes-add1');
    const bad = tempFile("bad.json", JSON.stringify({ ...election, ballots: [{ ranking: ["PB-9"] }] }));
    const run = await runCount([bad, "--rule", "greedy"]);
    expect(run).toEqual({ exitCode: 1, stdout: "", stderr: `error: ${bad}: ballots[0]: unknown project id PB-9\n` });
  });

  it("exits 2 with its usage when the arguments are wrong", async () => {
    const run = await runCount(["--rule", "borda"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--rule must be one of greedy, mes, mes-add1");
    expect((await runCount([seedCase, "--rule", "mes"])).stderr).toContain("--rule and --budget apply to PB files");
  });

  it("runs as a script with those outputs and exit codes", () => {
    const tsx = join(repo, "node_modules/.bin/tsx");
    const ok = spawnSync(tsx, ["scripts/count.ts", seedCase, "--layout", "expected"], { cwd: repo, encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).winners).toEqual(["George Gervin"]);
    const bad = spawnSync(tsx, ["scripts/count.ts", "--format", "xml"], { cwd: repo, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--format must be one of json, text");
  });
});
