import fc from "fast-check";

/**
 * A small simulated AWS IoT registry for property tests: it runs random operations the way AWS does
 * (versions bump on every thing/group update, a re-created thing gets a new id and starts at version
 * 1, deletes carry the last version, removals of memberships) and records the registry events it
 * would publish, plus the final truth to compare the replica against.
 */
export type Operation =
  | { op: "upsertThing"; name: string; attribute: string }
  | { op: "deleteThing"; name: string }
  | { op: "upsertGroup"; name: string; description: string }
  | { op: "deleteGroup"; name: string }
  | { op: "addMember"; group: string; thing: string }
  | { op: "removeMember"; group: string; thing: string };

const THINGS = ["bulb-1", "bulb-2"];
const GROUPS = ["kitchen", "garage"];

export const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    op: fc.constant("upsertThing" as const),
    name: fc.constantFrom(...THINGS),
    attribute: fc.constantFrom("red", "green", "blue"),
  }),
  fc.record({ op: fc.constant("deleteThing" as const), name: fc.constantFrom(...THINGS) }),
  fc.record({ op: fc.constant("upsertGroup" as const), name: fc.constantFrom(...GROUPS), description: fc.constantFrom("a", "b") }),
  fc.record({ op: fc.constant("deleteGroup" as const), name: fc.constantFrom(...GROUPS) }),
  fc.record({ op: fc.constant("addMember" as const), group: fc.constantFrom(...GROUPS), thing: fc.constantFrom(...THINGS) }),
  fc.record({ op: fc.constant("removeMember" as const), group: fc.constantFrom(...GROUPS), thing: fc.constantFrom(...THINGS) }),
);

interface Versioned {
  id: string;
  version: number;
  payload: Record<string, string>;
}

export interface History {
  readonly events: Record<string, unknown>[];
  /** entityType#name -> fields that must be ACTIVE at the end; anything else must be absent or DELETED. */
  readonly live: Map<string, Record<string, unknown>>;
}

/**
 * Replays the operations. `sameMillisecond` lets the events of one incarnation of a versioned entity
 * share timestamps, which must still be ordered by version; a new incarnation and every unversioned
 * event get a strictly later timestamp, as a real clock gives separate API calls (same-millisecond
 * changes across incarnations or to one relation are outside what timestamps can order). The clock
 * starts at `startTime` (epoch ms) and moves one millisecond per event.
 */
export const simulateRegistry = (operations: readonly Operation[], sameMillisecond: boolean, startTime = 1_000): History => {
  const things = new Map<string, Versioned>();
  const groups = new Map<string, Versioned>();
  const members = new Set<string>();
  const events: Record<string, unknown>[] = [];
  let clock = startTime;
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const tick = (sameIncarnation: boolean) => (sameIncarnation && sameMillisecond ? clock : ++clock);
  const base = (eventType: string, sameIncarnation: boolean) => ({
    eventType,
    eventId: newId(),
    timestamp: tick(sameIncarnation),
    accountId: "123456789012",
  });
  const thingEvent = (operation: string, name: string, t: Versioned) => ({
    ...base("THING_EVENT", operation !== "CREATED"),
    operation,
    thingId: t.id,
    thingName: name,
    versionNumber: t.version,
    thingTypeName: null,
    attributes: t.payload,
  });
  const groupEvent = (operation: string, name: string, g: Versioned) => ({
    ...base("THING_GROUP_EVENT", operation !== "CREATED"),
    operation,
    thingGroupId: g.id,
    thingGroupName: name,
    versionNumber: g.version,
    parentGroupName: null,
    parentGroupId: null,
    description: g.payload["description"],
    rootToParentThingGroups: [],
    attributes: {},
  });
  const memberEvent = (operation: string, group: string, thing: string) => ({
    ...base("THING_GROUP_MEMBERSHIP_EVENT", false),
    operation,
    groupArn: `arn:aws:iot:us-east-1:123456789012:thinggroup/${group}`,
    thingArn: `arn:aws:iot:us-east-1:123456789012:thing/${thing}`,
    groupId: groups.get(group)?.id ?? null,
    thingId: things.get(thing)?.id ?? null,
    membershipId: newId(),
  });
  const removeMembersWhere = (match: (group: string, thing: string) => boolean) => {
    for (const key of [...members]) {
      const [group, thing] = key.split("#") as [string, string];
      if (match(group, thing)) {
        events.push(memberEvent("REMOVED", group, thing));
        members.delete(key);
      }
    }
  };

  for (const operation of operations) {
    switch (operation.op) {
      case "upsertThing": {
        const current = things.get(operation.name);
        const next = current
          ? { ...current, version: current.version + 1, payload: { color: operation.attribute } }
          : { id: newId(), version: 1, payload: { color: operation.attribute } };
        things.set(operation.name, next);
        events.push(thingEvent(current ? "UPDATED" : "CREATED", operation.name, next));
        break;
      }
      case "deleteThing": {
        const current = things.get(operation.name);
        if (!current) break;
        removeMembersWhere((_group, thing) => thing === operation.name);
        things.delete(operation.name);
        events.push(thingEvent("DELETED", operation.name, current));
        break;
      }
      case "upsertGroup": {
        const current = groups.get(operation.name);
        const next = current
          ? { ...current, version: current.version + 1, payload: { description: operation.description } }
          : { id: newId(), version: 1, payload: { description: operation.description } };
        groups.set(operation.name, next);
        events.push(groupEvent(current ? "UPDATED" : "CREATED", operation.name, next));
        break;
      }
      case "deleteGroup": {
        const current = groups.get(operation.name);
        if (!current) break;
        removeMembersWhere((group) => group === operation.name);
        groups.delete(operation.name);
        events.push(groupEvent("DELETED", operation.name, current));
        break;
      }
      case "addMember": {
        const key = `${operation.group}#${operation.thing}`;
        if (!groups.has(operation.group) || !things.has(operation.thing) || members.has(key)) break;
        members.add(key);
        events.push(memberEvent("ADDED", operation.group, operation.thing));
        break;
      }
      case "removeMember": {
        const key = `${operation.group}#${operation.thing}`;
        if (!members.has(key)) break;
        members.delete(key);
        events.push(memberEvent("REMOVED", operation.group, operation.thing));
        break;
      }
    }
  }

  const live = new Map<string, Record<string, unknown>>();
  for (const [name, t] of things) live.set(`thing#${name}`, { ThingId: t.id, Version: t.version, Attributes: t.payload });
  for (const [name, g] of groups)
    live.set(`thingGroup#${name}`, { ThingGroupId: g.id, Version: g.version, Description: g.payload["description"] });
  for (const key of members) live.set(`thingGroupMembership#${key}`, {});
  return { events, live };
};
