import { runDisasterRecoveryDemo } from "./demo/disaster-recovery-demo";
import { runMessageApiDemo } from "./demo/message-api-demo";
import { runRegistryCaptureDemo } from "./demo/registry-capture-demo";
import { runTableSyncDemo } from "./demo/table-sync-demo";
import { FaultRulesError, parseFaultRules } from "./faults/fault-rules";
import { type LocalCloud, startLocalCloud } from "./local-cloud";
import { findProjectRoot } from "./project-root";
import { closeOnSignals, portFromEnv } from "./shutdown";
import { exitWithFailure, StartupError } from "./startup-error";
import { MUSIC_COLLECTION_WALKTHROUGH } from "./walkthrough/music-collection";
import { printWalkthrough } from "./walkthrough/print-walkthrough";

/** LOCAL_FAULTS, checked before anything starts: a bad rule is one line naming it. */
const readFaultRules = (json: string) => {
  try {
    return parseFaultRules(json);
  } catch (error) {
    if (error instanceof FaultRulesError) throw new StartupError(`LOCAL_FAULTS: ${error.message}`);
    throw error;
  }
};

/** LOCAL_FUNCTION_CONCURRENCY: environments per function when the template reserves none. */
const readFunctionConcurrency = (text: string | undefined): number | undefined => {
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1000)
    throw new StartupError(`LOCAL_FUNCTION_CONCURRENCY must be an integer from 1 to 1000, got ${JSON.stringify(text)}`);
  return value;
};

const main = async (): Promise<void> => {
  const startedAt = Date.now();
  const demo = !process.argv.includes("--no-demo");
  const walkthrough = process.argv.includes("--no-walkthrough") ? undefined : MUSIC_COLLECTION_WALKTHROUGH;
  // Installed before starting: stopped half-way, it stops what has started (DynamoDB Local's exit hook does the rest).
  let started: LocalCloud | undefined;
  closeOnSignals(async () => started?.close());
  const faultsJson = process.env["LOCAL_FAULTS"];
  const faults = faultsJson ? readFaultRules(faultsJson) : undefined;
  const functionConcurrency = readFunctionConcurrency(process.env["LOCAL_FUNCTION_CONCURRENCY"]);
  const cloud = await startLocalCloud({
    ...(faults ? { faults } : {}),
    ...(functionConcurrency !== undefined ? { functionConcurrency } : {}),
    ...(walkthrough ? { walkthrough } : {}),
    projectRoot: findProjectRoot(),
    port: portFromEnv("LOCAL_AWS_PORT", 4566),
    mqttBasePort: portFromEnv("LOCAL_MQTT_PORT", 1883),
    mqttTlsBasePort: portFromEnv("LOCAL_MQTTS_PORT", 8883),
    log: (line) => console.log(`  [local] ${line}`),
  });
  started = cloud;
  const url = cloud.aws.url;
  console.log(`\nIoT Fleet Replicator local cloud ready in ${Date.now() - startedAt} ms`);
  console.log(`  AWS endpoint: ${url}   (health: ${url}/_local/health, faults: ${url}/_local/faults)`);
  if (faults) console.log(`  LOCAL_FAULTS active: ${JSON.stringify(faults)}`);
  console.log(`  MQTT: plain ports open to anyone; mqtts ports need a registered certificate (CA: ${url}/_local/iot/ca.pem)`);
  for (const env of cloud.envs) {
    const deployed = cloud.regions.get(env.region);
    console.log(
      `  ${env.region} (${env.name}): MQTT mqtt://127.0.0.1:${cloud.aws.hub.portFor(env.region)}, mqtts://localhost:${cloud.aws.hub.tlsPortFor(env.region)}, ${deployed?.resources.size ?? 0} resources, functions: ${[...(deployed?.functions.keys() ?? [])].join(", ")}`,
    );
    for (const [functionName, target] of deployed?.functionUrls ?? []) console.log(`    function URL of ${functionName}: ${target.url}`);
  }
  console.log("\nTry it (any credentials work outside the aws-cn partition):");
  console.log(`  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`);
  console.log(
    `  aws iot update-event-configurations --event-configurations '{"THING":{"Enabled":true}}' --endpoint-url ${url} --region us-east-1`,
  );
  console.log(`  aws iot create-thing --thing-name MyLightBulb7 --endpoint-url ${url} --region us-east-1`);
  console.log(
    `  aws dynamodb scan --table-name IoTFleetRegistryReplica --projection-expression "ThingName,AWSRegion" --filter-expression 'begins_with(ThingName,:b)' --expression-attribute-values '{":b":{"S":"MyLightBulb"}}' --endpoint-url ${url} --region eu-west-1\n`,
  );
  if (walkthrough) printWalkthrough(walkthrough, url, (line) => console.log(line));
  if (demo) {
    await runRegistryCaptureDemo(cloud, (line) => console.log(line));
    await runMessageApiDemo(cloud, (line) => console.log(line));
    if (walkthrough) await runTableSyncDemo(cloud, (line) => console.log(line));
    await runDisasterRecoveryDemo(cloud, (line) => console.log(line));
    console.log("demo done; serving until Ctrl-C");
  }
};

main().catch(exitWithFailure);
