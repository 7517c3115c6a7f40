/**
 * The import rules of the hexagonal layout, checked in `npm test` (`npm run check:imports`):
 * handlers -> domain <- adapters; the domain imports nothing outside itself but neverthrow; product
 * code never imports the local cloud (and the local cloud, an emulator of AWS, never imports the
 * product's understanding of AWS); no cycles anywhere.
 */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "src/domain imports only src/domain and neverthrow: no AWS SDK, no Node I/O, no adapters or handlers.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { pathNot: ["^src/domain/", "^node_modules/neverthrow/"] },
    },
    {
      name: "adapters-serve-the-domain",
      comment: "Adapters implement domain ports; they never reach into handlers or operator commands.",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: "^src/(handlers|cli)/" },
    },
    {
      name: "handlers-are-entry-points",
      comment: "A handler is a composition root: nothing imports one, and handlers do not import each other's commands.",
      severity: "error",
      from: { path: "^src/(domain|adapters|cli)/" },
      to: { path: "^src/handlers/" },
    },
    {
      name: "product-never-imports-the-local-cloud",
      comment: "What is deployed (src/) must not depend on the emulator; only tests and scripts use it.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^local-cloud/" },
    },
    {
      name: "local-cloud-emulates-aws-not-the-product",
      comment: "The local cloud answers as AWS does; it must not borrow the product's model of AWS.",
      severity: "error",
      from: { path: "^local-cloud/" },
      to: { path: "^src/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^node_modules/", "\\.aws-sam/"] },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
