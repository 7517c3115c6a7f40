import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, isAbsolute, join } from "node:path";
import { version as esbuildVersion } from "esbuild";
import { bundleFunctionWithInputs, type EsbuildProperties } from "./bundle-function";

/** Where the bundles live by default: npm's cache folder of the project, which no clean-up of the worktree touches. */
export const defaultBundleCacheDir = (projectRoot: string): string => join(projectRoot, "node_modules", ".cache", "local-cloud", "bundles");

/** A stale entry (its inputs changed since) is removed once it is this old, so no running process still loads it. */
const STALE_AFTER_MS = 60 * 60 * 1000;

const INPUTS_FILE = "inputs.json";

/** What an entry was built from: every file esbuild read (project-relative path) and the SHA-256 of its content. */
interface CachedInputs {
  readonly files: Readonly<Record<string, string>>;
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

export interface BundleCache {
  /**
   * The bundles of a function's entry points (as `bundleFunction` returns them), built only when an
   * input changed; asked again for the same settings, the same promise (every region deploys one build).
   */
  bundle(properties: EsbuildProperties): Promise<string[]>;
}

/**
 * Function bundles kept on disk between runs, keyed by their esbuild settings and the content of every
 * file that went into them (esbuild's own list of inputs): every test file that deploys template.yaml,
 * and every `npm start`, reuses the bundles of the last run unless a source file or a dependency
 * changed, instead of running esbuild for each function again (half a second to a second each).
 * An entry is a folder that is never written once in place (built aside, then renamed), so processes
 * sharing the cache (jest's workers) never load a half-written bundle. File hashes are remembered
 * for the life of the BundleCache: make a new one to see later edits.
 */
export const createBundleCache = (projectRoot: string, cacheDir: string = defaultBundleCacheDir(projectRoot)): BundleCache => {
  const hashes = new Map<string, Promise<string | undefined>>();
  const hashOf = (file: string): Promise<string | undefined> => {
    let hash = hashes.get(file);
    if (!hash) {
      hash = readFile(isAbsolute(file) ? file : join(projectRoot, file)).then(sha256, () => undefined);
      hashes.set(file, hash);
    }
    return hash;
  };

  const matches = async (entry: string): Promise<boolean> => {
    try {
      const { files } = JSON.parse(await readFile(join(entry, INPUTS_FILE), "utf8")) as CachedInputs;
      const checks = await Promise.all(Object.entries(files).map(async ([file, hash]) => (await hashOf(file)) === hash));
      return checks.every(Boolean);
    } catch {
      return false; // no or unreadable inputs.json: not a usable entry
    }
  };

  const removeStale = async (names: readonly string[]): Promise<void> => {
    await Promise.all(
      names.map(async (name) => {
        const path = join(cacheDir, name);
        const age = await stat(path).then(
          (stats) => Date.now() - stats.mtimeMs,
          () => 0,
        );
        if (age > STALE_AFTER_MS) await rm(path, { recursive: true, force: true });
      }),
    );
  };

  const build = async (properties: EsbuildProperties, key: string): Promise<string> => {
    await mkdir(cacheDir, { recursive: true });
    const scratch = join(cacheDir, `tmp-${randomUUID()}`);
    try {
      const { inputs } = await bundleFunctionWithInputs(projectRoot, properties, scratch);
      const files: Record<string, string> = {};
      for (const input of inputs.sort()) {
        const hash = await hashOf(input);
        if (hash === undefined)
          throw new Error(`esbuild read ${input} for ${properties.EntryPoints.join(", ")}, which cannot be read back`);
        files[input] = hash;
      }
      await writeFile(join(scratch, INPUTS_FILE), JSON.stringify({ files } satisfies CachedInputs));
      const entry = join(cacheDir, `${key}-${sha256(JSON.stringify(files)).slice(0, 16)}`);
      try {
        await rename(scratch, entry);
      } catch (error) {
        // Another process built the same inputs first: its entry is the same bundle.
        if (!existsSync(join(entry, INPUTS_FILE))) throw error;
      }
      return entry;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  };

  const lookUpOrBuild = async (properties: EsbuildProperties, key: string): Promise<string> => {
    const names = existsSync(cacheDir) ? (await readdir(cacheDir)).filter((name) => name.startsWith(`${key}-`)) : [];
    let entry: string | undefined;
    for (const name of names) {
      if (await matches(join(cacheDir, name))) {
        entry = join(cacheDir, name);
        break;
      }
    }
    entry ??= await build(properties, key);
    const current = basename(entry);
    await removeStale(names.filter((name) => name !== current));
    return entry;
  };

  const entries = new Map<string, Promise<string>>();
  return {
    bundle: async (properties) => {
      const key = sha256(JSON.stringify({ esbuildVersion, properties })).slice(0, 16);
      let entry = entries.get(key);
      if (!entry) {
        entry = lookUpOrBuild(properties, key);
        entries.set(key, entry);
      }
      const outdir = await entry;
      return properties.EntryPoints.map((point) => join(outdir, `${basename(point, ".ts")}.js`));
    },
  };
};
