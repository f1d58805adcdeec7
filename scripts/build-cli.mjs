/**
 * Builds every command-line tool listed in scripts/cli/ (one `NAME.ts` per tool) into plain JavaScript,
 * `build/cli/NAME.mjs`, with esbuild: one bundle of the app's own code per tool, packages left as imports from
 * node_modules. Writes `build/cli/inputs.json` (the source files read), which `scripts/cli.mjs` compares with the
 * built files to rebuild when a source is newer. Copies the ledger chain-scan worker beside the built code, where
 * `ledger-chain.server.ts` loads it from.
 *
 *   node scripts/build-cli.mjs
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_SOURCE_DIR = path.join(ROOT, "scripts", "cli");
export const CLI_BUILD_DIR = path.join(ROOT, "build", "cli");
export const CLI_INPUTS_FILE = path.join(CLI_BUILD_DIR, "inputs.json");
const WORKER = "app/models/ledger-chain-scan.server.mjs";

/** The tool names: every `NAME.ts` in scripts/cli/. */
export function cliEntries() {
  return readdirSync(CLI_SOURCE_DIR)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => name.slice(0, -3))
    .sort();
}

/** Builds the tools into `outdir` (default build/cli); returns the tool names. */
export async function buildCli(outdir = CLI_BUILD_DIR) {
  const { build } = await import("esbuild");
  const names = cliEntries();
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(names.map((name) => [name, path.join(CLI_SOURCE_DIR, `${name}.ts`)])),
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
  });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes("node_modules"));
  writeFileSync(path.join(outdir, "inputs.json"), `${JSON.stringify({ entries: names, inputs }, null, 1)}\n`);
  copyFileSync(path.join(ROOT, WORKER), path.join(outdir, path.basename(WORKER)));
  mkdirSync(path.join(outdir, "chunks"), { recursive: true });
  copyFileSync(path.join(ROOT, WORKER), path.join(outdir, "chunks", path.basename(WORKER)));
  return names;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = performance.now();
  const names = await buildCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(
    `Built ${names.length} command-line tools into build/cli in ${Math.round(performance.now() - started)} ms`,
  );
}
