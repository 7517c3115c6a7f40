import type { Sequence } from "./ordering";

/**
 * The eleven entity kinds the replica holds (six registry kinds, device shadows, and the certificates,
 * policies and principal attachments a device needs to connect), each described once: the state a
 * source (a live registry event, a backfill listing or a sweep of the registry) gives for it, how its record is named, which fields the
 * record stores, whether AWS versions it (and by which incarnation id), and which operation ends it.
 * Both live capture and backfill build their records from these descriptions and nothing else.
 *
 * Stored field names are PascalCase so that the public sample's scans (`ThingName`, `AWSRegion`) keep
 * working; only thing records carry `ThingName`, so that scan finds things and nothing else
 * (relations name their thing `MemberThingName` / `AssociatedThingName`).
 */

type Attributes = Readonly<Record<string, string>>;

export interface ThingState {
  readonly thingName: string;
  /** The id of this incarnation; a thing deleted and re-created under the same name gets a new one. */
  readonly thingId: string | null;
  readonly thingTypeName: string | null;
  readonly attributes: Attributes;
  readonly version: number;
}

export interface ThingTypeState {
  readonly thingTypeName: string;
  readonly thingTypeId: string | null;
  readonly isDeprecated: boolean;
  readonly deprecationDate: number | null;
  readonly searchableAttributes: readonly string[];
  readonly description: string | null;
}

export interface ThingGroupState {
  readonly thingGroupName: string;
  readonly thingGroupId: string | null;
  readonly version: number;
  readonly parentGroupName: string | null;
  readonly parentGroupId: string | null;
  readonly description: string | null;
  /** Names of the ancestors, root first. */
  readonly rootToParentGroupNames: readonly string[];
  readonly attributes: Attributes;
}

export interface ThingGroupMembershipState {
  readonly thingGroupName: string;
  readonly thingName: string;
  readonly groupId: string | null;
  readonly thingId: string | null;
  readonly membershipId: string | null;
}

export interface ThingGroupHierarchyState {
  readonly parentGroupName: string;
  readonly parentGroupId: string | null;
  readonly childGroupName: string;
  readonly childGroupId: string | null;
}

export interface ThingTypeAssociationState {
  readonly thingName: string;
  readonly thingTypeName: string;
  readonly thingId: string | null;
}

/**
 * A device shadow: the classic one (`shadowName` null) or a named one, as its last document says.
 * Its version runs on across a delete and re-create within 48 hours; it has no incarnation id.
 */
export interface ShadowState {
  readonly thingName: string;
  readonly shadowName: string | null;
  readonly desired: Readonly<Record<string, unknown>>;
  readonly reported: Readonly<Record<string, unknown>>;
  readonly version: number;
}

/**
 * An X.509 certificate registered in AWS IoT, as the secondary region needs it to register the same
 * certificate (same id, since the id is the certificate's fingerprint) with the same status.
 * AWS IoT publishes no events for certificates: a sweep of the registry lists them.
 */
export interface CertificateState {
  readonly certificateId: string;
  readonly certificatePem: string;
  /** ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE or PENDING_ACTIVATION, as AWS IoT says. */
  readonly status: string;
}

/** An IoT policy: its default version's document (no events either; swept). */
export interface PolicyState {
  readonly policyName: string;
  /** The default version's policy document, as the JSON text AWS IoT returns. */
  readonly policyDocument: string;
  readonly defaultVersionId: string | null;
}

/** A policy attached to a certificate (AttachPolicy with the certificate's ARN as the target; swept). */
export interface PolicyPrincipalState {
  readonly policyName: string;
  readonly certificateId: string;
}

/** A certificate attached to a thing (AttachThingPrincipal; swept). */
export interface ThingPrincipalState {
  readonly thingName: string;
  readonly certificateId: string;
}

/** The state of each kind, keyed by the kind's entity type (the first part of its record key). */
export interface EntityStates {
  readonly thing: ThingState;
  readonly thingType: ThingTypeState;
  readonly thingGroup: ThingGroupState;
  readonly thingGroupMembership: ThingGroupMembershipState;
  readonly thingGroupHierarchy: ThingGroupHierarchyState;
  readonly thingTypeAssociation: ThingTypeAssociationState;
  readonly shadow: ShadowState;
  readonly certificate: CertificateState;
  readonly policy: PolicyState;
  readonly policyPrincipal: PolicyPrincipalState;
  readonly thingPrincipal: ThingPrincipalState;
}

export type EntityType = keyof EntityStates;

/** One entity of a known kind and its state: what every source says, before it says how it knows. */
export type Entity = { readonly [K in EntityType]: { readonly entityType: K; readonly state: EntityStates[K] } }[EntityType];

export interface EntityKind<S> {
  /** The record's name within its type; a relation joins the names of its two ends with `#`. */
  readonly recordName: (state: S) => string;
  /** The fields a live record stores (a tombstone stores none). */
  readonly fields: (state: S) => Readonly<Record<string, unknown>>;
  /**
   * Only for kinds AWS versions: things and thing groups (the id of the incarnation and its version,
   * which restarts at 1 when the entity is deleted and re-created; undefined when the source gave no
   * id) and shadows (a version without incarnation, see `ordering.ts`). Absent for the other kinds.
   */
  readonly versionedBy?: (state: S) => Sequence | undefined;
  /** The operation that ends it: DELETED for entities, REMOVED for relations. */
  readonly endedBy: "DELETED" | "REMOVED";
}

/** Names cannot contain `#` (AWS IoT names are `[a-zA-Z0-9:_-]`), so the join is unambiguous. */
const relationName = (first: string, second: string): string => `${first}#${second}`;

export const ENTITY_KINDS = {
  thing: {
    recordName: (thing) => thing.thingName,
    fields: (thing) => ({
      ThingName: thing.thingName,
      ThingId: thing.thingId,
      ThingTypeName: thing.thingTypeName,
      Attributes: thing.attributes,
      Version: thing.version,
    }),
    versionedBy: (thing) => (thing.thingId ? { incarnation: thing.thingId, version: thing.version } : undefined),
    endedBy: "DELETED",
  },
  thingType: {
    recordName: (type) => type.thingTypeName,
    fields: (type) => ({
      ThingTypeName: type.thingTypeName,
      ThingTypeId: type.thingTypeId,
      IsDeprecated: type.isDeprecated,
      DeprecationDate: type.deprecationDate,
      SearchableAttributes: type.searchableAttributes,
      Description: type.description,
    }),
    endedBy: "DELETED",
  },
  thingGroup: {
    recordName: (group) => group.thingGroupName,
    fields: (group) => ({
      ThingGroupName: group.thingGroupName,
      ThingGroupId: group.thingGroupId,
      Version: group.version,
      ParentGroupName: group.parentGroupName,
      ParentGroupId: group.parentGroupId,
      Description: group.description,
      RootToParentGroupNames: group.rootToParentGroupNames,
      Attributes: group.attributes,
    }),
    versionedBy: (group) => (group.thingGroupId ? { incarnation: group.thingGroupId, version: group.version } : undefined),
    endedBy: "DELETED",
  },
  thingGroupMembership: {
    recordName: (member) => relationName(member.thingGroupName, member.thingName),
    fields: (member) => ({
      ThingGroupName: member.thingGroupName,
      MemberThingName: member.thingName,
      ThingGroupId: member.groupId,
      MemberThingId: member.thingId,
      MembershipId: member.membershipId,
    }),
    endedBy: "REMOVED",
  },
  thingGroupHierarchy: {
    recordName: (link) => relationName(link.parentGroupName, link.childGroupName),
    fields: (link) => ({
      ParentGroupName: link.parentGroupName,
      ParentGroupId: link.parentGroupId,
      ChildGroupName: link.childGroupName,
      ChildGroupId: link.childGroupId,
    }),
    endedBy: "REMOVED",
  },
  thingTypeAssociation: {
    recordName: (association) => relationName(association.thingName, association.thingTypeName),
    fields: (association) => ({
      AssociatedThingName: association.thingName,
      ThingTypeName: association.thingTypeName,
      AssociatedThingId: association.thingId,
    }),
    endedBy: "REMOVED",
  },
  shadow: {
    // `shadow#{thing}` for the classic shadow, `shadow#{thing}#{shadowName}` for a named one.
    recordName: (shadow) => (shadow.shadowName === null ? shadow.thingName : relationName(shadow.thingName, shadow.shadowName)),
    // Not `ThingName`: only thing records carry it, so that a scan on it finds things only.
    fields: (shadow) => ({
      ShadowThingName: shadow.thingName,
      ...(shadow.shadowName === null ? {} : { ShadowName: shadow.shadowName }),
      Desired: shadow.desired,
      Reported: shadow.reported,
      ShadowVersion: shadow.version,
    }),
    versionedBy: (shadow) => ({ version: shadow.version }),
    endedBy: "DELETED",
  },
  certificate: {
    recordName: (certificate) => certificate.certificateId,
    fields: (certificate) => ({
      CertificateId: certificate.certificateId,
      CertificatePem: certificate.certificatePem,
      CertificateStatus: certificate.status,
    }),
    endedBy: "DELETED",
  },
  policy: {
    recordName: (policy) => policy.policyName,
    fields: (policy) => ({
      PolicyName: policy.policyName,
      PolicyDocument: policy.policyDocument,
      DefaultVersionId: policy.defaultVersionId,
    }),
    endedBy: "DELETED",
  },
  // Not `ThingName` / `CertificateId`: those mark thing and certificate records for scans.
  policyPrincipal: {
    recordName: (attachment) => relationName(attachment.policyName, attachment.certificateId),
    fields: (attachment) => ({
      AttachedPolicyName: attachment.policyName,
      PrincipalCertificateId: attachment.certificateId,
    }),
    endedBy: "REMOVED",
  },
  thingPrincipal: {
    recordName: (attachment) => relationName(attachment.thingName, attachment.certificateId),
    fields: (attachment) => ({
      PrincipalThingName: attachment.thingName,
      PrincipalCertificateId: attachment.certificateId,
    }),
    endedBy: "REMOVED",
  },
} as const satisfies { readonly [K in EntityType]: EntityKind<EntityStates[K]> };

/** The description of an entity's kind, typed for its state (the one place the two are correlated). */
export const kindOf = (entity: Entity): EntityKind<Entity["state"]> => ENTITY_KINDS[entity.entityType] as EntityKind<Entity["state"]>;
