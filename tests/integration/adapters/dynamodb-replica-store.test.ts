import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { useDynamoDbLocal } from "local-cloud/testing";
import { itemToRecord, REPLICA_TABLE } from "../../../src/adapters/dynamodb-replica-items";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import { isNewerThan, type OrderingStamp, Origin, Rank, SHADOW_VERSION_MEMORY_MS } from "../../../src/domain/registry/ordering";
import { entityKey, type ReplicaRecord } from "../../../src/domain/registry/replica-record";
import { createReplicaTable } from "../../support/replica-table";

const dynamo = useDynamoDbLocal();
const TABLE = "RegistryReplica";
let client: DynamoDBClient;

beforeAll(async () => {
  client = dynamo.client();
  await createReplicaTable(client, TABLE);
});

let entityCounter = 0;
const record = (entityName: string, stamp: OrderingStamp, fields: Record<string, unknown> = {}): ReplicaRecord => ({
  entityType: "thing",
  entityName,
  sourceRegion: "us-east-1",
  status: stamp.rank === Rank.Delete ? "DELETED" : "ACTIVE",
  stamp,
  capturedAt: 1_000,
  ...(stamp.rank === Rank.Delete ? { expiresAt: 2_000 } : {}),
  fields: { ThingName: entityName, ...fields },
});

const stored = async (entityName: string): Promise<ReplicaRecord | undefined> => {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: TABLE,
      Key: { [REPLICA_TABLE.partitionKey]: { S: entityKey("thing", entityName) }, [REPLICA_TABLE.sortKey]: { S: "us-east-1" } },
    }),
  );
  return Item ? itemToRecord(unmarshall(Item)) : undefined;
};

/**
 * Stamps of every shape: with an incarnation (things, groups), versions only (shadows) or neither,
 * with timestamps that fall just inside, exactly on and just outside the shadows' 48-hour window.
 */
const stampArbitrary: fc.Arbitrary<OrderingStamp> = fc.record(
  {
    origin: fc.constantFrom(Origin.Snapshot, Origin.Event),
    sequence: fc.oneof(
      fc.record({ incarnation: fc.constantFrom("A", "B"), version: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ version: fc.integer({ min: 1, max: 3 }) }),
    ),
    rank: fc.constantFrom(Rank.Change, Rank.Delete),
    timestamp: fc.oneof(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }).map((t) => t + SHADOW_VERSION_MEMORY_MS),
    ),
    eventId: fc.constantFrom("a", "b"),
  },
  { requiredKeys: ["origin", "rank", "timestamp", "eventId"] },
);

describe("DynamoDB replica store (DynamoDB Local)", () => {
  it("applies the first write and reads it back unchanged", async () => {
    const first = record(
      "bulb-1",
      { origin: Origin.Event, sequence: { incarnation: "A", version: 1 }, rank: Rank.Change, timestamp: 10, eventId: "e1" },
      { Attributes: { color: "red" } },
    );
    const store = createDynamoDbReplicaStore(client, TABLE);
    expect((await store.putIfNewer(first))._unsafeUnwrap()).toBe("stored");
    expect(await stored("bulb-1")).toEqual(first);
  });

  it("treats a stale or duplicate write as a successful no-op that changes nothing", async () => {
    const store = createDynamoDbReplicaStore(client, TABLE);
    const v2 = record(
      "bulb-2",
      { origin: Origin.Event, sequence: { incarnation: "A", version: 2 }, rank: Rank.Change, timestamp: 20, eventId: "e2" },
      { Attributes: { color: "v2" } },
    );
    const v1 = record(
      "bulb-2",
      { origin: Origin.Event, sequence: { incarnation: "A", version: 1 }, rank: Rank.Change, timestamp: 30, eventId: "e1" },
      { Attributes: { color: "v1" } },
    );
    expect((await store.putIfNewer(v2))._unsafeUnwrap()).toBe("stored");
    expect((await store.putIfNewer(v1))._unsafeUnwrap()).toBe("stale");
    expect((await store.putIfNewer(v2))._unsafeUnwrap()).toBe("stale");
    expect((await stored("bulb-2"))?.fields["Attributes"]).toEqual({ color: "v2" });
  });

  it("writes tombstones with the TTL attribute and clears it when the entity comes back", async () => {
    const store = createDynamoDbReplicaStore(client, TABLE);
    const tombstone = record("bulb-3", {
      origin: Origin.Event,
      sequence: { incarnation: "A", version: 1 },
      rank: Rank.Delete,
      timestamp: 40,
      eventId: "d",
    });
    await store.putIfNewer(tombstone);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { EntityKey: { S: "thing#bulb-3" }, AWSRegion: { S: "us-east-1" } } }),
    );
    expect(Item?.[REPLICA_TABLE.ttlAttribute]).toEqual({ N: "2000" });
    expect(Item?.["Status"]).toEqual({ S: "DELETED" });
    const recreated = record("bulb-3", {
      origin: Origin.Event,
      sequence: { incarnation: "B", version: 1 },
      rank: Rank.Change,
      timestamp: 41,
      eventId: "c",
    });
    expect((await store.putIfNewer(recreated))._unsafeUnwrap()).toBe("stored");
    expect((await stored("bulb-3"))?.expiresAt).toBeUndefined();
  });

  it("reports a table that does not exist as a retryable dependency failure", async () => {
    const store = createDynamoDbReplicaStore(client, "NoSuchTable");
    const result = await store.putIfNewer(record("bulb-4", { origin: Origin.Event, rank: Rank.Change, timestamp: 1, eventId: "x" }));
    expect(result._unsafeUnwrapErr().kind).toBe("DependencyUnavailable");
  });

  it("reports an item DynamoDB refuses (over 400 KB) as a permanent rejection", async () => {
    const store = createDynamoDbReplicaStore(client, TABLE);
    const result = await store.putIfNewer(
      record("bulb-5", { origin: Origin.Event, rank: Rank.Change, timestamp: 1, eventId: "x" }, { Blob: "x".repeat(410 * 1024) }),
    );
    expect(result._unsafeUnwrapErr().kind).toBe("DependencyRejected");
  });

  it("agrees with isNewerThan for every pair of stamps: the condition expression is the ordering rule", async () => {
    const store = createDynamoDbReplicaStore(client, TABLE);
    await fc.assert(
      fc.asyncProperty(stampArbitrary, stampArbitrary, async (current, candidate) => {
        const name = `pair-${++entityCounter}`;
        await store.putIfNewer(record(name, current));
        const outcome = (await store.putIfNewer(record(name, candidate)))._unsafeUnwrap();
        expect(outcome).toBe(isNewerThan(candidate, current) ? "stored" : "stale");
      }),
      { numRuns: 300 },
    );
    // jest.config.js's per-project testTimeout does not apply (Jest reads it from the global config only).
  }, 60_000);
});
