import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { syncWriteEnvironment } from "../../support/function-environments";
import { loadSqsEvent } from "../../support/sample-events";
import { createMusicTable, createQueue, createSyncStateTable } from "../../support/sync-harness";

/**
 * The sync writer's bad-input corpus (`tests/bad-input/sync-write-changes.json`), as the other
 * functions' corpus runs: each bad body, sent between two good changes in other groups, is
 * dead-lettered at once with a reason naming what is wrong, and neither fails the batch nor its neighbours.
 */
interface SqsCase {
  readonly name: string;
  readonly body: string;
  readonly reason: string;
}
const cases = (
  JSON.parse(readFileSync(join(__dirname, "..", "..", "bad-input", "sync-write-changes.json"), "utf8")) as { cases: SqsCase[] }
).cases;

const aws = useLocalAws(["us-east-1", "us-west-2"]);
const writer = useTemplateFunction("SyncWriteChangesFunction");
let dlqUrl = "";
let write: (event: SQSEvent) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  await createMusicTable(aws.dynamodb("us-east-1"), "MusicCollection");
  await createMusicTable(aws.dynamodb("us-west-2"), "MusicCollection");
  await createSyncStateTable(aws.dynamodb("us-east-1"), "SyncState");
  for (const name of ["target_ak", "target_sk"])
    await aws.ssm().send(new PutParameterCommand({ Name: name, Value: "local", Type: "SecureString" }));
  dlqUrl = await createQueue(aws.sqs(), "sync-bad-input-dlq.fifo");
  const fn = writer.deploy(
    "us-east-1",
    aws.local().url,
    syncWriteEnvironment({
      sourceTable: "MusicCollection",
      targetRegion: "us-west-2",
      targetTable: "MusicCollection",
      stateTable: "SyncState",
      deadLetterQueueUrl: dlqUrl,
    }),
  );
  write = async (event) => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error.name}: ${outcome.error.message}`);
    return outcome.result as SQSBatchResponse;
  };
});

const good = loadSqsEvent("sync-write-music-collection.json").Records[0] as SQSRecord;
/** A good change of its own item (its own group), so the bad one's refusal must not touch it. */
const goodChange = (song: string, group: string): SQSRecord => {
  const body = JSON.parse(good.body);
  const key = { ...body.key, SongTitle: { S: song } };
  return {
    ...good,
    messageId: `good-${song}`,
    body: JSON.stringify({ ...body, key, image: { ...body.image, ...key } }),
    attributes: { ...good.attributes, MessageGroupId: group },
  };
};

describe.each(cases.map((entry, index) => ({ ...entry, index })))("sync writer bad input: $name", ({ body, reason, index }) => {
  it("is dead-lettered with its reason; the changes around it are stored", async () => {
    const before = goodChange(`before ${index}`, `g-before-${index}`);
    const after = goodChange(`after ${index}`, `g-after-${index}`);
    const bad = { ...good, messageId: `bad-${index}`, body, attributes: { ...good.attributes, MessageGroupId: `g-bad-${index}` } };
    expect(await write({ Records: [before, bad, after] })).toEqual({ batchItemFailures: [] });
    const { Messages = [] } = await aws
      .sqs()
      .send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
    // One group holds the dead letters: what is received is deleted, or the group stays locked.
    for (const message of Messages)
      await aws.sqs().send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
    const dead = Messages.find((message) => message.Body === (body === "" ? "(empty message body)" : body));
    expect(dead?.MessageAttributes?.["failureReason"]?.StringValue).toMatch(new RegExp(reason));
    for (const song of [`before ${index}`, `after ${index}`]) {
      const { Item } = await aws.dynamodb("us-west-2").send(
        new GetItemCommand({
          TableName: "MusicCollection",
          Key: { Artist: { S: "No One You Know" }, SongTitle: { S: song } },
          ConsistentRead: true,
        }),
      );
      expect(Item?.["AlbumTitle"]).toEqual({ S: "Somewhat Famous" });
    }
  });
});
