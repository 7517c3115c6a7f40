import type { EntityType } from "../registry/entity-kinds";

/**
 * What the secondary region's registry and shadows hold for one entity, as the applier reads it
 * (Describe/List/Get calls) before it plans: only what a plan compares or must undo. `null` means the
 * entity does not exist there.
 */
type Attributes = Readonly<Record<string, string>>;
type Json = Readonly<Record<string, unknown>>;

export interface PolicyVersion {
  readonly versionId: string;
  readonly isDefault: boolean;
  /** Epoch milliseconds; the oldest non-default version goes first when AWS's limit of 5 is reached. */
  readonly createdAt: number;
}

/** Lists marked "for deletion" are read only when the entity is to be deleted (SecondaryRegistry.read), and are empty otherwise. */
export interface LiveStates {
  /** `principals` (for deletion): ARNs of the certificates attached to the thing (detached before DeleteThing). */
  readonly thing: { readonly thingTypeName: string | null; readonly attributes: Attributes; readonly principals: readonly string[] } | null;
  /** `things` (for deletion): the things that have the type (AWS refuses to delete a type while any has it). */
  readonly thingType: { readonly isDeprecated: boolean; readonly description: string | null; readonly things: readonly string[] } | null;
  /** `children` (for deletion): the group's child groups (AWS refuses to delete a group that has any). */
  readonly thingGroup: {
    readonly parentGroupName: string | null;
    readonly description: string | null;
    readonly attributes: Attributes;
    readonly children: readonly string[];
  } | null;
  /** Whether the thing is in the group (false when either is missing). */
  readonly thingGroupMembership: { readonly member: boolean };
  /** A hierarchy link exists exactly when its child group does (with that parent): nothing of its own to read. */
  readonly thingGroupHierarchy: null;
  /** The type of the association's thing, or null when the thing does not exist. */
  readonly thingTypeAssociation: { readonly thingTypeName: string | null } | null;
  readonly shadow: { readonly desired: Json; readonly reported: Json } | null;
  /** `things` and `policies` (for deletion): what uses the certificate (undone before DeleteCertificate). */
  readonly certificate: {
    readonly certificateArn: string;
    readonly status: string;
    readonly things: readonly string[];
    readonly policies: readonly string[];
  } | null;
  /** `targets` (for deletion): ARNs the policy is attached to; `versions`: all of its versions. */
  readonly policy: {
    readonly defaultDocument: string;
    readonly versions: readonly PolicyVersion[];
    readonly targets: readonly string[];
  } | null;
  /** `certificateArn` null: the certificate is not registered in the secondary (yet). */
  readonly policyPrincipal: { readonly certificateArn: string | null; readonly attached: boolean };
  readonly thingPrincipal: { readonly certificateArn: string | null; readonly attached: boolean };
}

export type LiveState<K extends EntityType = EntityType> = LiveStates[K];
