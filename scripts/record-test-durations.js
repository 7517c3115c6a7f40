/**
 * Writes scripts/test-durations.json (each test file's duration in seconds, from a jest `--json` report,
 * by default `npm test`'s .jest-results.json): the order scripts/slowest-first-sequencer.js runs files in
 * on a clean clone. Run it after a full `npm test` when files were added or got much slower or faster.
 */
const { readFileSync, writeFileSync } = require("node:fs");
const { dirname, join, relative } = require("node:path");

const root = join(__dirname, "..");
const report = process.argv[2] ?? join(root, ".jest-results.json");
const { testResults } = JSON.parse(readFileSync(report, "utf8"));
if (!Array.isArray(testResults) || testResults.length === 0) {
  console.error(`${report}: no testResults (expected jest --json output)`);
  process.exit(1);
}
const durations = Object.fromEntries(
  testResults
    // Paths relative to the project the report was written in (jest writes --outputFile in its root).
    .map((result) => [relative(dirname(report), result.name), Math.round((result.endTime - result.startTime) / 100) / 10])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
writeFileSync(join(__dirname, "test-durations.json"), `${JSON.stringify(durations, null, 2)}\n`);
console.log(`scripts/test-durations.json: ${Object.keys(durations).length} files from ${report}`);
