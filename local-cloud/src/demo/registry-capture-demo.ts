import { QueryCommand } from "@aws-sdk/client-dynamodb";
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  UpdateEventConfigurationsCommand,
} from "@aws-sdk/client-iot";
import type { LocalCloud } from "../local-cloud";

const REGISTRY_EVENT_TYPES = [
  "THING",
  "THING_TYPE",
  "THING_TYPE_ASSOCIATION",
  "THING_GROUP",
  "THING_GROUP_MEMBERSHIP",
  "THING_GROUP_HIERARCHY",
];

/** The name of the aggregated replica table as deployed (the global table resource of the creating region). */
export const replicaTableName = (cloud: LocalCloud): string => {
  for (const deployed of cloud.regions.values()) {
    for (const resource of deployed.resources.values()) if (resource.type === "AWS::DynamoDB::GlobalTable") return resource.physicalId;
  }
  throw new Error("no region of samconfig.toml creates the global table (CreateGlobalTable=true)");
};

/** Things whose name starts with `prefix`, in every source region, read from one region's replica. */
export const thingsInReplica = async (cloud: LocalCloud, region: string, prefix: string): Promise<string[]> => {
  const { Items = [] } = await cloud.clients(region).dynamodb.send(
    new QueryCommand({
      TableName: replicaTableName(cloud),
      IndexName: "ByEntityType",
      KeyConditionExpression: "EntityType = :thing AND begins_with(NameRegion, :prefix)",
      FilterExpression: "#status = :active",
      ExpressionAttributeNames: { "#status": "Status" },
      ExpressionAttributeValues: { ":thing": { S: "thing" }, ":prefix": { S: prefix }, ":active": { S: "ACTIVE" } },
    }),
  );
  return Items.map((item) => `${item["ThingName"]?.S}@${item["AWSRegion"]?.S}`).sort();
};

/** Polls until `condition` holds; resolves with the time since `since`. */
const waitFor = async (condition: () => Promise<boolean>, since: number, timeoutMs: number): Promise<number> => {
  while (Date.now() - since < timeoutMs) {
    if (await condition()) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not seen within ${timeoutMs} ms`);
};

/**
 * The registry-capture demo of `npm start`: turns registry events on, changes the registry in two
 * regions through the IoT API, and shows the changes arriving in the aggregated table of every region
 * (IoT registry event -> broker -> topic rule -> SQS -> capture function -> global table -> replicas).
 */
export const runRegistryCaptureDemo = async (cloud: LocalCloud, print: (line: string) => void): Promise<void> => {
  const regions = cloud.envs.map((env) => env.region);
  const [home, away] = [regions[0] as string, regions[1] ?? (regions[0] as string)];
  print("demo: registry capture");
  for (const region of regions) {
    await cloud.clients(region).iot.send(
      new UpdateEventConfigurationsCommand({
        eventConfigurations: Object.fromEntries(REGISTRY_EVENT_TYPES.map((type) => [type, { Enabled: true }])),
      }),
    );
  }
  print(`  registry events enabled in ${regions.join(", ")}`);
  const iotHome = cloud.clients(home).iot;
  await iotHome.send(
    new CreateThingTypeCommand({ thingTypeName: "LightBulb", thingTypeProperties: { thingTypeDescription: "Smart light bulbs" } }),
  );
  await iotHome.send(
    new CreateThingCommand({ thingName: "MyLightBulb5", thingTypeName: "LightBulb", attributePayload: { attributes: { wattage: "60" } } }),
  );
  await iotHome.send(new CreateThingGroupCommand({ thingGroupName: "Kitchen" }));
  await iotHome.send(new AddThingToThingGroupCommand({ thingGroupName: "Kitchen", thingName: "MyLightBulb5" }));
  print(`  ${home}: created thing type LightBulb, thing MyLightBulb5 and group Kitchen (with MyLightBulb5)`);
  await cloud.clients(away).iot.send(new CreateThingCommand({ thingName: "MyLightBulb6" }));
  const changedAt = Date.now();
  print(`  ${away}: created thing MyLightBulb6`);
  const expected = [`MyLightBulb5@${home}`, ...(away !== home ? [`MyLightBulb6@${away}`] : [])].sort();
  for (const region of regions) {
    const elapsed = await waitFor(
      // With disaster recovery on, secondaries also hold (and capture under their own region) the primary's things.
      async () => {
        const listed = await thingsInReplica(cloud, region, "MyLightBulb");
        return expected.every((entry) => listed.includes(entry));
      },
      changedAt,
      20_000,
    );
    print(`  ${region} aggregated table lists ${expected.join(", ")} (${elapsed} ms after the last change)`);
  }
};
