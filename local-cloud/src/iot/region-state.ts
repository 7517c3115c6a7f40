import type { CertificateRecord, PolicyRecord, ThingGroupRecord, ThingRecord, ThingTypeRecord } from "./iot-records";

/** Registry event types AWS IoT knows (the keys of UpdateEventConfigurations), all off by default. */
export const REGISTRY_EVENT_TYPES = [
  "THING",
  "THING_GROUP",
  "THING_TYPE",
  "THING_GROUP_MEMBERSHIP",
  "THING_GROUP_HIERARCHY",
  "THING_TYPE_ASSOCIATION",
  "JOB",
  "JOB_EXECUTION",
  "POLICY",
  "CERTIFICATE",
  "CA_CERTIFICATE",
] as const;
export type RegistryEventType = (typeof REGISTRY_EVENT_TYPES)[number];

/** Everything one region's IoT registry holds. Regions never share state, as in AWS. */
export interface RegionState {
  readonly things: Map<string, ThingRecord>;
  readonly thingTypes: Map<string, ThingTypeRecord>;
  readonly thingGroups: Map<string, ThingGroupRecord>;
  /** thing name -> (group name -> membership id). */
  readonly memberships: Map<string, Map<string, string>>;
  readonly policies: Map<string, PolicyRecord>;
  /** policy name -> targets (certificate ARNs, thing group ARNs, Cognito identities, ...). */
  readonly policyTargets: Map<string, Set<string>>;
  readonly certificates: Map<string, CertificateRecord>;
  /** thing name -> principals (certificate ARNs, ...). */
  readonly thingPrincipals: Map<string, Set<string>>;
  readonly eventConfigurations: Map<RegistryEventType, boolean>;
  readonly createdAt: number;
  eventConfigurationsModifiedAt: number;
}

/** A fresh, empty registry as a new AWS account region has it (every registry event disabled). */
export const createRegionState = (now: number): RegionState => ({
  things: new Map(),
  thingTypes: new Map(),
  thingGroups: new Map(),
  memberships: new Map(),
  policies: new Map(),
  policyTargets: new Map(),
  certificates: new Map(),
  thingPrincipals: new Map(),
  eventConfigurations: new Map(REGISTRY_EVENT_TYPES.map((type) => [type, false])),
  createdAt: now,
  eventConfigurationsModifiedAt: now,
});
