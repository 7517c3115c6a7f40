import { randomUUID } from "node:crypto";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { FunctionEventSource, SamFunction } from "../cloudformation/sam-function-events";
import { isArnOf, regionalArn } from "../endpoint/partitions";
import { LOCAL_ACCOUNT_ID } from "../endpoint/service";
import type { FaultInjector } from "../faults/fault-injector";
import { DynamoDbStreamEventSource } from "../lambda/dynamodb-stream-event-source";
import { parseFilterPatterns } from "../lambda/event-filter";
import type { LocalFunction } from "../lambda/local-function";
import { SqsEventSource } from "../lambda/sqs-event-source";
import { queueUrlFromArn, type RegionClients } from "./region-clients";

/** Something the deployer started and must stop. */
export interface Running {
  stop(): Promise<void>;
}

/** Where event-source activity is reported (the local cloud prints it; tests collect it). */
export type ActivityLog = (line: string) => void;

const scheduledEvent = (region: string, ruleArn: string, input: string | undefined): unknown =>
  input !== undefined
    ? JSON.parse(input)
    : {
        version: "0",
        id: randomUUID(),
        "detail-type": "Scheduled Event",
        source: "aws.events",
        account: LOCAL_ACCOUNT_ID,
        time: new Date().toISOString(),
        region,
        resources: [ruleArn],
        detail: {},
      };

/**
 * Lambda's check at CreateEventSourceMapping: a queue whose visibility timeout is shorter than the
 * function's timeout would hand a message to a second batch while the first is still running on it.
 */
const checkVisibilityTimeout = async (sqs: SQSClient, queueUrl: string, functionTimeoutSeconds: number, label: string): Promise<void> => {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["VisibilityTimeout"] }));
  const visibility = Number(Attributes.VisibilityTimeout ?? 30);
  if (visibility < functionTimeoutSeconds)
    throw new Error(
      `${label}: Invalid request provided: Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${functionTimeoutSeconds} seconds`,
    );
};

/** Lambda's limits for a FIFO queue's mapping: BatchSize at most 10 and no batching window. */
const checkFifoMapping = (queueArn: string, batchSize: number, batchingWindowSeconds: number, label: string): void => {
  if (!queueArn.endsWith(".fifo")) return;
  if (batchSize > 10) throw new Error(`${label}: BatchSize of a FIFO queue's mapping must be at most 10, got ${batchSize}`);
  if (batchingWindowSeconds > 0)
    throw new Error(`${label}: MaximumBatchingWindowInSeconds is not supported for FIFO queues, got ${batchingWindowSeconds}`);
};

/**
 * Wires one function's event sources as Lambda would: SQS and DynamoDB stream event source mappings
 * and rate() schedules (`scheduleSpeedup` times as often as they say: a test that must see the sweep's
 * schedule fire need not wait a whole minute). IoT rule sources are topic rules and go to the rules engine instead.
 */
export const startEventSources = async (
  fn: LocalFunction,
  description: SamFunction,
  clients: RegionClients,
  log: ActivityLog,
  faults?: FaultInjector,
  scheduleSpeedup = 1,
): Promise<Running[]> => {
  const label = `${description.logicalId}@${clients.region}`;
  const running: Running[] = [];
  for (const source of description.events.filter(
    (event): event is Exclude<FunctionEventSource, { kind: "IoTRule" }> => event.kind !== "IoTRule",
  )) {
    if (!source.enabled) continue;
    switch (source.kind) {
      case "SQS": {
        const queueUrl = queueUrlFromArn(clients.endpointUrl, source.queueArn);
        checkFifoMapping(source.queueArn, source.batchSize, source.maximumBatchingWindowInSeconds, `${label} SQS ${source.name}`);
        await checkVisibilityTimeout(clients.sqs, queueUrl, description.timeoutSeconds, `${label} SQS ${source.name}`);
        const mapping = new SqsEventSource(clients.sqs, fn, {
          queueUrl,
          queueArn: source.queueArn,
          region: clients.region,
          batchSize: source.batchSize,
          maximumBatchingWindowInSeconds: source.maximumBatchingWindowInSeconds,
          reportBatchItemFailures: source.functionResponseTypes.includes("ReportBatchItemFailures"),
          filterPatterns: parseFilterPatterns(source.filterPatterns.map((Pattern) => ({ Pattern }))),
          ...(source.maximumConcurrency !== undefined ? { maximumConcurrency: source.maximumConcurrency } : {}),
          onBatch: ({ size, failed, error }) =>
            log(`${label} <- SQS ${source.name}: ${size} message(s), ${failed} failed${error ? ` (${error})` : ""}`),
          ...(faults ? { faults } : {}),
        });
        mapping.start();
        running.push(mapping);
        break;
      }
      case "DynamoDB": {
        if (source.startingPosition === "AT_TIMESTAMP")
          throw new Error(`${label}: StartingPosition AT_TIMESTAMP is not supported by the local cloud`);
        const onFailure = source.onFailureDestination;
        if (onFailure && !isArnOf(onFailure, "sqs"))
          throw new Error(`${label}: only SQS OnFailure destinations are supported locally, got ${onFailure}`);
        const mapping = new DynamoDbStreamEventSource(clients.streams, clients.sqs, fn, {
          streamArn: source.streamArn,
          region: clients.region,
          batchSize: source.batchSize,
          startingPosition: source.startingPosition,
          maximumRetryAttempts: source.maximumRetryAttempts,
          bisectBatchOnFunctionError: source.bisectBatchOnFunctionError,
          reportBatchItemFailures: source.functionResponseTypes.includes("ReportBatchItemFailures"),
          ...(onFailure ? { onFailureQueueUrl: queueUrlFromArn(clients.endpointUrl, onFailure) } : {}),
          filterPatterns: parseFilterPatterns(source.filterPatterns.map((Pattern) => ({ Pattern }))),
          parallelizationFactor: source.parallelizationFactor,
          onBatch: ({ size, outcome, error }) =>
            log(`${label} <- stream ${source.name}: ${size} record(s) ${outcome}${error ? ` (${error})` : ""}`),
          ...(faults ? { faults } : {}),
        });
        mapping.start();
        running.push(mapping);
        break;
      }
      case "Schedule": {
        if (source.schedule.kind !== "rate") throw new Error(`${label}: cron() schedules are not supported by the local cloud; use rate()`);
        const ruleArn = regionalArn(clients.region, "events", `rule/${description.logicalId}-${source.name}`);
        const timer = setInterval(
          () => {
            void fn.invoke(scheduledEvent(clients.region, ruleArn, source.input)).then((outcome) => {
              if (!outcome.ok) log(`${label} <- schedule ${source.name}: ${outcome.error.name}: ${outcome.error.message}`);
            });
          },
          (source.schedule.everySeconds * 1000) / scheduleSpeedup,
        );
        running.push({ stop: async () => clearInterval(timer) });
        break;
      }
    }
  }
  return running;
};
