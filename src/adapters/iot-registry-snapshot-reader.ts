import {
  DescribeThingGroupCommand,
  type IoTClient,
  ListThingGroupsCommand,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
  ListThingTypesCommand,
} from "@aws-sdk/client-iot";
import { err, errAsync, ok, type Result, ResultAsync } from "neverthrow";
import { checkIotName } from "../domain/registry/iot-names";
import type { RegistrySnapshotReader, SnapshotPage } from "../domain/registry/registry-ports";
import type { SnapshotItem } from "../domain/registry/replica-record";
import { InvalidEvent } from "../domain/shared/errors";
import { classifyAwsError } from "./aws-error-classification";
import type { IotDataClientProvider } from "./iot-data-client-provider";
import { createIotSecurityListing, type ListingPage } from "./iot-security-snapshot";
import { createIotShadowListing } from "./iot-shadow-snapshot";

/** The listing goes type by type; the resume token says which phase and which page comes next. */
type Phase = "thingTypes" | "things" | "thingGroups" | "certificates" | "policies";
interface Cursor {
  readonly phase: Phase;
  readonly nextToken?: string;
}
const PHASES: readonly Phase[] = ["thingTypes", "things", "thingGroups", "certificates", "policies"];

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

/** A name the listing must carry, in AWS IoT's pattern: without it there is no record to write (never one keyed `thing#`). */
const named = (name: string | undefined, field: string, listing: string): Result<string, InvalidEvent> =>
  name ? checkIotName(name, field) : err(new InvalidEvent(`is missing from an item of ${listing}`, field));

/**
 * Lists a region's registry for a backfill or a sweep with the registry's list APIs: things (with
 * versions, their type associations and the certificates attached to them, and with `shadows` their
 * classic and named shadows), thing types, thing groups (described one by one for parent, version and
 * attributes, with their members and place in the hierarchy), certificates (described one by one for
 * PEM and status), policies (the default version's document, and the certificates each is attached
 * to). Paginated and resumable after any page.
 */
export const createIotRegistrySnapshotReader = (
  client: IoTClient,
  pageSize = 100,
  shadows?: IotDataClientProvider,
): RegistrySnapshotReader => {
  const security = createIotSecurityListing(client, pageSize);
  const shadowsOf = shadows ? createIotShadowListing(shadows, pageSize) : undefined;
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
    const items: Listed[] = [];
    // One thing at a time keeps ListThingPrincipals (and the shadow calls) under their API rate limits.
    for (const thing of page.things ?? []) {
      const thingName = named(thing.thingName, "thingName", "ListThings");
      if (thingName.isErr()) {
        items.push(err(thingName.error));
        continue;
      }
      const { thingTypeName, attributes = {}, version = 0 } = thing;
      const state = { thingName: thingName.value, thingId: null, thingTypeName: thingTypeName ?? null, attributes, version };
      items.push(ok({ entityType: "thing", state }));
      if (thingTypeName) {
        items.push(ok({ entityType: "thingTypeAssociation", state: { thingName: thingName.value, thingTypeName, thingId: null } }));
      }
      items.push(...(await security.thingPrincipals(thingName.value)));
      if (shadowsOf) items.push(...(await shadowsOf(thingName.value)));
    }
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

  const inPhase =
    (phase: Phase, list: (marker?: string) => Promise<ListingPage>) =>
    async (marker?: string): Promise<SnapshotPage> => {
      const page = await list(marker);
      return { items: page.items, resumeToken: following(phase, page.next) };
    };

  const readers: Record<Phase, (nextToken?: string) => Promise<SnapshotPage>> = {
    thingTypes: readThingTypes,
    things: readThings,
    thingGroups: readThingGroups,
    certificates: inPhase("certificates", security.certificates),
    policies: inPhase("policies", security.policies),
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
