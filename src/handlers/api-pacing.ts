import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { pacedClient } from "../adapters/aws-call-pacing";
import { createDynamoDbApiSchedules } from "../adapters/dynamodb-api-schedules";
import { iotApiBudgets } from "../domain/pacing/iot-api-quotas";
import { type CallPriority, createPacer } from "../domain/pacing/pacer";
import { describeError } from "../domain/shared/errors";
import { optionalEnv, requireEnv } from "./environment";
import { traced } from "./observability";

/**
 * How a function that calls AWS IoT keeps to its share of the region's quotas, from the environment
 * the template gives it (API_SCHEDULE_TABLE_NAME, IOT_API_QUOTA_SHARE, IOT_API_QUOTA_OVERRIDES): a
 * wrapper for its SDK clients whose every call first books its API's budget on the region's shared
 * schedule, at `priority`. Built once per cold start; a bad share or override fails it, naming which.
 */
export const apiPacingFromEnvironment = (dynamodb: DynamoDBClient, priority: CallPriority) => {
  const budgets = iotApiBudgets(Number(requireEnv("IOT_API_QUOTA_SHARE")), optionalEnv("IOT_API_QUOTA_OVERRIDES") ?? "").match(
    (value) => value,
    (error) => {
      throw new Error(`environment: ${describeError(error)}`);
    },
  );
  const pace = createPacer({
    schedules: createDynamoDbApiSchedules(dynamodb, requireEnv("API_SCHEDULE_TABLE_NAME")),
    budgets,
    priority,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  return <C extends object>(client: C): C => pacedClient(traced(client), pace);
};
