/**
 * `npm run test:faults`: the product on the whole local cloud at volume, under injected faults (tests/faults).
 * Not one of `npm test`'s projects (jest.config.js): each file runs 10,000 records (the DR file 1,000 random
 * operations and a live verify) through the local cloud.
 */
const localCloud = require("./local-cloud/jest.config.js");

module.exports = {
  projects: [
    {
      ...localCloud.typescript,
      ...localCloud.slow,
      rootDir: __dirname,
      displayName: "faults",
      testMatch: ["<rootDir>/tests/faults/**/*.test.ts"],
    },
  ],
};
