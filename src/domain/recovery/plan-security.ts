import { ok } from "neverthrow";
import type { IotOperation } from "./iot-operations";
import { calls, type Planner } from "./plan-types";
import { rewritePolicyDocument, samePolicyDocument } from "./policy-document";

/** AWS IoT keeps at most five versions of a policy. */
export const MAX_POLICY_VERSIONS = 5;

/** Statuses UpdateCertificate can set; a certificate in any other (a transfer in flight) is kept INACTIVE in the secondary. */
const SETTABLE_STATUSES = new Set(["ACTIVE", "INACTIVE", "REVOKED"]);
const settable = (status: string): string => (SETTABLE_STATUSES.has(status) ? status : "INACTIVE");

/**
 * Certificates: registered without a CA from the same PEM, so the secondary gets the same certificate
 * id (its fingerprint), with the primary's status. Deleted in a safe order: detached from every policy
 * and thing, made INACTIVE, then deleted.
 */
export const planCertificate: Planner<"certificate"> = (desired, live, [certificateId]) => {
  if (desired === null) {
    if (live === null) return ok(calls());
    return ok({
      operations: [
        ...live.policies.map((policyName): IotOperation => ({ call: "DetachPolicy", policyName, target: live.certificateArn })),
        ...live.things.map((thingName): IotOperation => ({ call: "DetachThingPrincipal", thingName, principal: live.certificateArn })),
        ...(live.status === "ACTIVE" ? [{ call: "UpdateCertificate" as const, certificateId, newStatus: "INACTIVE" }] : []),
        { call: "DeleteCertificate", certificateId },
      ],
    });
  }
  const status = settable(desired.status);
  if (live === null) {
    const registered = status === "ACTIVE" ? "ACTIVE" : "INACTIVE";
    return ok(
      calls(
        { call: "RegisterCertificateWithoutCA", certificatePem: desired.certificatePem, status: registered },
        status !== registered && { call: "UpdateCertificate", certificateId, newStatus: status },
      ),
    );
  }
  return ok(calls(live.status !== status && { call: "UpdateCertificate", certificateId, newStatus: status }));
};

/**
 * Policies: created, or given a new default version when the document differs (the oldest non-default
 * version deleted first when AWS's limit of five is reached). Deleted after being detached from every
 * target and losing its non-default versions, as AWS requires.
 */
export const planPolicy: Planner<"policy"> = (desired, live, [policyName], context) => {
  if (desired === null) {
    if (live === null) return ok(calls());
    return ok({
      operations: [
        ...live.targets.map((target): IotOperation => ({ call: "DetachPolicy", policyName, target })),
        ...live.versions
          .filter((version) => !version.isDefault)
          .map((version): IotOperation => ({ call: "DeletePolicyVersion", policyName, policyVersionId: version.versionId })),
        { call: "DeletePolicy", policyName },
      ],
    });
  }
  const policyDocument = rewritePolicyDocument(desired.policyDocument, context.primaryRegion, context.secondaryRegion);
  if (live === null) return ok(calls({ call: "CreatePolicy", policyName, policyDocument }));
  if (samePolicyDocument(live.defaultDocument, policyDocument)) return ok(calls());
  const [oldest] = live.versions.filter((version) => !version.isDefault).sort((a, b) => a.createdAt - b.createdAt);
  return ok(
    calls(
      live.versions.length >= MAX_POLICY_VERSIONS &&
        oldest !== undefined && { call: "DeletePolicyVersion", policyName, policyVersionId: oldest.versionId },
      { call: "CreatePolicyVersion", policyName, policyDocument },
    ),
  );
};

/** A policy attached to a certificate, by the certificate's ARN in the secondary. */
export const planPolicyPrincipal: Planner<"policyPrincipal"> = (desired, live, [policyName, certificateId]) => {
  if (live.certificateArn === null) {
    return ok(desired === null ? calls() : { operations: [], waitingFor: `certificate ${certificateId}` });
  }
  if (desired === null) return ok(calls(live.attached && { call: "DetachPolicy", policyName, target: live.certificateArn }));
  return ok(calls(!live.attached && { call: "AttachPolicy", policyName, target: live.certificateArn }));
};

/** A certificate attached to a thing, by the certificate's ARN in the secondary. */
export const planThingPrincipal: Planner<"thingPrincipal"> = (desired, live, [thingName, certificateId]) => {
  if (live.certificateArn === null) {
    return ok(desired === null ? calls() : { operations: [], waitingFor: `certificate ${certificateId}` });
  }
  if (desired === null) return ok(calls(live.attached && { call: "DetachThingPrincipal", thingName, principal: live.certificateArn }));
  return ok(calls(!live.attached && { call: "AttachThingPrincipal", thingName, principal: live.certificateArn }));
};
