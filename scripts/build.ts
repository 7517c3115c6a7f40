/**
 * `npm run build`: bundles every function the way `sam build` does (Metadata BuildMethod esbuild with
 * the same BuildProperties), into dist/<LogicalId>/, without SAM. Prints each bundle's size.
 */
import { build } from "esbuild";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { readTemplate } from "../src/local/cloudformation/read-template";

interface BuildProperties {
  EntryPoints: string[];
  Minify?: boolean;
  Target?: string;
  Sourcemap?: boolean;
  External?: string[];
}

const root = join(__dirname, "..");
const template = readTemplate(join(root, "template.yaml"));
const functions = Object.entries(template.Resources).filter(
  ([, resource]) => resource.Type === "AWS::Serverless::Function" && resource.Metadata?.["BuildMethod"] === "esbuild",
);

const main = async (): Promise<void> => {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  for (const [logicalId, resource] of functions) {
    const properties = resource.Metadata?.["BuildProperties"] as BuildProperties;
    const outdir = join(root, "dist", logicalId);
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: properties.EntryPoints.map((entry) => join(root, entry)),
      outdir,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: properties.Target ?? "node20",
      minify: properties.Minify ?? false,
      sourcemap: properties.Sourcemap ?? false,
      external: properties.External ?? [],
      logLevel: "warning",
    });
    for (const entry of properties.EntryPoints) {
      const file = join(outdir, `${basename(entry, ".ts")}.js`);
      console.log(`${logicalId}: ${file.slice(root.length + 1)} ${(statSync(file).size / 1024).toFixed(1)} KiB`);
    }
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
