/**
 * `npm run local:endpoint`: only the local AWS endpoint (IoT, IoT data, SQS, SSM, DynamoDB with global
 * tables) and one MQTT broker per region, without deploying the template. Serves until Ctrl-C.
 */
import { createLambdaService } from "./lambda/lambda-service";
import { type LocalAws, startLocalAws } from "./local-aws";
import { closeOnSignals, portFromEnv } from "./shutdown";
import { exitWithFailure } from "./startup-error";

/** What a Lambda call hears here: this endpoint serves the AWS APIs, and no function is deployed on it. */
const NOTHING_DEPLOYED =
  "nothing is deployed on this endpoint (`npm run local:endpoint` serves the AWS APIs without template.yaml): stop it and run `npm start`, which deploys the template and its functions";

const DEFAULT_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"];

const main = async (): Promise<void> => {
  const startedAt = Date.now();
  const regions = (process.env["LOCAL_REGIONS"] ?? DEFAULT_REGIONS.join(",")).split(",").filter(Boolean);
  let started: LocalAws | undefined;
  closeOnSignals(async () => started?.close());
  const local = await startLocalAws({
    port: portFromEnv("LOCAL_AWS_PORT", 4566),
    mqttBasePort: portFromEnv("LOCAL_MQTT_PORT", 1883),
    mqttTlsBasePort: portFromEnv("LOCAL_MQTTS_PORT", 8883),
    regions,
    extraServices: [
      createLambdaService(
        () => undefined,
        () => NOTHING_DEPLOYED,
      ),
    ],
  });
  started = local;
  console.log(`local AWS endpoint ready in ${Date.now() - startedAt} ms: ${local.url}`);
  for (const region of regions) {
    console.log(`  ${region}: MQTT mqtt://127.0.0.1:${local.hub.portFor(region)}, mqtts://localhost:${local.hub.tlsPortFor(region)}`);
  }
  console.log(`  the mqtts ports need a registered certificate; their CA: ${local.url}/_local/iot/ca.pem`);
  console.log(`try: aws --endpoint-url ${local.url} --region us-east-1 iot list-things`);
};

main().catch(exitWithFailure);
