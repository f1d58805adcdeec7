/**
 * `npm run count` on input that is truncated, garbled or otherwise at odds with itself, run as the
 * real built command (scripts/build-cli.mjs into a temporary folder) in a child process: each case
 * exits non-zero with a message naming the file and the line or field, and nothing on standard output.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));
const krakow = readFileSync(`${fixtures}pabulib/poland_krakow_2018_swoszowice.pb`, "utf8");
const krakowLines = krakow.split("\n");
let built = "";

beforeAll(async () => {
  // Inside the checkout, so that the built code finds node_modules.
  mkdirSync(join(repo, "tests/.tmp"), { recursive: true });
  const outdir = mkdtempSync(join(repo, "tests/.tmp/cli-"));
  const { buildCli } = (await import(join(repo, "scripts/build-cli.mjs"))) as {
    buildCli: (dir: string) => Promise<string[]>;
  };
  await buildCli(outdir);
  built = join(outdir, "count.mjs");
}, 60_000);

afterAll(() => rmSync(dirname(built), { recursive: true, force: true }));

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "wardfund-count-")), name);
  writeFileSync(path, content);
  return path;
}

function count(...args: string[]) {
  const run = spawnSync(process.execPath, [built, ...args], { cwd: repo, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The Kraków file with line `n` (1-based) replaced by `text`. */
function krakowWith(n: number, text: string): string {
  return krakowLines.map((line, i) => (i === n - 1 ? text : line)).join("\n");
}

function refused(run: ReturnType<typeof count>, file: string, message: RegExp) {
  expect(run.stdout).toBe("");
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(file);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("npm run count refuses a file that disagrees with itself", () => {
  it("counts the whole Kraków file as before", () => {
    const run = count(`${fixtures}pabulib/poland_krakow_2018_swoszowice.pb`, "--format", "text");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Selected: 10, 2, 4, 5, 6, 9");
  });

  it("refuses a truncated .pb file by its num_votes, naming the line", () => {
    const file = tempFile("cut.pb", krakowLines.slice(0, 232).join("\n"));
    refused(
      count(file),
      file,
      /line 232 \(end of file\): META num_votes \(line 10\) declares 844 votes but the file holds 199/,
    );
  });

  it("refuses a .pb file whose PROJECTS disagree with num_projects", () => {
    const projectLine = krakowLines.findIndex((line) => line.startsWith("5;4000;")) + 1;
    const file = tempFile("projects.pb", krakowLines.filter((_, i) => i !== projectLine - 1).join("\n"));
    refused(count(file), file, /META num_projects \(line 9\) declares 10 projects but PROJECTS lists 9/);
  });

  it("refuses a vote shorter than min_length or longer than max_length, naming its line", () => {
    const firstVote = krakowLines.findIndex((line) => line.startsWith("voter_id")) + 2;
    const [voter] = (krakowLines[firstVote - 1] as string).split(";");
    const short = tempFile("short.pb", krakowWith(firstVote, `${voter};9,2`));
    refused(count(short), short, new RegExp(`line ${firstVote}: ranks 2 projects, fewer than min_length 3`));
    const long = tempFile("long.pb", krakowWith(firstVote, `${voter};9,2,1,3`));
    refused(count(long), long, new RegExp(`line ${firstVote}: ranks 4 projects, more than max_length 3`));
  });

  it("refuses a voter_id given twice", () => {
    const firstVote = krakowLines.findIndex((line) => line.startsWith("voter_id")) + 2;
    const [voter] = (krakowLines[firstVote - 1] as string).split(";");
    const vote = (krakowLines[firstVote] as string).split(";").slice(1).join(";");
    const file = tempFile("twice.pb", krakowWith(firstVote + 1, `${voter};${vote}`));
    refused(count(file), file, new RegExp(`line ${firstVote + 1}: voter_id ${voter} has voted already`));
  });

  it("refuses a project whose votes column disagrees with the votes", () => {
    const file = tempFile("tally.pb", krakow.replace(/^9;56000;322;/m, "9;56000;321;"));
    refused(count(file), file, /project 9 \(line \d+\) declares 321 votes but 322 votes list it/);
  });

  it("names a missing file without a stack trace", () => {
    refused(count("/no/such/file.pb"), "/no/such/file.pb", /cannot read \/no\/such\/file\.pb: no such file \(ENOENT\)/);
  });

  it("names the line where a truncated PB ballot file in JSON ends, with --rule", () => {
    const election = {
      format: "wardfund-pb-ballots/1",
      projects: [{ id: "PB-1", cost: "100" }],
      budget: "100",
      maxLength: 1,
      ballots: [{ ranking: ["PB-1"], count: 1 }],
    };
    const text = JSON.stringify(election, null, 2);
    const file = tempFile("cut.json", text.slice(0, text.length - 20));
    refused(
      count(file, "--rule", "mes"),
      file,
      /line \d+( \(end of file\))?: the PB ballot file is not valid JSON.*truncated/,
    );
  });

  it("refuses a contest with no ballots instead of drawing a winner", () => {
    const rcv = JSON.parse(readFileSync(`${fixtures}rcv/tiebreak_seed_test.json`, "utf8"));
    const file = tempFile("empty.json", JSON.stringify({ ...rcv, ballots: [] }));
    refused(count(file), file, /ballots: there are no ballots; a count needs at least one/);
    const pb = tempFile(
      "empty.pb",
      [
        "META",
        "key;value",
        "budget;10",
        "vote_type;ordinal",
        "PROJECTS",
        "project_id;cost",
        "1;5",
        "VOTES",
        "voter_id;vote",
      ].join("\n"),
    );
    refused(count(pb), pb, /line 9 \(end of file\): the VOTES section holds no votes/);
  });

  it("accepts a case file or a .pb file that starts with a byte-order mark", () => {
    const rcv = readFileSync(`${fixtures}rcv/tiebreak_seed_test.json`, "utf8");
    const run = count(tempFile("bom.json", `\uFEFF${rcv}`), "--layout", "expected");
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout).winners).toEqual(["George Gervin"]);
    const pb = count(tempFile("bom.pb", `\uFEFF${krakow}`), "--format", "text");
    expect(pb.stdout).toContain("Selected: 10, 2, 4, 5, 6, 9");
  });
});
