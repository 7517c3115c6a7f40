/** The local cloud's own tests: unit (parsers, IoT SQL, templates) and integration (each emulated service through real SDK clients). */
const { join } = require("node:path");

/** TypeScript through esbuild (the compiler `sam build` uses); the product's tests reuse this too. */
const typescript = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": join(__dirname, "src/testing/jest-transform.js") },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFiles: [join(__dirname, "src/testing/jest-environment.js")],
};

/** Integration and e2e projects: longer per-test timeouts. */
const slow = { setupFilesAfterEnv: [join(__dirname, "src/testing/jest-slow-tests.js")] };

module.exports = {
  typescript,
  slow,
  projects: [
    { ...typescript, rootDir: __dirname, displayName: "local-cloud:unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    {
      ...typescript,
      ...slow,
      rootDir: __dirname,
      displayName: "local-cloud:integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
    },
  ],
};
