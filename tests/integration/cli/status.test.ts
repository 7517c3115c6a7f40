import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { useLocalAws } from "local-cloud/testing";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import { Origin, Rank } from "../../../src/domain/registry/ordering";
import type { ReplicaRecord } from "../../../src/domain/registry/replica-record";
import { runOperatorCommand } from "../../support/operator-command";
import { createReplicaTable } from "../../support/replica-table";

const aws = useLocalAws(["us-east-1", "us-west-2"]);
const TABLE = "StatusCli";

const record = (sourceRegion: string, entityName: string, timestamp: number, capturedAt: number): ReplicaRecord => ({
  entityType: "thing",
  entityName,
  sourceRegion,
  status: "ACTIVE",
  stamp: { origin: Origin.Event, rank: Rank.Change, timestamp, eventId: `${sourceRegion}-${entityName}` },
  capturedAt,
  fields: { ThingName: entityName },
});

beforeAll(async () => {
  await createReplicaTable(aws.dynamodb("us-west-2"), TABLE);
  const store = createDynamoDbReplicaStore(aws.dynamodb("us-west-2"), TABLE);
  const now = Date.now();
  for (const [name, lag] of [
    ["a", 100],
    ["b", 200],
    ["c", 900],
  ] as const) {
    (await store.putIfNewer(record("us-east-1", name, now - 60_000, now - 60_000)))._unsafeUnwrap();
    (await store.putIfNewer(record("us-west-2", name, now - 60_000 + lag, now - 60_000 + lag)))._unsafeUnwrap();
  }
  (await store.putIfNewer(record("us-east-1", "late", now - 5_000, now - 5_000)))._unsafeUnwrap();
  const sqs = aws.sqs("us-west-2");
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "iot-fleet-replicator-CaptureDeadLetterQueue" }));
  await sqs.send(new CreateQueueCommand({ QueueName: "iot-fleet-replicator-RegistryEventsQueue" }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "{}" }));
});

describe("npm run status", () => {
  it("prints lag percentiles, the backlog and the stack's dead-letter queue depths in the secondary", async () => {
    const outcome = await runOperatorCommand("status", [
      "--primary",
      "us-east-1",
      "--secondary",
      "us-west-2",
      "--endpoint-url",
      aws.local().url,
      "--table",
      TABLE,
    ]);
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.split("\n")).toEqual([
      `status us-east-1 -> us-west-2 (table ${TABLE}, stack iot-fleet-replicator)`,
      "lag us-east-1 -> us-west-2: p50 200 ms, p99 900 ms, max 900 ms over the last 3 changes (primary event to secondary capture)",
      expect.stringMatching(/^backlog: 1 primary changes not yet in us-west-2, oldest [\d.]+ m?s ago: thing#late$/),
      "dead-letter queues in us-west-2:",
      "  iot-fleet-replicator-CaptureDeadLetterQueue: 1 waiting, 0 in flight",
      "",
    ]);
  }, 60_000);

  it("answers --json with the same figures", async () => {
    const outcome = await runOperatorCommand("status", [
      "--primary",
      "us-east-1",
      "--secondary",
      "us-west-2",
      "--endpoint-url",
      aws.local().url,
      "--table",
      TABLE,
      "--json",
    ]);
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({
      replication: { lag: { samples: 3, p50Ms: 200, p99Ms: 900 }, backlog: { count: 1, oldest: ["thing#late"] } },
      deadLetterQueues: [{ queueName: "iot-fleet-replicator-CaptureDeadLetterQueue", visible: 1, inFlight: 0 }],
    });
  }, 60_000);
});

describe("npm run status with table sync", () => {
  const STACK = "synced-stack";
  beforeAll(async () => {
    // The queues the template's table sync makes in us-east-1 (local names: {stack}-{LogicalId}), with changes waiting.
    const sqs = aws.sqs("us-east-1");
    const fifo = { Attributes: { FifoQueue: "true" } };
    const queue = async (name: string, attributes = {}) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: name, ...attributes }))).QueueUrl;
    const backlog = await queue(`${STACK}-SyncQueue.fifo`, fifo);
    const deadLetters = await queue(`${STACK}-SyncDeadLetterQueue.fifo`, fifo);
    await queue(`${STACK}-SyncForwardDeadLetterQueue`);
    for (const [QueueUrl, count] of [
      [backlog, 2],
      [deadLetters, 1],
    ] as const)
      for (let i = 0; i < count; i += 1)
        await sqs.send(
          new SendMessageCommand({ QueueUrl, MessageBody: "{}", MessageGroupId: `item-${i}`, MessageDeduplicationId: `change-${i}` }),
        );
  });

  it("adds the sync's lag (changes behind), its FIFO backlog and both dead-letter queues, from the region whose stack has it", async () => {
    const outcome = await runOperatorCommand("status", [
      "--primary",
      "us-east-1",
      "--secondary",
      "us-west-2",
      "--endpoint-url",
      aws.local().url,
      "--table",
      TABLE,
      "--stack",
      STACK,
    ]);
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.split("\n").slice(-5)).toEqual([
      "table sync from us-east-1: lag 2 changes behind (SyncLagSeconds gives the time)",
      "  backlog (SyncQueue): 2 waiting, 0 being written, 0 delayed",
      "  SyncDeadLetterQueue: 1 waiting, 0 in flight",
      "  SyncForwardDeadLetterQueue: 0 waiting, 0 in flight",
      "",
    ]);
    const json = await runOperatorCommand("status", [
      "--primary",
      "us-east-1",
      "--secondary",
      "us-west-2",
      "--endpoint-url",
      aws.local().url,
      "--table",
      TABLE,
      "--stack",
      STACK,
      "--json",
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      tableSync: [
        {
          region: "us-east-1",
          queues: [
            { logicalId: "SyncQueue", visible: 2, inFlight: 0, delayed: 0 },
            { logicalId: "SyncDeadLetterQueue", visible: 1 },
            { logicalId: "SyncForwardDeadLetterQueue", visible: 0 },
          ],
        },
      ],
    });
  }, 60_000);
});
