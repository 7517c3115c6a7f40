import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDynamoDbPrimaryRecords } from "../adapters/dynamodb-primary-records";
import { iotDataClientProvider } from "../adapters/iot-data-client-provider";
import { createIotSecondaryRegistry } from "../adapters/iot-secondary-registry";
import type { CallPriority } from "../domain/pacing/pacer";
import type { ApplyPorts } from "../domain/recovery/apply-entity";
import { apiPacingFromEnvironment } from "./api-pacing";
import { optionalEnv, requireEnv } from "./environment";
import { traced } from "./observability";

/**
 * What the stream applier, the redrive and the bootstrap share, built once per cold start from the
 * environment the template gives them: the primary region's records in this region's replica of the
 * table, this region's IoT registry and shadows (every call paced to its API's budget through the
 * region's shared schedules), and the dead-letter queue they park in and the redrive reads.
 */
export const region = requireEnv("AWS_REGION");
export const primaryRegion = requireEnv("PRIMARY_REGION");
if (primaryRegion === region) throw new Error(`PRIMARY_REGION is this function's own region (${region}): the primary runs no applier`);
export const applyDeadLetterQueueUrl = requireEnv("APPLY_DLQ_URL");
const tableName = requireEnv("REPLICA_TABLE_NAME");
const endpoints = { awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") };

export const sqs = traced(new SQSClient({}));
export const dynamodb = traced(new DynamoDBClient({}));
/** The applier's ports for callers of one priority: live changes, or a backlog that yields to them. */
export const applyPortsFor = (priority: CallPriority): ApplyPorts => {
  const paced = apiPacingFromEnvironment(dynamodb, priority);
  return {
    primary: createDynamoDbPrimaryRecords(dynamodb, tableName, primaryRegion),
    secondary: createIotSecondaryRegistry(paced(new IoTClient({})), iotDataClientProvider(endpoints, paced)),
    context: { primaryRegion, secondaryRegion: region },
  };
};
