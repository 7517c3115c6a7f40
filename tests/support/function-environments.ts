/**
 * Each function's environment as template.yaml gives it, for tests that deploy the function outside the
 * local cloud's deployer (`useTemplateFunction`): quiet logs, no EMF output, and the queue and table
 * names of the test.
 */
const QUIET = {
  POWERTOOLS_LOG_LEVEL: "ERROR",
  POWERTOOLS_METRICS_NAMESPACE: "IoTFleetReplicator",
  POWERTOOLS_METRICS_DISABLED: "true",
};

export const captureEnvironment = (tableName: string, deadLetterQueueUrl: string): Record<string, string> => ({
  ...QUIET,
  REPLICA_TABLE_NAME: tableName,
  CAPTURE_DLQ_URL: deadLetterQueueUrl,
  TOMBSTONE_TTL_DAYS: "30",
  POWERTOOLS_SERVICE_NAME: "registry-capture",
});

/** The public sample's message layout: uuid in `thingName`, message id from `epochTime`. */
export const ingestEnvironment = (tableName: string, deadLetterQueueUrl: string): Record<string, string> => ({
  ...QUIET,
  MESSAGES_TABLE_NAME: tableName,
  MESSAGES_DLQ_URL: deadLetterQueueUrl,
  UUID_KEY: "thingName",
  MESSAGE_ID_KEY: "epochTime",
  MESSAGE_ID_FORMAT: "padded",
  MESSAGE_RETENTION_DAYS: "0",
  PUBLISH_NOTIFICATIONS: "false",
  IOT_DATA_ENDPOINT: "",
  POWERTOOLS_SERVICE_NAME: "message-ingestion",
});

export const messageApiEnvironment = (tableName: string): Record<string, string> => ({
  ...QUIET,
  MESSAGES_TABLE_NAME: tableName,
  IOT_DATA_ENDPOINT: "",
  POWERTOOLS_SERVICE_NAME: "message-api",
});

export const healthCheckEnvironment = (): Record<string, string> => ({
  ...QUIET,
  IOT_DATA_ENDPOINT: "",
  POWERTOOLS_SERVICE_NAME: "health-check",
});

export const sweepEnvironment = (tableName: string, checkpointTableName: string, deadLetterQueueUrl: string): Record<string, string> => ({
  ...QUIET,
  REPLICA_TABLE_NAME: tableName,
  SWEEP_CHECKPOINT_TABLE_NAME: checkpointTableName,
  CAPTURE_DLQ_URL: deadLetterQueueUrl,
  TOMBSTONE_TTL_DAYS: "30",
  SWEEP_SHADOWS: "true",
  IOT_DATA_ENDPOINT: "",
  POWERTOOLS_SERVICE_NAME: "registry-sweep",
});
