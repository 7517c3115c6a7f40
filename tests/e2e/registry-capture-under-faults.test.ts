import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteThingCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  IoTClient,
  RemoveThingFromThingGroupCommand,
  UpdateEventConfigurationsCommand,
  UpdateThingCommand,
  UpdateThingGroupCommand,
} from "@aws-sdk/client-iot";
import { SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { replicaTableName } from "local-cloud";
import { eventually, seededRandom, useLocalCloud } from "local-cloud/testing";
import { liveView, type RegistryView, replicaView } from "./support/registry-views";

const SOURCES = ["us-east-1", "eu-west-1"];
const READER = "us-west-2";
const SEED = 7;
const FAULTS = {
  seed: SEED,
  duplicate: 0.25,
  reorderMs: 300,
  throttle: SOURCES.flatMap((region) => [
    { service: "iot", region, operation: "*", probability: 0.1 },
    { service: "dynamodb", region, operation: "PutItem", probability: 0.05 },
  ]),
  crash: 0.2,
};
const OPERATIONS_PER_REGION = 50;
const THINGS = ["Th0", "Th1", "Th2", "Th3", "Th4", "Th5"];
const GROUPS = ["Fleet", "FleetEu", "FleetEuNorth"];
const TYPES = ["Bulb", "Plug"];

// Capture only: disaster recovery (the applier in the secondaries) has its own end-to-end test.
const local = useLocalCloud({ parameterOverrides: { PrimaryRegion: "" } });

/** A client that rides out throttling as an operator's would: the SDK's retries with backoff. */
const iotIn = (region: string): IoTClient =>
  new IoTClient({
    region,
    endpoint: local.cloud().aws.url,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 10,
  });

const putFaults = async (rules: unknown): Promise<void> => {
  const response = await fetch(`${local.cloud().aws.url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) });
  if (response.status !== 200) throw new Error(`PUT /_local/faults: ${response.status} ${await response.text()}`);
};

/**
 * A seeded random sequence of registry changes in one region: things with attributes and types,
 * deletes and re-creates, type changes, a type deprecated, restored, deleted and re-created, nested
 * group attributes, memberships added and removed. The model of what exists keeps every call valid.
 */
const runWorkload = async (iot: IoTClient, random: () => number): Promise<void> => {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const attributes = () => ({ color: pick(["red", "green", "blue"]), floor: String(Math.floor(random() * 5)) });
  const existing = new Set<string>();
  const members = new Set<string>();
  let scratchType: "active" | "deprecated" | "absent" = "absent";
  for (const type of TYPES) await iot.send(new CreateThingTypeCommand({ thingTypeName: type }));
  let parent: string | undefined;
  for (const group of GROUPS) {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: group, ...(parent ? { parentGroupName: parent } : {}) }));
    parent = group;
  }
  for (let step = 0; step < OPERATIONS_PER_REGION; step += 1) {
    const thing = pick(THINGS);
    const roll = random();
    if (!existing.has(thing)) {
      await iot.send(
        new CreateThingCommand({
          thingName: thing,
          attributePayload: { attributes: attributes() },
          ...(random() < 0.5 ? { thingTypeName: pick(TYPES) } : {}),
        }),
      );
      existing.add(thing);
    } else if (roll < 0.3) {
      await iot.send(new UpdateThingCommand({ thingName: thing, attributePayload: { attributes: attributes(), merge: random() < 0.5 } }));
    } else if (roll < 0.4) {
      await iot.send(
        new UpdateThingCommand(
          random() < 0.5 ? { thingName: thing, removeThingType: true } : { thingName: thing, thingTypeName: pick(TYPES) },
        ),
      );
    } else if (roll < 0.55) {
      await iot.send(new DeleteThingCommand({ thingName: thing }));
      existing.delete(thing);
      for (const group of GROUPS) members.delete(`${group}#${thing}`);
    } else if (roll < 0.75) {
      const group = pick(GROUPS);
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: thing }));
      members.add(`${group}#${thing}`);
    } else if (roll < 0.85) {
      const group = pick(GROUPS);
      if (members.has(`${group}#${thing}`)) {
        await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: group, thingName: thing }));
        members.delete(`${group}#${thing}`);
      }
    } else if (roll < 0.93) {
      await iot.send(
        new UpdateThingGroupCommand({
          thingGroupName: pick(GROUPS),
          thingGroupProperties: { attributePayload: { attributes: attributes() } },
        }),
      );
    } else if (scratchType === "absent") {
      await iot.send(new CreateThingTypeCommand({ thingTypeName: "Scratch" }));
      scratchType = "active";
    } else if (scratchType === "active") {
      await iot.send(new DeprecateThingTypeCommand({ thingTypeName: "Scratch" }));
      scratchType = "deprecated";
    } else if (random() < 0.5) {
      await iot.send(new DeprecateThingTypeCommand({ thingTypeName: "Scratch", undoDeprecate: true }));
      scratchType = "active";
    } else {
      await iot.send(new DeleteThingTypeCommand({ thingTypeName: "Scratch" }));
      scratchType = "absent";
    }
  }
};

const FAULT_KINDS = ["duplicate", "reorder", "throttle", "crash"];

const faultReport = async () =>
  (await (await fetch(`${local.cloud().aws.url}/_local/faults`)).json()) as {
    injected: Record<string, number>;
    detail: Record<string, number>;
  };

const unfiredKinds = async (): Promise<string[]> => {
  const { injected } = await faultReport();
  return FAULT_KINDS.filter((kind) => (injected[kind] ?? 0) === 0);
};

/** Keys on which the two views disagree, with both sides, for a failure message that explains itself. */
const differences = (live: RegistryView, replica: RegistryView) =>
  [...new Set([...Object.keys(live), ...Object.keys(replica)])]
    .filter((key) => JSON.stringify(live[key]) !== JSON.stringify(replica[key]))
    .sort()
    .map((key) => ({ key, live: live[key] ?? "absent", replica: replica[key] ?? "absent" }));

beforeAll(async () => {
  for (const region of SOURCES) {
    await local
      .cloud()
      .clients(region)
      .iot.send(
        new UpdateEventConfigurationsCommand({
          eventConfigurations: Object.fromEntries(
            ["THING", "THING_TYPE", "THING_TYPE_ASSOCIATION", "THING_GROUP", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY"].map(
              (type) => [type, { Enabled: true }],
            ),
          ),
        }),
      );
    // The template's 180 s visibility timeout (6x the function timeout, as AWS advises) would make a
    // crashed batch wait 3 minutes to come back; an operator may shorten it, and so does this test.
    await local
      .cloud()
      .clients(region)
      .sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: local.cloud().regions.get(region)?.resources.get("RegistryEventsQueue")?.physicalId,
          Attributes: { VisibilityTimeout: "2" },
        }),
      );
  }
});

describe("registry capture under faults (duplicates, reordering, throttling, crashes)", () => {
  it("converges: the replica read in a third region equals both live registries exactly", async () => {
    const startedAt = Date.now();
    await putFaults(FAULTS);
    const clients = SOURCES.map(iotIn);
    await Promise.all(clients.map((iot, index) => runWorkload(iot, seededRandom(SEED + index))));
    // A short run may leave a rare fault unfired (a crash is drawn once per invocation): a few more group
    // updates, each an event through the whole path, until every kind has fired (bounded).
    for (let extra = 0; extra < 40 && (await unfiredKinds()).length > 0; extra += 1) {
      await clients[0]?.send(
        new UpdateThingGroupCommand({
          thingGroupName: "Fleet",
          thingGroupProperties: { attributePayload: { attributes: { round: String(extra) } } },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const iot of clients) iot.destroy();
    const workloadMs = Date.now() - startedAt;
    await putFaults({});
    const live: RegistryView = {};
    for (const region of SOURCES) Object.assign(live, await liveView(local.cloud().clients(region).iot, region));
    const table = replicaTableName(local.cloud());
    const reader = local.cloud().clients(READER).dynamodb;
    const diff = await eventually(
      async () => differences(live, await replicaView(reader, table, SOURCES)),
      (found) => found.length === 0,
      40_000,
    ).catch((error: Error) => error.message);
    expect(diff).toEqual([]);
    const report = await faultReport();
    for (const kind of FAULT_KINDS) expect({ kind, fired: (report.injected[kind] ?? 0) > 0 }).toEqual({ kind, fired: true });
    for (const where of [
      "duplicate/registry-event",
      "duplicate/topic-rule",
      "duplicate/sqs",
      "throttle/iot/us-east-1",
      "throttle/iot/eu-west-1",
    ])
      expect({ where, fired: (report.detail[where] ?? 0) > 0 }).toEqual({ where, fired: true });
    const deadLettered = local.activity.filter((line) => line.includes("dead-letter"));
    console.log(
      `capture under faults: ${Object.keys(live).length} live entities, workload ${workloadMs} ms, converged ${Date.now() - startedAt} ms after start; injected ${JSON.stringify(report.injected)}; ${deadLettered.length} dead-letter lines`,
    );
  });
});
