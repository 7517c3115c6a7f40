import { err, ok } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { attributeChanges, calls, isEmpty, type Planner } from "./plan-types";

/** Things: created with type and attributes; updated by merge (removed attributes as ""); principals detached before DeleteThing. */
export const planThing: Planner<"thing"> = (desired, live, [thingName]) => {
  if (desired === null) {
    if (live === null) return ok(calls());
    return ok({
      operations: [
        ...live.principals.map((principal) => ({ call: "DetachThingPrincipal" as const, thingName, principal })),
        { call: "DeleteThing" as const, thingName },
      ],
    });
  }
  if (live === null) {
    return ok(calls({ call: "CreateThing", thingName, thingTypeName: desired.thingTypeName, attributes: desired.attributes }));
  }
  const changes = attributeChanges(live.attributes, desired.attributes);
  const typeChange =
    desired.thingTypeName === live.thingTypeName
      ? undefined
      : desired.thingTypeName === null
        ? { remove: true as const }
        : { set: desired.thingTypeName };
  if (isEmpty(changes) && typeChange === undefined) return ok(calls());
  return ok(
    calls({
      call: "UpdateThing",
      thingName,
      ...(typeChange ? { thingType: typeChange } : {}),
      ...(isEmpty(changes) ? {} : { attributes: changes }),
    }),
  );
};

/**
 * Thing types: created (and deprecated if the primary's is), description and deprecation kept in step.
 * A deleted type is deprecated, then deleted: AWS refuses the delete until it has been deprecated for
 * 5 minutes or while things still have it, and that refusal defers the type to the redrive.
 */
export const planThingType: Planner<"thingType"> = (desired, live, [thingTypeName]) => {
  if (desired === null) {
    if (live === null) return ok(calls());
    return ok(
      calls(!live.isDeprecated && { call: "DeprecateThingType", thingTypeName, undo: false }, { call: "DeleteThingType", thingTypeName }),
    );
  }
  if (live === null) {
    return ok(
      calls(
        { call: "CreateThingType", thingTypeName, description: desired.description, searchableAttributes: desired.searchableAttributes },
        desired.isDeprecated && { call: "DeprecateThingType", thingTypeName, undo: false },
      ),
    );
  }
  return ok(
    calls(
      desired.description !== live.description && { call: "UpdateThingType", thingTypeName, description: desired.description },
      desired.isDeprecated !== live.isDeprecated && { call: "DeprecateThingType", thingTypeName, undo: !desired.isDeprecated },
    ),
  );
};

/** Thing groups: created under their parent (AWS cannot move a group later), description and attributes kept in step. */
export const planThingGroup: Planner<"thingGroup"> = (desired, live, [thingGroupName]) => {
  if (desired === null) return ok(calls(live !== null && { call: "DeleteThingGroup", thingGroupName }));
  if (live === null) {
    return ok(
      calls({
        call: "CreateThingGroup",
        thingGroupName,
        parentGroupName: desired.parentGroupName,
        description: desired.description,
        attributes: desired.attributes,
      }),
    );
  }
  if (live.parentGroupName !== desired.parentGroupName) {
    return err(
      new InvalidEvent(
        `thing group ${thingGroupName} has parent ${live.parentGroupName ?? "(none)"} in the secondary but ${desired.parentGroupName ?? "(none)"} in the primary; AWS IoT cannot move a group: delete it in the secondary and it is re-created`,
      ),
    );
  }
  const changes = attributeChanges(live.attributes, desired.attributes);
  if (isEmpty(changes) && live.description === desired.description) return ok(calls());
  return ok(calls({ call: "UpdateThingGroup", thingGroupName, description: desired.description, attributes: changes }));
};

export const planMembership: Planner<"thingGroupMembership"> = (desired, live, [thingGroupName, thingName]) => {
  const member = thingName ?? "";
  if (desired === null) return ok(calls(live.member && { call: "RemoveThingFromThingGroup", thingGroupName, thingName: member }));
  return ok(calls(!live.member && { call: "AddThingToThingGroup", thingGroupName, thingName: member }));
};

/** A hierarchy link is made by creating its child group under the parent (a dependency): nothing to call of its own. */
export const planHierarchy: Planner<"thingGroupHierarchy"> = () => ok(calls());

/** A type association is the thing's type: set it, or remove it when the association ended and the thing still has that type. */
export const planTypeAssociation: Planner<"thingTypeAssociation"> = (desired, live, [thingName, thingTypeName]) => {
  if (live === null) return ok(desired === null ? calls() : { operations: [], waitingFor: `thing ${thingName}` });
  if (desired === null) {
    return ok(calls(live.thingTypeName === thingTypeName && { call: "UpdateThing", thingName, thingType: { remove: true } }));
  }
  return ok(
    calls(live.thingTypeName !== desired.thingTypeName && { call: "UpdateThing", thingName, thingType: { set: desired.thingTypeName } }),
  );
};
