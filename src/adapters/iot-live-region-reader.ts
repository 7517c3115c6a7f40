import type { IoTClient } from "@aws-sdk/client-iot";
import { GetThingShadowCommand, type IoTDataPlaneClient, ListNamedShadowsForThingCommand } from "@aws-sdk/client-iot-data-plane";
import { ResultAsync } from "neverthrow";
import { type Entity, kindOf, type ShadowState } from "../domain/registry/entity-kinds";
import { describeError } from "../domain/shared/errors";
import type { RegionEntity } from "../domain/verification/compare-regions";
import type { LiveRegionReader } from "../domain/verification/verification-ports";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";
import { createIotRegistrySnapshotReader } from "./iot-registry-snapshot-reader";

const asEntity = (entity: Entity): RegionEntity => ({
  entityType: entity.entityType,
  entityName: kindOf(entity).recordName(entity.state),
  status: "ACTIVE",
  fields: kindOf(entity).fields(entity.state),
});

const decode = (payload: Uint8Array | undefined): Record<string, unknown> =>
  payload && payload.length > 0 ? (JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>) : {};

/**
 * One region's registry and shadows as they are now, for `verify --live`: every kind the registry
 * snapshot reader lists (the backfill's reader, so the same kinds), then each listed thing's classic and
 * named shadows from the data plane. An item the listing could not read is an error, never skipped.
 */
export const createIotLiveRegionReader = (iot: IoTClient, iotData: IoTDataPlaneClient, pageSize = 100): LiveRegionReader => {
  const registry = createIotRegistrySnapshotReader(iot, pageSize);
  const toDomainError = classifyAwsError("AWS IoT data plane");

  const shadow = async (thingName: string, shadowName: string | null): Promise<Entity | undefined> => {
    try {
      const answer = await iotData.send(new GetThingShadowCommand({ thingName, ...(shadowName ? { shadowName } : {}) }));
      const document = decode(answer.payload);
      const state = (document["state"] ?? {}) as { desired?: Record<string, unknown>; reported?: Record<string, unknown> };
      const shadowState: ShadowState = {
        thingName,
        shadowName,
        desired: state.desired ?? {},
        reported: state.reported ?? {},
        version: Number(document["version"] ?? 0),
      };
      return { entityType: "shadow", state: shadowState };
    } catch (thrown) {
      if (awsErrorName(thrown) === "ResourceNotFoundException") return undefined;
      throw thrown;
    }
  };

  const shadowsOf = async (thingName: string): Promise<Entity[]> => {
    const names: (string | null)[] = [null];
    let nextToken: string | undefined;
    do {
      const page = await iotData.send(new ListNamedShadowsForThingCommand({ thingName, pageSize: 100, nextToken }));
      names.push(...(page.results ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const found = await Promise.all(names.map((name) => shadow(thingName, name)));
    return found.filter((entity): entity is Entity => entity !== undefined);
  };

  const readAll = async (): Promise<RegionEntity[]> => {
    const entities: Entity[] = [];
    let token: string | undefined;
    do {
      const page = await registry.readPage(token);
      if (page.isErr()) throw new Error(describeError(page.error));
      for (const item of page.value.items) {
        if (item.isErr()) throw new Error(`the registry listed an unreadable item: ${describeError(item.error)}`);
        entities.push(item.value);
      }
      token = page.value.resumeToken;
    } while (token);
    const things = entities
      .filter((entity) => entity.entityType === "thing")
      .map((entity) => (entity.state as { thingName: string }).thingName);
    for (const thingName of things) entities.push(...(await shadowsOf(thingName)));
    return entities.map(asEntity);
  };

  return { readRegion: () => ResultAsync.fromPromise(readAll(), (thrown) => toDomainError(thrown)) };
};
