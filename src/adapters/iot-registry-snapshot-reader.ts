import {
  DescribeThingGroupCommand,
  ListThingGroupsCommand,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
  ListThingTypesCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { ResultAsync } from "neverthrow";
import { DependencyUnavailable } from "../domain/shared/errors";
import type { RegistrySnapshotReader, SnapshotPage } from "../domain/registry/registry-ports";
import type { SnapshotItem } from "../domain/registry/replica-record";

/** The listing goes type by type; the resume token says which phase and which page comes next. */
type Phase = "thingTypes" | "things" | "thingGroups";
interface Cursor {
  readonly phase: Phase;
  readonly nextToken?: string;
}
const PHASES: readonly Phase[] = ["thingTypes", "things", "thingGroups"];

const encode = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString("base64url");
const decode = (token: string | undefined): Cursor => {
  if (token === undefined) return { phase: "thingTypes" };
  const cursor = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Cursor;
  if (!PHASES.includes(cursor.phase)) throw new Error(`not a backfill resume token: ${token}`);
  return cursor;
};

/** The token for the page after this one: the next page of this phase, else the next phase, else done. */
const following = (phase: Phase, nextToken: string | undefined): string | undefined => {
  if (nextToken) return encode({ phase, nextToken });
  const next = PHASES[PHASES.indexOf(phase) + 1];
  return next ? encode({ phase: next }) : undefined;
};

/**
 * Lists a region's registry for a backfill with the registry's list APIs: things (with versions and
 * their type associations), thing types, thing groups (described one by one for parent, version and
 * attributes, with their members and place in the hierarchy). Paginated and resumable after any page.
 */
export const createIotRegistrySnapshotReader = (client: IoTClient, pageSize = 100): RegistrySnapshotReader => {
  const readThingTypes = async (nextToken?: string): Promise<SnapshotPage> => {
    const page = await client.send(new ListThingTypesCommand({ maxResults: pageSize, nextToken }));
    const items: SnapshotItem[] = (page.thingTypes ?? []).map((type) => ({
      entityType: "thingType",
      state: {
        thingTypeName: type.thingTypeName ?? "",
        thingTypeId: null,
        isDeprecated: type.thingTypeMetadata?.deprecated ?? false,
        deprecationDate: type.thingTypeMetadata?.deprecationDate?.getTime() ?? null,
        searchableAttributes: type.thingTypeProperties?.searchableAttributes ?? [],
        description: type.thingTypeProperties?.thingTypeDescription ?? null,
      },
    }));
    return { items, resumeToken: following("thingTypes", page.nextToken) };
  };

  const readThings = async (nextToken?: string): Promise<SnapshotPage> => {
    const page = await client.send(new ListThingsCommand({ maxResults: pageSize, nextToken }));
    const items = (page.things ?? []).flatMap((thing): SnapshotItem[] => [
      {
        entityType: "thing",
        state: {
          thingName: thing.thingName ?? "",
          thingId: null,
          thingTypeName: thing.thingTypeName ?? null,
          attributes: thing.attributes ?? {},
          version: thing.version ?? 0,
        },
      },
      ...(thing.thingTypeName
        ? [{ entityType: "thingTypeAssociation" as const, state: { thingName: thing.thingName ?? "", thingTypeName: thing.thingTypeName, thingId: null } }]
        : []),
    ]);
    return { items, resumeToken: following("things", page.nextToken) };
  };

  const membersOf = async (thingGroupName: string): Promise<SnapshotItem[]> => {
    const members: SnapshotItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListThingsInThingGroupCommand({ thingGroupName, recursive: false, maxResults: pageSize, nextToken }));
      for (const thingName of page.things ?? []) {
        members.push({ entityType: "thingGroupMembership", state: { thingGroupName, thingName, groupId: null, thingId: null, membershipId: null } });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return members;
  };

  const describeGroup = async (thingGroupName: string): Promise<SnapshotItem[]> => {
    const group = await client.send(new DescribeThingGroupCommand({ thingGroupName }));
    const parentGroupName = group.thingGroupMetadata?.parentGroupName ?? null;
    return [
      {
        entityType: "thingGroup",
        state: {
          thingGroupName,
          thingGroupId: group.thingGroupId ?? null,
          version: group.version ?? 0,
          parentGroupName,
          parentGroupId: null,
          description: group.thingGroupProperties?.thingGroupDescription ?? null,
          rootToParentGroupNames: (group.thingGroupMetadata?.rootToParentThingGroups ?? []).map((ancestor) => ancestor.groupName ?? ""),
          attributes: group.thingGroupProperties?.attributePayload?.attributes ?? {},
        },
      },
      ...(parentGroupName
        ? [{ entityType: "thingGroupHierarchy" as const, state: { parentGroupName, parentGroupId: null, childGroupName: thingGroupName, childGroupId: null } }]
        : []),
      ...(await membersOf(thingGroupName)),
    ];
  };

  const readThingGroups = async (nextToken?: string): Promise<SnapshotPage> => {
    const page = await client.send(new ListThingGroupsCommand({ maxResults: pageSize, nextToken }));
    const names = (page.thingGroups ?? []).flatMap((group) => (group.groupName ? [group.groupName] : []));
    const described: SnapshotItem[] = [];
    // One group at a time keeps DescribeThingGroup well under its API rate limit.
    for (const name of names) described.push(...(await describeGroup(name)));
    return { items: described, resumeToken: following("thingGroups", page.nextToken) };
  };

  const readers: Record<Phase, (nextToken?: string) => Promise<SnapshotPage>> = {
    thingTypes: readThingTypes,
    things: readThings,
    thingGroups: readThingGroups,
  };

  return {
    readPage: (resumeToken) =>
      ResultAsync.fromPromise(
        Promise.resolve().then(() => {
          const cursor = decode(resumeToken);
          return readers[cursor.phase](cursor.nextToken);
        }),
        (thrown) => new DependencyUnavailable("AWS IoT registry", thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown), thrown),
      ),
  };
};
