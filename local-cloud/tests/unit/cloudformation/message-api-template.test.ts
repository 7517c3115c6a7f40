import { join } from "node:path";
import { readTemplate } from "../../../src/cloudformation/read-template";
import { type ResolvedTemplate, resolveTemplate } from "../../../src/cloudformation/resolve-template";
import { describeSamFunction } from "../../../src/cloudformation/sam-function-events";
import { applySamGlobals } from "../../../src/cloudformation/sam-globals";

const template = applySamGlobals(readTemplate(join(__dirname, "../../../../template.yaml")));
const ACCOUNT = "000000000000";

const deploy = (parameters: Record<string, string> = {}): ResolvedTemplate =>
  resolveTemplate(template, {
    region: "us-east-1",
    accountId: ACCOUNT,
    stackName: "stack",
    parameters: { CreateGlobalTable: "true", ...parameters },
    physicalIds: (logicalId) => `stack-${logicalId}`,
    attributes: (logicalId, attribute) => `arn:aws:local:us-east-1:${ACCOUNT}:${logicalId}/${attribute}`,
  });

const resource = (resolved: ResolvedTemplate, logicalId: string) => {
  const found = resolved.resources.find((candidate) => candidate.logicalId === logicalId);
  if (!found) throw new Error(`${logicalId} is not deployed`);
  return found;
};

describe("template.yaml: message ingestion + MQTT API", () => {
  it("creates the queue and consumes it in batches when MessagesQueueArn is empty", () => {
    const resolved = deploy();
    expect(resolved.conditions.CreateMessagesQueue).toBe(true);
    const ingest = describeSamFunction(resource(resolved, "IngestMessagesFunction"));
    expect(ingest.events).toEqual([
      expect.objectContaining({
        kind: "SQS",
        queueArn: `arn:aws:local:us-east-1:${ACCOUNT}:MessagesQueue/Arn`,
        batchSize: 10,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ["ReportBatchItemFailures"],
      }),
    ]);
    expect(ingest.environment).toMatchObject({
      UUID_KEY: "thingName",
      MESSAGE_ID_KEY: "epochTime",
      MESSAGE_RETENTION_DAYS: "0",
      PUBLISH_NOTIFICATIONS: "true",
      MESSAGES_DLQ_URL: "stack-MessagesDeadLetterQueue",
    });
  });

  it("consumes an existing queue by ARN, creating none, with the configured keys and batching", () => {
    const arn = "arn:aws:sqs:us-east-1:123456789012:inbound-queue";
    const resolved = deploy({
      MessagesQueueArn: arn,
      UuidKey: "imei",
      MessageIdKey: "seq",
      MessageBatchSize: "50",
      MessageBatchingWindowSeconds: "5",
      MessageRetentionDays: "30",
    });
    expect(resolved.resources.map((candidate) => candidate.logicalId)).not.toContain("MessagesQueue");
    const ingest = describeSamFunction(resource(resolved, "IngestMessagesFunction"));
    expect(ingest.events[0]).toMatchObject({ queueArn: arn, batchSize: 50, maximumBatchingWindowInSeconds: 5 });
    expect(ingest.environment).toMatchObject({ UUID_KEY: "imei", MESSAGE_ID_KEY: "seq", MESSAGE_RETENTION_DAYS: "30" });
  });

  it("rejects a MessagesQueueArn that is not an SQS queue ARN", () => {
    expect(() => deploy({ MessagesQueueArn: "inbound-queue" })).toThrow(/template parameter MessagesQueueArn/);
  });

  it("runs the API function from the topic rule SELECT *, topic() AS topic FROM 'request/#'", () => {
    const api = describeSamFunction(resource(deploy(), "MessageApiFunction"));
    expect(api.events).toEqual([
      { kind: "IoTRule", name: "Requests", sql: "SELECT *, topic() AS topic FROM 'request/#'", awsIotSqlVersion: "2016-03-23" },
    ]);
  });

  it("ships an API client policy built on the connection's thing name and client id (Sub escapes resolved)", () => {
    const document = JSON.stringify(resource(deploy(), "MessageApiClientPolicy").properties.PolicyDocument);
    const arn = `arn:aws:iot:us-east-1:${ACCOUNT}`;
    expect(document).toContain(`${arn}:client/\${iot:Connection.Thing.ThingName}`);
    expect(document).toContain(`${arn}:topic/request/query/\${iot:Connection.Thing.ThingName}`);
    expect(document).toContain(`${arn}:topic/request/*/\${iot:Connection.Thing.ThingName}/*`);
    expect(document).toContain(`${arn}:topicfilter/response/*/\${iot:ClientId}-*`);
    expect(document).toContain(`${arn}:topic/response/*/\${iot:ClientId}-*`);
    expect(document).not.toContain("${!");
  });

  it("keeps the table's keys, TTL attribute, PITR and SSE as the adapter expects", () => {
    const table = resource(deploy({ MessagesTableName: "Messages" }), "MessagesTable").properties;
    expect(table).toMatchObject({
      TableName: "Messages",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: "uuid", KeyType: "HASH" },
        { AttributeName: "messageId", KeyType: "RANGE" },
      ],
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});
