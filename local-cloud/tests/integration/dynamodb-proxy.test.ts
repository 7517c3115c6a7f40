import {
  CreateGlobalTableCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { createDynamoDbService } from "../../src/dynamodb/dynamodb-service";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../src/dynamodb-local";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";

let dynamoDbLocal: DynamoDbLocal;
let endpoint: LocalEndpoint;
const clients: { destroy(): void }[] = [];

const tablesClient = (region: string, accessKeyId = "local"): DynamoDBClient => {
  const client = new DynamoDBClient({ region, endpoint: endpoint.url, credentials: { accessKeyId, secretAccessKey: "local" } });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  dynamoDbLocal = await startDynamoDbLocal();
  endpoint = await startLocalEndpoint({ port: 0, services: [createDynamoDbService({ dynamoDbLocalEndpoint: dynamoDbLocal.endpoint })] });
  await tablesClient("us-east-1").send(
    new CreateTableCommand({
      TableName: "devices",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await endpoint?.close();
  await dynamoDbLocal?.stop();
});

describe("DynamoDB through the local endpoint", () => {
  it("lets every access key see the same tables and items of a region", async () => {
    await tablesClient("us-east-1", "AKIAFIRST").send(
      new PutItemCommand({ TableName: "devices", Item: { pk: { S: "thing-1" }, colour: { S: "red" } } }),
    );
    const seen = await tablesClient("us-east-1", "AKIASECOND").send(
      new GetItemCommand({ TableName: "devices", Key: { pk: { S: "thing-1" } } }),
    );
    expect(seen.Item).toEqual({ pk: { S: "thing-1" }, colour: { S: "red" } });
  });

  it("keeps regions apart", async () => {
    const eu = await tablesClient("eu-west-1").send(new ListTablesCommand({}));
    expect(eu.TableNames).not.toContain("devices");
    const error = await tablesClient("eu-west-1")
      .send(new GetItemCommand({ TableName: "devices", Key: { pk: { S: "thing-1" } } }))
      .catch((e: Error) => e);
    expect((error as Error).name).toBe("ResourceNotFoundException");
  });

  it("shows the caller's region in ARNs, not DynamoDB Local's placeholder", async () => {
    const { Table } = await tablesClient("us-east-1").send(new DescribeTableCommand({ TableName: "devices" }));
    expect(Table?.TableArn).toBe("arn:aws:dynamodb:us-east-1:000000000000:table/devices");
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/devices\/stream\//);
    expect(Table?.Replicas).toBeUndefined();
  });

  it("serves the DynamoDB Streams API", async () => {
    const streams = new DynamoDBStreamsClient({
      region: "us-east-1",
      endpoint: endpoint.url,
      credentials: { accessKeyId: "other", secretAccessKey: "x" },
    });
    clients.push(streams);
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: "devices" }));
    const streamArn = Streams?.[0]?.StreamArn;
    expect(streamArn).toMatch(/^arn:aws:dynamodb:us-east-1:/);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }),
    );
    await tablesClient("us-east-1").send(
      new UpdateItemCommand({
        TableName: "devices",
        Key: { pk: { S: "thing-1" } },
        UpdateExpression: "SET colour = :c",
        ExpressionAttributeValues: { ":c": { S: "blue" } },
      }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records?.map((r) => r.eventName)).toEqual(["INSERT", "MODIFY"]);
    expect(Records?.[1]?.awsRegion).toBe("us-east-1");
    expect(Records?.[1]?.dynamodb?.NewImage).toEqual({ pk: { S: "thing-1" }, colour: { S: "blue" } });
  });

  it("names the operation when a client uses the 2017 global tables API", async () => {
    const error = await tablesClient("us-east-1")
      .send(new CreateGlobalTableCommand({ GlobalTableName: "devices", ReplicationGroup: [{ RegionName: "us-east-1" }] }))
      .catch((e: Error) => e);
    expect((error as Error).name).toBe("NotImplementedException");
    expect((error as Error).message).toContain("CreateGlobalTable");
  });
});
