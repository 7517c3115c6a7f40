import { type AttributeValue, type DynamoDBClient, paginateScan } from "@aws-sdk/client-dynamodb";
import {
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DescribeThingTypeCommand,
  type IoTClient,
  paginateListThingGroups,
  paginateListThings,
  paginateListThingsInThingGroup,
  paginateListThingTypes,
} from "@aws-sdk/client-iot";
import { unmarshall } from "@aws-sdk/util-dynamodb";

/**
 * One registry, live or replicated, as comparable text: `entityType#name@region` -> the fields both
 * sides know, for every entity that exists (live) or whose record is ACTIVE (replica). A deleted entity
 * is absent on both sides, whether the replica holds its tombstone or nothing.
 */
export type RegistryView = Record<string, Record<string, unknown>>;

const orNull = (value: unknown): unknown => (value === undefined || value === "" ? null : value);
const attributes = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

const thingView = (fields: Record<string, unknown>) => ({
  ThingId: orNull(fields["ThingId"]),
  ThingTypeName: orNull(fields["ThingTypeName"]),
  Attributes: attributes(fields["Attributes"]),
  Version: fields["Version"],
});
const thingTypeView = (fields: Record<string, unknown>) => ({
  ThingTypeId: orNull(fields["ThingTypeId"]),
  IsDeprecated: fields["IsDeprecated"] === true,
});
const thingGroupView = (fields: Record<string, unknown>) => ({
  ThingGroupId: orNull(fields["ThingGroupId"]),
  Version: fields["Version"],
  ParentGroupName: orNull(fields["ParentGroupName"]),
  Attributes: attributes(fields["Attributes"]),
});

/** What the replica table (read in one region) says about the registries of `sourceRegions`. */
export const replicaView = async (dynamodb: DynamoDBClient, tableName: string, sourceRegions: readonly string[]): Promise<RegistryView> => {
  const view: RegistryView = {};
  for await (const page of paginateScan({ client: dynamodb }, { TableName: tableName, ConsistentRead: true })) {
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw as Record<string, AttributeValue>);
      const region = String(item["AWSRegion"]);
      if (!sourceRegions.includes(region) || item["Status"] !== "ACTIVE") continue;
      const key = `${item["EntityKey"]}@${region}`;
      switch (item["EntityType"]) {
        case "thing":
          view[key] = thingView(item);
          break;
        case "thingType":
          view[key] = thingTypeView(item);
          break;
        case "thingGroup":
          view[key] = thingGroupView(item);
          break;
        default:
          view[key] = {};
      }
    }
  }
  return view;
};

/** What one region's live registry says, through the IoT API (ListThings, DescribeThing, groups, types, memberships). */
export const liveView = async (iot: IoTClient, region: string): Promise<RegistryView> => {
  const view: RegistryView = {};
  for await (const page of paginateListThings({ client: iot }, {})) {
    for (const listed of page.things ?? []) {
      const thing = await iot.send(new DescribeThingCommand({ thingName: listed.thingName }));
      view[`thing#${thing.thingName}@${region}`] = thingView({
        ThingId: thing.thingId,
        ThingTypeName: thing.thingTypeName,
        Attributes: thing.attributes,
        Version: thing.version,
      });
      if (thing.thingTypeName) view[`thingTypeAssociation#${thing.thingName}#${thing.thingTypeName}@${region}`] = {};
    }
  }
  for await (const page of paginateListThingTypes({ client: iot }, {})) {
    for (const listed of page.thingTypes ?? []) {
      const type = await iot.send(new DescribeThingTypeCommand({ thingTypeName: listed.thingTypeName }));
      view[`thingType#${type.thingTypeName}@${region}`] = thingTypeView({
        ThingTypeId: type.thingTypeId,
        IsDeprecated: type.thingTypeMetadata?.deprecated,
      });
    }
  }
  for await (const page of paginateListThingGroups({ client: iot }, {})) {
    for (const listed of page.thingGroups ?? []) {
      const group = await iot.send(new DescribeThingGroupCommand({ thingGroupName: listed.groupName }));
      const parent = group.thingGroupMetadata?.parentGroupName;
      view[`thingGroup#${group.thingGroupName}@${region}`] = thingGroupView({
        ThingGroupId: group.thingGroupId,
        Version: group.version,
        ParentGroupName: parent,
        Attributes: group.thingGroupProperties?.attributePayload?.attributes,
      });
      if (parent) view[`thingGroupHierarchy#${parent}#${group.thingGroupName}@${region}`] = {};
      for await (const members of paginateListThingsInThingGroup({ client: iot }, { thingGroupName: group.thingGroupName }))
        for (const thingName of members.things ?? []) view[`thingGroupMembership#${group.thingGroupName}#${thingName}@${region}`] = {};
    }
  }
  return view;
};
