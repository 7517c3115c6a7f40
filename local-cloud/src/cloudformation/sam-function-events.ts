import type { ResolvedResource } from "./resolve-template";
import { type HandlerLocation, locateHandler } from "./sam-function-handler";

/** Fields every event source has: its name under the function's `Events`. */
interface NamedEventSource {
  readonly name: string;
}

/** An SQS event source mapping (`Type: SQS`). */
export interface SqsEventSource extends NamedEventSource {
  readonly kind: "SQS";
  readonly queueArn: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly functionResponseTypes: readonly string[];
  readonly enabled: boolean;
  /** `FilterCriteria.Filters[].Pattern`: JSON event patterns; empty means every message. */
  readonly filterPatterns: readonly string[];
  /** `ScalingConfig.MaximumConcurrency` (2-1000): the most batches in flight at once; undefined: no cap of its own. */
  readonly maximumConcurrency: number | undefined;
}

/** A DynamoDB stream event source mapping (`Type: DynamoDB`). */
export interface DynamoDbEventSource extends NamedEventSource {
  readonly kind: "DynamoDB";
  readonly streamArn: string;
  readonly startingPosition: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  /** -1 retries until the record expires, as Lambda's default. */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly onFailureDestination: string | undefined;
  readonly functionResponseTypes: readonly string[];
  readonly enabled: boolean;
  readonly filterPatterns: readonly string[];
  /** `ParallelizationFactor` (1-10): batches of one shard in flight at once, each key's records in order. */
  readonly parallelizationFactor: number;
}

/** An AWS IoT topic rule that invokes the function (`Type: IoTRule`). */
export interface IotRuleEventSource extends NamedEventSource {
  readonly kind: "IoTRule";
  readonly sql: string;
  readonly awsIotSqlVersion: string;
}

/** A parsed EventBridge schedule expression. */
export type ScheduleExpression =
  | { readonly kind: "rate"; readonly everySeconds: number }
  | { readonly kind: "cron"; readonly fields: readonly [string, string, string, string, string, string] };

/** A scheduled invocation (`Type: Schedule`). */
export interface ScheduleEventSource extends NamedEventSource {
  readonly kind: "Schedule";
  readonly expression: string;
  readonly schedule: ScheduleExpression;
  readonly enabled: boolean;
  readonly input: string | undefined;
}

/** Every event source type the local cloud can wire. */
export type FunctionEventSource = SqsEventSource | DynamoDbEventSource | IotRuleEventSource | ScheduleEventSource;

/** What the local cloud needs to run one `AWS::Serverless::Function` like Lambda would. */
export interface SamFunction {
  readonly logicalId: string;
  readonly handler: HandlerLocation;
  readonly runtime: string | undefined;
  /** `Timeout`, 3 seconds when absent (Lambda's default). */
  readonly timeoutSeconds: number;
  /** `MemorySize`, 128 MB when absent (Lambda's default). */
  readonly memorySizeMb: number;
  /** `Environment.Variables`, as the strings Lambda passes to the process. */
  readonly environment: Readonly<Record<string, string>>;
  /** `ReservedConcurrentExecutions` (0 throttles every invocation); undefined when the template reserves none. */
  readonly reservedConcurrency: number | undefined;
  readonly events: readonly FunctionEventSource[];
}

type Properties = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const fail = (path: string, message: string): never => {
  throw new Error(`${path}: ${message}`);
};

const text = (properties: Properties, key: string, path: string): string => {
  const value = properties[key];
  return typeof value === "string" && value !== ""
    ? value
    : fail(`${path}.${key}`, `must be a non-empty string, got ${JSON.stringify(value)}`);
};

const optionalText = (properties: Properties, key: string, path: string): string | undefined =>
  properties[key] === undefined ? undefined : text(properties, key, path);

const integer = (properties: Properties, key: string, path: string, fallback: number, min: number, max: number): number => {
  const raw = properties[key];
  if (raw === undefined) return fallback;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`${path}.${key}`, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
};

const flag = (properties: Properties, key: string, path: string, fallback: boolean): boolean => {
  const raw = properties[key];
  if (raw === undefined) return fallback;
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  return fail(`${path}.${key}`, `must be true or false, got ${JSON.stringify(raw)}`);
};

const textList = (properties: Properties, key: string, path: string): string[] => {
  const raw = properties[key] ?? [];
  if (!Array.isArray(raw) || raw.some((item) => typeof item !== "string")) fail(`${path}.${key}`, "must be a list of strings");
  return raw as string[];
};

const filterPatterns = (properties: Properties, path: string): string[] => {
  const criteria = properties.FilterCriteria;
  if (criteria === undefined) return [];
  const filters = isRecord(criteria) ? criteria.Filters : undefined;
  if (!Array.isArray(filters)) return fail(`${path}.FilterCriteria`, "must have a Filters list");
  return filters.map((filter, index) =>
    isRecord(filter)
      ? text(filter, "Pattern", `${path}.FilterCriteria.Filters[${index}]`)
      : fail(`${path}.FilterCriteria`, "filters must be maps"),
  );
};

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/**
 * Parses `rate(5 minutes)` or `cron(0 12 * * ? *)` as EventBridge does (singular unit only for 1),
 * so that a malformed schedule fails locally rather than at deployment.
 */
export const parseScheduleExpression = (expression: string, path = "Schedule"): ScheduleExpression => {
  const rate = RATE.exec(expression);
  if (rate) {
    const count = Number(rate[1]);
    const unit = rate[2] as string;
    if (count < 1 || (count === 1) !== !unit.endsWith("s"))
      fail(path, `"${expression}" is not a valid rate (use "1 minute" or "N minutes")`);
    return { kind: "rate", everySeconds: count * (UNIT_SECONDS[unit.replace(/s$/, "")] as number) };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  const fields = cron ? (cron[1] as string).trim().split(/\s+/) : [];
  if (fields.length !== 6) return fail(path, `"${expression}" is neither rate(...) nor a six-field cron(...)`);
  return { kind: "cron", fields: fields as [string, string, string, string, string, string] };
};

const maximumConcurrency = (properties: Properties, path: string): number | undefined => {
  const config = properties.ScalingConfig;
  if (config === undefined) return undefined;
  if (!isRecord(config)) return fail(`${path}.ScalingConfig`, "must be a map");
  return config.MaximumConcurrency === undefined ? undefined : integer(config, "MaximumConcurrency", `${path}.ScalingConfig`, 2, 2, 1000);
};

const sqsSource = (name: string, properties: Properties, path: string): SqsEventSource => ({
  kind: "SQS",
  name,
  queueArn: text(properties, "Queue", path),
  batchSize: integer(properties, "BatchSize", path, 10, 1, 10000),
  maximumBatchingWindowInSeconds: integer(properties, "MaximumBatchingWindowInSeconds", path, 0, 0, 300),
  functionResponseTypes: textList(properties, "FunctionResponseTypes", path),
  enabled: flag(properties, "Enabled", path, true),
  filterPatterns: filterPatterns(properties, path),
  maximumConcurrency: maximumConcurrency(properties, path),
});

const STARTING_POSITIONS = ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const;

const onFailureDestination = (properties: Properties, path: string): string | undefined => {
  const config = properties.DestinationConfig;
  if (config === undefined) return undefined;
  const onFailure = isRecord(config) ? config.OnFailure : undefined;
  return isRecord(onFailure)
    ? text(onFailure, "Destination", `${path}.DestinationConfig.OnFailure`)
    : fail(`${path}.DestinationConfig`, "must have OnFailure");
};

const dynamoDbSource = (name: string, properties: Properties, path: string): DynamoDbEventSource => {
  const startingPosition = text(properties, "StartingPosition", path);
  if (!(STARTING_POSITIONS as readonly string[]).includes(startingPosition))
    fail(`${path}.StartingPosition`, `must be one of ${STARTING_POSITIONS.join(", ")}`);
  return {
    kind: "DynamoDB",
    name,
    streamArn: text(properties, "Stream", path),
    startingPosition: startingPosition as DynamoDbEventSource["startingPosition"],
    batchSize: integer(properties, "BatchSize", path, 100, 1, 10000),
    maximumBatchingWindowInSeconds: integer(properties, "MaximumBatchingWindowInSeconds", path, 0, 0, 300),
    maximumRetryAttempts: integer(properties, "MaximumRetryAttempts", path, -1, -1, 10000),
    bisectBatchOnFunctionError: flag(properties, "BisectBatchOnFunctionError", path, false),
    onFailureDestination: onFailureDestination(properties, path),
    functionResponseTypes: textList(properties, "FunctionResponseTypes", path),
    enabled: flag(properties, "Enabled", path, true),
    filterPatterns: filterPatterns(properties, path),
    parallelizationFactor: integer(properties, "ParallelizationFactor", path, 1, 1, 10),
  };
};

const iotRuleSource = (name: string, properties: Properties, path: string): IotRuleEventSource => ({
  kind: "IoTRule",
  name,
  sql: text(properties, "Sql", path),
  awsIotSqlVersion: optionalText(properties, "AwsIotSqlVersion", path) ?? "2015-10-08",
});

const scheduleSource = (name: string, properties: Properties, path: string): ScheduleEventSource => {
  const expression = text(properties, "Schedule", path);
  const state = optionalText(properties, "State", path);
  if (state !== undefined && state !== "ENABLED" && state !== "DISABLED") fail(`${path}.State`, "must be ENABLED or DISABLED");
  return {
    kind: "Schedule",
    name,
    expression,
    schedule: parseScheduleExpression(expression, `${path}.Schedule`),
    enabled: state === undefined ? flag(properties, "Enabled", path, true) : state === "ENABLED",
    input: optionalText(properties, "Input", path),
  };
};

const SOURCES: Record<string, (name: string, properties: Properties, path: string) => FunctionEventSource> = {
  SQS: sqsSource,
  DynamoDB: dynamoDbSource,
  IoTRule: iotRuleSource,
  Schedule: scheduleSource,
};

/**
 * Lists a resolved function's `Events` as typed event sources with Lambda's defaults filled in, so
 * that the local cloud polls queues and streams, runs topic rules and schedules with the batch
 * sizes, concurrency and failure handling of the deployed event source mappings. Properties not
 * modelled here (TumblingWindowInSeconds, MaximumRecordAgeInSeconds, ...) are ignored; an event type the local cloud cannot
 * wire (Api, SNS, ...) is an error rather than a function that silently never runs.
 */
export const functionEventSources = (fn: ResolvedResource): FunctionEventSource[] => {
  const events = fn.properties.Events ?? {};
  if (!isRecord(events)) return fail(`${fn.logicalId}.Events`, "must be a map");
  return Object.entries(events).map(([name, event]) => {
    const path = `${fn.logicalId}.Events.${name}`;
    if (!isRecord(event)) return fail(path, "must be a map");
    const type = event.Type;
    const source = typeof type === "string" ? SOURCES[type] : undefined;
    if (source === undefined)
      return fail(`${path}.Type`, `event type ${JSON.stringify(type)} is not supported (SQS, DynamoDB, IoTRule, Schedule)`);
    const properties = event.Properties ?? {};
    if (!isRecord(properties)) return fail(`${path}.Properties`, "must be a map");
    return source(name, properties, `${path}.Properties`);
  });
};

const environmentOf = (fn: ResolvedResource): Record<string, string> => {
  const environment = fn.properties.Environment ?? {};
  const variables = isRecord(environment) ? (environment.Variables ?? {}) : undefined;
  if (!isRecord(variables)) return fail(`${fn.logicalId}.Environment`, "must have a Variables map");
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => {
      if (typeof value === "string") return [key, value];
      if (typeof value === "number" || typeof value === "boolean") return [key, String(value)];
      return fail(`${fn.logicalId}.Environment.Variables.${key}`, `must be a string, got ${JSON.stringify(value)}`);
    }),
  );
};

/**
 * Describes a resolved `AWS::Serverless::Function` (Globals already applied) for the local cloud:
 * which source file and export to run, with what timeout, memory and environment, fed by which
 * event sources.
 */
export const describeSamFunction = (fn: ResolvedResource): SamFunction => {
  if (fn.type !== "AWS::Serverless::Function") throw new Error(`${fn.logicalId} is a ${fn.type}, not an AWS::Serverless::Function`);
  const runtime = fn.properties.Runtime;
  return {
    logicalId: fn.logicalId,
    handler: locateHandler(fn.logicalId, fn.properties.Handler, fn.metadata),
    runtime: typeof runtime === "string" ? runtime : undefined,
    timeoutSeconds: integer(fn.properties, "Timeout", fn.logicalId, 3, 1, 900),
    memorySizeMb: integer(fn.properties, "MemorySize", fn.logicalId, 128, 128, 10240),
    environment: environmentOf(fn),
    reservedConcurrency:
      fn.properties.ReservedConcurrentExecutions === undefined
        ? undefined
        : integer(fn.properties, "ReservedConcurrentExecutions", fn.logicalId, 0, 0, 1000),
    events: functionEventSources(fn),
  };
};
