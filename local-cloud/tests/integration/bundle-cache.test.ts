import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBundleCache } from "../../src/lambda/bundle-cache";
import { bundleFunction } from "../../src/lambda/bundle-function";

/**
 * The bundle cache hands out a bundle built by real esbuild once and reuses it across cache instances
 * (test files, `npm start`s) until a file esbuild read for it changes; the bundle is the same bytes
 * `bundleFunction` (and so `sam build`) makes.
 */
const project = mkdtempSync(join(tmpdir(), "bundle-cache-"));
const cacheDir = join(project, "cache");
const properties = { EntryPoints: ["src/handler.ts"], Target: "node20", Minify: true, Sourcemap: true };

beforeAll(() => {
  mkdirSync(join(project, "src"));
  writeFileSync(join(project, "src", "greeting.ts"), 'export const greeting = "hello from the first build";\n');
  writeFileSync(
    join(project, "src", "handler.ts"),
    'import { greeting } from "./greeting";\nexport const handler = async () => ({ greeting });\n',
  );
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

test("a second cache finds the first one's bundle, byte for byte what bundleFunction makes, and builds nothing", async () => {
  const [first] = await createBundleCache(project, cacheDir).bundle(properties);
  expect(readFileSync(first!, "utf8")).toContain("hello from the first build");
  const [direct] = await bundleFunction(project, properties, join(project, "direct"));
  expect(readFileSync(first!)).toEqual(readFileSync(direct!));

  const builtAt = statSync(first!).mtimeMs;
  const [again] = await createBundleCache(project, cacheDir).bundle(properties);
  expect(again).toBe(first);
  expect(statSync(again!).mtimeMs).toBe(builtAt);
  expect(readdirSync(cacheDir)).toHaveLength(1);
});

test("a change to an imported file gives a new bundle; the old entry stays for processes still using it", async () => {
  const [before] = await createBundleCache(project, cacheDir).bundle(properties);
  writeFileSync(join(project, "src", "greeting.ts"), 'export const greeting = "hello after an edit";\n');
  const [after] = await createBundleCache(project, cacheDir).bundle(properties);
  expect(after).not.toBe(before);
  expect(readFileSync(after!, "utf8")).toContain("hello after an edit");
  expect(readFileSync(before!, "utf8")).toContain("hello from the first build");
});

test("other esbuild settings are another entry", async () => {
  const [minified] = await createBundleCache(project, cacheDir).bundle(properties);
  const [readable] = await createBundleCache(project, cacheDir).bundle({ ...properties, Minify: false });
  expect(readable).not.toBe(minified);
  expect(readFileSync(readable!, "utf8")).toContain("hello after an edit");
});

test("one cache asked twice for the same settings at once builds once", async () => {
  const cache = createBundleCache(project, join(project, "fresh-cache"));
  const [one, two] = await Promise.all([cache.bundle(properties), cache.bundle(properties)]);
  expect(one).toEqual(two);
  expect(readdirSync(join(project, "fresh-cache"))).toHaveLength(1);
});
