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

/** The sweep, which paces its IoT reads on `apiScheduleTableName` (the template's ApiScheduleTable) at the default share. */
export const sweepEnvironment = (
  tableName: string,
  checkpointTableName: string,
  deadLetterQueueUrl: string,
  apiScheduleTableName: string,
): Record<string, string> => ({
  ...QUIET,
  API_SCHEDULE_TABLE_NAME: apiScheduleTableName,
  IOT_API_QUOTA_SHARE: "0.8",
  IOT_API_QUOTA_OVERRIDES: "",
  REPLICA_TABLE_NAME: tableName,
  SWEEP_CHECKPOINT_TABLE_NAME: checkpointTableName,
  CAPTURE_DLQ_URL: deadLetterQueueUrl,
  TOMBSTONE_TTL_DAYS: "30",
  SWEEP_SHADOWS: "true",
  IOT_DATA_ENDPOINT: "",
  POWERTOOLS_SERVICE_NAME: "registry-sweep",
});

/** The table sync's forwarder, one-way unless `twoWay`, as template.yaml configures it. */
export const syncForwardEnvironment = (options: {
  sourceTable: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  stateTable: string;
  origin: string;
  twoWay?: boolean;
}): Record<string, string> => ({
  ...QUIET,
  SYNC_ORIGIN: options.origin,
  SYNC_TWO_WAY: String(options.twoWay ?? false),
  SYNC_TTL_DELETIONS: "replicate",
  SYNC_INCLUDE_ATTRIBUTES: "",
  SYNC_EXCLUDE_ATTRIBUTES: "",
  SYNC_MAX_MESSAGE_BYTES: "262144",
  SYNC_QUEUE_URL: options.queueUrl,
  SYNC_FORWARD_DLQ_URL: options.deadLetterQueueUrl,
  SYNC_SOURCE_TABLE_NAME: options.sourceTable,
  SYNC_STATE_TABLE_NAME: options.stateTable,
  SYNC_TOMBSTONE_TTL_DAYS: "30",
  POWERTOOLS_SERVICE_NAME: "sync-forward-changes",
});

/** The table sync's writer, with the target's credentials from SSM `target_ak` / `target_sk`. */
export const syncWriteEnvironment = (options: {
  sourceTable: string;
  targetRegion: string;
  targetTable: string;
  stateTable: string;
  deadLetterQueueUrl: string;
  peerStateTable?: string;
}): Record<string, string> => ({
  ...QUIET,
  SYNC_TARGET_REGION: options.targetRegion,
  SYNC_TARGET_TABLE_NAME: options.targetTable,
  SYNC_TARGET_ENDPOINT: "",
  SYNC_TARGET_AK_PARAMETER: "target_ak",
  SYNC_TARGET_SK_PARAMETER: "target_sk",
  SYNC_TARGET_KEYS_TTL_SECONDS: "300",
  SYNC_SOURCE_TABLE_NAME: options.sourceTable,
  SYNC_STATE_TABLE_NAME: options.stateTable,
  SYNC_PEER_STATE_TABLE_NAME: options.peerStateTable ?? "",
  SYNC_TWO_WAY: String(options.peerStateTable !== undefined),
  SYNC_TOMBSTONE_TTL_DAYS: "30",
  SYNC_INCLUDE_ATTRIBUTES: "",
  SYNC_EXCLUDE_ATTRIBUTES: "",
  SYNC_WRITE_DLQ_URL: options.deadLetterQueueUrl,
  POWERTOOLS_SERVICE_NAME: "sync-write-changes",
});
