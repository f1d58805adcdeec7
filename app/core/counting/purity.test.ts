/**
 * The counting module is a functional core: plain data in, a report out. This test reads its
 * source files and fails if one reaches for the web framework, a database, the file system, the
 * clock, the process environment or an unseeded random number.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("./", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(`${path}/`);
    const isTestOnly = entry.name.endsWith(".test.ts") || entry.name === "test-support.ts";
    return entry.name.endsWith(".ts") && !isTestOnly ? [path] : [];
  });
}

const forbidden: [RegExp, string][] = [
  [/from\s+["'](node:)?(fs|path|child_process|os|process|readline|http|https|net)["']/, "Node I/O"],
  [/from\s+["'](react|react-dom|@remix-run\/[^"']+|drizzle-orm[^"']*|better-sqlite3)["']/, "framework or database"],
  [/from\s+["']~\/(db|models|routes|utils)/, "app layers outside the core"],
  [/\brequire\(/, "require()"],
  [/\bnew Date\b|\bDate\.now\b/, "the clock"],
  [/\bMath\.random\b/, "unseeded randomness"],
  [/\bprocess\.(env|argv|stdout|exit)/, "the process"],
  [/\bparseFloat\b|\btoFixed\(/, "floating-point parsing or rounding"],
];

describe("counting is pure", () => {
  const files = sourceFiles(root);

  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((f) => [f.slice(root.length)]))("%s imports no I/O, clock or randomness", (file) => {
    const text = readFileSync(root + file, "utf8");
    const found = forbidden.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
    expect(found).toEqual([]);
  });
});
