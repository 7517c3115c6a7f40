import { err, ok, type Result, safeTry } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { isJsonObject, type JsonObject, readNonNegativeInteger, readString } from "../shared/json-fields";
import { checkIotName } from "./iot-names";
import type { RegistryEvent } from "./registry-events";

/**
 * Device shadow messages, as the shadow topic rule delivers them (`SELECT *, topic() AS topic`):
 * `$aws/things/{thing}/shadow[/name/{shadow}]/update/documents` (`{previous, current: {state:
 * {desired, reported}, metadata, version}, timestamp, clientToken?}`) and `.../delete/accepted`
 * (`{version, timestamp, clientToken?}`, the version being the deleted document's). Timestamps are
 * epoch SECONDS. They become events of the `shadow` kind, so that they are recorded and ordered like
 * every other kind.
 */
const SHADOW_TOPIC = /^\$aws\/things\/([^/]+)\/shadow(?:\/name\/([^/]+))?\/(update\/documents|delete\/accepted)$/;

/** AWS IoT's pattern for shadow names: 1 to 64 of `a-zA-Z0-9:_-` (so never a `#` in a record key). */
const SHADOW_NAME = /^[a-zA-Z0-9:_-]{1,64}$/;

/** Shadow topics begin with this; the parser tells a shadow message from a registry event by it. */
export const SHADOW_TOPIC_PREFIX = "$aws/things/";

interface ShadowTopic {
  readonly thingName: string;
  readonly shadowName: string | null;
  readonly deleted: boolean;
}

const parseTopic = (topic: string): Result<ShadowTopic, InvalidEvent> => {
  const match = SHADOW_TOPIC.exec(topic);
  if (!match) {
    return err(
      new InvalidEvent(
        `must be a shadow's .../update/documents or .../delete/accepted topic, got ${JSON.stringify(topic.slice(0, 300))}`,
        "topic",
      ),
    );
  }
  const [, thingName, shadowName, what] = match as unknown as [string, string, string | undefined, string];
  if (shadowName !== undefined && !SHADOW_NAME.test(shadowName)) {
    return err(
      new InvalidEvent(`the shadow name must be 1 to 64 of a-z, A-Z, 0-9, ':', '_', '-', got ${JSON.stringify(shadowName)}`, "topic"),
    );
  }
  return checkIotName(thingName, "topic").map((name) => ({
    thingName: name,
    shadowName: shadowName ?? null,
    deleted: what === "delete/accepted",
  }));
};

/** Names a nested field by its path (`current.state.desired`) when reading inside an object. */
const under = (prefix: string) => (error: InvalidEvent) =>
  new InvalidEvent(error.reason, error.field ? `${prefix}.${error.field}` : prefix);

const readObject = (source: JsonObject, field: string): Result<JsonObject, InvalidEvent> => {
  const value = source[field];
  if (isJsonObject(value)) return ok(value);
  return err(new InvalidEvent(value === undefined ? "is missing" : "must be a JSON object", field));
};

/** A section of the state (`desired`, `reported`): absent when the shadow has none, else an object. */
const readSection = (state: JsonObject, field: string): Result<Readonly<Record<string, unknown>>, InvalidEvent> =>
  state[field] === undefined ? ok({}) : readObject(state, field);

const readCurrent = (source: JsonObject) =>
  safeTry(function* () {
    const current = yield* readObject(source, "current");
    const state = yield* readObject(current, "state").mapErr(under("current"));
    return ok({
      desired: yield* readSection(state, "desired").mapErr(under("current.state")),
      reported: yield* readSection(state, "reported").mapErr(under("current.state")),
      version: yield* readNonNegativeInteger(current, "version").mapErr(under("current")),
    });
  });

/** Validates one shadow message (with its `topic`) into an event of the shadow kind. */
export const parseShadowMessage = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    const topic = yield* readString(source, "topic");
    const address = yield* parseTopic(topic);
    const timestampSeconds = yield* readNonNegativeInteger(source, "timestamp");
    const document = address.deleted
      ? { desired: {}, reported: {}, version: yield* readNonNegativeInteger(source, "version") }
      : yield* readCurrent(source);
    return ok({
      entityType: "shadow" as const,
      // Shadow messages carry no id: topic, version and timestamp name one write, so a duplicate
      // delivery gets the same id and is a no-op.
      eventId: `${topic}@${document.version}@${timestampSeconds}`,
      timestamp: timestampSeconds * 1000,
      operation: address.deleted ? ("DELETED" as const) : ("UPDATED" as const),
      state: { thingName: address.thingName, shadowName: address.shadowName, ...document },
    });
  });
