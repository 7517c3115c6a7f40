// Jest transform: TypeScript to CommonJS with esbuild, the same compiler `sam build` uses.
// Type checking is done once by `tsc --noEmit` in `npm test`, not per file here.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
};
