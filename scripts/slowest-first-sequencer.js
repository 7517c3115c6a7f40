/**
 * Jest's order for `npm test`: the longest test files first, so that the two workers end together instead
 * of one running a two-minute file alone at the end. Jest itself orders by the durations in its cache,
 * which a clean clone (CI) has none of, and falls back to file size; here a file's duration is jest's
 * cached one, else the one recorded in scripts/test-durations.json (`node scripts/record-test-durations.js`
 * after a full run refreshes it). Files known to neither (new ones) go first, largest first, as jest
 * runs them; files that failed last time go before everything, as jest does.
 */
const { readFileSync } = require("node:fs");
const { join, relative } = require("node:path");
const TestSequencer = require("@jest/test-sequencer").default;

const root = join(__dirname, "..");
const recorded = JSON.parse(readFileSync(join(__dirname, "test-durations.json"), "utf8"));

class SlowestFirstSequencer extends TestSequencer {
  sort(tests) {
    const duration = (test) => this.time(test) ?? recorded[relative(root, test.path)];
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    const rank = (test) => [this.hasFailed(test) ? 0 : 1, duration(test) === undefined ? 0 : 1, -(duration(test) ?? size(test))];
    const keyed = tests.map((test) => ({ test, key: rank(test) }));
    keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
    return keyed.map(({ test }) => test);
  }
}

module.exports = SlowestFirstSequencer;
