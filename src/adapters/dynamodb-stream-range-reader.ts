import { type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import { classifyAwsError } from "./aws-error-classification";
import { REPLICA_TABLE } from "./dynamodb-replica-items";

/** The key of one stream record: which entity, written by which source region. */
export interface StreamRecordKey {
  readonly entityKey: string;
  readonly sourceRegion: string;
}

const seq = (sequenceNumber: string | undefined): bigint => BigInt(sequenceNumber ?? "0");

/**
 * Reads back the keys of the records of one shard between two sequence numbers (both included), as
 * Lambda's OnFailure message names a discarded batch. TTL removals are skipped like the applier's
 * filter skips them. Fails (TrimmedDataAccessException, ExpiredIteratorException) once the stream's
 * 24 hours have passed: the anti-entropy `verify --repair` is then what re-applies them.
 */
export const createDynamoDbStreamRangeReader = (client: DynamoDBStreamsClient) => {
  const toDomainError = classifyAwsError("DynamoDB Streams");
  const read = async (streamArn: string, shardId: string, start: string, end: string): Promise<StreamRecordKey[]> => {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        SequenceNumber: start,
      }),
    );
    const keys: StreamRecordKey[] = [];
    let iterator = ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const records = page.Records ?? [];
      for (const record of records) {
        if (seq(record.dynamodb?.SequenceNumber) > seq(end)) return keys;
        const entityKey = record.dynamodb?.Keys?.[REPLICA_TABLE.partitionKey]?.S;
        const sourceRegion = record.dynamodb?.Keys?.[REPLICA_TABLE.sortKey]?.S;
        if (record.eventName !== "REMOVE" && entityKey && sourceRegion) keys.push({ entityKey, sourceRegion });
      }
      // An open shard answers an empty page once it is caught up: the range ends before that.
      if (records.length === 0) return keys;
      iterator = page.NextShardIterator;
    }
    return keys;
  };
  return {
    keysBetween: (streamArn: string, shardId: string, start: string, end: string): ResultAsync<StreamRecordKey[], DependencyError> =>
      ResultAsync.fromPromise(read(streamArn, shardId, start, end), toDomainError),
  };
};
