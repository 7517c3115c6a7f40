import { join } from "node:path";
import { type CloudFormationTemplate, readTemplate } from "./cloudformation/read-template";
import { type RegionConfigEnv, readSamConfig, regionConfigs } from "./cloudformation/samconfig";
import { createsGlobalTable, type DeployedRegion, deployRegion } from "./deploy/deploy-region";
import type { ActivityLog } from "./deploy/deployed-function";
import { createRegionClients, type RegionClients } from "./deploy/region-clients";
import { createTopicRuleRuntime } from "./deploy/topic-rule-runtime";
import type { FaultRules } from "./faults/fault-rules";
import { createBundleCache } from "./lambda/bundle-cache";
import type { EsbuildProperties } from "./lambda/bundle-function";
import { createFunctionUrlRoute } from "./lambda/function-url-route";
import { createLambdaService } from "./lambda/lambda-service";
import type { LocalFunction } from "./lambda/local-function";
import { type LocalAws, startLocalAws } from "./local-aws";
import { StartupError } from "./startup-error";
import { seedWalkthrough, type Walkthrough, walkthroughRegions, walkthroughStackOverrides } from "./walkthrough/walkthrough";

/** A deployed function by its name, its ARN, or its logical id in template.yaml. */
const findFunction = (deployed: DeployedRegion | undefined, name: string): LocalFunction | undefined => {
  if (!deployed) return undefined;
  const byLogicalId = deployed.functions.get(name);
  if (byLogicalId) return byLogicalId;
  return [...deployed.functions.values()].find((fn) => fn.options.functionName === name || fn.arn === name);
};

export interface LocalCloudOptions {
  readonly projectRoot: string;
  readonly port: number;
  readonly mqttBasePort: number;
  /** Mutual-TLS MQTT port of the first region's broker (certificates and IoT policies enforced); default 0 (free ports). */
  readonly mqttTlsBasePort?: number;
  readonly log: ActivityLog;
  /** Deploy only these config-envs (default: every env of samconfig.toml that names a region). */
  readonly configEnvs?: readonly string[];
  /** Faults from the start (`LOCAL_FAULTS`); `PUT /_local/faults` changes them at run time. */
  readonly faults?: FaultRules;
  /** Keep DynamoDB Local's data in files so that `aws.dynamoDbLocal.restart()` keeps it. */
  readonly restartableDynamoDb?: boolean;
  /** Template parameters for every region, over samconfig.toml's (as `sam deploy --parameter-overrides`). */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /**
   * Template parameters for one region's stack, over samconfig.toml's and `parameterOverrides`, by
   * region (e.g. `{ "us-east-1": { SyncSourceTableName: "MusicCollection" } }`). A region no deployed
   * config-env has is an error.
   */
  readonly regionParameterOverrides?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Resources that exist before the stacks are deployed and are not theirs (tables, SecureStrings),
   * in any region; their regions are served too (e.g. `MUSIC_COLLECTION_WALKTHROUGH`).
   */
  readonly walkthrough?: Walkthrough;
  /** Deploy this template instead of the project's template.yaml (entry points stay relative to projectRoot). */
  readonly template?: CloudFormationTemplate;
  /** Where the functions' stdout and stderr go (default: this process's own). */
  readonly functionOutput?: (chunk: string) => void;
  /**
   * Execution environments each function may run at once when the template sets no
   * ReservedConcurrentExecutions (default DEFAULT_LOCAL_CONCURRENCY; `LOCAL_FUNCTION_CONCURRENCY` for `npm start`).
   */
  readonly functionConcurrency?: number;
  /**
   * rate() schedules fire this many times as often as the template says (default 1): a test of a
   * scheduled function sees `rate(1 minute)` fire every few seconds. Only tests set it.
   */
  readonly scheduleSpeedup?: number;
}

export interface LocalCloud {
  readonly aws: LocalAws;
  readonly envs: readonly RegionConfigEnv[];
  /** Every region the endpoint serves: the config-envs' regions, then the walkthrough's others. */
  readonly servedRegions: readonly string[];
  readonly regions: ReadonlyMap<string, DeployedRegion>;
  clients(region: string): RegionClients;
  close(): Promise<void>;
}

/**
 * The whole local cloud: the local AWS endpoint, then template.yaml deployed into one local region
 * per samconfig.toml config-env, wired exactly as the template declares (tables, queues, topic rules,
 * functions and their event sources). `GET /_local/health` says "deploying" until it is all up.
 */
export const startLocalCloud = async (options: LocalCloudOptions): Promise<LocalCloud> => {
  const template = options.template ?? readTemplate(join(options.projectRoot, "template.yaml"));
  const envs = regionConfigs(readSamConfig(join(options.projectRoot, "samconfig.toml")))
    .filter((env) => !options.configEnvs || options.configEnvs.includes(env.name))
    .map((env) => ({
      ...env,
      parameterOverrides: { ...env.parameterOverrides, ...options.parameterOverrides, ...options.regionParameterOverrides?.[env.region] },
    }));
  if (envs.length === 0) throw new Error("samconfig.toml has no config-env with a region to deploy");
  const stackRegions = envs.map((env) => env.region);
  const strayRegion = Object.keys(options.regionParameterOverrides ?? {}).find((region) => !stackRegions.includes(region));
  if (strayRegion !== undefined)
    throw new StartupError(
      `regionParameterOverrides names ${strayRegion}, where no config-env deploys a stack (stack regions: ${stackRegions.join(", ")})`,
    );
  const strayWalkthroughStack = options.walkthrough?.stackParameters?.find((stack) => !stackRegions.includes(stack.region));
  if (strayWalkthroughStack !== undefined)
    throw new StartupError(
      `${options.walkthrough?.name} gives parameters to a stack in ${strayWalkthroughStack.region}, where no config-env deploys one (stack regions: ${stackRegions.join(", ")})`,
    );
  const servedRegions = [...new Set([...stackRegions, ...(options.walkthrough ? walkthroughRegions(options.walkthrough) : [])])];
  const regions = new Map<string, DeployedRegion>();
  let status = "deploying";
  // Every function's bundle is looked up (or built) while DynamoDB Local starts; the regions' deploys then
  // find them ready. A function whose bundle fails fails its deploy with esbuild's error, not here.
  const bundles = createBundleCache(options.projectRoot);
  for (const resource of Object.values(template.Resources)) {
    const properties = resource.Metadata?.["BuildProperties"] as EsbuildProperties | undefined;
    if (resource.Type === "AWS::Serverless::Function" && properties?.EntryPoints) bundles.bundle(properties).catch(() => undefined);
  }
  const aws = await startLocalAws({
    port: options.port,
    mqttBasePort: options.mqttBasePort,
    ...(options.mqttTlsBasePort !== undefined ? { mqttTlsBasePort: options.mqttTlsBasePort } : {}),
    log: options.log,
    regions: servedRegions,
    onlyTheseRegions: true,
    health: () => ({
      status,
      stacks: envs.map((env) => ({
        configEnv: env.name,
        region: env.region,
        deployed: regions.has(env.region),
        functionUrls: Object.fromEntries(
          [...(regions.get(env.region)?.functions ?? [])].flatMap(([logicalId, fn]) => {
            const target = regions.get(env.region)?.functionUrls.get(fn.options.functionName);
            return target ? [[logicalId, target.url]] : [];
          }),
        ),
      })),
      ...(options.walkthrough ? { walkthrough: { name: options.walkthrough.name, regions: walkthroughRegions(options.walkthrough) } } : {}),
    }),
    localRoutes: [createFunctionUrlRoute((region, functionName) => regions.get(region)?.functionUrls.get(functionName))],
    extraServices: [
      createLambdaService(
        (region, name) => findFunction(regions.get(region), name),
        (region) => `functions deployed in ${region}: ${[...(regions.get(region)?.functions.keys() ?? [])].join(", ") || "none"}`,
      ),
    ],
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.restartableDynamoDb ? { restartableDynamoDb: true } : {}),
  });
  const clientsByRegion = new Map<string, RegionClients>();
  const clients = (region: string): RegionClients => {
    let regionClients = clientsByRegion.get(region);
    if (!regionClients) {
      regionClients = createRegionClients(aws.url, region);
      clientsByRegion.set(region, regionClients);
    }
    return regionClients;
  };
  const functionByArn = (arn: string): LocalFunction | undefined => {
    for (const deployed of regions.values()) for (const fn of deployed.functions.values()) if (fn.arn === arn) return fn;
    return undefined;
  };
  const rules = createTopicRuleRuntime({ hub: aws.hub, clientsFor: clients, functionByArn, log: options.log, faults: aws.faults });
  const close = async (): Promise<void> => {
    // The regions share nothing at stop time: stopped side by side (each waits for its functions' in-flight work).
    await Promise.all([...regions.values()].map((deployed) => deployed.stop()));
    for (const regionClients of clientsByRegion.values()) regionClients.destroy();
    await aws.close();
  };
  try {
    // The walkthrough's stack parameters (e.g. a seeded table's stream ARN) go under the explicit region overrides.
    let walkthroughOverrides: Record<string, Record<string, string>> = {};
    if (options.walkthrough) {
      await seedWalkthrough(options.walkthrough, clients, options.log);
      walkthroughOverrides = await walkthroughStackOverrides(options.walkthrough, clients);
    }
    for (const [index, configured] of envs.entries()) {
      envs[index] = {
        ...configured,
        parameterOverrides: {
          ...configured.parameterOverrides,
          ...walkthroughOverrides[configured.region],
          ...options.regionParameterOverrides?.[configured.region],
        },
      };
    }
    const deploy = (env: RegionConfigEnv): Promise<DeployedRegion> =>
      deployRegion({
        template,
        env,
        clients: clients(env.region),
        bundles,
        registerTopicRule: (rule) => rules.register(rule),
        faults: aws.faults,
        ...(options.functionOutput ? { functionOutput: options.functionOutput } : {}),
        ...(options.functionConcurrency !== undefined ? { functionConcurrency: options.functionConcurrency } : {}),
        ...(options.scheduleSpeedup !== undefined ? { scheduleSpeedup: options.scheduleSpeedup } : {}),
        log: options.log,
      });
    // Stacks that create a global table deploy first, one by one in samconfig.toml's order, as an operator
    // deploys them: the other stacks find the replicas those made. The other stacks share nothing
    // and deploy side by side; when one fails, the others still finish, so that close() stops them.
    const creators = envs.filter((env) => createsGlobalTable(template, env));
    for (const env of creators) regions.set(env.region, await deploy(env));
    const others = envs.filter((env) => !creators.includes(env));
    const outcomes = await Promise.allSettled(others.map(deploy));
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === "fulfilled") regions.set((others[index] as RegionConfigEnv).region, outcome.value);
    }
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await close();
    throw error;
  }
  status = "ready";
  return { aws, envs, servedRegions, regions, clients, close };
};
