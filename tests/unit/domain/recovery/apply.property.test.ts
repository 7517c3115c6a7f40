import fc from "fast-check";
import { okAsync } from "neverthrow";
import { type ApplyOutcome, applyEntity } from "../../../../src/domain/recovery/apply-entity";
import type { EntityRef } from "../../../../src/domain/recovery/entity-ref";
import { rewritePolicyDocument } from "../../../../src/domain/recovery/policy-document";
import type { PrimaryRecords } from "../../../../src/domain/recovery/recovery-ports";
import { ENTITY_KINDS, type Entity } from "../../../../src/domain/registry/entity-kinds";
import { type ReplicaRecord, snapshotToRecord } from "../../../../src/domain/registry/replica-record";
import { ModelIotRegistry, modelPem } from "../../../support/model-iot-registry";

const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const context = { primaryRegion: PRIMARY, secondaryRegion: SECONDARY };

/** Fixed names and a fixed hierarchy (AWS cannot move a group), so that any two worlds can converge. */
const THINGS = ["lamp", "door", "fan"];
const TYPES = ["bulb", "lock"];
const GROUPS: Readonly<Record<string, string | null>> = { site: null, floor: "site", room: "floor", yard: null };
const CERTIFICATES = ["c1", "c2"];
const POLICIES = ["p1", "p2"];

const attributes = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.constantFrom("1", "2"), { maxKeys: 3 });
const json: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom("x", "y", "z"),
  fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom("on", "off"),
    fc.dictionary(fc.constantFrom("m", "n"), fc.integer({ min: 0, max: 2 }), { maxKeys: 2 }),
  ),
  { maxKeys: 3 },
);

/** A registry that AWS could hold: types, groups under their fixed parents, things, relations between what exists. */
const worldArbitrary = fc
  .record({
    types: fc.subarray(TYPES),
    deprecated: fc.subarray(TYPES),
    descriptions: fc.constantFrom(null, "one", "two"),
    groups: fc.subarray(Object.keys(GROUPS)),
    groupAttributes: attributes,
    things: fc.array(fc.record({ name: fc.constantFrom(...THINGS), type: fc.option(fc.constantFrom(...TYPES)), attributes }), {
      maxLength: 3,
    }),
    memberships: fc.array(fc.tuple(fc.constantFrom(...Object.keys(GROUPS)), fc.constantFrom(...THINGS)), { maxLength: 4 }),
    shadows: fc.array(
      fc.record({ thing: fc.constantFrom(...THINGS), name: fc.constantFrom(null, "config"), desired: json, reported: json }),
      { maxLength: 3 },
    ),
    certificates: fc.array(fc.record({ id: fc.constantFrom(...CERTIFICATES), status: fc.constantFrom("ACTIVE", "INACTIVE", "REVOKED") }), {
      maxLength: 2,
    }),
    policies: fc.array(fc.record({ name: fc.constantFrom(...POLICIES), topic: fc.constantFrom("a", "b", "c") }), { maxLength: 2 }),
    policyPrincipals: fc.array(fc.tuple(fc.constantFrom(...POLICIES), fc.constantFrom(...CERTIFICATES)), { maxLength: 3 }),
    thingPrincipals: fc.array(fc.tuple(fc.constantFrom(...THINGS), fc.constantFrom(...CERTIFICATES)), { maxLength: 3 }),
  })
  .map((w): Entity[] => {
    const entities: Entity[] = [];
    const groups = new Set(w.groups);
    for (const name of Object.keys(GROUPS)) {
      // A group exists only under an existing parent.
      const parent = GROUPS[name] ?? null;
      if (groups.has(name) && (parent === null || groups.has(parent))) {
        entities.push({
          entityType: "thingGroup",
          state: {
            thingGroupName: name,
            thingGroupId: null,
            version: 1,
            parentGroupName: parent,
            parentGroupId: null,
            description: w.descriptions,
            rootToParentGroupNames: [],
            attributes: w.groupAttributes,
          },
        });
        if (parent)
          entities.push({
            entityType: "thingGroupHierarchy",
            state: { parentGroupName: parent, parentGroupId: null, childGroupName: name, childGroupId: null },
          });
      } else groups.delete(name);
    }
    const usedTypes = new Set(w.things.flatMap((thing) => (thing.type && w.types.includes(thing.type) ? [thing.type] : [])));
    for (const name of w.types) {
      // A type a thing has cannot be deprecated-then-given: keep used types undeprecated.
      const isDeprecated = w.deprecated.includes(name) && !usedTypes.has(name);
      entities.push({
        entityType: "thingType",
        state: {
          thingTypeName: name,
          thingTypeId: null,
          isDeprecated,
          deprecationDate: null,
          searchableAttributes: [],
          description: w.descriptions,
        },
      });
    }
    const things = new Map(
      w.things.map((thing) => [thing.name, { ...thing, type: thing.type && w.types.includes(thing.type) ? thing.type : null }]),
    );
    for (const thing of things.values()) {
      entities.push({
        entityType: "thing",
        state: { thingName: thing.name, thingId: null, thingTypeName: thing.type, attributes: thing.attributes, version: 1 },
      });
      if (thing.type)
        entities.push({ entityType: "thingTypeAssociation", state: { thingName: thing.name, thingTypeName: thing.type, thingId: null } });
    }
    for (const [group, thing] of new Map(w.memberships.map(([g, t]) => [`${g}#${t}`, [g, t] as const])).values())
      if (groups.has(group) && things.has(thing))
        entities.push({
          entityType: "thingGroupMembership",
          state: { thingGroupName: group, thingName: thing, groupId: null, thingId: null, membershipId: null },
        });
    for (const shadow of new Map(w.shadows.map((s) => [`${s.thing}#${s.name}`, s])).values())
      if (things.has(shadow.thing))
        entities.push({
          entityType: "shadow",
          state: { thingName: shadow.thing, shadowName: shadow.name, desired: shadow.desired, reported: shadow.reported, version: 1 },
        });
    const certificates = new Map(w.certificates.map((c) => [c.id, c]));
    for (const certificate of certificates.values())
      entities.push({
        entityType: "certificate",
        state: { certificateId: certificate.id, certificatePem: modelPem(certificate.id), status: certificate.status },
      });
    const policies = new Map(w.policies.map((p) => [p.name, p]));
    for (const policy of policies.values()) {
      const policyDocument = JSON.stringify({
        Statement: [{ Effect: "Allow", Resource: `arn:aws:iot:${PRIMARY}:000000000000:topic/${policy.topic}` }],
      });
      entities.push({ entityType: "policy", state: { policyName: policy.name, policyDocument, defaultVersionId: "1" } });
    }
    for (const [policyName, certificateId] of new Map(w.policyPrincipals.map(([p, c]) => [`${p}#${c}`, [p, c] as const])).values())
      if (policies.has(policyName) && certificates.has(certificateId))
        entities.push({ entityType: "policyPrincipal", state: { policyName, certificateId } });
    for (const [thingName, certificateId] of new Map(w.thingPrincipals.map(([t, c]) => [`${t}#${c}`, [t, c] as const])).values())
      if (things.has(thingName) && certificates.has(certificateId))
        entities.push({ entityType: "thingPrincipal", state: { thingName, certificateId } });
    return entities;
  });

const refOf = (entity: Entity): EntityRef => ({
  entityType: entity.entityType,
  entityName: ENTITY_KINDS[entity.entityType].recordName(entity.state as never),
});
const keyOf = (ref: EntityRef): string => `${ref.entityType}#${ref.entityName}`;

/** Loads a world into a model region directly (its starting state, before any plan). */
const load = (model: ModelIotRegistry, world: readonly Entity[]): void => {
  for (const entity of world) {
    const s = entity.state as never as Record<string, never>;
    switch (entity.entityType) {
      case "thing":
        model.things.set(entity.state.thingName, {
          type: entity.state.thingTypeName,
          attributes: { ...entity.state.attributes },
          principals: new Set(),
        });
        break;
      case "thingType":
        model.types.set(entity.state.thingTypeName, { deprecated: entity.state.isDeprecated, description: entity.state.description });
        break;
      case "thingGroup":
        model.groups.set(entity.state.thingGroupName, {
          parent: entity.state.parentGroupName,
          description: entity.state.description,
          attributes: { ...entity.state.attributes },
        });
        break;
      case "thingGroupMembership":
        model.members.add(`${entity.state.thingGroupName}#${entity.state.thingName}`);
        break;
      case "shadow":
        model.shadows.set(`${entity.state.thingName}#${entity.state.shadowName ?? ""}`, {
          desired: { ...entity.state.desired },
          reported: { ...entity.state.reported },
        });
        break;
      case "certificate":
        model.certificates.set(entity.state.certificateId, { status: entity.state.status });
        break;
      case "policy":
        model.policies.set(entity.state.policyName, {
          versions: [{ id: "1", document: entity.state.policyDocument, createdAt: 0 }],
          defaultId: "1",
          nextId: 2,
        });
        break;
      case "policyPrincipal":
        model.policyTargets.set(
          entity.state.policyName,
          new Set([...(model.policyTargets.get(entity.state.policyName) ?? []), model.certificateArn(entity.state.certificateId)]),
        );
        break;
      case "thingPrincipal":
        model.things.get(entity.state.thingName)?.principals.add(model.certificateArn(entity.state.certificateId));
        break;
      default:
        void s;
    }
  }
};

/** What a region holds, comparably: certificates by id, policy documents rewritten for the secondary. */
const snapshot = (model: ModelIotRegistry) => ({
  things: Object.fromEntries(
    [...model.things].map(([name, thing]) => [
      name,
      { type: thing.type, attributes: thing.attributes, principals: [...thing.principals].sort() },
    ]),
  ),
  types: Object.fromEntries(model.types),
  groups: Object.fromEntries(model.groups),
  members: [...model.members].sort(),
  shadows: Object.fromEntries(model.shadows),
  certificates: Object.fromEntries(model.certificates),
  policies: Object.fromEntries(
    [...model.policies].map(([name, policy]) => [name, policy.versions.find((v) => v.id === policy.defaultId)?.document]),
  ),
  targets: Object.fromEntries(
    [...model.policyTargets].filter(([, targets]) => targets.size > 0).map(([name, targets]) => [name, [...targets].sort()]),
  ),
});

/** The primary's records: live ones for the world, tombstones for what the secondary has and the primary does not. */
const recordsOf = (world: readonly Entity[]): Map<string, ReplicaRecord> =>
  new Map(
    world.map((entity) => {
      const record = snapshotToRecord(entity, 1_000, { sourceRegion: PRIMARY, now: 1_000, tombstoneTtlSeconds: 86_400 })._unsafeUnwrap();
      return [`${record.entityType}#${record.entityName}`, record];
    }),
  );

const run = async (model: ModelIotRegistry, primary: PrimaryRecords, refs: readonly EntityRef[]): Promise<ApplyOutcome[]> => {
  const outcomes: ApplyOutcome[] = [];
  for (const ref of refs) {
    const result = await applyEntity({ primary, secondary: model, context }, ref);
    if (result.isErr()) throw new Error(`${keyOf(ref)}: ${result.error.kind}: ${result.error.message}`);
    outcomes.push(result.value);
  }
  return outcomes;
};

describe("applying the plans (property)", () => {
  it("makes any secondary equal to any primary, in any order of entities, and a second pass changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(worldArbitrary, worldArbitrary, fc.infiniteStream(fc.nat()), async (primaryWorld, secondaryWorld, order) => {
        const records = recordsOf(primaryWorld);
        const primary: PrimaryRecords = { read: (ref) => okAsync(records.get(keyOf(ref))) };
        const secondary = new ModelIotRegistry(SECONDARY);
        load(secondary, secondaryWorld);
        // Every entity either side knows of, as the stream and the redrive would bring them, in a random order.
        const refs = [...new Map([...primaryWorld, ...secondaryWorld].map((entity) => [keyOf(refOf(entity)), refOf(entity)])).values()];
        const keys = refs.map(() => order.next().value as number);
        const shuffled = refs
          .map((ref, index) => ({ ref, key: keys[index] as number }))
          .sort((a, b) => a.key - b.key)
          .map(({ ref }) => ref);

        const first = await run(secondary, primary, shuffled);
        expect(first.filter((outcome) => outcome.kind === "deferred")).toEqual([]);

        const expected = new ModelIotRegistry(SECONDARY);
        load(
          expected,
          primaryWorld.map((entity) =>
            entity.entityType === "policy"
              ? {
                  ...entity,
                  state: { ...entity.state, policyDocument: rewritePolicyDocument(entity.state.policyDocument, PRIMARY, SECONDARY) },
                }
              : entity.entityType === "certificate" && !["ACTIVE", "INACTIVE", "REVOKED"].includes(entity.state.status)
                ? { ...entity, state: { ...entity.state, status: "INACTIVE" } }
                : entity,
          ),
        );
        expect(snapshot(secondary)).toEqual(snapshot(expected));

        const callsBefore = secondary.calls;
        const second = await run(secondary, primary, refs);
        expect(second.map((outcome) => outcome.kind)).toEqual(refs.map(() => "unchanged"));
        expect(secondary.calls).toBe(callsBefore);
      }),
      { numRuns: 300 },
    );
  });
});
