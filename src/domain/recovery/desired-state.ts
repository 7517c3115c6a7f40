import { err, ok, type Result } from "neverthrow";
import type { EntityStates, EntityType } from "../registry/entity-kinds";
import type { ReplicaRecord } from "../registry/replica-record";
import { InvalidEvent } from "../shared/errors";
import {
  isJsonObject,
  type JsonObject,
  readBoolean,
  readNullableString,
  readString,
  readStringArray,
  readStringMap,
} from "../shared/json-fields";
import type { EntityRef } from "./entity-ref";

/**
 * What the primary says an entity should be: its state as the record's fields give it, or null when
 * it must not exist (a tombstone, or no record at all: a tombstone that TTL has removed).
 */
export type Desired<K extends EntityType = EntityType> = {
  readonly ref: EntityRef & { readonly entityType: K };
  readonly state: EntityStates[K] | null;
};

type Reader<K extends EntityType> = (fields: JsonObject) => Result<EntityStates[K], InvalidEvent>;

const readObject = (fields: JsonObject, field: string): Result<Readonly<Record<string, unknown>>, InvalidEvent> => {
  const value = fields[field];
  if (value === undefined || value === null) return ok({});
  return isJsonObject(value) ? ok(value) : err(new InvalidEvent("must be an object", field));
};

type Values<T> = { [K in keyof T]: T[K] extends Result<infer V, InvalidEvent> ? V : never };

/** Every field read, or the first field that is wrong. */
const allOf = <T extends Record<string, Result<unknown, InvalidEvent>>>(results: T): Result<Values<T>, InvalidEvent> => {
  const values: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(results)) {
    if (result.isErr()) return err(result.error);
    values[name] = result.value;
  }
  return ok(values as Values<T>);
};

const isPolicyJson = (document: string): boolean => {
  try {
    return isJsonObject(JSON.parse(document));
  } catch {
    return false;
  }
};

/** The inverse of each kind's `fields` in entity-kinds.ts, for what the applier uses (ids and versions are the primary's). */
const READERS: { readonly [K in EntityType]: Reader<K> } = {
  thing: (f) =>
    allOf({
      thingName: readString(f, "ThingName"),
      thingTypeName: readNullableString(f, "ThingTypeName"),
      attributes: readStringMap(f, "Attributes"),
    }).map((thing) => ({ ...thing, thingId: null, version: 0 })),
  thingType: (f) =>
    allOf({
      thingTypeName: readString(f, "ThingTypeName"),
      isDeprecated: readBoolean(f, "IsDeprecated", false),
      searchableAttributes: readStringArray(f, "SearchableAttributes"),
      description: readNullableString(f, "Description"),
    }).map((type) => ({ ...type, thingTypeId: null, deprecationDate: null })),
  thingGroup: (f) =>
    allOf({
      thingGroupName: readString(f, "ThingGroupName"),
      parentGroupName: readNullableString(f, "ParentGroupName"),
      description: readNullableString(f, "Description"),
      attributes: readStringMap(f, "Attributes"),
    }).map((group) => ({ ...group, thingGroupId: null, version: 0, parentGroupId: null, rootToParentGroupNames: [] })),
  thingGroupMembership: (f) =>
    allOf({ thingGroupName: readString(f, "ThingGroupName"), thingName: readString(f, "MemberThingName") }).map((member) => ({
      ...member,
      groupId: null,
      thingId: null,
      membershipId: null,
    })),
  thingGroupHierarchy: (f) =>
    allOf({ parentGroupName: readString(f, "ParentGroupName"), childGroupName: readString(f, "ChildGroupName") }).map((link) => ({
      ...link,
      parentGroupId: null,
      childGroupId: null,
    })),
  thingTypeAssociation: (f) =>
    allOf({ thingName: readString(f, "AssociatedThingName"), thingTypeName: readString(f, "ThingTypeName") }).map((association) => ({
      ...association,
      thingId: null,
    })),
  shadow: (f) =>
    allOf({
      thingName: readString(f, "ShadowThingName"),
      shadowName: readNullableString(f, "ShadowName"),
      desired: readObject(f, "Desired"),
      reported: readObject(f, "Reported"),
    }).map((shadow) => ({ ...shadow, version: 0 })),
  certificate: (f) =>
    allOf({
      certificateId: readString(f, "CertificateId"),
      certificatePem: readString(f, "CertificatePem"),
      status: readString(f, "CertificateStatus"),
    }),
  policy: (f) =>
    allOf({
      policyName: readString(f, "PolicyName"),
      policyDocument: readString(f, "PolicyDocument"),
      defaultVersionId: readNullableString(f, "DefaultVersionId"),
    }).andThen((policy) =>
      isPolicyJson(policy.policyDocument) ? ok(policy) : err(new InvalidEvent("is not a JSON policy document", "PolicyDocument")),
    ),
  policyPrincipal: (f) =>
    allOf({ policyName: readString(f, "AttachedPolicyName"), certificateId: readString(f, "PrincipalCertificateId") }),
  thingPrincipal: (f) => allOf({ thingName: readString(f, "PrincipalThingName"), certificateId: readString(f, "PrincipalCertificateId") }),
};

/**
 * The desired state of `ref` from the primary's current record (undefined: there is none). A live
 * record whose fields do not describe its kind is an InvalidEvent naming the field: it can never be
 * applied, and says why.
 */
export const desiredOf = (ref: EntityRef, record: ReplicaRecord | undefined): Result<Desired, InvalidEvent> => {
  if (record === undefined || record.status === "DELETED") return ok({ ref, state: null } as Desired);
  const reader = READERS[ref.entityType] as Reader<EntityType>;
  return reader(record.fields)
    .map((state) => ({ ref, state }) as Desired)
    .mapErr((error) => new InvalidEvent(`${ref.entityType}#${ref.entityName}: ${error.message}`));
};
