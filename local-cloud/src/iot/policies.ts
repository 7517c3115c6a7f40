import { AwsError } from "../endpoint/aws-error";
import { iotArn } from "./iot-arns";
import {
  alreadyExists,
  deleteConflict,
  epochSeconds,
  type IotCall,
  type IotContext,
  type IotRoute,
  invalidRequest,
  label,
  notFound,
  queryBoolean,
  queryInteger,
  requiredString,
} from "./iot-call";
import type { PolicyRecord, PolicyVersionRecord } from "./iot-records";
import { MARKER_PAGE, pageByKey } from "./paging";
import { validatePolicyDocument } from "./policy-document";

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** AWS keeps at most five versions of a policy. */
const MAX_VERSIONS = 5;

/** Looks a policy up or answers ResourceNotFoundException. */
export const requirePolicy = (ctx: IotContext, policyName: string): PolicyRecord => {
  const policy = ctx.state.policies.get(policyName);
  if (!policy) throw notFound(`Policy ${policyName} does not exist`);
  return policy;
};

const requireVersion = (policy: PolicyRecord, versionId: string): PolicyVersionRecord => {
  const version = policy.versions.get(versionId);
  if (!version) throw notFound(`Policy ${policy.policyName} has no version ${versionId}`);
  return version;
};

const defaultVersion = (policy: PolicyRecord): PolicyVersionRecord => requireVersion(policy, policy.defaultVersionId);

const readDocument = (call: IotCall): string => {
  const document = requiredString(call.body.policyDocument, "policyDocument");
  validatePolicyDocument(document);
  return document;
};

const createPolicy = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const policyName = label(call, "policyName");
  if (!POLICY_NAME.test(policyName)) throw invalidRequest(`policyName ${policyName} must match [\\w+=,.@-]{1,128}`);
  if (ctx.state.policies.has(policyName)) throw alreadyExists(`Policy ${policyName} already exists`);
  const document = readDocument(call);
  const now = ctx.clock();
  const policy: PolicyRecord = {
    policyName,
    versions: new Map([["1", { versionId: "1", document, createDate: now }]]),
    defaultVersionId: "1",
    nextVersionNumber: 2,
    creationDate: now,
    lastModifiedDate: now,
    generationId: ctx.newId(),
  };
  ctx.state.policies.set(policyName, policy);
  return { policyName, policyArn: iotArn(ctx.region, "policy", policyName), policyDocument: document, policyVersionId: "1" };
};

const getPolicy = (call: IotCall): Record<string, unknown> => {
  const policy = requirePolicy(call.ctx, label(call, "policyName"));
  return {
    policyName: policy.policyName,
    policyArn: iotArn(call.ctx.region, "policy", policy.policyName),
    policyDocument: defaultVersion(policy).document,
    defaultVersionId: policy.defaultVersionId,
    creationDate: epochSeconds(policy.creationDate),
    lastModifiedDate: epochSeconds(policy.lastModifiedDate),
    generationId: policy.generationId,
  };
};

const touch = (ctx: IotContext, policy: PolicyRecord): void => {
  policy.lastModifiedDate = ctx.clock();
  policy.generationId = ctx.newId();
};

const createPolicyVersion = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const policy = requirePolicy(ctx, label(call, "policyName"));
  const document = readDocument(call);
  if (policy.versions.size >= MAX_VERSIONS) {
    throw new AwsError(
      "VersionsLimitExceededException",
      `Policy ${policy.policyName} already has ${MAX_VERSIONS} versions; delete one first`,
      409,
    );
  }
  const versionId = String(policy.nextVersionNumber);
  policy.nextVersionNumber += 1;
  policy.versions.set(versionId, { versionId, document, createDate: ctx.clock() });
  const setAsDefault = queryBoolean(call.query, "setAsDefault") === true;
  if (setAsDefault) policy.defaultVersionId = versionId;
  touch(ctx, policy);
  return {
    policyArn: iotArn(ctx.region, "policy", policy.policyName),
    policyDocument: document,
    policyVersionId: versionId,
    isDefaultVersion: setAsDefault,
  };
};

const getPolicyVersion = (call: IotCall): Record<string, unknown> => {
  const policy = requirePolicy(call.ctx, label(call, "policyName"));
  const version = requireVersion(policy, label(call, "policyVersionId"));
  return {
    policyArn: iotArn(call.ctx.region, "policy", policy.policyName),
    policyName: policy.policyName,
    policyDocument: version.document,
    policyVersionId: version.versionId,
    isDefaultVersion: version.versionId === policy.defaultVersionId,
    creationDate: epochSeconds(version.createDate),
    lastModifiedDate: epochSeconds(policy.lastModifiedDate),
    generationId: policy.generationId,
  };
};

const listPolicyVersions = (call: IotCall): Record<string, unknown> => {
  const policy = requirePolicy(call.ctx, label(call, "policyName"));
  const newestFirst = [...policy.versions.values()].sort((a, b) => Number(b.versionId) - Number(a.versionId));
  return {
    policyVersions: newestFirst.map((version) => ({
      versionId: version.versionId,
      isDefaultVersion: version.versionId === policy.defaultVersionId,
      createDate: epochSeconds(version.createDate),
    })),
  };
};

const setDefaultPolicyVersion = (call: IotCall): Record<string, unknown> => {
  const policy = requirePolicy(call.ctx, label(call, "policyName"));
  policy.defaultVersionId = requireVersion(policy, label(call, "policyVersionId")).versionId;
  touch(call.ctx, policy);
  return {};
};

const deletePolicyVersion = (call: IotCall): Record<string, unknown> => {
  const policy = requirePolicy(call.ctx, label(call, "policyName"));
  const version = requireVersion(policy, label(call, "policyVersionId"));
  if (version.versionId === policy.defaultVersionId) throw deleteConflict("Cannot delete the default version of a policy");
  policy.versions.delete(version.versionId);
  return {};
};

const deletePolicy = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const policy = requirePolicy(ctx, label(call, "policyName"));
  if ((ctx.state.policyTargets.get(policy.policyName)?.size ?? 0) > 0) {
    throw deleteConflict(`Policy ${policy.policyName} is attached to one or more targets; detach it first`);
  }
  if (policy.versions.size > 1) throw deleteConflict(`Policy ${policy.policyName} has non-default versions; delete them first`);
  ctx.state.policies.delete(policy.policyName);
  ctx.state.policyTargets.delete(policy.policyName);
  return {};
};

const listPolicies = ({ ctx, query }: IotCall): Record<string, unknown> => {
  const page = pageByKey([...ctx.state.policies.keys()], (name) => name, {
    maxResults: queryInteger(query, "pageSize"),
    nextToken: query.get("marker"),
    ...MARKER_PAGE,
  });
  return {
    policies: page.items.map((policyName) => ({ policyName, policyArn: iotArn(ctx.region, "policy", policyName) })),
    ...(page.nextToken ? { nextMarker: page.nextToken } : {}),
  };
};

/** IoT policies and their (at most five) versions. */
export const policyRoutes: readonly IotRoute[] = [
  { method: "POST", path: "/policies/{policyName}", operation: "CreatePolicy", handler: createPolicy },
  { method: "GET", path: "/policies/{policyName}", operation: "GetPolicy", handler: getPolicy },
  { method: "DELETE", path: "/policies/{policyName}", operation: "DeletePolicy", handler: deletePolicy },
  { method: "GET", path: "/policies", operation: "ListPolicies", handler: listPolicies },
  { method: "POST", path: "/policies/{policyName}/version", operation: "CreatePolicyVersion", handler: createPolicyVersion },
  { method: "GET", path: "/policies/{policyName}/version", operation: "ListPolicyVersions", handler: listPolicyVersions },
  { method: "GET", path: "/policies/{policyName}/version/{policyVersionId}", operation: "GetPolicyVersion", handler: getPolicyVersion },
  {
    method: "PATCH",
    path: "/policies/{policyName}/version/{policyVersionId}",
    operation: "SetDefaultPolicyVersion",
    handler: setDefaultPolicyVersion,
  },
  {
    method: "DELETE",
    path: "/policies/{policyName}/version/{policyVersionId}",
    operation: "DeletePolicyVersion",
    handler: deletePolicyVersion,
  },
];
