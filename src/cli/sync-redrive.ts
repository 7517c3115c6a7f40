/**
 * `npm run sync:redrive -- --dlq-url <SyncDeadLetterQueueUrl> --queue-url <SyncQueueUrl> --region us-east-1 [--endpoint-url ..]`
 *
 * Moves the changes the writer dead-lettered back onto the sync's FIFO queue once the cause is fixed
 * (the target is back, the credentials are right): each in its item's group, with a new deduplication
 * id (the original one may still be in SQS's window). Safe to run at any time: a change that has been
 * overtaken meanwhile is stale when it is written again. A message that is no sync change stays in the
 * DLQ and is listed with its reason. Exit codes: 0 all moved, 1 some stayed, 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describeError } from "../domain/shared/errors";
import { messageGroupId, parseSyncMessage } from "../domain/sync/sync-message";
import { runCommand } from "./operator-arguments";

const USAGE = "usage: npm run sync:redrive -- --dlq-url <url> --queue-url <url> [--region <r>] [--endpoint-url <url>]";

/**
 * Dead letters are one FIFO group: a message left in flight would hold back every one behind it, so a
 * message that is no change is moved to the back of the DLQ (with its attributes) instead, and the run
 * ends when only such messages come back.
 */
const run = async (dlqUrl: string, queueUrl: string, sqs: SQSClient): Promise<number> => {
  const kept = new Set<string>();
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0 || Messages.every((message) => kept.has(message.Body ?? ""))) break;
    for (const message of Messages) {
      const body = message.Body ?? "";
      const change = parseSyncMessage(body);
      if (change.isErr()) {
        if (!kept.has(body)) console.error(`kept ${message.MessageId}: ${describeError(change.error)}`);
        kept.add(body);
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: dlqUrl,
            MessageBody: body,
            MessageGroupId: "dead-letters",
            MessageDeduplicationId: `kept-${message.MessageId}`,
            ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
          }),
        );
      } else {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body,
            MessageGroupId: messageGroupId(change.value.key),
            MessageDeduplicationId: `redrive-${message.MessageId}`,
          }),
        );
        moved += 1;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  console.log(`${moved} changes moved back to the sync queue${kept.size > 0 ? `, ${kept.size} kept in the DLQ` : ""}`);
  return kept.size > 0 ? 1 : 0;
};

const main = async (): Promise<number> => {
  let flags: { "dlq-url"?: string; "queue-url"?: string; region?: string; "endpoint-url"?: string };
  try {
    flags = parseArgs({
      args: process.argv.slice(2),
      options: {
        "dlq-url": { type: "string" },
        "queue-url": { type: "string" },
        region: { type: "string" },
        "endpoint-url": { type: "string" },
      },
    }).values;
  } catch (thrown) {
    console.error(`sync:redrive: ${(thrown as Error).message}\n${USAGE}`);
    return 2;
  }
  const region = flags.region ?? process.env["AWS_REGION"];
  if (!flags["dlq-url"] || !flags["queue-url"] || !region) {
    console.error(`sync:redrive: --dlq-url, --queue-url and --region (or AWS_REGION) are required\n${USAGE}`);
    return 2;
  }
  const sqs = new SQSClient({ region, ...(flags["endpoint-url"] ? { endpoint: flags["endpoint-url"] } : {}) });
  try {
    return await run(flags["dlq-url"], flags["queue-url"], sqs);
  } finally {
    sqs.destroy();
  }
};

runCommand("sync:redrive", main);
