// Prints one summary of the unit/integration run (vitest's JSON report) and the end-to-end run
// (Playwright's JSON report): `node scripts/test-summary.mjs vitest.json e2e.json`.
// Each count line has the plain form "name: N passed, N failed, N skipped", and the last line is the
// total, so whoever reads only the end of the log sees what ran.
import fs from "node:fs";

const [vitestFile, e2eFile] = process.argv.slice(2);
const vitest = JSON.parse(fs.readFileSync(vitestFile, "utf8"));
const e2e = JSON.parse(fs.readFileSync(e2eFile, "utf8"));

const unit = {
  passed: vitest.numPassedTests,
  failed: vitest.numFailedTests,
  skipped: vitest.numPendingTests + (vitest.numTodoTests ?? 0),
};
const stats = e2e.stats ?? {};
const endToEnd = {
  passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
  failed: stats.unexpected ?? 0,
  skipped: stats.skipped ?? 0,
};
const total = {
  passed: unit.passed + endToEnd.passed,
  failed: unit.failed + endToEnd.failed,
  skipped: unit.skipped + endToEnd.skipped,
};
const line = (name, { passed, failed, skipped }) => `${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`;

console.log("\nTest summary (vitest: unit and integration tests in " + vitest.testResults.length + " files;");
console.log("playwright: end-to-end tests in Chromium" + (stats.flaky ? `, ${stats.flaky} passed on retry` : "") + ")");
console.log(line("vitest", unit));
console.log(line("playwright", endToEnd));
console.log(line("total", total));
process.exit(total.failed > 0 ? 1 : 0);
