import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { bundleFunction, type EsbuildProperties, findProjectRoot, readTemplate } from "local-cloud";

/**
 * The real SAM CLI builds template.yaml (`npm run build` is `sam build`), and what it builds is what the
 * local cloud runs: for every function, `.aws-sam/build/<Function>/` holds the bundle its `Handler`
 * names and nothing of the repository besides, byte for byte the bundle the local cloud's deployer makes.
 */
const root = findProjectRoot();
const template = readTemplate(join(root, "template.yaml"));
const functions = Object.entries(template.Resources).filter(([, resource]) => resource.Type === "AWS::Serverless::Function");
// sam build writes its build.toml beside the build folder: under the project's .aws-sam (ignored by git) it is
// this checkout's own, not a /tmp/build.toml every checkout's sam build shares, and with samconfig.toml's
// `cached = true` a second run reuses the dependencies the first installed (a clean clone installs them once).
const buildDir = join(root, ".aws-sam", "test-build", "build");
const localDir = mkdtempSync(join(tmpdir(), "local-bundle-"));
const sha256 = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeAll(async () => {
  const sam = join(root, "scripts", "with-tools.sh");
  await promisify(execFile)("bash", [sam, "sam", "build", "--parallel", "--build-dir", buildDir], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
    // sam build runs `npm install` once per function (on a clean clone: ten times the same lockfile); npm
    // takes the packages from its cache, which `npm ci` just filled, instead of asking the registry again.
    env: { ...process.env, npm_config_prefer_offline: "true" },
  });
}, 300_000);

afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(localDir, { recursive: true, force: true });
});

test("the template declares functions built with esbuild for the runtime's Node version", () => {
  expect(functions.length).toBeGreaterThanOrEqual(3);
  const runtime = String(template.Globals?.["Function"]?.["Runtime"] ?? "");
  for (const [, resource] of functions) {
    expect(resource.Metadata?.["BuildMethod"]).toBe("esbuild");
    const properties = resource.Metadata?.["BuildProperties"] as EsbuildProperties | undefined;
    expect(`nodejs${String(properties?.Target).slice(4)}.x`).toBe(runtime);
  }
});

test.each(functions.map(([logicalId]) => logicalId))(
  "%s: sam build holds only the handler's bundle, the same bytes as the local cloud's",
  async (logicalId) => {
    const resource = template.Resources[logicalId]!;
    const [file, exportName] = String(resource.Properties?.["Handler"]).split(".") as [string, string];
    const artefacts = readdirSync(join(buildDir, logicalId)).sort();
    expect(artefacts).toEqual([`${file}.js`, `${file}.js.map`]);
    const bundle = join(buildDir, logicalId, `${file}.js`);
    expect(statSync(bundle).size).toBeLessThan(2 * 1024 * 1024);
    expect(readFileSync(bundle, "utf8")).toContain(exportName);

    const [local] = await bundleFunction(root, resource.Metadata?.["BuildProperties"] as EsbuildProperties, join(localDir, logicalId));
    expect(sha256(local!)).toBe(sha256(bundle));
  },
);
