import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import type { ApiRate } from "./call-schedule";

/**
 * AWS IoT's default requests-per-second quota, per account and region, of every API the product
 * calls (control plane `iot`, data plane `iotdata`). Sources: Service Quotas, service `iotcore`,
 * `ListAWSDefaultServiceQuotas` ("<API> API TPS") for the registry APIs; the AWS General Reference,
 * "AWS IoT Core endpoints and quotas", API throttling limits, for the certificate and policy APIs and
 * the Device Shadow service (4,000 requests per second per account in the largest regions). Only
 * AttachPolicy, RegisterCertificateWithoutCA, DescribeCertificate and GetPolicy of those were
 * confirmed from a stored copy; the others are believed, not confirmed (the local cloud's
 * `AWS_DEFAULT_IOT_QUOTAS` says which, per number, and a test keeps the two tables equal). An account
 * with raised quotas says so with the `IotApiQuotaOverrides` parameter.
 */
export const IOT_DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  // Registry (Service Quotas, iotcore).
  CreateThing: 100,
  UpdateThing: 100,
  DeleteThing: 100,
  DescribeThing: 350,
  ListThings: 10,
  ListThingPrincipals: 10,
  ListPrincipalThings: 10,
  AttachThingPrincipal: 100,
  DetachThingPrincipal: 100,
  CreateThingGroup: 25,
  UpdateThingGroup: 15,
  DeleteThingGroup: 15,
  DescribeThingGroup: 100,
  ListThingGroups: 10,
  ListThingGroupsForThing: 100,
  ListThingsInThingGroup: 25,
  AddThingToThingGroup: 100,
  RemoveThingFromThingGroup: 100,
  CreateThingType: 15,
  DescribeThingType: 100,
  DeprecateThingType: 15,
  DeleteThingType: 15,
  ListThingTypes: 10,
  // Certificates and policies (General Reference, API throttling limits).
  RegisterCertificateWithoutCA: 10,
  DescribeCertificate: 10,
  UpdateCertificate: 10,
  DeleteCertificate: 10,
  ListCertificates: 10,
  CreatePolicy: 10,
  GetPolicy: 10,
  CreatePolicyVersion: 10,
  DeletePolicyVersion: 10,
  ListPolicyVersions: 10,
  DeletePolicy: 10,
  ListPolicies: 10,
  AttachPolicy: 15,
  DetachPolicy: 15,
  ListAttachedPolicies: 15,
  ListTargetsForPolicy: 10,
  // Device Shadow service (account-wide).
  GetThingShadow: 4000,
  UpdateThingShadow: 4000,
  DeleteThingShadow: 4000,
  ListNamedShadowsForThing: 10,
};

/** The applier's default share of each quota: the rest is left for the account's other users. */
export const DEFAULT_QUOTA_SHARE = 0.8;

/** Per-API rates the product keeps to: the quota (default or overridden) times the share, one second's worth of burst. */
export type ApiBudgets = ReadonlyMap<string, ApiRate>;

/**
 * The budgets from the template's parameters: `share` (0 < share <= 1) of each quota, and
 * `overrides` as `CreateThing=200,AttachPolicy=30` for quotas the account has had raised (an unknown
 * API name is refused: a typo would otherwise leave that API at its default).
 */
export const iotApiBudgets = (share: number, overrides: string): Result<ApiBudgets, InvalidEvent> => {
  if (!Number.isFinite(share) || share <= 0 || share > 1) {
    return err(new InvalidEvent(`must be a number above 0 and at most 1, got ${share}`, "IotApiQuotaShare"));
  }
  const quotas = new Map(Object.entries(IOT_DEFAULT_QUOTAS));
  for (const entry of overrides
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")) {
    const [api, value, extra] = entry.split("=").map((part) => part.trim());
    const perSecond = Number(value);
    if (api === undefined || extra !== undefined || !quotas.has(api) || value === "" || !Number.isFinite(perSecond) || perSecond <= 0) {
      const why = api !== undefined && !quotas.has(api) ? `unknown API '${api}'` : "expected <API>=<requests per second>";
      return err(new InvalidEvent(`'${entry}': ${why}`, "IotApiQuotaOverrides"));
    }
    quotas.set(api, perSecond);
  }
  return ok(
    new Map(
      [...quotas].map(([api, quota]) => {
        const perSecond = quota * share;
        return [api, { perSecond, burst: Math.max(1, Math.floor(perSecond)) }];
      }),
    ),
  );
};
