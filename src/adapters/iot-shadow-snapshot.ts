import { GetThingShadowCommand, ListNamedShadowsForThingCommand } from "@aws-sdk/client-iot-data-plane";
import { err, ok, type Result } from "neverthrow";
import { checkIotName } from "../domain/registry/iot-names";
import type { SnapshotItem } from "../domain/registry/replica-record";
import { InvalidEvent } from "../domain/shared/errors";
import { isJsonObject, readNonNegativeInteger } from "../domain/shared/json-fields";
import { awsErrorName } from "./aws-error-classification";
import type { IotDataClientProvider } from "./iot-data-client-provider";

type Listed = Result<SnapshotItem, InvalidEvent>;

/** A section of a shadow's state (`desired`, `reported`): absent means empty; anything but an object is invalid. */
const section = (
  state: Readonly<Record<string, unknown>>,
  field: string,
  where: string,
): Result<Readonly<Record<string, unknown>>, InvalidEvent> => {
  const value = state[field];
  if (value === undefined || value === null) return ok({});
  return isJsonObject(value) ? ok(value) : err(new InvalidEvent(`must be a JSON object in ${where}`, `state.${field}`));
};

/** A GetThingShadow document as a shadow snapshot: its desired and reported state and its version. */
const toShadow = (thingName: string, shadowName: string | null, payload: Uint8Array | undefined): Listed => {
  const where = `GetThingShadow ${thingName}${shadowName === null ? "" : `/${shadowName}`}`;
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(payload ?? new Uint8Array()));
  } catch {
    return err(new InvalidEvent(`is not a JSON document in ${where}`, "payload"));
  }
  if (!isJsonObject(document)) return err(new InvalidEvent(`is not a JSON object in ${where}`, "payload"));
  const state = isJsonObject(document["state"]) ? document["state"] : {};
  return readNonNegativeInteger(document, "version").andThen((version) =>
    section(state, "desired", where).andThen((desired) =>
      section(state, "reported", where).map(
        (reported): SnapshotItem => ({ entityType: "shadow", state: { thingName, shadowName, desired, reported, version } }),
      ),
    ),
  );
};

/**
 * Lists a thing's shadows, classic and named, as shadow snapshots (GetThingShadow for the classic
 * one, ListNamedShadowsForThing then GetThingShadow for each named one): 2 + N calls per thing with
 * N named shadows, which is why the reader lists shadows only when asked to.
 */
export const createIotShadowListing = (dataClient: IotDataClientProvider, pageSize: number) => {
  // ListNamedShadowsForThing takes pages of 1 to 100 names.
  const namedPageSize = Math.min(pageSize, 100);
  /** The shadow's document, or undefined when the thing has no such shadow (or it was deleted since it was listed). */
  const read = async (thingName: string, shadowName: string | null): Promise<Listed[]> => {
    try {
      const shadow = await (await dataClient()).send(
        new GetThingShadowCommand({ thingName, ...(shadowName === null ? {} : { shadowName }) }),
      );
      return [toShadow(thingName, shadowName, shadow.payload)];
    } catch (thrown) {
      if (awsErrorName(thrown) === "ResourceNotFoundException") return [];
      throw thrown;
    }
  };

  return async (thingName: string): Promise<Listed[]> => {
    const shadows = await read(thingName, null);
    let nextToken: string | undefined;
    do {
      const page = await (await dataClient()).send(new ListNamedShadowsForThingCommand({ thingName, pageSize: namedPageSize, nextToken }));
      // Reserved shadows (`$package`, kept by AWS IoT itself) are not replicated, as the capture path does not take them either.
      for (const name of (page.results ?? []).filter((listed) => !listed.startsWith("$"))) {
        const shadowName = checkIotName(name, `named shadows of ${thingName}`);
        shadows.push(...(shadowName.isOk() ? await read(thingName, shadowName.value) : [err(shadowName.error)]));
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return shadows;
  };
};
