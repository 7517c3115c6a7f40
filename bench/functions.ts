import { join } from "node:path";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { bundleFunction, type EsbuildProperties, LocalFunction, readTemplate, type TemplateResource } from "local-cloud";
import type { OutputSink } from "./output-sink";

export const projectRoot = join(__dirname, "..");
export const REGION = "us-east-1";
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** The template's functions the bench measures, by logical id. */
export const BENCHED_FUNCTIONS = ["CaptureRegistryEventFunction", "IngestMessagesFunction", "MessageApiFunction"] as const;

export const templateResource = (logicalId: string): TemplateResource => {
  const resource = readTemplate(join(projectRoot, "template.yaml")).Resources[logicalId];
  if (!resource) throw new Error(`template.yaml has no resource ${logicalId}`);
  return resource;
};

/** A template function's esbuild settings, as `sam build` reads them. */
export const buildProperties = (logicalId: string): EsbuildProperties =>
  templateResource(logicalId).Metadata?.["BuildProperties"] as EsbuildProperties;

/** Bundles one entry point (relative to the project root) with `properties`' settings, into `outdir`. */
export const bundleEntry = async (entry: string, properties: Omit<EsbuildProperties, "EntryPoints">, outdir: string): Promise<string> => {
  const [bundle] = await bundleFunction(projectRoot, { ...properties, EntryPoints: [entry] }, outdir);
  if (!bundle) throw new Error(`esbuild produced no bundle for ${entry}`);
  return bundle;
};

/**
 * A function run like Lambda on the local cloud's runtime, ours or a baseline alike: the same worker,
 * the same endpoint, the same memory size, logs at WARN, and stdout/stderr into the bench's sink.
 */
export const benchFunction = (options: {
  name: string;
  bundlePath: string;
  environment: Record<string, string>;
  endpointUrl: string;
  sink: OutputSink;
}): LocalFunction =>
  new LocalFunction({
    functionName: options.name,
    region: REGION,
    bundlePath: options.bundlePath,
    exportName: "handler",
    timeoutSeconds: 120,
    memorySize: 256,
    environment: {
      POWERTOOLS_LOG_LEVEL: "WARN",
      POWERTOOLS_METRICS_NAMESPACE: "IoTFleetReplicator",
      POWERTOOLS_SERVICE_NAME: options.name,
      ...options.environment,
    },
    endpointUrl: options.endpointUrl,
    output: options.sink.write,
  });

/** Invokes `fn` and fails loudly unless it succeeded with no batch item failures. */
export const invokeOk = async (fn: LocalFunction, event: unknown): Promise<void> => {
  const outcome = await fn.invoke(event);
  if (!outcome.ok) throw new Error(`${fn.options.functionName} failed: ${outcome.error.name}: ${outcome.error.message}`);
  const failures = (outcome.result as { batchItemFailures?: unknown[] } | null)?.batchItemFailures ?? [];
  if (failures.length > 0) throw new Error(`${fn.options.functionName} reported ${failures.length} batch item failure(s)`);
};

/** SQS records carrying `bodies`, shaped as the event source mapping delivers them. */
export const sqsRecords = (bodies: readonly string[], idPrefix: string): SQSRecord[] =>
  bodies.map((body, index) => ({
    messageId: `${idPrefix}-${index}`,
    receiptHandle: `${idPrefix}-${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(1_767_225_600_000 + index),
      SenderId: "AIDALOCAL",
      ApproximateFirstReceiveTimestamp: String(1_767_225_600_000 + index),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${REGION}:000000000000:bench`,
    awsRegion: REGION,
  }));

/** `records` cut into SQS events of at most `size` records. */
export const batchesOf = (records: readonly SQSRecord[], size: number): SQSEvent[] => {
  const events: SQSEvent[] = [];
  for (let i = 0; i < records.length; i += size) events.push({ Records: records.slice(i, i + size) });
  return events;
};
