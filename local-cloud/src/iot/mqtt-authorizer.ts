import { regionalArn } from "../endpoint/partitions";
import { type CompiledPolicies, compilePolicies, type ParsedPolicy, type PolicyDecision, parsePolicyDocument } from "./policy-evaluator";
import type { PolicyVariables } from "./policy-patterns";

/**
 * Authorises MQTT clients of one region's broker the way AWS IoT Core does for certificate
 * principals: the certificate must be registered in the region and ACTIVE, and the policies attached
 * to it (plus, for a client whose id names a thing that has the certificate attached, the policies of
 * that thing's groups) must allow iot:Connect, iot:Publish, iot:Subscribe and iot:Receive. Pure: the
 * brokers' worker thread runs it (bundled) against snapshots of the registry that the main thread sends.
 */

/** What a region's broker needs from the IoT registry. Plain data, so it can cross to the worker thread. */
export interface AccessSnapshot {
  readonly region: string;
  readonly accountId: string;
  /** certificate id (SHA-256 of the DER) -> its ARN and status. */
  readonly certificates: Readonly<Record<string, { readonly arn: string; readonly status: string }>>;
  /** policy name -> the document of its default version. */
  readonly policies: Readonly<Record<string, string>>;
  /** target ARN (certificate, thing group) -> names of the policies attached to it. */
  readonly attachedPolicies: Readonly<Record<string, readonly string[]>>;
  /** Things that have principals attached, by name. */
  readonly things: Readonly<Record<string, SnapshotThing>>;
}

export interface SnapshotThing {
  readonly thingTypeName?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly principals: readonly string[];
  /** ARNs of the groups the thing is in and of their ancestors. */
  readonly thingGroupArns: readonly string[];
}

/** Who is asking: the certificate the client presented in the TLS handshake and its MQTT client id. */
export interface MqttPrincipal {
  readonly certificateId: string;
  readonly clientId: string;
}

export type AccessResult = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface RegionAuthorizer {
  /** Whether a TLS client with this certificate may go on to MQTT: registered in this region and ACTIVE. */
  admit(certificateId: string): AccessResult;
  connect(principal: MqttPrincipal): AccessResult;
  /** A retained message needs iot:RetainPublish as well. */
  publish(principal: MqttPrincipal, topic: string, retain: boolean): AccessResult;
  subscribe(principal: MqttPrincipal, topicFilter: string): AccessResult;
  receive(principal: MqttPrincipal, topic: string): AccessResult;
}

export const emptyAccessSnapshot = (region: string, accountId: string): AccessSnapshot => ({
  region,
  accountId,
  certificates: {},
  policies: {},
  attachedPolicies: {},
  things: {},
});

const ALLOWED: AccessResult = { allowed: true };
/** A reconnecting fleet with ever-new client ids must not grow the cache without bound. */
const MAX_CACHED_PRINCIPALS = 1000;

interface PrincipalView {
  readonly policies: CompiledPolicies;
  /** Where the policies came from, for log lines: "certificate" or "certificate and thing groups of <thing>". */
  readonly source: string;
}

const explain = (decision: PolicyDecision, view: PrincipalView): string => {
  if (decision.effect === "ExplicitDeny") return `explicitly denied by statement ${decision.statement} of policy ${decision.policyName}`;
  const names = view.policies.policyNames;
  const base =
    names.length === 0 ? `no policy is attached to its ${view.source}` : `no statement of its policies (${names.join(", ")}) allows it`;
  return [base, ...(decision.effect === "ImplicitDeny" ? decision.notes : [])].join("; ");
};

export const createRegionAuthorizer = (snapshot: AccessSnapshot): RegionAuthorizer => {
  const parsed = new Map<string, ParsedPolicy>();
  const policy = (name: string): ParsedPolicy | undefined => {
    const document = snapshot.policies[name];
    if (document === undefined) return undefined;
    let known = parsed.get(name);
    if (!known) {
      known = parsePolicyDocument(name, document);
      parsed.set(name, known);
    }
    return known;
  };
  const arn = (resource: string): string => regionalArn(snapshot.region, "iot", resource, snapshot.accountId);
  const views = new Map<string, PrincipalView>();

  /** The thing AWS evaluates thing variables and thing group policies for: named like the client id, with this certificate attached. */
  const viewOf = (principal: MqttPrincipal, certificateArn: string): PrincipalView => {
    const key = `${principal.certificateId}\n${principal.clientId}`;
    const cached = views.get(key);
    if (cached) return cached;
    const candidate = Object.hasOwn(snapshot.things, principal.clientId) ? snapshot.things[principal.clientId] : undefined;
    const thing = candidate?.principals.includes(certificateArn) ? candidate : undefined;
    const variables: Record<string, string | undefined> = {
      "iot:ClientId": principal.clientId,
      "iot:Connection.Thing.ThingName": thing ? principal.clientId : undefined,
      "iot:Connection.Thing.ThingTypeName": thing?.thingTypeName,
      "iot:Connection.Thing.IsAttached": thing ? "true" : "false",
    };
    for (const [name, value] of Object.entries(thing?.attributes ?? {})) variables[`iot:Connection.Thing.Attributes[${name}]`] = value;
    const targets = [certificateArn, ...(thing?.thingGroupArns ?? [])];
    const names = [...new Set(targets.flatMap((target) => snapshot.attachedPolicies[target] ?? []))];
    const policies = names.map(policy).filter((found): found is ParsedPolicy => found !== undefined);
    const view: PrincipalView = {
      policies: compilePolicies(policies, variables as PolicyVariables),
      source: thing ? `certificate or to the groups of thing ${principal.clientId}` : "certificate",
    };
    if (views.size >= MAX_CACHED_PRINCIPALS) views.clear();
    views.set(key, view);
    return view;
  };

  const admit = (certificateId: string): AccessResult => {
    const certificate = snapshot.certificates[certificateId];
    if (!certificate) return { allowed: false, reason: `certificate ${certificateId} is not registered in ${snapshot.region}` };
    if (certificate.status !== "ACTIVE") {
      return { allowed: false, reason: `certificate ${certificateId} is ${certificate.status} in ${snapshot.region}` };
    }
    return ALLOWED;
  };

  const decide = (principal: MqttPrincipal, action: string, resource: string): AccessResult => {
    const admitted = admit(principal.certificateId);
    if (!admitted.allowed) return admitted;
    const certificateArn = snapshot.certificates[principal.certificateId]?.arn ?? "";
    const view = viewOf(principal, certificateArn);
    const resourceArn = arn(resource);
    const decision = view.policies.evaluate(action, resourceArn);
    if (decision.effect === "Allow") return ALLOWED;
    return {
      allowed: false,
      reason: `client '${principal.clientId}' (certificate ${principal.certificateId}) may not ${action} ${resourceArn}: ${explain(decision, view)}`,
    };
  };

  return {
    admit,
    connect: (principal) => decide(principal, "iot:Connect", `client/${principal.clientId}`),
    publish: (principal, topic, retain) => {
      const publish = decide(principal, "iot:Publish", `topic/${topic}`);
      return publish.allowed && retain ? decide(principal, "iot:RetainPublish", `topic/${topic}`) : publish;
    },
    subscribe: (principal, topicFilter) => decide(principal, "iot:Subscribe", `topicfilter/${topicFilter}`),
    receive: (principal, topic) => decide(principal, "iot:Receive", `topic/${topic}`),
  };
};
