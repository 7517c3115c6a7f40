import { join } from "node:path";
import { readTemplate } from "../cloudformation/read-template";
import { createBundleCache } from "../lambda/bundle-cache";
import type { EsbuildProperties } from "../lambda/bundle-function";
import { LocalFunction } from "../lambda/local-function";
import { findProjectRoot } from "../project-root";

const projectRoot = findProjectRoot();

/**
 * Bundles a function of template.yaml as `sam build` would (through the bundle cache the local cloud
 * uses: rebuilt only when a source file changed) and runs it like Lambda: in its own worker with its
 * own environment, so each test "region" is a separate execution environment.
 */
export const useTemplateFunction = (logicalId: string) => {
  const functions: LocalFunction[] = [];
  let bundlePath: string | undefined;
  let exportName = "handler";
  beforeAll(async () => {
    const resource = readTemplate(join(projectRoot, "template.yaml")).Resources[logicalId];
    if (!resource) throw new Error(`template.yaml has no resource ${logicalId}`);
    const [bundle] = await createBundleCache(projectRoot).bundle(resource.Metadata?.["BuildProperties"] as EsbuildProperties);
    bundlePath = bundle;
    exportName = String(resource.Properties?.["Handler"]).split(".").pop() ?? "handler";
  });
  afterAll(async () => {
    await Promise.all(functions.map((fn) => fn.close()));
  });
  return {
    deploy: (region: string, endpointUrl: string, environment: Record<string, string>): LocalFunction => {
      if (!bundlePath) throw new Error("the function is not bundled yet (deploy it inside a test or hook)");
      const fn = new LocalFunction({
        functionName: `${logicalId}-${region}`,
        region,
        bundlePath,
        exportName,
        timeoutSeconds: 30,
        memorySize: 256,
        environment,
        endpointUrl,
      });
      functions.push(fn);
      return fn;
    },
  };
};
