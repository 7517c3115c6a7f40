import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { findProjectRoot } from "local-cloud";
import { LOCAL_CREDENTIALS, useLocalAws } from "local-cloud/testing";
import { messageGroupId } from "../../../src/domain/sync/sync-message";
import { loadSqsEvent } from "../../support/sample-events";
import { createQueue, queueDepth } from "../../support/sync-harness";

/** `npm run sync:redrive`: dead-lettered changes go back to the FIFO queue in their item's group; anything else stays, listed. */
const aws = useLocalAws(["us-east-1"]);
const root = findProjectRoot();

it("moves the sync changes back in their groups, keeps a message that is no change, and exits 1 because of it", async () => {
  const queueUrl = await createQueue(aws.sqs(), "sync.fifo");
  const dlqUrl = await createQueue(aws.sqs(), "sync-dlq.fifo");
  const changes = loadSqsEvent("sync-write-music-collection.json").Records.map((record) => record.body);
  for (const [index, body] of ["not a change", ...changes].entries())
    await aws.sqs().send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: body,
        MessageGroupId: "dead-letters",
        MessageDeduplicationId: `d${index}`,
      }),
    );
  const outcome = await promisify(execFile)(
    join(root, "node_modules/.bin/tsx"),
    [
      join(root, "src/cli/sync-redrive.ts"),
      "--dlq-url",
      dlqUrl,
      "--queue-url",
      queueUrl,
      "--region",
      "us-east-1",
      "--endpoint-url",
      aws.local().url,
    ],
    {
      cwd: root,
      env: { ...process.env, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey },
    },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (failed: { code?: number; stdout?: string; stderr?: string }) => ({ code: failed.code, stdout: `${failed.stdout}${failed.stderr}` }),
  );
  expect(outcome.code).toBe(1);
  expect(outcome.stdout).toContain("2 changes moved back to the sync queue, 1 kept in the DLQ");
  expect(outcome.stdout).toMatch(/kept .*: InvalidEvent: body is not JSON/);
  const { Messages = [] } = await aws
    .sqs()
    .send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], WaitTimeSeconds: 1 }),
    );
  expect(Messages.map((message) => message.Body)).toEqual(changes);
  const group = messageGroupId(JSON.parse(changes[0] as string).key);
  expect(Messages.map((message) => message.Attributes?.MessageGroupId)).toEqual([group, group]);
  expect(await queueDepth(aws.sqs(), dlqUrl)).toBe(1);
});
