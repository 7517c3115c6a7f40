import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { createDynamoDbService, type DynamoDbService } from "../../src/dynamodb/dynamodb-service";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../src/dynamodb-local";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";

const REGIONS = ["us-east-1", "eu-west-1", "us-west-2"] as const;
let dynamoDbLocal: DynamoDbLocal;
let service: DynamoDbService;
let endpoint: LocalEndpoint;
const db: Record<string, DynamoDBClient> = {};

const client = (region: string): DynamoDBClient => {
  const existing = db[region];
  if (existing) return existing;
  const created = new DynamoDBClient({ region, endpoint: endpoint.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  db[region] = created;
  return created;
};

const createTable = (region: string, tableName: string, withStream = true) =>
  client(region).send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "kind", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: "byKind", KeySchema: [{ AttributeName: "kind", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } },
      ],
      ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } } : {}),
    }),
  );

const key = (pk: string): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: "state" } });
const getItem = async (region: string, pk: string, tableName = "fleet") =>
  (await client(region).send(new GetItemCommand({ TableName: tableName, Key: key(pk), ConsistentRead: true }))).Item;
const scanSorted = async (region: string, tableName = "fleet") => {
  const items = (await client(region).send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
  return items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort();
};
/** Every record the table's stream holds in `region`, read through the local endpoint's Streams API. */
const streamRecordCount = async (region: string, tableName = "fleet"): Promise<number> => {
  const streams = new DynamoDBStreamsClient({
    region,
    endpoint: endpoint.url,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const { Table } = await client(region).send(new DescribeTableCommand({ TableName: tableName }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
    let count = 0;
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({ StreamArn: Table?.LatestStreamArn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        count += page.Records?.length ?? 0;
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return count;
  } finally {
    streams.destroy();
  }
};

const errorName = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "no error",
    (e: Error) => e.name,
  );

beforeAll(async () => {
  dynamoDbLocal = await startDynamoDbLocal();
  service = createDynamoDbService({ dynamoDbLocalEndpoint: dynamoDbLocal.endpoint });
  endpoint = await startLocalEndpoint({ port: 0, services: [service] });
  await createTable("us-east-1", "fleet");
  await client("us-east-1").send(
    new UpdateTimeToLiveCommand({ TableName: "fleet", TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" } }),
  );
  await client("us-east-1").send(
    new PutItemCommand({ TableName: "fleet", Item: { ...key("before"), kind: { S: "thing" }, version: { N: "1" } } }),
  );
});

afterAll(async () => {
  for (const c of Object.values(db)) c.destroy();
  await endpoint?.close();
  await dynamoDbLocal?.stop();
});

describe("global tables via UpdateTable ReplicaUpdates", () => {
  it("creates replicas with the same schema, TTL and items, and answers with Replicas", async () => {
    const first = await client("us-east-1").send(
      new UpdateTableCommand({ TableName: "fleet", ReplicaUpdates: [{ Create: { RegionName: "eu-west-1" } }] }),
    );
    expect(first.TableDescription?.Replicas?.map((r) => r.RegionName)).toEqual(["eu-west-1", "us-east-1"]);
    await client("us-east-1").send(
      new UpdateTableCommand({ TableName: "fleet", ReplicaUpdates: [{ Create: { RegionName: "us-west-2" } }] }),
    );
    for (const region of REGIONS) {
      const { Table } = await client(region).send(new DescribeTableCommand({ TableName: "fleet" }));
      expect(Table?.GlobalTableVersion).toBe("2019.11.21");
      expect(Table?.Replicas).toEqual(
        REGIONS.map((r) => ({ RegionName: r, ReplicaStatus: "ACTIVE" })).sort((a, b) => a.RegionName.localeCompare(b.RegionName)),
      );
      expect(Table?.KeySchema).toEqual([
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ]);
      expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe("byKind");
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
      const ttl = await client(region).send(new DescribeTimeToLiveCommand({ TableName: "fleet" }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe("expiresAt");
      expect(await getItem(region, "before")).toEqual({ ...key("before"), kind: { S: "thing" }, version: { N: "1" } });
    }
  });

  it("refuses a table without a NEW_AND_OLD_IMAGES stream and an existing replica", async () => {
    await createTable("us-east-1", "plain", false);
    expect(
      await errorName(
        client("us-east-1").send(new UpdateTableCommand({ TableName: "plain", ReplicaUpdates: [{ Create: { RegionName: "eu-west-1" } }] })),
      ),
    ).toBe("ValidationException");
    expect(
      await errorName(
        client("us-east-1").send(new UpdateTableCommand({ TableName: "fleet", ReplicaUpdates: [{ Create: { RegionName: "eu-west-1" } }] })),
      ),
    ).toBe("ValidationException");
    expect(
      await errorName(
        client("us-east-1").send(
          new UpdateTableCommand({ TableName: "missing", ReplicaUpdates: [{ Create: { RegionName: "eu-west-1" } }] }),
        ),
      ),
    ).toBe("ResourceNotFoundException");
  });

  it("replicates a put to every region", async () => {
    await client("us-east-1").send(
      new PutItemCommand({ TableName: "fleet", Item: { ...key("thing-1"), kind: { S: "thing" }, version: { N: "1" } } }),
    );
    // How fast is the bench's concern; here only that it arrives (a loaded machine may take seconds).
    const deadline = Date.now() + 20_000;
    for (const region of ["eu-west-1", "us-west-2"]) {
      while (!(await getItem(region, "thing-1")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await getItem(region, "thing-1")).toEqual({ ...key("thing-1"), kind: { S: "thing" }, version: { N: "1" } });
    }
  });

  it("replicates updates and deletes from any region, without aws:rep attributes", async () => {
    await client("eu-west-1").send(
      new UpdateItemCommand({
        TableName: "fleet",
        Key: key("thing-1"),
        UpdateExpression: "SET version = version + :one",
        ExpressionAttributeValues: { ":one": { N: "1" } },
      }),
    );
    await service.whenReplicated();
    for (const region of REGIONS) {
      const item = await getItem(region, "thing-1");
      expect(item?.version).toEqual({ N: "2" });
      expect(Object.keys(item ?? {}).filter((name) => name.startsWith("aws:rep:"))).toEqual([]);
    }
    await client("us-west-2").send(new DeleteItemCommand({ TableName: "fleet", Key: key("thing-1") }));
    await service.whenReplicated();
    for (const region of REGIONS) expect(await getItem(region, "thing-1")).toBeUndefined();
  });

  it("converges when two regions write the same key at the same time", async () => {
    await Promise.all([
      client("us-east-1").send(new PutItemCommand({ TableName: "fleet", Item: { ...key("contested"), writer: { S: "us-east-1" } } })),
      client("eu-west-1").send(new PutItemCommand({ TableName: "fleet", Item: { ...key("contested"), writer: { S: "eu-west-1" } } })),
      client("us-west-2").send(new PutItemCommand({ TableName: "fleet", Item: { ...key("other"), writer: { S: "us-west-2" } } })),
    ]);
    await service.whenReplicated();
    const winners = await Promise.all(REGIONS.map((region) => getItem(region, "contested")));
    expect(new Set(winners.map((item) => item?.writer?.S)).size).toBe(1);
    const scans = await Promise.all(REGIONS.map((region) => scanSorted(region)));
    expect(scans[1]).toEqual(scans[0]);
    expect(scans[2]).toEqual(scans[0]);
  });

  it("converges after a random mix of writes and deletes in all regions", async () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        REGIONS.map((region) => {
          const pk = `mix-${random(4)}`;
          return random(4) === 0
            ? client(region).send(new DeleteItemCommand({ TableName: "fleet", Key: key(pk) }))
            : client(region).send(
                new PutItemCommand({ TableName: "fleet", Item: { ...key(pk), round: { N: String(round) }, by: { S: region } } }),
              );
        }),
      );
      if (round % 3 === 0) await new Promise((r) => setTimeout(r, 120));
    }
    await service.whenReplicated();
    const scans = await Promise.all(REGIONS.map((region) => scanSorted(region)));
    expect(scans[1]).toEqual(scans[0]);
    expect(scans[2]).toEqual(scans[0]);
  });

  it("does not echo: item count and versions stay put after a quiet period", async () => {
    await client("us-west-2").send(new PutItemCommand({ TableName: "fleet", Item: { ...key("steady"), version: { N: "7" } } }));
    await service.whenReplicated();
    const before = await Promise.all(REGIONS.map((region) => scanSorted(region)));
    const recordsBefore = await Promise.all(REGIONS.map((region) => streamRecordCount(region)));
    await new Promise((r) => setTimeout(r, 600));
    await service.whenReplicated();
    const after = await Promise.all(REGIONS.map((region) => scanSorted(region)));
    expect(after).toEqual(before);
    expect(await Promise.all(REGIONS.map((region) => streamRecordCount(region)))).toEqual(recordsBefore);
    for (const region of REGIONS) expect((await getItem(region, "steady"))?.version).toEqual({ N: "7" });
  });

  it("removes a replica with ReplicaUpdates Delete", async () => {
    const { TableDescription } = await client("us-east-1").send(
      new UpdateTableCommand({ TableName: "fleet", ReplicaUpdates: [{ Delete: { RegionName: "us-west-2" } }] }),
    );
    expect(TableDescription?.Replicas?.map((r) => r.RegionName)).toEqual(["eu-west-1", "us-east-1"]);
    expect((await client("us-west-2").send(new ListTablesCommand({}))).TableNames).not.toContain("fleet");
    await client("eu-west-1").send(new PutItemCommand({ TableName: "fleet", Item: { ...key("after-removal"), v: { S: "x" } } }));
    await service.whenReplicated();
    expect(await getItem("us-east-1", "after-removal")).toEqual({ ...key("after-removal"), v: { S: "x" } });
  });
});

describe("declareGlobalTable", () => {
  it("makes an existing table global across the declared regions, idempotently", async () => {
    await createTable("eu-west-1", "registry");
    await client("eu-west-1").send(new PutItemCommand({ TableName: "registry", Item: { ...key("seed"), v: { S: "1" } } }));
    await service.declareGlobalTable({ tableName: "registry", regions: ["eu-west-1", "ap-southeast-2"] });
    await service.declareGlobalTable({ tableName: "registry", regions: ["eu-west-1", "ap-southeast-2"] });
    expect(await getItem("ap-southeast-2", "seed", "registry")).toEqual({ ...key("seed"), v: { S: "1" } });
    await client("ap-southeast-2").send(new PutItemCommand({ TableName: "registry", Item: { ...key("back"), v: { S: "2" } } }));
    await service.whenReplicated();
    expect(await getItem("eu-west-1", "back", "registry")).toEqual({ ...key("back"), v: { S: "2" } });
    const { Table } = await client("ap-southeast-2").send(new DescribeTableCommand({ TableName: "registry" }));
    expect(Table?.Replicas?.map((r) => r.RegionName)).toEqual(["ap-southeast-2", "eu-west-1"]);
  });
});

describe("a global table whose first item comes after a write to another table", () => {
  it("replicates it: the replicator goes on from the shard's oldest record when DynamoDB Local reports trimmed data", async () => {
    await createTable("us-east-1", "empty-first");
    await service.declareGlobalTable({ tableName: "empty-first", regions: ["us-east-1", "eu-west-1"] });
    // A table of each region is written before the global table's first item (a checkpoint, a log).
    for (const region of ["us-east-1", "eu-west-1"]) {
      await createTable(region, "other-table", false);
      await client(region).send(new PutItemCommand({ TableName: "other-table", Item: { ...key("unrelated"), kind: { S: "note" } } }));
    }
    await client("us-east-1").send(new PutItemCommand({ TableName: "empty-first", Item: { ...key("first"), kind: { S: "thing" } } }));
    await service.whenReplicated();
    expect(await getItem("eu-west-1", "first", "empty-first")).toEqual({ ...key("first"), kind: { S: "thing" } });
  });
});
