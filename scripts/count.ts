/**
 * Recount from a file: `npm run count -- FILE [options]`.
 *
 * FILE is a ballot-case JSON file (ballot-case format section 1: candidates, rules, ballots), a
 * Pabulib `.pb` file (section 2), or a PB ballot file in JSON (projects, budget, maxLength, ballots:
 * what Wardfund publishes for a counted PB round; see app/core/counting/pb/case-json.ts). The report goes to standard
 * output as JSON (default) or as text
 * tables; invalid input exits non-zero with a message naming the field or line at fault.
 *
 *   --format json|text     output form (default json)
 *   --layout expected      JSON: print only the `expected` layout (no tie-break record)
 *   --rule greedy|mes|mes-add1
 *                          PB: the rule (default: the file's own rule, a .pb file's META `rule`
 *                          or a published PB JSON file's `rule`; --rule overrides it)
 *   --budget N             .pb: count with this budget instead of the file's
 *   --tie project-id|none  PB: how to settle equal points or prices (default project-id; none
 *                          stops at any tie)
 *
 * This file is the imperative shell: it reads the file (a `.pb` line by line, merging identical
 * votes as they stream in; a case file whole, its ballots merged one by one as they are parsed)
 * and writes the report. All parsing and counting is in app/core/counting.
 */
import { createReadStream, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { CountingError, InvalidInputError } from "../app/core/counting/errors";
import { countPb } from "../app/core/counting/pb/count";
import { pbElectionFrom } from "../app/core/counting/pb/election";
import { PabulibReader, type PabulibFile } from "../app/core/counting/pb/pabulib";
import type { PbRule, PbTieRule } from "../app/core/counting/pb/types";
import { formatReportText } from "../app/core/counting/report-text";

interface Options {
  file: string;
  format: "json" | "text";
  layout: "full" | "expected";
  rule: PbRule | undefined;
  budget: string | undefined;
  tie: PbTieRule;
}

const USAGE =
  "usage: npm run count -- FILE [--format json|text] [--layout expected] [--rule greedy|mes|mes-add1] [--budget N] " +
  "[--tie project-id|none]";

class UsageError extends Error {}

function oneOf<const T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
  if (value === undefined || !allowed.includes(value as T))
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}`);
  return value as T;
}

export function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    file: "",
    format: "json",
    layout: "full",
    rule: undefined,
    budget: undefined,
    tie: "project-id",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string | undefined => argv[++i];
    if (arg === "--format") options.format = oneOf(value(), ["json", "text"], "--format");
    else if (arg === "--layout") options.layout = oneOf(value(), ["full", "expected"], "--layout");
    else if (arg === "--rule") options.rule = oneOf(value(), ["greedy", "mes", "mes-add1"], "--rule");
    else if (arg === "--tie") options.tie = oneOf(value(), ["project-id", "none"], "--tie");
    else if (arg === "--budget") {
      const budget = value();
      if (budget === undefined || !/^\d+(?:\.\d+)?$/.test(budget))
        throw new UsageError("--budget must be a non-negative amount");
      options.budget = budget;
    } else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    else if (options.file) throw new UsageError("give one file");
    else options.file = arg;
  }
  if (!options.file) throw new UsageError("give a file to count");
  return options;
}

async function readPabulib(path: string, budget: string | undefined): Promise<PabulibFile> {
  const reader = new PabulibReader();
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    lines.on("line", (line) => {
      if (failed) return;
      try {
        reader.line(line);
      } catch (error) {
        failed = true;
        reject(error);
        lines.close();
        input.destroy();
      }
    });
    lines.on("close", resolve);
    lines.on("error", reject);
    input.on("error", reject);
  });
  return reader.finish(budget);
}

function pbRuleOf(file: PabulibFile, chosen: PbRule | undefined): PbRule {
  if (chosen) return chosen;
  const own = file.rule?.trim();
  if (own === "greedy" || own === "mes" || own === "mes-add1") return own;
  throw new InvalidInputError("META rule", `"${own ?? ""}" is not greedy, mes or mes-add1; choose one with --rule`);
}

async function countFile(options: Options): Promise<string> {
  if (options.file.toLowerCase().endsWith(".pb")) {
    const election = await readPabulib(options.file, options.budget);
    const report = countPb(election, pbRuleOf(election, options.rule), options.tie);
    return options.format === "text" ? formatReportText(report) : JSON.stringify(report, null, 2);
  }
  // The JSON and ranked-choice readers (with zod and the RCV counter) load only when a file needs them,
  // so counting a .pb file starts quickly.
  const text = withoutBom(readFileSync(options.file, "utf8"));
  const { isPbCaseValue, pbCaseFromValue } = await import("../app/core/counting/pb/case-json");
  const pbValue = pbCaseValueOf(text, isPbCaseValue);
  if (pbValue !== null) {
    const rule = options.rule ?? pbJsonRule(pbValue);
    if (options.budget) throw new UsageError("--budget applies to .pb files");
    const input = pbCaseFromValue(pbValue);
    const report = countPb(pbElectionFrom(input), rule, options.tie);
    return options.format === "text" ? formatReportText(report) : JSON.stringify(report, null, 2);
  }
  if (options.rule || options.budget) throw new UsageError("--rule and --budget apply to PB files");
  const [{ prepareCaseText }, { countPrepared, expectedLayout }] = await Promise.all([
    import("../app/core/counting/case-text"),
    import("../app/core/counting/rcv"),
  ]);
  const report = countPrepared(prepareCaseText(text).prepared);
  if (options.format === "text") return formatReportText(report);
  return JSON.stringify(options.layout === "expected" ? expectedLayout(report) : report, null, 2);
}

/** The rule a published PB JSON file states (`"rule": "greedy"`), or a usage error when it states none. */
function pbJsonRule(value: unknown): PbRule {
  const own = typeof value === "object" && value !== null ? (value as { rule?: unknown }).rule : undefined;
  if (own === "greedy" || own === "mes" || own === "mes-add1") return own;
  if (own === undefined) throw new UsageError("the file does not say which rule counts it; choose one with --rule");
  throw new InvalidInputError("rule", `${JSON.stringify(own)} is not greedy, mes or mes-add1; choose one with --rule`);
}

/** A text without the byte-order mark some editors put at its start. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The parsed value of a PB ballot file in JSON, or null for anything else (a ranked-choice case).
 * A text that starts like a PB file (a `projects` field near the top) but is not valid JSON is
 * refused here, naming the line, rather than read as a ranked-choice case.
 */
function pbCaseValueOf(text: string, isPbCaseValue: (value: unknown) => boolean): unknown {
  if (!/^\s*\{[\s\S]{0,2000}"projects"/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      jsonErrorPlace(text, error),
      `the PB ballot file is not valid JSON (${(error as Error).message}); is it truncated?`,
    );
  }
  return isPbCaseValue(value) ? value : null;
}

/** `line N` of a JSON syntax error, from the position V8 reports, or `end of file`. */
function jsonErrorPlace(text: string, error: unknown): string {
  const position = /position (\d+)/.exec((error as Error).message)?.[1];
  const offset = position === undefined ? text.length : Number(position);
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return position === undefined ? `line ${line} (end of file)` : `line ${line}`;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the command on its arguments; what `npm run count` prints and its exit code. */
export async function runCount(argv: readonly string[]): Promise<CliResult> {
  let options: Options | undefined;
  try {
    options = parseArgs(argv);
    const output = await countFile(options);
    return { exitCode: 0, stdout: `${output}\n`, stderr: "" };
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: 2, stdout: "", stderr: `error: ${error.message}\n${USAGE}\n` };
    const file = options?.file ?? "the file";
    if (error instanceof CountingError)
      return { exitCode: 1, stdout: "", stderr: `error: ${file}: ${error.message}\n` };
    const { code, path } = error as NodeJS.ErrnoException;
    if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
      const reason = { ENOENT: "no such file", EISDIR: "it is a directory", EACCES: "permission denied" }[code];
      return { exitCode: 1, stdout: "", stderr: `error: cannot read ${path ?? file}: ${reason} (${code})\n` };
    }
    if (code === "ERR_INVALID_ARG_VALUE" || error instanceof RangeError) {
      return { exitCode: 1, stdout: "", stderr: `error: ${file}: cannot be read: ${(error as Error).message}\n` };
    }
    throw error;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const result = await runCount(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
