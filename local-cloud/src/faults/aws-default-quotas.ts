/**
 * AWS's default per-account, per-region request-rate quotas for the AWS IoT APIs the product calls:
 * the `aws-default` quota profile of the local cloud (`"quotaProfile": "aws-default"`), and the
 * numbers the applier's pacing and the fleet-scale simulation plan against.
 *
 * Each number says where it comes from. `confirmed` is true for the Service Quotas defaults (service
 * code `iotcore`, `ListAWSDefaultServiceQuotas`, quotas named `<Operation> API TPS`) as recorded for
 * issue 13, and for the four security APIs whose defaults a stored copy of the project
 * aws-iot-builder-tools/thingpress (`doc/aws-api-limits.md`, a table of "AWS IoT Core endpoints and
 * quotas" defaults checked 2025-06-13) gives; that table also agrees with the Service Quotas numbers
 * it repeats (CreateThing 100, DescribeThing 350, AttachThingPrincipal 100, ...). The others are the
 * values AWS's General Reference ("AWS IoT Core API throttling limits", "Device Shadow service
 * quotas", message broker quotas) is believed to give: no stored copy with the number was found, so
 * they are marked not confirmed.
 * AWS documents no burst for these quotas; the profile gives each bucket one second's worth.
 */

export interface DefaultQuota {
  /** The local endpoint's routing name: `iot` (control plane) or `iotdata` (data plane). */
  readonly service: "iot" | "iotdata";
  /** The API's operation name, as `operationOf` names a request. */
  readonly operation: string;
  /** Requests per second per account and region. */
  readonly tps: number;
  /** Where the number comes from. */
  readonly source: string;
  /** Whether the number was read from a recorded copy of its source (false: believed, not confirmed). */
  readonly confirmed: boolean;
}

const SERVICE_QUOTAS = "Service Quotas iotcore default, quota '<op> API TPS' (ListAWSDefaultServiceQuotas, as recorded in issue 13)";
const THINGPRESS_TABLE =
  "AWS General Reference, AWS IoT Core endpoints and quotas, 'AWS IoT Core API throttling limits', as tabulated in aws-iot-builder-tools/thingpress doc/aws-api-limits.md (checked 2025-06-13)";
const THROTTLING_LIMITS =
  "AWS General Reference, AWS IoT Core endpoints and quotas, 'AWS IoT Core API throttling limits': not confirmed from a stored source";
const SHADOW_QUOTAS =
  "AWS General Reference, AWS IoT Core endpoints and quotas, 'Device Shadow service quotas' (account-wide, shared by the shadow APIs; 4,000 in us-east-1, us-west-2 and eu-west-1, lower elsewhere): not confirmed from a stored source";
const BROKER_QUOTAS =
  "AWS General Reference, AWS IoT Core endpoints and quotas, message broker 'Inbound publish requests per second per account' (20,000 in us-east-1, us-west-2 and eu-west-1, lower elsewhere): not confirmed from a stored source";

const serviceQuota = (operation: string, tps: number): DefaultQuota => ({
  service: "iot",
  operation,
  tps,
  source: SERVICE_QUOTAS.replace("<op>", operation),
  confirmed: true,
});

const tabulated = (operation: string, tps: number): DefaultQuota => ({
  service: "iot",
  operation,
  tps,
  source: THINGPRESS_TABLE,
  confirmed: true,
});

const believed = (service: DefaultQuota["service"], operation: string, tps: number, source: string): DefaultQuota => ({
  service,
  operation,
  tps,
  source,
  confirmed: false,
});

export const AWS_DEFAULT_IOT_QUOTAS: readonly DefaultQuota[] = [
  // Registry: things, thing groups, thing types, thing principals.
  serviceQuota("CreateThing", 100),
  serviceQuota("UpdateThing", 100),
  serviceQuota("DeleteThing", 100),
  serviceQuota("DescribeThing", 350),
  serviceQuota("ListThings", 10),
  serviceQuota("ListThingPrincipals", 10),
  serviceQuota("ListPrincipalThings", 10),
  serviceQuota("AttachThingPrincipal", 100),
  serviceQuota("DetachThingPrincipal", 100),
  serviceQuota("CreateThingGroup", 25),
  serviceQuota("UpdateThingGroup", 15),
  serviceQuota("DeleteThingGroup", 15),
  serviceQuota("DescribeThingGroup", 100),
  serviceQuota("ListThingGroups", 10),
  serviceQuota("ListThingGroupsForThing", 100),
  serviceQuota("ListThingsInThingGroup", 25),
  serviceQuota("AddThingToThingGroup", 100),
  serviceQuota("RemoveThingFromThingGroup", 100),
  serviceQuota("CreateThingType", 15),
  serviceQuota("DescribeThingType", 100),
  serviceQuota("DeprecateThingType", 15),
  serviceQuota("DeleteThingType", 15),
  serviceQuota("ListThingTypes", 10),
  believed("iot", "UpdateThingType", 15, THROTTLING_LIMITS),
  believed("iot", "DescribeEndpoint", 10, THROTTLING_LIMITS),
  // Security: certificates and policies.
  tabulated("RegisterCertificateWithoutCA", 10),
  tabulated("DescribeCertificate", 10),
  believed("iot", "UpdateCertificate", 10, THROTTLING_LIMITS),
  believed("iot", "DeleteCertificate", 10, THROTTLING_LIMITS),
  believed("iot", "ListCertificates", 10, THROTTLING_LIMITS),
  believed("iot", "CreatePolicy", 10, THROTTLING_LIMITS),
  tabulated("GetPolicy", 10),
  believed("iot", "CreatePolicyVersion", 10, THROTTLING_LIMITS),
  believed("iot", "DeletePolicyVersion", 10, THROTTLING_LIMITS),
  believed("iot", "ListPolicyVersions", 10, THROTTLING_LIMITS),
  believed("iot", "DeletePolicy", 10, THROTTLING_LIMITS),
  believed("iot", "ListPolicies", 10, THROTTLING_LIMITS),
  tabulated("AttachPolicy", 15),
  believed("iot", "DetachPolicy", 15, THROTTLING_LIMITS),
  believed("iot", "ListAttachedPolicies", 15, THROTTLING_LIMITS),
  believed("iot", "ListTargetsForPolicy", 10, THROTTLING_LIMITS),
  // Data plane: Device Shadow service and HTTP publish.
  believed("iotdata", "GetThingShadow", 4000, SHADOW_QUOTAS),
  believed("iotdata", "UpdateThingShadow", 4000, SHADOW_QUOTAS),
  believed("iotdata", "DeleteThingShadow", 4000, SHADOW_QUOTAS),
  believed("iotdata", "ListNamedShadowsForThing", 10, THROTTLING_LIMITS),
  believed("iotdata", "Publish", 20000, BROKER_QUOTAS),
];
