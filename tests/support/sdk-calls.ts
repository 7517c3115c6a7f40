import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

/**
 * The IAM actions a piece of code can need, read from the code itself: every source file of ours in an
 * entry point's bundle (esbuild's own dependency graph, so exactly what `sam build` ships), every
 * `new XCommand(` in them, named by the AWS SDK v3 client package `XCommand` was imported from.
 * A command class handed around instead of constructed where it is imported would slip past this;
 * the product constructs each command in the adapter that sends it.
 */

/** IAM's service prefix for each SDK v3 client package the product uses (the IoT data plane is `iot:`). */
const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  "client-dynamodb": "dynamodb",
  "client-dynamodb-streams": "dynamodb",
  "client-iot": "iot",
  "client-iot-data-plane": "iot",
  "client-sqs": "sqs",
  "client-ssm": "ssm",
  "client-sts": "sts",
};

/** Batch APIs that IAM authorises with the single action (SQS has no sqs:SendMessageBatch action). */
const IAM_ACTION_OF: Readonly<Record<string, string>> = {
  "sqs:SendMessageBatch": "sqs:SendMessage",
  "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
};

const SDK_IMPORT = /import\s*(?:type\s+)?\{([^}]*)\}\s*from\s*"@aws-sdk\/(client-[a-z0-9-]+)"/g;
const NEW_COMMAND = /new\s+([A-Za-z0-9]+Command)\s*\(/g;

/** The source files of ours (under `src/`) that esbuild puts into the bundle of `entryPoint`. */
export const sourceFilesOf = async (root: string, entryPoint: string): Promise<string[]> => {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    // Only our files count: esbuild need not read the packages at all (the same src/ files, 30x faster).
    packages: "external",
    logLevel: "silent",
  });
  return Object.keys(metafile.inputs)
    .filter((path) => path.startsWith("src/"))
    .sort();
};

/** `dynamodb:PutItem`, ... for every command `source` constructs; throws on a client package without a known IAM prefix. */
export const actionsInSource = (source: string, file: string): string[] => {
  const packageOf = new Map<string, string>();
  for (const [, names, clientPackage] of source.matchAll(SDK_IMPORT)) {
    for (const name of names!.split(",")) {
      const local = name
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .pop();
      if (local) packageOf.set(local, clientPackage!);
    }
  }
  return [...source.matchAll(NEW_COMMAND)].map(([, command]) => {
    const clientPackage = packageOf.get(command!);
    if (!clientPackage) throw new Error(`${file}: ${command} is not imported from an @aws-sdk/client-* package`);
    const prefix = SERVICE_PREFIX[clientPackage];
    if (!prefix) throw new Error(`${file}: no IAM service prefix known for @aws-sdk/${clientPackage}: add it to SERVICE_PREFIX`);
    const action = `${prefix}:${command!.replace(/Command$/, "")}`;
    return IAM_ACTION_OF[action] ?? action;
  });
};

/** The sorted, distinct IAM actions the bundle of `entryPoint` can call. */
export const actionsOf = async (root: string, entryPoint: string): Promise<string[]> => {
  const files = await sourceFilesOf(root, entryPoint);
  const actions = files.flatMap((file) => actionsInSource(readFileSync(join(root, file), "utf8"), file));
  return [...new Set(actions)].sort();
};
