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
 * Bundles a function's entry points the way `sam build` does with `BuildMethod: esbuild`: one CommonJS
 * file per entry point in `outdir`, named after the entry point. Returns the bundle paths.
 */
export const bundleFunction = async (projectRoot: string, properties: EsbuildProperties, outdir: string): Promise<string[]> => {
  await build({
    entryPoints: properties.EntryPoints.map((entry) => join(projectRoot, entry)),
    outdir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: properties.Target ?? "es2020", // sam build's default when BuildProperties name no Target
    minify: properties.Minify ?? false,
    sourcemap: properties.Sourcemap ?? false,
    external: [...(properties.External ?? [])],
    logLevel: "warning",
  });
  return properties.EntryPoints.map((entry) => join(outdir, `${basename(entry, ".ts")}.js`));
};
