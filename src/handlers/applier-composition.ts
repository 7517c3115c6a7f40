import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDynamoDbPrimaryRecords } from "../adapters/dynamodb-primary-records";
import { iotDataClientProvider } from "../adapters/iot-data-client-provider";
import { createIotSecondaryRegistry } from "../adapters/iot-secondary-registry";
import type { ApplyPorts } from "../domain/recovery/apply-entity";
import { optionalEnv, requireEnv } from "./environment";
import { traced } from "./observability";

/**
 * What the stream applier and the redrive share, built once per cold start from the environment the
 * template gives both: the primary region's records in this region's replica of the table, this
 * region's IoT registry and shadows, and the dead-letter queue both park in and the redrive reads.
 */
export const region = requireEnv("AWS_REGION");
export const primaryRegion = requireEnv("PRIMARY_REGION");
if (primaryRegion === region) throw new Error(`PRIMARY_REGION is this function's own region (${region}): the primary runs no applier`);
export const applyDeadLetterQueueUrl = requireEnv("APPLY_DLQ_URL");
const tableName = requireEnv("REPLICA_TABLE_NAME");

const endpoints = { awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") };

export const sqs = traced(new SQSClient({}));

export const applyPorts: ApplyPorts = {
  primary: createDynamoDbPrimaryRecords(traced(new DynamoDBClient({})), tableName, primaryRegion),
  secondary: createIotSecondaryRegistry(traced(new IoTClient({})), iotDataClientProvider(endpoints, traced)),
  context: { primaryRegion, secondaryRegion: region },
};
