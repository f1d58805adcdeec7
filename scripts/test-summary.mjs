// Prints one summary of the unit/integration run (vitest's JSON report) and the end-to-end run
// (Playwright's JSON report): `node scripts/test-summary.mjs vitest.json e2e.json`.
import fs from "node:fs";

const [vitestFile, e2eFile] = process.argv.slice(2);
const vitest = JSON.parse(fs.readFileSync(vitestFile, "utf8"));
const e2e = JSON.parse(fs.readFileSync(e2eFile, "utf8"));

const stats = e2e.stats ?? {};
const e2ePassed = (stats.expected ?? 0) + (stats.flaky ?? 0);
const e2eFailed = stats.unexpected ?? 0;

console.log("\nTest summary");
console.log(
  `  unit and integration (vitest): ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed, ` +
    `${vitest.numPendingTests + (vitest.numTodoTests ?? 0)} skipped, in ${vitest.testResults.length} files`,
);
console.log(
  `  end-to-end (Playwright, Chromium): ${e2ePassed} passed, ${e2eFailed} failed, ${stats.skipped ?? 0} skipped`,
);
process.exit(vitest.numFailedTests > 0 || e2eFailed > 0 ? 1 : 0);
