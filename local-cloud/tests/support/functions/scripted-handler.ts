/**
 * A Lambda handler whose behaviour the test data decides, to exercise event source mappings:
 * SQS bodies `{"fail":true}` are reported as batch item failures, `{"throw":true}` fails the whole
 * invocation; a stream record whose NewImage has `poison: true` throws, or (MODE=report) is reported
 * as the batch item failure.
 */
interface AnyRecord {
  eventSource: string;
  messageId?: string;
  body?: string;
  dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, { BOOL?: boolean; S?: string }> };
}

export const handler = async (event: { Records: AnyRecord[] }): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  if (event.Records[0]?.eventSource === "aws:sqs") {
    const bodies = event.Records.map((record) => JSON.parse(record.body ?? "{}") as { fail?: boolean; throw?: boolean });
    if (bodies.some((body) => body.throw)) throw new Error("scripted failure");
    return {
      batchItemFailures: event.Records.filter((_record, i) => bodies[i]?.fail).map((record) => ({
        itemIdentifier: record.messageId ?? "",
      })),
    };
  }
  const poison = event.Records.find((record) => record.dynamodb?.NewImage?.["poison"]?.BOOL === true);
  if (!poison) return { batchItemFailures: [] };
  if (process.env["MODE"] === "report") return { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? "" }] };
  throw new Error(`poison record ${poison.dynamodb?.NewImage?.["k"]?.S}`);
};
