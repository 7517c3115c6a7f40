import { basename, join } from "node:path";
import { build } from "esbuild";

/** The esbuild settings a function declares in its template Metadata, as `sam build` reads them. */
export interface EsbuildProperties {
  readonly EntryPoints: readonly string[];
  readonly Minify?: boolean;
  readonly Target?: string;
  readonly Sourcemap?: boolean;
  readonly External?: readonly string[];
}

/**
 * `bundleFunction`, also returning every file esbuild read for it (paths relative to the project root,
 * or absolute outside it): what a cached bundle depends on.
 */
export const bundleFunctionWithInputs = async (
  projectRoot: string,
  properties: EsbuildProperties,
  outdir: string,
): Promise<{ readonly paths: string[]; readonly inputs: string[] }> => {
  const { metafile } = await build({
    absWorkingDir: projectRoot,
    entryPoints: properties.EntryPoints.map((entry) => join(projectRoot, entry)),
    outdir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: properties.Target ?? "es2020", // sam build's default when BuildProperties name no Target
    minify: properties.Minify ?? false,
    sourcemap: properties.Sourcemap ?? false,
    external: [...(properties.External ?? [])],
    metafile: true,
    logLevel: "warning",
  });
  return {
    paths: properties.EntryPoints.map((entry) => join(outdir, `${basename(entry, ".ts")}.js`)),
    inputs: Object.keys(metafile.inputs),
  };
};

/**
 * Bundles a function's entry points the way `sam build` does with `BuildMethod: esbuild`: one CommonJS
 * file per entry point in `outdir`, named after the entry point, esbuild working in the project root
 * (as `sam build` runs it in its copy of the project). Returns the bundle paths.
 */
export const bundleFunction = async (projectRoot: string, properties: EsbuildProperties, outdir: string): Promise<string[]> =>
  (await bundleFunctionWithInputs(projectRoot, properties, outdir)).paths;
