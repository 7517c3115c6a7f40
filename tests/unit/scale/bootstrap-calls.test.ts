import { readFileSync } from "node:fs";
import { join } from "node:path";
import { okAsync, type ResultAsync } from "neverthrow";
import { readScaleInputs } from "../../../scripts/scale/inputs";
import { recordToItem, sameEntityState } from "../../../src/adapters/dynamodb-replica-items";
import { applyEntity } from "../../../src/domain/recovery/apply-entity";
import type { EntityRef } from "../../../src/domain/recovery/entity-ref";
import type { IotOperation } from "../../../src/domain/recovery/iot-operations";
import type { LiveStates } from "../../../src/domain/recovery/live-state";
import type { PrimaryRecords, SecondaryRegistry } from "../../../src/domain/recovery/recovery-ports";
import { ENTITY_KINDS, type Entity, type EntityType } from "../../../src/domain/registry/entity-kinds";
import { type ReplicaRecord, snapshotToRecord } from "../../../src/domain/registry/replica-record";
import type { DependencyError } from "../../../src/domain/shared/errors";
import { ModelIotRegistry, modelPem } from "../../support/model-iot-registry";

/**
 * The IoT calls per bootstrapped device that docs/scale-inputs.json derives from the code, counted by
 * running the real applyEntity over a model device's snapshot records into an empty secondary. The
 * registry is the in-memory model; which AWS calls one read of each kind makes is written out below
 * from src/adapters/iot-live-state-reader.ts (the calls a planned operation makes are its own name).
 */

const PRIMARY = "us-east-1";
const context = { primaryRegion: PRIMARY, secondaryRegion: "us-west-2" };
const CERTIFICATE = "a".repeat(64);

/** The calls the live-state reader makes for one read, given what it found. */
const readCalls = (entityType: EntityType, live: unknown, forDeletion: boolean): string[] => {
  const found = live !== null;
  const arn = (live as { certificateArn?: string | null } | null)?.certificateArn ?? null;
  const calls: Readonly<Record<EntityType, () => string[]>> = {
    thing: () => ["DescribeThing", ...(found && forDeletion ? ["ListThingPrincipals"] : [])],
    thingType: () => ["DescribeThingType", ...(found && forDeletion ? ["ListThings"] : [])],
    thingGroup: () => ["DescribeThingGroup", ...(found && forDeletion ? ["ListThingGroups"] : [])],
    thingGroupMembership: () => ["ListThingGroupsForThing"],
    thingGroupHierarchy: () => [],
    thingTypeAssociation: () => ["DescribeThing"],
    shadow: () => ["GetThingShadow"],
    certificate: () => ["DescribeCertificate", ...(found && forDeletion ? ["ListPrincipalThings", "ListAttachedPolicies"] : [])],
    policy: () => ["GetPolicy", ...(found ? ["ListPolicyVersions"] : []), ...(found && forDeletion ? ["ListTargetsForPolicy"] : [])],
    policyPrincipal: () => ["DescribeCertificate", ...(arn !== null ? ["ListAttachedPolicies"] : [])],
    thingPrincipal: () => ["DescribeCertificate", ...(arn !== null ? ["ListThingPrincipals"] : [])],
  };
  return calls[entityType]();
};

/** The model registry, counting the AWS calls each read and each planned operation stands for. */
class CountingRegistry implements SecondaryRegistry {
  readonly calls: Record<string, number> = {};
  constructor(private readonly model: ModelIotRegistry) {}

  private count(api: string): void {
    this.calls[api] = (this.calls[api] ?? 0) + 1;
  }

  read<K extends EntityType>(
    ref: EntityRef & { readonly entityType: K },
    forDeletion = false,
  ): ResultAsync<LiveStates[K], DependencyError> {
    return this.model.read(ref, forDeletion).map((live) => {
      for (const api of readCalls(ref.entityType, live, forDeletion)) this.count(api);
      return live;
    });
  }

  /** Counted cold: as a process that has not seen the device's certificate yet (the adapter then remembers it). */
  knownToExist(): boolean {
    return false;
  }

  execute(operation: IotOperation): ResultAsync<void, DependencyError> {
    this.count(operation.call);
    return this.model.execute(operation);
  }

  reset(): void {
    for (const api of Object.keys(this.calls)) delete this.calls[api];
  }
}

const policyDocument = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "iot:Connect", Resource: "*" }] });

/** The shared entities (a type, a group, a policy) and one device's snapshot records, in the snapshot reader's order. */
const SHARED: readonly Entity[] = [
  {
    entityType: "thingType",
    state: {
      thingTypeName: "sensor",
      thingTypeId: null,
      isDeprecated: false,
      deprecationDate: null,
      searchableAttributes: [],
      description: null,
    },
  },
  {
    entityType: "thingGroup",
    state: {
      thingGroupName: "site-1",
      thingGroupId: null,
      version: 1,
      parentGroupName: null,
      parentGroupId: null,
      description: null,
      rootToParentGroupNames: [],
      attributes: {},
    },
  },
  { entityType: "policy", state: { policyName: "fleet", policyDocument, defaultVersionId: "1" } },
];
const DEVICE: readonly Entity[] = [
  { entityType: "thing", state: { thingName: "device-1", thingId: null, version: 1, thingTypeName: "sensor", attributes: { site: "1" } } },
  { entityType: "thingTypeAssociation", state: { thingName: "device-1", thingTypeName: "sensor", thingId: null } },
  {
    entityType: "thingGroupMembership",
    state: { thingGroupName: "site-1", thingName: "device-1", groupId: null, thingId: null, membershipId: null },
  },
  { entityType: "certificate", state: { certificateId: CERTIFICATE, certificatePem: modelPem(CERTIFICATE), status: "ACTIVE" } },
  { entityType: "policyPrincipal", state: { policyName: "fleet", certificateId: CERTIFICATE } },
  { entityType: "thingPrincipal", state: { thingName: "device-1", certificateId: CERTIFICATE } },
  { entityType: "shadow", state: { thingName: "device-1", shadowName: null, desired: {}, reported: { temperature: 21 }, version: 1 } },
];

const refOf = (entity: Entity): EntityRef => ({
  entityType: entity.entityType,
  entityName: ENTITY_KINDS[entity.entityType].recordName(entity.state as never),
});
const keyOf = (ref: EntityRef): string => `${ref.entityType}#${ref.entityName}`;

/** The primary's records of the shared entities and the device, and the GetItems the applier makes of them. */
const primaryRecords = () => {
  const records = new Map<string, ReplicaRecord>();
  const gets: string[] = [];
  const set = (entity: Entity, at: number): void => {
    const record = snapshotToRecord(entity, at, { sourceRegion: PRIMARY, now: at, tombstoneTtlSeconds: 86_400 })._unsafeUnwrap();
    records.set(keyOf(refOf(entity)), record);
  };
  for (const entity of [...SHARED, ...DEVICE]) set(entity, 1_000);
  const primary: PrimaryRecords = {
    read: (ref) => {
      gets.push(keyOf(ref));
      return okAsync(records.get(keyOf(ref)));
    },
  };
  return { primary, gets, changed: (entity: Entity) => set(entity, 2_000) };
};

describe("IoT calls per bootstrapped device", () => {
  it("are what docs/scale-inputs.json says while its perBootstrappedDevice is derived, not yet measured", async () => {
    const { primary, gets } = primaryRecords();
    const secondary = new CountingRegistry(new ModelIotRegistry(context.secondaryRegion));
    const applyAll = async (entities: readonly Entity[]): Promise<string[]> => {
      const outcomes: string[] = [];
      for (const entity of entities) {
        const result = await applyEntity({ primary, secondary, context }, refOf(entity));
        outcomes.push(result.isOk() ? result.value.kind : result.error.message);
      }
      return outcomes;
    };
    expect(await applyAll(SHARED)).toEqual(["applied", "applied", "applied"]);
    secondary.reset();
    gets.length = 0;
    // The type association finds the thing created with its type: nothing to do, but it was read.
    expect(await applyAll(DEVICE)).toEqual(["applied", "unchanged", "applied", "applied", "applied", "applied", "applied"]);

    const derived = { ...secondary.calls };
    expect(derived).toEqual({
      DescribeThingType: 2,
      DescribeThing: 6,
      CreateThing: 1,
      DescribeThingGroup: 1,
      ListThingGroupsForThing: 1,
      AddThingToThingGroup: 1,
      DescribeCertificate: 5,
      RegisterCertificateWithoutCA: 1,
      ListThingPrincipals: 1,
      AttachThingPrincipal: 1,
      GetPolicy: 1,
      ListPolicyVersions: 1,
      ListAttachedPolicies: 1,
      AttachPolicy: 1,
      GetThingShadow: 1,
      UpdateThingShadow: 1,
    });
    // One GetItem per record: the dependencies exist by the time a record that needs them arrives.
    expect(gets).toHaveLength(DEVICE.length);

    const inputs = readScaleInputs(JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "docs", "scale-inputs.json"), "utf8")));
    const device = inputs.perBootstrappedDevice;
    if (device.source.startsWith("derived")) {
      expect(device.iotCalls).toEqual(derived);
      expect(device.getItems).toBe(gets.length);
    } else {
      expect(device.source).toMatch(/^measured: /);
    }
  });

  it("after the bootstrap: a sweep's rewrites, a shadow update and a thing update cost what the inputs say", async () => {
    const { primary, changed } = primaryRecords();
    const secondary = new CountingRegistry(new ModelIotRegistry(context.secondaryRegion));
    const applyAll = async (entities: readonly Entity[]): Promise<string[]> => {
      const outcomes: string[] = [];
      for (const entity of entities) {
        const result = await applyEntity({ primary, secondary, context }, refOf(entity));
        outcomes.push(result.isOk() ? result.value.kind : result.error.message);
      }
      return outcomes;
    };
    const callsOf = async (entities: readonly Entity[], outcomes: readonly string[]): Promise<Record<string, number>> => {
      secondary.reset();
      expect(await applyAll(entities)).toEqual(outcomes);
      return { ...secondary.calls };
    };
    await applyAll([...SHARED, ...DEVICE]);
    const inputs = readScaleInputs(JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "docs", "scale-inputs.json"), "utf8")));

    // A pass rewrites the snapshot-only records (same fields, newer stamp). Applied, each would cost reads
    // for an empty plan; the stream applier skips them instead (same entity state in the old and new image).
    const rewritten = DEVICE.filter((entity) => ["certificate", "policyPrincipal", "thingPrincipal"].includes(entity.entityType));
    expect(rewritten).toHaveLength(inputs.sweep.rewrittenRecordsPerThing);
    for (const entity of rewritten) {
      const before = snapshotToRecord(entity, 1_000, { sourceRegion: "us-east-1", now: 1_000, tombstoneTtlSeconds: 60 })._unsafeUnwrap();
      const after = snapshotToRecord(entity, 2_000, { sourceRegion: "us-east-1", now: 2_000, tombstoneTtlSeconds: 60 })._unsafeUnwrap();
      expect(sameEntityState(recordToItem(before), recordToItem(after))).toBe(true);
    }
    expect(inputs.sweep.reapplyIotCallsPerThing).toEqual({});

    const shadow = {
      entityType: "shadow",
      state: { thingName: "device-1", shadowName: null, desired: {}, reported: { temperature: 22 }, version: 2 },
    } as Entity;
    changed(shadow);
    expect(await callsOf([shadow], ["applied"])).toEqual(inputs.apply.iotCallsPerShadowChange);

    const thing = {
      entityType: "thing",
      state: { thingName: "device-1", thingId: null, version: 2, thingTypeName: "sensor", attributes: { site: "2" } },
    } as Entity;
    changed(thing);
    expect(await callsOf([thing], ["applied"])).toEqual(inputs.apply.iotCallsPerRegistryChange);
  });
});
