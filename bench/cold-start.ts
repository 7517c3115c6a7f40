import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { readTemplate } from "local-cloud";
import { BENCHED_FUNCTIONS, buildProperties, bundleEntry, projectRoot, REGION, templateResource } from "./functions";
import { atMost, type BenchRow, compare } from "./results";
import { median } from "./stats";

/** The AWS SDK client packages a function's bundle pulls in, from esbuild's metafile of its entry point. */
const sdkClientPackages = async (entry: string): Promise<string[]> => {
  const { metafile } = await build({
    entryPoints: [join(projectRoot, entry)],
    bundle: true,
    platform: "node",
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return [...packages].sort();
};

/** The client class a package exports (DynamoDBClient, SQSClient, IoTDataPlaneClient...). */
const clientClass = (pkg: string): string => {
  const names = Object.keys(require(pkg) as object).filter((name) => /^[A-Z]\w*Client$/.test(name));
  if (names.length !== 1) throw new Error(`${pkg} exports ${names.length} client classes (${names.join(", ")}), expected one`);
  return names[0] as string;
};

/**
 * The baseline bundle: an entry point that imports only the same AWS SDK clients and constructs each
 * once at module level (as any handler does), bundled with the function's own esbuild settings.
 */
const bundleSdkOnly = async (logicalId: string, outfile: string): Promise<string[]> => {
  const properties = buildProperties(logicalId);
  const packages = await sdkClientPackages(properties.EntryPoints[0] as string);
  const contents = packages
    .map((pkg, i) => `import { ${clientClass(pkg)} as C${i} } from "${pkg}";\nexport const client${i} = new C${i}({});`)
    .join("\n");
  await build({
    stdin: { contents: `${contents}\nexport const handler = async () => undefined;\n`, resolveDir: projectRoot, loader: "ts" },
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: properties.Target ?? "es2020",
    minify: properties.Minify ?? false,
    logLevel: "warning",
  });
  return packages;
};

/** The function's environment as deployed: template variables, Refs to parameters at their defaults. */
const deployedEnvironment = (logicalId: string): Record<string, string> => {
  const template = readTemplate(join(projectRoot, "template.yaml"));
  const globals = (template.Globals?.["Function"]?.["Environment"] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const own =
    (templateResource(logicalId).Properties?.["Environment"] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const resolve = (name: string, value: unknown): string => {
    if (typeof value === "string" || typeof value === "number") return String(value);
    const ref = (value as { Ref?: string } | null)?.Ref;
    const parameter = ref ? template.Parameters?.[ref] : undefined;
    return parameter?.Default !== undefined ? String(parameter.Default) : `bench-${name.toLowerCase()}`;
  };
  return Object.fromEntries(Object.entries({ ...globals, ...own }).map(([name, value]) => [name, resolve(name, value)]));
};

/** Milliseconds to require() `bundlePath` in a fresh Node process with `environment` (module init only). */
const initTime = (bundlePath: string, environment: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const script = `const t=performance.now();require(${JSON.stringify(bundlePath)});process.stderr.write("\\ninit-ms "+(performance.now()-t)+"\\n")`;
    const child = spawn(process.execPath, ["-e", script], {
      env: {
        PATH: process.env["PATH"],
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...environment,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const match = /init-ms ([\d.]+)/.exec(stderr);
      if (code === 0 && match?.[1]) resolve(Number(match[1]));
      else reject(new Error(`init of ${bundlePath} failed (exit ${code}): ${stderr.trim()}`));
    });
  });

/** Per function: bundle size and init time, ours against a bundle of only the same SDK clients. */
export const benchColdStart = async (options: { outdir: string; runs: number }): Promise<BenchRow[]> => {
  const rows: BenchRow[] = [];
  for (const logicalId of BENCHED_FUNCTIONS) {
    const properties = buildProperties(logicalId);
    const ours = await bundleEntry(properties.EntryPoints[0] as string, properties, join(options.outdir, "cold", logicalId));
    const sdkOnly = join(options.outdir, "cold", logicalId, "sdk-only.js");
    const packages = await bundleSdkOnly(logicalId, sdkOnly);
    const environment = { ...deployedEnvironment(logicalId), POWERTOOLS_LOG_LEVEL: "WARN" };
    const ourTimes: number[] = [];
    const sdkTimes: number[] = [];
    // Alternated, so that a noisy moment of the machine hits both alike.
    for (let run = 0; run < options.runs; run += 1) {
      ourTimes.push(await initTime(ours, environment));
      sdkTimes.push(await initTime(sdkOnly, environment));
    }
    const against = `only ${packages.map((pkg) => pkg.replace("@aws-sdk/client-", "")).join(" + ")} clients`;
    rows.push(
      compare({
        figure: `cold start: ${logicalId} init`,
        unit: "ms",
        value: median(ourTimes),
        against,
        reference: median(sdkTimes),
        target: atMost(1.5),
      }),
      compare({
        figure: `bundle size: ${logicalId} (minified)`,
        unit: "KiB",
        value: statSync(ours).size / 1024,
        against,
        reference: statSync(sdkOnly).size / 1024,
      }),
    );
  }
  return rows;
};
