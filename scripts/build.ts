/**
 * `npm run build`: bundles every function the way `sam build` does (Metadata BuildMethod esbuild with
 * the same BuildProperties), into dist/<LogicalId>/, without SAM. Prints each bundle's size.
 */
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { readTemplate } from "../src/local/cloudformation/read-template";
import { bundleFunction, type EsbuildProperties } from "../src/local/lambda/bundle-function";

const root = join(__dirname, "..");
const template = readTemplate(join(root, "template.yaml"));
const functions = Object.entries(template.Resources).filter(
  ([, resource]) => resource.Type === "AWS::Serverless::Function" && resource.Metadata?.["BuildMethod"] === "esbuild",
);

const main = async (): Promise<void> => {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  for (const [logicalId, resource] of functions) {
    const bundles = await bundleFunction(root, resource.Metadata?.["BuildProperties"] as EsbuildProperties, join(root, "dist", logicalId));
    for (const file of bundles) console.log(`${logicalId}: ${file.slice(root.length + 1)} ${(statSync(file).size / 1024).toFixed(1)} KiB`);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
