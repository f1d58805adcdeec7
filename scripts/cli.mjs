/**
 * Runs a built command-line tool: `node scripts/cli.mjs NAME [args...]` runs build/cli/NAME.mjs with the args.
 * When the built file is missing, or any source it was built from is newer (build/cli/inputs.json lists them), it
 * builds the tools first (scripts/build-cli.mjs), so a fresh checkout or an edited source still runs correctly.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUILD_DIR = path.join(ROOT, "build", "cli");
const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(ROOT, "scripts", "cli", `${name}.ts`))) {
  console.error(
    `usage: node scripts/cli.mjs NAME [args...], NAME being a file of scripts/cli/ (got ${name ?? "nothing"})`,
  );
  process.exit(2);
}
process.env.WARDFUND_ROOT ??= ROOT;
const built = path.join(BUILD_DIR, `${name}.mjs`);

function isStale() {
  if (!existsSync(built)) return true;
  let listed;
  try {
    listed = JSON.parse(readFileSync(path.join(BUILD_DIR, "inputs.json"), "utf8"));
  } catch {
    return true;
  }
  if (!listed.entries?.includes(name)) return true;
  const builtAt = statSync(built).mtimeMs;
  for (const input of listed.inputs) {
    const stat = statSync(path.join(ROOT, input), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > builtAt) return true;
  }
  return false;
}

if (isStale()) {
  const { buildCli } = await import("./build-cli.mjs");
  await buildCli();
}
process.argv.splice(1, 2, built);
await import(pathToFileURL(built).href);
