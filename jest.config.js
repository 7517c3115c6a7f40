/**
 * The product's tests (unit: the domain, no I/O, no mocks; integration: adapters and handlers on
 * DynamoDB Local and the local AWS endpoint; e2e: the local cloud, and the real SAM CLI's build) plus
 * the local cloud's own.
 */
const localCloud = require("./local-cloud/jest.config.js");

const product = { ...localCloud.typescript, rootDir: __dirname };

module.exports = {
  // Two workers on the 2-core machines these run on: most integration and e2e tests spend their time
  // waiting on the local cloud (polling, batching windows, visibility timeouts), not on a core.
  maxWorkers: 2,
  // The longest files first, on a clean clone too (jest's own order needs the durations in its cache).
  testSequencer: "<rootDir>/scripts/slowest-first-sequencer.js",
  projects: [
    { ...product, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    { ...product, ...localCloud.slow, displayName: "integration", testMatch: ["<rootDir>/tests/integration/**/*.test.ts"] },
    { ...product, ...localCloud.slow, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    ...localCloud.projects,
  ],
};
