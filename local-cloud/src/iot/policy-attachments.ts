import { AwsError } from "../endpoint/aws-error";
import { iotArn, parseIotArn } from "./iot-arns";
import { type IotCall, type IotContext, type IotRoute, label, notFound, queryBoolean, queryInteger, requiredString } from "./iot-call";
import { MARKER_PAGE, pageByKey } from "./paging";
import { requirePolicy } from "./policies";
import { ancestorsOf } from "./thing-group-hierarchy";

/** AWS attaches at most ten policies to one target. */
const MAX_POLICIES_PER_TARGET = 10;

/**
 * Refuses targets that name a certificate or thing group this region does not have; other targets
 * (Cognito identities, ...) are taken as given since the local cloud does not model them.
 */
const requireTarget = (ctx: IotContext, target: string): void => {
  const arn = parseIotArn(target);
  if (arn?.kind === "cert" && !ctx.state.certificates.has(arn.name)) throw notFound(`Certificate ${arn.name} does not exist`);
  if (arn?.kind === "thinggroup" && !ctx.state.thingGroups.has(arn.name)) throw notFound(`Thing group ${arn.name} does not exist`);
};

/** Policy names attached directly to a target. */
export const policiesAttachedTo = (ctx: IotContext, target: string): string[] =>
  [...ctx.state.policyTargets.entries()].filter(([, targets]) => targets.has(target)).map(([policyName]) => policyName);

const attachPolicy = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const policy = requirePolicy(ctx, label(call, "policyName"));
  const target = requiredString(call.body.target, "target");
  requireTarget(ctx, target);
  const targets = ctx.state.policyTargets.get(policy.policyName) ?? new Set<string>();
  if (targets.has(target)) return {};
  if (policiesAttachedTo(ctx, target).length >= MAX_POLICIES_PER_TARGET) {
    throw new AwsError("LimitExceededException", `target ${target} already has ${MAX_POLICIES_PER_TARGET} policies attached`, 410);
  }
  targets.add(target);
  ctx.state.policyTargets.set(policy.policyName, targets);
  return {};
};

const detachPolicy = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const policy = requirePolicy(ctx, label(call, "policyName"));
  const target = requiredString(call.body.target, "target");
  ctx.state.policyTargets.get(policy.policyName)?.delete(target);
  return {};
};

/** With `recursive`, a thing group target also reports the policies its ancestor groups pass down. */
const listAttachedPolicies = (call: IotCall): Record<string, unknown> => {
  const { ctx, query } = call;
  const target = label(call, "target");
  requireTarget(ctx, target);
  const targets = [target];
  const arn = parseIotArn(target);
  const group = arn?.kind === "thinggroup" ? ctx.state.thingGroups.get(arn.name) : undefined;
  if (group && queryBoolean(query, "recursive") === true) {
    targets.push(...ancestorsOf(ctx, group).map((ancestor) => iotArn(ctx.region, "thinggroup", ancestor.thingGroupName)));
  }
  const names = new Set(targets.flatMap((each) => policiesAttachedTo(ctx, each)));
  const page = pageByKey([...names], (name) => name, {
    maxResults: queryInteger(query, "pageSize"),
    nextToken: query.get("marker"),
    ...MARKER_PAGE,
  });
  return {
    policies: page.items.map((policyName) => ({ policyName, policyArn: iotArn(ctx.region, "policy", policyName) })),
    ...(page.nextToken ? { nextMarker: page.nextToken } : {}),
  };
};

const listTargetsForPolicy = (call: IotCall): Record<string, unknown> => {
  const { ctx, query } = call;
  const policy = requirePolicy(ctx, label(call, "policyName"));
  const targets = [...(ctx.state.policyTargets.get(policy.policyName) ?? [])];
  const page = pageByKey(targets, (target) => target, {
    maxResults: queryInteger(query, "pageSize"),
    nextToken: query.get("marker"),
    ...MARKER_PAGE,
  });
  return { targets: page.items, ...(page.nextToken ? { nextMarker: page.nextToken } : {}) };
};

/** Which policies are attached to which targets (certificates, thing groups, identities). */
export const policyAttachmentRoutes: readonly IotRoute[] = [
  { method: "PUT", path: "/target-policies/{policyName}", operation: "AttachPolicy", handler: attachPolicy },
  { method: "POST", path: "/target-policies/{policyName}", operation: "DetachPolicy", handler: detachPolicy },
  { method: "POST", path: "/attached-policies/{target}", operation: "ListAttachedPolicies", handler: listAttachedPolicies },
  { method: "POST", path: "/policy-targets/{policyName}", operation: "ListTargetsForPolicy", handler: listTargetsForPolicy },
];
