import { type IotContext, notFound } from "./iot-call";
import type { ThingGroupRecord } from "./iot-records";

/** Looks a thing group up or answers ResourceNotFoundException. */
export const requireThingGroup = (ctx: IotContext, thingGroupName: string): ThingGroupRecord => {
  const group = ctx.state.thingGroups.get(thingGroupName);
  if (!group) throw notFound(`Thing group ${thingGroupName} does not exist`);
  return group;
};

/** The group's ancestors from the root down to its parent: AWS's `rootToParentThingGroups` order. */
export const ancestorsOf = (ctx: IotContext, group: ThingGroupRecord): ThingGroupRecord[] => {
  const ancestors: ThingGroupRecord[] = [];
  let parentName = group.parentGroupName;
  while (parentName !== undefined) {
    const parent = ctx.state.thingGroups.get(parentName);
    if (!parent) break;
    ancestors.unshift(parent);
    parentName = parent.parentGroupName;
  }
  return ancestors;
};

/** Direct children of a group. */
export const childrenOf = (ctx: IotContext, thingGroupName: string): ThingGroupRecord[] =>
  [...ctx.state.thingGroups.values()].filter((group) => group.parentGroupName === thingGroupName);

/** Every group below a group, at any depth. */
export const descendantsOf = (ctx: IotContext, thingGroupName: string): ThingGroupRecord[] =>
  childrenOf(ctx, thingGroupName).flatMap((child) => [child, ...descendantsOf(ctx, child.thingGroupName)]);
