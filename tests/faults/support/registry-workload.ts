import { seededRandom } from "local-cloud/testing";
import { type History, type Operation, simulateRegistry } from "../../support/registry-history";

/**
 * A seeded registry history of exactly `eventCount` events over many things and groups: creates,
 * updates, deletes and re-creates (new id, version back to 1), group changes and deletes, memberships
 * added and removed, cascades included, in the order and with the payloads AWS IoT publishes.
 */
export const registryWorkload = (seed: number, eventCount: number, startTime: number, sizes = { things: 1_000, groups: 25 }): History => {
  const random = seededRandom(seed);
  const pick = (prefix: string, count: number) => `${prefix}-${Math.floor(random() * count)}`;
  const operation = (): Operation => {
    const roll = random();
    const thing = pick("thing", sizes.things);
    const group = pick("group", sizes.groups);
    if (roll < 0.45) return { op: "upsertThing", name: thing, attribute: ["red", "green", "blue"][Math.floor(random() * 3)] as string };
    if (roll < 0.53) return { op: "deleteThing", name: thing };
    if (roll < 0.62) return { op: "upsertGroup", name: group, description: `d${Math.floor(random() * 10)}` };
    if (roll < 0.63) return { op: "deleteGroup", name: group };
    if (roll < 0.88) return { op: "addMember", group, thing };
    return { op: "removeMember", group, thing };
  };
  // Some operations are no-ops (adding a member that is already there) and a delete cascades into
  // membership removals: take the longest prefix with at most `eventCount` events, then top it up
  // with thing updates, which publish exactly one event each.
  const operations = Array.from({ length: eventCount * 2 }, operation);
  let [low, high] = [0, operations.length];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (simulateRegistry(operations.slice(0, middle), false, startTime).events.length <= eventCount) low = middle;
    else high = middle - 1;
  }
  const prefix = operations.slice(0, low);
  const missing = eventCount - simulateRegistry(prefix, false, startTime).events.length;
  const topUp = Array.from(
    { length: missing },
    (_, index): Operation => ({ op: "upsertThing", name: `thing-${index}`, attribute: "final" }),
  );
  return simulateRegistry([...prefix, ...topUp], false, startTime);
};

const thingOf = (arn: unknown): string => String(arn).split("/").pop() ?? "";

/** The MQTT topic AWS IoT publishes a registry event on (`$aws/events/{kind}/...`), from its payload. */
export const registryEventTopic = (event: Record<string, unknown>): string => {
  const operation = String(event["operation"]).toLowerCase();
  switch (event["eventType"]) {
    case "THING_EVENT":
      return `$aws/events/thing/${event["thingName"]}/${operation}`;
    case "THING_GROUP_EVENT":
      return `$aws/events/thingGroup/${event["thingGroupName"]}/${operation}`;
    case "THING_GROUP_MEMBERSHIP_EVENT":
      return `$aws/events/thingGroupMembership/thingGroup/${thingOf(event["groupArn"])}/thing/${thingOf(event["thingArn"])}/${operation}`;
    default:
      throw new Error(`no topic for registry event type ${String(event["eventType"])}`);
  }
};
