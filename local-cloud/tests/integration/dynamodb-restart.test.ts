import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { LOCAL_CREDENTIALS, useLocalAws } from "../../src/testing/local-aws-fixture";
import { eventually } from "../../src/testing/local-cloud-fixture";

const local = useLocalAws(["us-east-1", "eu-west-1"], { restartableDynamoDb: true });

/** Enough retries to ride out the seconds DynamoDB Local is away (connection errors are retried). */
const config = (region: string) => ({ region, endpoint: local.local().url, credentials: LOCAL_CREDENTIALS, maxAttempts: 30 });

describe("DynamoDB Local restarted in the middle of a run", () => {
  it("keeps tables, items, streams and global-table replication, on the same port", async () => {
    const east = new DynamoDBClient(config("us-east-1"));
    const west = new DynamoDBClient(config("eu-west-1"));
    const streams = new DynamoDBStreamsClient(config("us-east-1"));
    const { TableDescription } = await east.send(
      new CreateTableCommand({
        TableName: "fleet",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    await local.local().dynamodb.declareGlobalTable({ tableName: "fleet", regions: ["us-east-1", "eu-west-1"] });
    await east.send(new PutItemCommand({ TableName: "fleet", Item: { pk: { S: "before" } } }));
    const streamArn = TableDescription?.LatestStreamArn as string;
    const [shard] = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
    const first = await streams.send(
      new GetRecordsCommand({
        ShardIterator: (
          await streams.send(
            new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard?.ShardId, ShardIteratorType: "TRIM_HORIZON" }),
          )
        ).ShardIterator,
      }),
    );
    expect(first.Records?.map((record) => record.dynamodb?.Keys?.["pk"]?.S)).toEqual(["before"]);

    const port = local.local().dynamoDbLocal.port;
    // A call made while DynamoDB Local is away fails with a connection error and the SDK retries it.
    const during = local.local().dynamoDbLocal.restart();
    const writtenDuring = east.send(new PutItemCommand({ TableName: "fleet", Item: { pk: { S: "during" } } }));
    await during;
    await writtenDuring;
    expect(local.local().dynamoDbLocal.port).toBe(port);

    await east.send(new PutItemCommand({ TableName: "fleet", Item: { pk: { S: "after" } } }));
    expect((await east.send(new GetItemCommand({ TableName: "fleet", Key: { pk: { S: "before" } } }))).Item).toEqual({
      pk: { S: "before" },
    });
    // The iterator from before the restart still reads on (DynamoDB Local keeps it valid), in order.
    const next = await streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(next.Records?.map((record) => record.dynamodb?.Keys?.["pk"]?.S)).toEqual(["during", "after"]);
    // The replicator kept going: the other region converges on everything, before and after (on a loaded
    // machine the restarted JVM and the replicator's next cycles can take well over the default 20 s).
    for (const pk of ["before", "during", "after"])
      await eventually(
        async () => (await west.send(new GetItemCommand({ TableName: "fleet", Key: { pk: { S: pk } } }))).Item,
        (item) => item !== undefined,
        90_000,
      );
    for (const client of [east, west, streams]) client.destroy();
  }, 240_000);
});
