import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateThingCommand, UpdateEventConfigurationsCommand } from "@aws-sdk/client-iot";
import { replicaTableName, startLocalCloud } from "local-cloud";
import { createDynamoDbReplicaReader } from "../src/adapters/dynamodb-replica-reader";
import { Origin } from "../src/domain/registry/ordering";
import type { ReplicaRecord } from "../src/domain/registry/replica-record";
import { percentile } from "../src/domain/verification/replication-status";
import { LOCAL_CREDENTIALS, projectRoot } from "./functions";
import type { OutputSink } from "./output-sink";
import { atMost, type BenchRow, compare } from "./results";

const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
/** IoT calls in flight at once against the primary: a fleet's steady provisioning, not a burst. */
const PARALLEL = 4;
const REGISTRY_EVENTS = ["THING", "THING_TYPE", "THING_TYPE_ASSOCIATION", "THING_GROUP", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY"];

/** The template's ReplicationLagAlarmThresholdMs default: the bound the status alarm holds the lag to. */
const LAG_ALARM_MS = 300_000;

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/**
 * Replication lag primary -> secondary on the whole local cloud (samconfig.toml: us-east-1 primary,
 * us-west-2 and eu-west-1 secondaries): `changes` things created in the primary, each a registry
 * change. For each, from the change's own timestamp: when the primary's capture stored it in the table
 * (the capture path's lag, the reference in the same run), and when the secondary's capture stored its
 * copy, i.e. after the applier created it in us-west-2's registry (the DR lag: event -> capture ->
 * global table -> stream -> applier -> secondary registry -> secondary's event -> its capture).
 */
export const benchDisasterRecovery = async (options: { changes: number; sink: OutputSink }): Promise<BenchRow[]> => {
  const cloud = await startLocalCloud({
    projectRoot,
    port: 0,
    mqttBasePort: 0,
    mqttTlsBasePort: 0,
    parameterOverrides: { LogLevel: "WARN" },
    log: () => undefined,
    functionOutput: (chunk) => options.sink.write(chunk),
  });
  const dynamodb = new DynamoDBClient({ region: SECONDARY, endpoint: cloud.aws.url, credentials: LOCAL_CREDENTIALS });
  try {
    for (const region of [PRIMARY, SECONDARY])
      await cloud.clients(region).iot.send(
        new UpdateEventConfigurationsCommand({
          eventConfigurations: Object.fromEntries(REGISTRY_EVENTS.map((type) => [type, { Enabled: true }])),
        }),
      );
    const iot = cloud.clients(PRIMARY).iot;
    const startedAt = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < options.changes) {
          const index = next++;
          await iot.send(
            new CreateThingCommand({ thingName: `bench-dr-${index}`, attributePayload: { attributes: { index: String(index) } } }),
          );
        }
      }),
    );
    const madeInS = ((Date.now() - startedAt) / 1000).toFixed(0);
    const reader = createDynamoDbReplicaReader(dynamodb, replicaTableName(cloud));
    const ours = (records: readonly ReplicaRecord[]) => records.filter((record) => record.entityName.startsWith("bench-dr-"));
    const deadline = Date.now() + 600_000;
    let primary: ReplicaRecord[] = [];
    let secondary: ReplicaRecord[] = [];
    while (Date.now() < deadline) {
      const records = (await reader.recordsOfKind("thing", [PRIMARY, SECONDARY]))._unsafeUnwrap();
      primary = ours(records.filter((record) => record.sourceRegion === PRIMARY && record.stamp.origin === Origin.Event));
      secondary = ours(records.filter((record) => record.sourceRegion === SECONDARY));
      if (primary.length === options.changes && secondary.length === options.changes) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (secondary.length < options.changes)
      throw new Error(`dr: ${secondary.length} of ${options.changes} changes reached ${SECONDARY} within 10 minutes`);
    const changedAt = new Map(primary.map((record) => [record.entityName, record.stamp.timestamp]));
    const captureLag = sorted(primary.map((record) => record.capturedAt - record.stamp.timestamp));
    const drLag = sorted(secondary.map((record) => record.capturedAt - (changedAt.get(record.entityName) ?? record.capturedAt)));
    const rows: BenchRow[] = [];
    const changes = `${options.changes} registry changes made in ${madeInS} s, applied and captured there`;
    for (const p of [50, 99])
      rows.push(
        compare({
          figure: `DR replication lag ${PRIMARY} -> ${SECONDARY} p${p} (${changes})`,
          unit: "ms",
          value: percentile(drLag, p) ?? 0,
          against: `the primary's own capture lag p${p} (event -> table), same run`,
          reference: Math.max(1, percentile(captureLag, p) ?? 0),
        }),
      );
    rows.push(
      compare({
        figure: `DR replication lag ${PRIMARY} -> ${SECONDARY} p99 (${changes})`,
        unit: "ms",
        value: percentile(drLag, 99) ?? 0,
        against: "the lag alarm's threshold (ReplicationLagAlarmThresholdMs default, the sweep's 5-minute bound)",
        reference: LAG_ALARM_MS,
        target: atMost(1),
      }),
    );
    return rows;
  } finally {
    dynamodb.destroy();
    await cloud.close();
  }
};
