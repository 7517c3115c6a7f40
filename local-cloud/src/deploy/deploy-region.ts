import { deploymentOrder } from "../cloudformation/deployment-order";
import type { CloudFormationTemplate } from "../cloudformation/read-template";
import { type ResolvedResource, resolveTemplate } from "../cloudformation/resolve-template";
import { describeSamFunction } from "../cloudformation/sam-function-events";
import { functionUrlConfigOf } from "../cloudformation/sam-function-url";
import { applySamGlobals } from "../cloudformation/sam-globals";
import type { RegionConfigEnv } from "../cloudformation/samconfig";
import { regionalArn } from "../endpoint/partitions";
import { LOCAL_ACCOUNT_ID } from "../endpoint/service";
import type { FaultInjector } from "../faults/fault-injector";
import type { BundleCache } from "../lambda/bundle-cache";
import type { EsbuildProperties } from "../lambda/bundle-function";
import { localFunctionUrl } from "../lambda/function-url";
import type { FunctionUrlTarget } from "../lambda/function-url-route";
import { DEFAULT_LOCAL_CONCURRENCY, LocalFunction } from "../lambda/local-function";
import { isCustomResource, provisionCustomResource } from "./custom-resource";
import { type ActivityLog, type Running, startEventSources } from "./deployed-function";
import {
  generatedName,
  type ProvisionedResource,
  provisionIotPolicy,
  provisionParameter,
  provisionQueue,
  provisionRole,
  provisionTable,
} from "./provision-storage";
import type { RegionClients } from "./region-clients";
import type { TopicRuleDefinition } from "./topic-rule-definition";

export interface DeployRegionOptions {
  readonly template: CloudFormationTemplate;
  readonly env: RegionConfigEnv;
  readonly clients: RegionClients;
  /** Bundles are shared by every region (`sam build` builds once, each config-env deploys it) and kept between runs. */
  readonly bundles: BundleCache;
  readonly registerTopicRule: (rule: TopicRuleDefinition) => Running;
  readonly log: ActivityLog;
  /** Crashes invocations, and duplicates and delays event-source deliveries, as its rules say. */
  readonly faults?: FaultInjector;
  /** Where the functions' stdout and stderr go (default: this process's own). */
  readonly functionOutput?: (chunk: string) => void;
  /** Environments per function when the template reserves no concurrency (default DEFAULT_LOCAL_CONCURRENCY). */
  readonly functionConcurrency?: number;
  /** rate() schedules fire this many times as often as they say (default 1). */
  readonly scheduleSpeedup?: number;
}

export interface DeployedRegion {
  readonly region: string;
  readonly stackName: string;
  readonly resources: ReadonlyMap<string, ProvisionedResource & { readonly type: string }>;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  /** Functions with a FunctionUrlConfig, by function name: their local URL (see `lambda/function-url.ts`). */
  readonly functionUrls: ReadonlyMap<string, FunctionUrlTarget>;
  stop(): Promise<void>;
}

/** Resource types that exist in the template only for AWS itself (monitoring); noted, not emulated. */
const NOT_EMULATED = new Set(["AWS::CloudWatch::Alarm", "AWS::SNS::Topic", "AWS::Logs::LogGroup", "AWS::SNS::Subscription"]);

const PENDING = "<not yet created>";

/**
 * Whether this config-env's stack creates a global table (its replicas in the other regions are made by
 * this stack, and the other stacks read them, e.g. the replica's stream): such stacks deploy first.
 */
export const createsGlobalTable = (template: CloudFormationTemplate, env: RegionConfigEnv): boolean =>
  resolveTemplate(applySamGlobals(template), {
    region: env.region,
    accountId: LOCAL_ACCOUNT_ID,
    stackName: env.stackName,
    parameters: env.parameterOverrides,
    physicalIds: () => PENDING,
    attributes: () => PENDING,
  }).resources.some((resource) => resource.type === "AWS::DynamoDB::GlobalTable");

/**
 * Deploys template.yaml into one local region the way `sam deploy --config-env` would: parameters from
 * samconfig, conditions, every resource in dependency order (each resolved once the resources it
 * references exist), functions running with their environment, event sources and topic rules wired.
 */
export const deployRegion = async (options: DeployRegionOptions): Promise<DeployedRegion> => {
  const { env, clients, log } = options;
  const template = applySamGlobals(options.template);
  const created = new Map<string, ProvisionedResource & { type: string }>();
  const functions = new Map<string, LocalFunction>();
  const functionUrls = new Map<string, FunctionUrlTarget>();
  const running: Running[] = [];
  const resolve = () =>
    resolveTemplate(template, {
      region: env.region,
      accountId: LOCAL_ACCOUNT_ID,
      stackName: env.stackName,
      parameters: env.parameterOverrides,
      physicalIds: (logicalId) => created.get(logicalId)?.physicalId ?? PENDING,
      attributes: (logicalId, attribute) => (created.has(logicalId) ? created.get(logicalId)?.attributes[attribute] : PENDING),
    });

  const deployFunction = async (resource: ResolvedResource): Promise<ProvisionedResource> => {
    const description = describeSamFunction(resource);
    const functionName = String(resource.properties["FunctionName"] ?? generatedName(env.stackName, resource.logicalId, 64));
    const paths = await options.bundles.bundle(resource.metadata["BuildProperties"] as EsbuildProperties);
    const bundlePath =
      paths.find((path) => path.endsWith(`${description.handler.entryPoint.split("/").pop()?.replace(/\.ts$/, "")}.js`)) ??
      (paths[0] as string);
    const fn = new LocalFunction({
      functionName,
      region: env.region,
      bundlePath,
      exportName: description.handler.exportName,
      timeoutSeconds: description.timeoutSeconds,
      memorySize: description.memorySizeMb,
      environment: description.environment,
      endpointUrl: clients.endpointUrl,
      concurrency: description.reservedConcurrency ?? options.functionConcurrency ?? DEFAULT_LOCAL_CONCURRENCY,
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.functionOutput ? { output: options.functionOutput } : {}),
    });
    functions.set(resource.logicalId, fn);
    const urlConfig = functionUrlConfigOf(resource);
    if (urlConfig) {
      // SAM's generated `{LogicalId}Url` (AWS::Lambda::Url), so `!GetAtt {LogicalId}Url.FunctionUrl` resolves as on AWS.
      const url = localFunctionUrl(clients.endpointUrl, env.region, functionName);
      functionUrls.set(functionName, { url, config: urlConfig, fn });
      created.set(`${resource.logicalId}Url`, {
        type: "AWS::Lambda::Url",
        physicalId: fn.arn,
        attributes: { FunctionUrl: url, FunctionArn: fn.arn },
      });
    }
    running.push({ stop: () => fn.close() });
    running.push(...(await startEventSources(fn, description, clients, log, options.faults, options.scheduleSpeedup)));
    for (const source of description.events) {
      if (source.kind !== "IoTRule") continue;
      running.push(
        options.registerTopicRule({
          region: env.region,
          ruleName: `${resource.logicalId}${source.name}`.replace(/[^A-Za-z0-9_]/g, "_"),
          sql: source.sql,
          actions: [{ kind: "lambda", target: fn }],
        }),
      );
    }
    return { physicalId: functionName, attributes: { Arn: fn.arn } };
  };

  const provision = async (resource: ResolvedResource): Promise<ProvisionedResource> => {
    switch (resource.type) {
      case "AWS::DynamoDB::Table":
      case "AWS::DynamoDB::GlobalTable":
        return provisionTable(resource, clients, env.stackName);
      case "AWS::SQS::Queue":
        return provisionQueue(resource, clients, env.stackName);
      case "AWS::SSM::Parameter":
        return provisionParameter(resource, clients, env.stackName);
      case "AWS::IoT::Policy":
        return provisionIotPolicy(resource, clients, env.stackName);
      case "AWS::IAM::Role":
        return provisionRole(resource, env.stackName, env.region);
      case "AWS::Serverless::Function":
        return deployFunction(resource);
      case "AWS::IoT::TopicRule": {
        const ruleName = String(
          resource.properties["RuleName"] ?? generatedName(env.stackName, resource.logicalId).replace(/[^A-Za-z0-9_]/g, "_"),
        );
        const payload = resource.properties["TopicRulePayload"] as Record<string, unknown>;
        if (payload["RuleDisabled"] !== true && payload["RuleDisabled"] !== "true") {
          running.push(
            options.registerTopicRule({
              region: env.region,
              ruleName,
              sql: String(payload["Sql"]),
              actions: payload["Actions"] as unknown[],
              errorAction: payload["ErrorAction"],
            }),
          );
        }
        return { physicalId: ruleName, attributes: { Arn: regionalArn(env.region, "iot", `rule/${ruleName}`) } };
      }
      default:
        if (isCustomResource(resource.type)) {
          return provisionCustomResource(resource, (arn) => [...functions.values()].find((fn) => fn.arn === arn), {
            region: env.region,
            stackId: `arn:aws:cloudformation:${env.region}:${LOCAL_ACCOUNT_ID}:stack/${env.stackName}/local`,
          });
        }
        if (NOT_EMULATED.has(resource.type)) {
          log(`${env.region}: ${resource.type} ${resource.logicalId} is not emulated locally (kept for AWS only)`);
          return { physicalId: generatedName(env.stackName, resource.logicalId), attributes: {} };
        }
        throw new Error(`${env.region}: the local cloud cannot deploy ${resource.type} (${resource.logicalId})`);
    }
  };

  try {
    for (const logicalId of deploymentOrder(template)) {
      const resource = resolve().resources.find((candidate) => candidate.logicalId === logicalId);
      if (!resource) continue; // its Condition is false in this region
      created.set(logicalId, { type: resource.type, ...(await provision(resource)) });
    }
  } catch (error) {
    await Promise.all(running.map((item) => item.stop()));
    throw error;
  }

  return {
    region: env.region,
    stackName: env.stackName,
    resources: created,
    functions,
    functionUrls,
    stop: async () => {
      await Promise.all(running.map((item) => item.stop()));
    },
  };
};
