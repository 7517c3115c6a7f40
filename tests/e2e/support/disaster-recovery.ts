import { type IoTClient, UpdateEventConfigurationsCommand } from "@aws-sdk/client-iot";
import { GetThingShadowCommand, IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { type LocalCloud, replicaTableName } from "local-cloud";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import type { Entity } from "../../../src/domain/registry/entity-kinds";
import { Origin, Rank } from "../../../src/domain/registry/ordering";
import { type ReplicaRecord, snapshotToRecord } from "../../../src/domain/registry/replica-record";

/** samconfig.toml makes us-east-1 the primary; us-west-2 is the secondary these tests look at. */
export const PRIMARY = "us-east-1";
export const SECONDARY = "us-west-2";
export const WAIT_MS = 60_000;

/** The value, or "missing" when AWS says ResourceNotFoundException. */
export const missing = async <T>(call: Promise<T>): Promise<T | "missing"> => {
  try {
    return await call;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return "missing";
    throw error;
  }
};

/** What the DR end-to-end tests do to and read from the local cloud's regions. */
export const disasterRecovery = (cloud: () => LocalCloud) => {
  const iot = (region: string): IoTClient => cloud().clients(region).iot;
  const shadows = (region: string) =>
    new IoTDataPlaneClient({ region, endpoint: cloud().aws.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  return {
    iot,
    shadows,
    /** A shadow's desired and reported sections (without `delta`, which AWS computes), or "missing". */
    shadowState: async (region: string, thingName: string, shadowName?: string) => {
      const found = await missing(shadows(region).send(new GetThingShadowCommand({ thingName, shadowName })));
      if (found === "missing") return "missing";
      const { desired, reported } = (JSON.parse(new TextDecoder().decode(found.payload)) as { state: Record<string, unknown> }).state;
      return { ...(desired === undefined ? {} : { desired }), ...(reported === undefined ? {} : { reported }) };
    },
    /** Writes a primary record as the sweep does (certificates, policies and attachments have no events). */
    sweep: async (entity: Entity, ended = false): Promise<void> => {
      const now = Date.now();
      const live = snapshotToRecord(entity, now, { sourceRegion: PRIMARY, now, tombstoneTtlSeconds: 86_400 })._unsafeUnwrap();
      const record: ReplicaRecord = ended
        ? {
            ...live,
            status: "DELETED",
            fields: {},
            expiresAt: Math.floor(now / 1000) + 86_400,
            stamp: { ...live.stamp, rank: Rank.Delete },
          }
        : live;
      if (record.stamp.origin !== Origin.Snapshot) throw new Error("a swept record is a snapshot");
      const outcome = await createDynamoDbReplicaStore(cloud().clients(PRIMARY).dynamodb, replicaTableName(cloud())).putIfNewer(record);
      if (outcome.isErr() || outcome.value !== "stored") throw new Error(`the swept record was not stored: ${JSON.stringify(outcome)}`);
    },
    /** Every registry event type on in the primary, so its registry changes reach the table. */
    enableRegistryEvents: async (): Promise<void> => {
      const all = ["THING", "THING_TYPE", "THING_TYPE_ASSOCIATION", "THING_GROUP", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY"];
      await iot(PRIMARY).send(
        new UpdateEventConfigurationsCommand({ eventConfigurations: Object.fromEntries(all.map((type) => [type, { Enabled: true }])) }),
      );
    },
  };
};
