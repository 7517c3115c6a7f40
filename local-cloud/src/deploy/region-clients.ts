import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { IoTClient } from "@aws-sdk/client-iot";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { credentialsFor } from "../endpoint/partition-credentials";

/** Real SDK clients for one local region, pointed at the local endpoint: the deployer is just a client. */
export interface RegionClients {
  readonly region: string;
  readonly endpointUrl: string;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
  readonly iot: IoTClient;
  destroy(): void;
}

export const createRegionClients = (endpointUrl: string, region: string): RegionClients => {
  const config = { region, endpoint: endpointUrl, credentials: credentialsFor(region) };
  const clients = {
    dynamodb: new DynamoDBClient(config),
    streams: new DynamoDBStreamsClient(config),
    sqs: new SQSClient(config),
    ssm: new SSMClient(config),
    iot: new IoTClient(config),
  };
  return {
    region,
    endpointUrl,
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
};

/** The URL of a queue given its ARN (`arn:aws:sqs:{region}:{account}:{name}`), on the local endpoint. */
export const queueUrlFromArn = (endpointUrl: string, arn: string): string => {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[2] !== "sqs") throw new Error(`not an SQS queue ARN: ${arn}`);
  return `${endpointUrl}/${parts[4]}/${parts[5]}`;
};
