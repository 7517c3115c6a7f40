import { LOCAL_ACCOUNT_ID } from "../endpoint/service";
import { iotArn } from "./iot-arns";
import type { IotContext } from "./iot-call";
import type { AccessSnapshot, SnapshotThing } from "./mqtt-authorizer";
import { ancestorsOf } from "./thing-group-hierarchy";

/** ARNs of the groups a thing is in and of all their ancestors: policies attached to any of them apply to the thing. */
const thingGroupArnsOf = (ctx: IotContext, thingName: string): string[] => {
  const arns = new Set<string>();
  for (const groupName of ctx.state.memberships.get(thingName)?.keys() ?? []) {
    const group = ctx.state.thingGroups.get(groupName);
    if (!group) continue;
    for (const each of [...ancestorsOf(ctx, group), group]) arns.add(iotArn(ctx.region, "thinggroup", each.thingGroupName));
  }
  return [...arns];
};

/**
 * The part of a region's registry that decides who may do what on its broker: certificates and their
 * status, policies' default versions, policy attachments, and the things that have principals (for
 * thing policy variables and thing group policies). The brokers' worker thread authorises MQTT
 * packets against the latest one (see mqtt-authorizer.ts).
 */
export const accessSnapshotOf = (ctx: IotContext): AccessSnapshot => {
  const { state } = ctx;
  const certificates: Record<string, { arn: string; status: string }> = {};
  for (const certificate of state.certificates.values()) {
    certificates[certificate.certificateId] = { arn: certificate.certificateArn, status: certificate.status };
  }
  const policies: Record<string, string> = {};
  for (const policy of state.policies.values()) {
    const document = policy.versions.get(policy.defaultVersionId)?.document;
    if (document !== undefined) policies[policy.policyName] = document;
  }
  const attachedPolicies: Record<string, string[]> = {};
  for (const [policyName, targets] of state.policyTargets) {
    for (const target of targets) attachedPolicies[target] = [...(attachedPolicies[target] ?? []), policyName];
  }
  const things: Record<string, SnapshotThing> = {};
  for (const [thingName, principals] of state.thingPrincipals) {
    const thing = state.things.get(thingName);
    if (!thing || principals.size === 0) continue;
    things[thingName] = {
      ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
      attributes: { ...thing.attributes },
      principals: [...principals],
      thingGroupArns: thingGroupArnsOf(ctx, thingName),
    };
  }
  return { region: ctx.region, accountId: LOCAL_ACCOUNT_ID, certificates, policies, attachedPolicies, things };
};

/**
 * Hands a region's access snapshot to `send` after a registry call, but only when it differs from the
 * last one sent for that region: most registry calls (things without certificates, types, groups
 * nobody's policies name) change nothing a broker decides on, and a new snapshot empties the
 * authorizer's caches.
 */
export const createAccessSnapshotPublisher = (
  send: (region: string, snapshot: AccessSnapshot) => Promise<void>,
): ((ctx: IotContext) => Promise<void>) => {
  const lastSent = new Map<string, string>();
  return async (ctx) => {
    const snapshot = accessSnapshotOf(ctx);
    const fingerprint = JSON.stringify(snapshot);
    if (lastSent.get(ctx.region) === fingerprint) return;
    lastSent.set(ctx.region, fingerprint);
    await send(ctx.region, snapshot);
  };
};
