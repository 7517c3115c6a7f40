import type { Result } from "neverthrow";
import type { EntityStates, EntityType } from "../registry/entity-kinds";
import type { InvalidEvent } from "../shared/errors";
import type { Desired } from "./desired-state";
import { type EntityRef, namesOf } from "./entity-ref";
import type { LiveStates } from "./live-state";
import { planHierarchy, planMembership, planThing, planThingGroup, planThingType, planTypeAssociation } from "./plan-registry";
import { planCertificate, planPolicy, planPolicyPrincipal, planThingPrincipal } from "./plan-security";
import { planShadow } from "./plan-shadow";
import type { Plan, PlanContext, Planner } from "./plan-types";

const PLANNERS: { readonly [K in EntityType]: Planner<K> } = {
  thing: planThing,
  thingType: planThingType,
  thingGroup: planThingGroup,
  thingGroupMembership: planMembership,
  thingGroupHierarchy: planHierarchy,
  thingTypeAssociation: planTypeAssociation,
  shadow: planShadow,
  certificate: planCertificate,
  policy: planPolicy,
  policyPrincipal: planPolicyPrincipal,
  thingPrincipal: planThingPrincipal,
};

/**
 * The plan for one entity: the minimal IoT calls that make the secondary's `live` state match the
 * primary's `desired` one, in a safe order (what uses an entity is undone before the entity is
 * deleted). Pure and state-based: an entity that already matches gets an empty plan, so applying a
 * record twice, late, or out of order is harmless.
 */
export const planFor = <K extends EntityType>(desired: Desired<K>, live: LiveStates[K], context: PlanContext): Result<Plan, InvalidEvent> =>
  (PLANNERS[desired.ref.entityType] as Planner<K>)(desired.state, live, namesOf(desired.ref), context);

const ref = (entityType: EntityType, entityName: string): EntityRef => ({ entityType, entityName });

const DEPENDENCIES: { readonly [K in EntityType]: (state: EntityStates[K]) => readonly EntityRef[] } = {
  thing: (thing) => (thing.thingTypeName ? [ref("thingType", thing.thingTypeName)] : []),
  thingType: () => [],
  thingGroup: (group) => (group.parentGroupName ? [ref("thingGroup", group.parentGroupName)] : []),
  thingGroupMembership: (member) => [ref("thingGroup", member.thingGroupName), ref("thing", member.thingName)],
  thingGroupHierarchy: (link) => [ref("thingGroup", link.childGroupName)],
  thingTypeAssociation: (association) => [ref("thingType", association.thingTypeName), ref("thing", association.thingName)],
  shadow: (shadow) => [ref("thing", shadow.thingName)],
  certificate: () => [],
  policy: () => [],
  policyPrincipal: (attachment) => [ref("policy", attachment.policyName), ref("certificate", attachment.certificateId)],
  thingPrincipal: (attachment) => [ref("thing", attachment.thingName), ref("certificate", attachment.certificateId)],
};

/**
 * What must exist in the secondary before the entity can be applied (a thing's type, a group's
 * parent, both ends of a relation), so that the applier applies those first from their own records.
 * An entity that must not exist depends on nothing.
 */
export const dependenciesOf = <K extends EntityType>(desired: Desired<K>): readonly EntityRef[] =>
  desired.state === null ? [] : (DEPENDENCIES[desired.ref.entityType] as (state: EntityStates[K]) => readonly EntityRef[])(desired.state);

/**
 * What must be applied before the entity can be deleted in the secondary: the things that still have
 * a deleted type and the child groups of a deleted group, each from its own primary record (which,
 * when the primary deleted the type or group, says the thing lost the type or was deleted, and the
 * child was deleted). A certificate needs none: its plan detaches it from everything first.
 */
export const dependentsOf = <K extends EntityType>(desired: Desired<K>, live: LiveStates[K]): readonly EntityRef[] => {
  if (desired.state !== null || live === null) return [];
  if (desired.ref.entityType === "thingType")
    return (live as NonNullable<LiveStates["thingType"]>).things.map((name) => ref("thing", name));
  if (desired.ref.entityType === "thingGroup")
    return (live as NonNullable<LiveStates["thingGroup"]>).children.map((name) => ref("thingGroup", name));
  return [];
};
