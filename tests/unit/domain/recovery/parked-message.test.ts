import { entityMessage, parseParkedMessage } from "../../../../src/domain/recovery/parked-message";

describe("what waits in the applier's dead-letter queue", () => {
  it("reads back an entity the applier parked", () => {
    const body = entityMessage({ entityType: "thingGroupMembership", entityName: "floor#lamp" });
    expect(parseParkedMessage(body)._unsafeUnwrap()).toEqual({
      kind: "entity",
      ref: { entityType: "thingGroupMembership", entityName: "floor#lamp" },
    });
  });

  it("reads the shard and sequence range of Lambda's OnFailure message for a stream batch", () => {
    const body = JSON.stringify({
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 11 },
      DDBStreamBatchInfo: {
        shardId: "shardId-00000001",
        startSequenceNumber: "100",
        endSequenceNumber: "205",
        batchSize: 3,
        streamArn: "arn:aws:dynamodb:us-west-2:000000000000:table/T/stream/2026-11-23T00:00:00.000",
      },
    });
    expect(parseParkedMessage(body)._unsafeUnwrap()).toEqual({
      kind: "streamRange",
      streamArn: "arn:aws:dynamodb:us-west-2:000000000000:table/T/stream/2026-11-23T00:00:00.000",
      shardId: "shardId-00000001",
      startSequenceNumber: "100",
      endSequenceNumber: "205",
    });
  });

  it("says in one line what is wrong with anything else", () => {
    expect(parseParkedMessage("not json")._unsafeUnwrapErr().message).toBe("the message body is not JSON");
    expect(parseParkedMessage(JSON.stringify({ entityKey: "gadget#x" }))._unsafeUnwrapErr().message).toBe(
      'entityKey: is not {entityType}#{entityName} of a known kind: "gadget#x"',
    );
    expect(parseParkedMessage(JSON.stringify({ DDBStreamBatchInfo: { shardId: "s" } }))._unsafeUnwrapErr().message).toBe(
      "streamArn: is missing",
    );
    expect(parseParkedMessage(JSON.stringify({ hello: 1 }))._unsafeUnwrapErr().message).toBe(
      "DDBStreamBatchInfo: is neither an entity the applier parked nor a stream batch",
    );
  });
});
