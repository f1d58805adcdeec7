/**
 * The domain core stays pure: nothing under app/core may import the web framework, React, the
 * database, app modules outside core, or read the clock, randomness or the environment. The classic
 * Remix compiler cannot enforce this, so this test does.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const CORE = path.resolve(__dirname);
const FORBIDDEN_IMPORTS = [
  /^@remix-run\//,
  /^react(-dom)?(\/|$)/,
  /^drizzle-orm/,
  /^better-sqlite3/,
  /^lucia/,
  /^~\/(?!core\/)/,
  /^node:fs/,
  /^fs$/,
];
const FORBIDDEN_CALLS = [/\bMath\.random\s*\(/, /\bDate\.now\s*\(/, /\bnew Date\s*\(\s*\)/, /\bprocess\.env\b/];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.startsWith("test-")
      ? [full]
      : [];
  });
}

describe("app/core is pure", () => {
  const files = sourceFiles(CORE);
  it("has modules to check", () => {
    expect(files.length).toBeGreaterThan(5);
  });
  it.each(files.map((f) => [path.relative(CORE, f), f]))("%s imports and calls nothing impure", (_name, file) => {
    const text = fs.readFileSync(file, "utf8");
    const imports = [
      ...text.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? m[2]!);
    expect(imports.filter((spec) => FORBIDDEN_IMPORTS.some((re) => re.test(spec)))).toEqual([]);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    expect(FORBIDDEN_CALLS.filter((re) => re.test(code)).map(String)).toEqual([]);
  });
});
