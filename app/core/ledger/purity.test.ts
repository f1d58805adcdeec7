/**
 * Keeps the money and ledger cores pure: no framework, database, file system, environment, clock
 * or randomness. The classic Remix compiler would not catch such an import, so this test does.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CORE_DIRS = ["../ledger", "../money"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

const FORBIDDEN: [RegExp, string][] = [
  [/from "(node:)?(fs|fs\/promises|path|os|child_process|net|http|https)"/, "I/O modules"],
  [/from "(@remix-run\/[^"]+|react|react-dom|drizzle-orm[^"]*|better-sqlite3)"/, "framework or database"],
  [/from "~\/(models|db|utils|routes)/, "app layers above core"],
  [/process\.env/, "environment"],
  [/Date\.now\(|new Date\(\)/, "the clock"],
  [/Math\.random\(/, "randomness"],
];

function sourceFiles(): string[] {
  return CORE_DIRS.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
      .map((name) => join(dir, name)),
  );
}

describe("core purity", () => {
  const files = sourceFiles();

  it("finds the module files", () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((file) => [file.split("/app/core/")[1]!, file]))(
    "%s uses no I/O, clock, randomness or framework",
    (_name, file) => {
      const source = readFileSync(file, "utf8");
      for (const [pattern, what] of FORBIDDEN) expect(source, `${what}`).not.toMatch(pattern);
    },
  );

  it("only hash.ts touches node:crypto", () => {
    const users = files.filter((file) => /from "(node:)?crypto"/.test(readFileSync(file, "utf8")));
    expect(users.map((file) => file.split("/").pop())).toEqual(["hash.ts"]);
  });
});
