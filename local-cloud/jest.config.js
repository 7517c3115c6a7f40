/** The local cloud's own tests: unit (parsers, IoT SQL, templates) and integration (each emulated service through real SDK clients). */
const { join } = require("node:path");

/** TypeScript through esbuild (the compiler `sam build` uses); the product's tests reuse this too. */
const typescript = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": join(__dirname, "src/testing/jest-transform.js") },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFiles: [join(__dirname, "src/testing/jest-environment.js")],
};

module.exports = {
  typescript,
  projects: [
    { ...typescript, rootDir: __dirname, displayName: "local-cloud:unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    {
      ...typescript,
      rootDir: __dirname,
      displayName: "local-cloud:integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
      testTimeout: 60000,
    },
  ],
};
