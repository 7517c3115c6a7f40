import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { credentialsFor, LOCAL_CREDENTIALS } from "../endpoint/partition-credentials";
import { type LocalAws, type LocalAwsOptions, startLocalAws } from "../local-aws";

export { LOCAL_CREDENTIALS };

/**
 * Starts the local AWS endpoint (DynamoDB Local, SQS, IoT, ...) for one test file, on free ports;
 * `options` may add faults or a restartable DynamoDB Local. The
 * brokers' refusals on their TLS ports are kept in `brokerLog` for assertions.
 */
export const useLocalAws = (
  regions: readonly string[] = ["us-east-1", "eu-west-1"],
  options: Pick<LocalAwsOptions, "faults" | "restartableDynamoDb"> = {},
) => {
  let local: LocalAws | undefined;
  const clients: { destroy(): void }[] = [];
  const brokerLog: string[] = [];
  beforeAll(async () => {
    local = await startLocalAws({ port: 0, mqttBasePort: 0, regions, ...options, log: (line) => brokerLog.push(line) });
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await local?.close();
  });
  const started = (): LocalAws => {
    if (!local) throw new Error("the local AWS endpoint is not started yet (use it inside a test or hook)");
    return local;
  };
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  return {
    local: started,
    brokerLog,
    dynamodb: (region = "us-east-1") => track(new DynamoDBClient({ region, endpoint: started().url, credentials: credentialsFor(region) })),
    sqs: (region = "us-east-1") => track(new SQSClient({ region, endpoint: started().url, credentials: credentialsFor(region) })),
    iot: (region = "us-east-1") => track(new IoTClient({ region, endpoint: started().url, credentials: credentialsFor(region) })),
    iotData: (region = "us-east-1") =>
      track(new IoTDataPlaneClient({ region, endpoint: started().url, credentials: credentialsFor(region) })),
    ssm: (region = "us-east-1") => track(new SSMClient({ region, endpoint: started().url, credentials: credentialsFor(region) })),
  };
};
