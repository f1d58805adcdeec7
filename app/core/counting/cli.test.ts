/**
 * The `npm run count` command line (scripts/count.ts), run as a child process: reports on
 * standard output, and on bad input a non-zero exit with a message naming the field or line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));
const tsx = join(repo, "node_modules/.bin/tsx");
const script = join(repo, "scripts/count.ts");

function count(...args: string[]) {
  const run = spawnSync(tsx, [script, ...args], { encoding: "utf8", cwd: repo });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wardfund-count-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("npm run count", () => {
  it("prints the expected layout of a case file", () => {
    const output = execFileSync(tsx, [script, `${fixtures}rcv/tiebreak_seed_test.json`, "--layout", "expected"], { encoding: "utf8", cwd: repo });
    const expected = JSON.parse(execFileSync("cat", [`${fixtures}rcv/tiebreak_seed_test.json`], { encoding: "utf8" })).expected;
    expect(JSON.parse(output)).toEqual(expected);
  });

  it("counts a Pabulib file by the rule asked, as JSON or text", () => {
    const file = `${fixtures}pabulib/poland_krakow_2018_bienczyce.pb`;
    const json = count(file, "--rule", "mes");
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ rule: "mes", selected: ["13", "3", "5", "7"], cost_total: "96300", budget_left: "66800" });
    const text = count(file, "--format", "text");
    expect(text.stdout).toContain("Rule: greedy; budget 163100");
    expect(text.stdout).toContain("Selected: 13, 5, 6, 7");
  });

  it("exits non-zero naming the field of a bad case file", () => {
    const file = tempFile("bad.json", JSON.stringify({ candidates: ["A"], rules: { method: "irv" }, ballots: [] }));
    const run = count(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: rules\.seats: /);
    const badCount = JSON.parse(execFileSync("cat", [`${fixtures}rcv/tiebreak_seed_test.json`], { encoding: "utf8" }));
    badCount.ballots[2].count = 0;
    const second = count(tempFile("count.json", JSON.stringify(badCount)));
    expect(second.status).toBe(1);
    expect(second.stderr).toBe("error: ballots[2].count: must be a positive integer\n");
  });

  it("exits non-zero naming the line of a bad Pabulib vote", () => {
    const pb = ["META", "key;value", "budget;10", "vote_type;ordinal", "PROJECTS", "project_id;cost", "1;5", "VOTES", "voter_id;vote", "1;1", "2;99"].join("\n");
    const run = count(tempFile("bad.pb", pb));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("error: line 11: unknown project id 99\n");
  });

  it("explains its usage when the arguments are wrong", () => {
    const run = count("--rule", "borda");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--rule must be one of greedy, mes, mes-add1");
  });
});
