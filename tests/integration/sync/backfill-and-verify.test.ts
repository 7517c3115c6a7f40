import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { findProjectRoot } from "local-cloud";
import { LOCAL_CREDENTIALS, useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { syncForwardEnvironment, syncWriteEnvironment } from "../../support/function-environments";
import { createMusicTable, createQueue, createSyncStateTable, pumpQueue, pumpStream, StreamTail } from "../../support/sync-harness";

/**
 * sync:backfill copies items that existed before the stream was on, while live changes flow through
 * the forwarder and writer; sync:verify then finds no difference (and finds one it is shown).
 */
const aws = useLocalAws(["us-east-1", "us-west-2"]);
const forwarder = useTemplateFunction("SyncForwardChangesFunction");
const writer = useTemplateFunction("SyncWriteChangesFunction");
// 2,000 items keep the backfill running under the live changes (some 50 items reach the target live
// before the backfill gets to them, and are not moved back); SYNC_BACKFILL_TEST_ITEMS=10000 runs it at volume.
const ITEMS = Number(process.env["SYNC_BACKFILL_TEST_ITEMS"] ?? 2_000);
const TABLE = "Library";
const root = findProjectRoot();

const run = promisify(execFile);
const cli = (script: string, args: string[]) =>
  run(join(root, "node_modules/.bin/tsx"), [join(root, "src/cli", script), ...args], {
    cwd: root,
    env: { ...process.env, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey },
    maxBuffer: 10_000_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (failed: { code?: number; stdout?: string; stderr?: string }) => ({
      code: failed.code ?? -1,
      stdout: `${failed.stdout}${failed.stderr}`,
    }),
  );

const invoker =
  <E, R>(fn: { invoke(event: unknown): Promise<{ ok: boolean; result?: unknown; error?: { name: string; message: string } }> }) =>
  async (event: E): Promise<R> => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error?.name}: ${outcome.error?.message}`);
    return outcome.result as R;
  };

const song = (index: number) => ({ Artist: { S: `Artist ${index % 97}` }, SongTitle: { S: `Song ${index}` } });

describe(`sync:backfill of ${ITEMS} pre-existing items while live changes flow, then sync:verify`, () => {
  it("copies every item, never moves one backwards, and verify finds no difference (then one it is shown)", async () => {
    const source = aws.dynamodb("us-east-1");
    await createMusicTable(source, TABLE);
    await createMusicTable(aws.dynamodb("us-west-2"), TABLE);
    const started = Date.now();
    const batches = Array.from({ length: Math.ceil(ITEMS / 25) }, (_, batch) => batch);
    for (let at = 0; at < batches.length; at += 8)
      await Promise.all(
        batches.slice(at, at + 8).map((batch) =>
          source.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [TABLE]: Array.from({ length: Math.min(25, ITEMS - batch * 25) }, (_, i) => ({
                  PutRequest: { Item: { ...song(batch * 25 + i), Version: { N: "1" } } },
                })),
              },
            }),
          ),
        ),
      );
    const seeded = Date.now();
    // The sync is deployed now: the stream starts here, the items above exist only in the source.
    await source.send(
      new UpdateTableCommand({ TableName: TABLE, StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } }),
    );
    const streamArn = (await source.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.LatestStreamArn ?? "";
    await createSyncStateTable(source, "SyncState");
    for (const name of ["target_ak", "target_sk"])
      await aws.ssm().send(new PutParameterCommand({ Name: name, Value: "local", Type: "SecureString" }));
    const queueUrl = await createQueue(aws.sqs(), "sync.fifo");
    const url = aws.local().url;
    const forward = invoker<{ Records: DynamoDBRecord[] }, DynamoDBBatchResponse>(
      forwarder.deploy("us-east-1", url, {
        ...syncForwardEnvironment({
          sourceTable: TABLE,
          queueUrl,
          deadLetterQueueUrl: await createQueue(aws.sqs(), "fwd-dlq"),
          stateTable: "SyncState",
          origin: "us-east-1",
        }),
      }),
    );
    const write = invoker<{ Records: SQSRecord[] }, SQSBatchResponse>(
      writer.deploy(
        "us-east-1",
        url,
        syncWriteEnvironment({
          sourceTable: TABLE,
          targetRegion: "us-west-2",
          targetTable: TABLE,
          stateTable: "SyncState",
          deadLetterQueueUrl: await createQueue(aws.sqs(), "dlq.fifo"),
        }),
      ),
    );
    const tail = new StreamTail(url, "us-east-1", streamArn);
    const common = ["--source-table", TABLE, "--source-region", "us-east-1", "--target-region", "us-west-2", "--endpoint-url", url];
    const credentials = ["--target-ak-parameter", "target_ak", "--target-sk-parameter", "target_sk"];
    const backfill = cli("sync-backfill.ts", [
      ...common,
      ...credentials,
      "--state-table",
      "SyncState",
      "--segments",
      "4",
      "--rate",
      "0",
      "--checkpoint",
      join(root, ".sync-backfill-test.json"),
    ]);
    // Live changes while the backfill runs: updates, deletes and new items, forwarded and written as they come.
    let done = false;
    void backfill.then(() => {
      done = true;
    });
    let live = 0;
    while (!done || live < 300) {
      const index = (live * 37) % ITEMS;
      if (live % 10 === 9) await source.send(new DeleteItemCommand({ TableName: TABLE, Key: song(index) }));
      else if (live % 10 === 8)
        await source.send(new PutItemCommand({ TableName: TABLE, Item: { ...song(ITEMS + live), Version: { N: "1" } } }));
      else
        await source.send(
          new UpdateItemCommand({
            TableName: TABLE,
            Key: song(index),
            UpdateExpression: "SET Version = :v",
            ExpressionAttributeValues: { ":v": { N: String(2 + live) } },
          }),
        );
      live += 1;
      if (live % 25 === 0) {
        await pumpStream(tail, forward);
        await pumpQueue(aws.sqs(), queueUrl, write);
      }
    }
    const copied = await backfill;
    const backfilled = Date.now();
    await pumpStream(tail, forward);
    await pumpQueue(aws.sqs(), queueUrl, write);
    tail.destroy();
    expect(copied).toMatchObject({ code: 0, stdout: expect.stringMatching(/backfill of Library complete: \d+ written/) });

    const verified = await cli("sync-verify.ts", [...common, ...credentials]);
    expect(verified.stdout).toContain("no difference");
    expect(verified.code).toBe(0);
    console.log(
      `sync backfill: ${ITEMS} items seeded in ${seeded - started} ms; backfill with ${live} live changes in ${backfilled - seeded} ms; ${copied.stdout.trim().split("\n").pop()}`,
    );

    await aws.dynamodb("us-west-2").send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: song(1),
        UpdateExpression: "SET Version = :v",
        ExpressionAttributeValues: { ":v": { N: "0" } },
      }),
    );
    const drifted = await cli("sync-verify.ts", [...common, ...credentials]);
    expect(drifted).toMatchObject({ code: 1, stdout: expect.stringContaining("1 different") });
  }, 900_000);
});
