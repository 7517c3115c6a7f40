/** Unit tests need nothing but Node; integration and e2e tests start DynamoDB Local or the local cloud themselves. */
const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": "<rootDir>/tests/support/esbuild-transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFiles: ["<rootDir>/tests/support/jest-environment.js"],
};

module.exports = {
  projects: [
    { ...shared, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    {
      ...shared,
      displayName: "integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
      testTimeout: 60000,
    },
    { ...shared, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"], testTimeout: 120000 },
  ],
};
