import {
  DescribeThingGroupCommand,
  type IoTClient,
  ListThingGroupsCommand,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
  ListThingTypesCommand,
} from "@aws-sdk/client-iot";
import { err, errAsync, ok, type Result, ResultAsync } from "neverthrow";
import type { RegistrySnapshotReader, SnapshotPage } from "../domain/registry/registry-ports";
import type { SnapshotItem } from "../domain/registry/replica-record";
import { InvalidEvent } from "../domain/shared/errors";
import { classifyAwsError } from "./aws-error-classification";

/** The listing goes type by type; the resume token says which phase and which page comes next. */
type Phase = "thingTypes" | "things" | "thingGroups";
interface Cursor {
  readonly phase: Phase;
  readonly nextToken?: string;
}
const PHASES: readonly Phase[] = ["thingTypes", "things", "thingGroups"];

const encode = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString("base64url");

/** A token this reader issued, or an InvalidEvent that names the token: resuming from it can never work. */
const decode = (token: string | undefined): Result<Cursor, InvalidEvent> => {
  if (token === undefined) return ok({ phase: "thingTypes" });
  const invalid = new InvalidEvent(`${JSON.stringify(token)} is not a resume token of this backfill`, "resumeToken");
  try {
    const cursor: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof cursor !== "object" || cursor === null) return err(invalid);
    const { phase, nextToken } = cursor as Record<string, unknown>;
    if (!PHASES.includes(phase as Phase) || (nextToken !== undefined && typeof nextToken !== "string")) return err(invalid);
    return ok({ phase: phase as Phase, ...(nextToken !== undefined ? { nextToken: nextToken as string } : {}) });
  } catch {
    return err(invalid);
  }
};

/** The token for the page after this one: the next page of this phase, else the next phase, else done. */
const following = (phase: Phase, nextToken: string | undefined): string | undefined => {
  if (nextToken) return encode({ phase, nextToken });
  const next = PHASES[PHASES.indexOf(phase) + 1];
  return next ? encode({ phase: next }) : undefined;
};

type Listed = Result<SnapshotItem, InvalidEvent>;

/** Listings name a group's parent but give neither end's id (only events do). */
const hierarchy = (parentGroupName: string, childGroupName: string) => ({
  parentGroupName,
  parentGroupId: null,
  childGroupName,
  childGroupId: null,
});

/** A name the listing must carry: without it there is no record to write (never one keyed `thing#`). */
const named = (name: string | undefined, field: string, listing: string): Result<string, InvalidEvent> =>
  name ? ok(name) : err(new InvalidEvent(`is missing from an item of ${listing}`, field));

/**
 * Lists a region's registry for a backfill with the registry's list APIs: things (with versions and
 * their type associations), thing types, thing groups (described one by one for parent, version and
 * attributes, with their members and place in the hierarchy). Paginated and resumable after any page.
 */
export const createIotRegistrySnapshotReader = (client: IoTClient, pageSize = 100): RegistrySnapshotReader => {
  const readThingTypes = async (nextToken?: string): Promise<SnapshotPage> => {
    const page = await client.send(new ListThingTypesCommand({ maxResults: pageSize, nextToken }));
    const items = (page.thingTypes ?? []).map(
      (type): Listed =>
        named(type.thingTypeName, "thingTypeName", "ListThingTypes").map((thingTypeName) => ({
          entityType: "thingType",
          state: {
            thingTypeName,
            thingTypeId: null,
            isDeprecated: type.thingTypeMetadata?.deprecated ?? false,
            deprecationDate: type.thingTypeMetadata?.deprecationDate?.getTime() ?? null,
            searchableAttributes: type.thingTypeProperties?.searchableAttributes ?? [],
            description: type.thingTypeProperties?.thingTypeDescription ?? null,
          },
        })),
    );
    return { items, resumeToken: following("thingTypes", page.nextToken) };
  };

  const readThings = async (nextToken?: string): Promise<SnapshotPage> => {
    const page = await client.send(new ListThingsCommand({ maxResults: pageSize, nextToken }));
    const items = (page.things ?? []).flatMap((thing): Listed[] => {
      const thingName = named(thing.thingName, "thingName", "ListThings");
      if (thingName.isErr()) return [err(thingName.error)];
      const { thingTypeName, attributes = {}, version = 0 } = thing;
      const state = { thingName: thingName.value, thingId: null, thingTypeName: thingTypeName ?? null, attributes, version };
      const listed: Listed = ok({ entityType: "thing", state });
      if (!thingTypeName) return [listed];
      return [listed, ok({ entityType: "thingTypeAssociation", state: { thingName: thingName.value, thingTypeName, thingId: null } })];
    });
    return { items, resumeToken: following("things", page.nextToken) };
  };

  const membersOf = async (thingGroupName: string): Promise<Listed[]> => {
    const members: Listed[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListThingsInThingGroupCommand({ thingGroupName, recursive: false, maxResults: pageSize, nextToken }),
      );
      for (const thingName of page.things ?? []) {
        const state = { thingGroupName, thingName, groupId: null, thingId: null, membershipId: null };
        const listed = named(thingName, "thingName", `ListThingsInThingGroup ${thingGroupName}`);
        members.push(listed.map(() => ({ entityType: "thingGroupMembership", state })));
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return members;
  };

  const describeGroup = async (thingGroupName: string): Promise<Listed[]> => {
    const group = await client.send(new DescribeThingGroupCommand({ thingGroupName }));
    const parentGroupName = group.thingGroupMetadata?.parentGroupName ?? null;
    const ancestors = group.thingGroupMetadata?.rootToParentThingGroups ?? [];
    const rootToParentGroupNames = ancestors.flatMap((ancestor) => (ancestor.groupName ? [ancestor.groupName] : []));
    if (rootToParentGroupNames.length < ancestors.length) {
      return [err(new InvalidEvent(`an ancestor of thing group ${thingGroupName} has no name`, "rootToParentThingGroups"))];
    }
    return [
      ok({
        entityType: "thingGroup",
        state: {
          thingGroupName,
          thingGroupId: group.thingGroupId ?? null,
          version: group.version ?? 0,
          parentGroupName,
          parentGroupId: null,
          description: group.thingGroupProperties?.thingGroupDescription ?? null,
          rootToParentGroupNames,
          attributes: group.thingGroupProperties?.attributePayload?.attributes ?? {},
        },
      }),
      ...(parentGroupName ? [ok({ entityType: "thingGroupHierarchy" as const, state: hierarchy(parentGroupName, thingGroupName) })] : []),
      ...(await membersOf(thingGroupName)),
    ];
  };

  const readThingGroups = async (nextToken?: string): Promise<SnapshotPage> => {
    const page = await client.send(new ListThingGroupsCommand({ maxResults: pageSize, nextToken }));
    const items: Listed[] = [];
    // One group at a time keeps DescribeThingGroup well under its API rate limit.
    for (const group of page.thingGroups ?? []) {
      const name = named(group.groupName, "groupName", "ListThingGroups");
      items.push(...(name.isOk() ? await describeGroup(name.value) : [err(name.error)]));
    }
    return { items, resumeToken: following("thingGroups", page.nextToken) };
  };

  const readers: Record<Phase, (nextToken?: string) => Promise<SnapshotPage>> = {
    thingTypes: readThingTypes,
    things: readThings,
    thingGroups: readThingGroups,
  };
  const toDomainError = classifyAwsError("AWS IoT registry");

  return {
    readPage: (resumeToken) => {
      const cursor = decode(resumeToken);
      if (cursor.isErr()) return errAsync(cursor.error);
      return ResultAsync.fromPromise(readers[cursor.value.phase](cursor.value.nextToken), toDomainError);
    },
  };
};
