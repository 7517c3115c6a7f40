/**
 * Quota rules of the fault rule set: request-rate limits as token buckets, one bucket per service,
 * region and operation a call names (a `*` rule gives each region and operation it matches its own
 * bucket, as AWS's per-API quotas are). `quotas` lists them; `quotaProfile` adds a named table of
 * them (AWS's default IoT quotas) after the listed ones, so a listed rule overrides the profile.
 */
import { AWS_DEFAULT_IOT_QUOTAS, type DefaultQuota } from "./aws-default-quotas";
import { FaultRulesError, isObject, list, name, onlyKnownKeys, type ThrottledService, throttledService } from "./rule-validation";

export interface QuotaRule {
  readonly service: ThrottledService;
  /** A region name, or `*` for each region. */
  readonly region: string;
  /** An operation name as the service's API names it (`CreateThing`), or `*` for each operation. */
  readonly operation: string;
  /** Requests per second the bucket refills; fractions (0.5: one every two seconds) are fine. */
  readonly tps: number;
  /** Tokens the bucket holds when full: calls it grants at once after a quiet spell. */
  readonly burst: number;
}

export const QUOTA_PROFILES: Readonly<Record<string, readonly DefaultQuota[]>> = { "aws-default": AWS_DEFAULT_IOT_QUOTAS };

export interface QuotaProfileChoice {
  readonly name: string;
  /** Only these regions get the profile's quotas; absent: every region. */
  readonly regions?: readonly string[];
}

const QUOTA_KEYS = ["service", "region", "operation", "tps", "burst"];
const PROFILE_KEYS = ["name", "regions"];
/** What an API names an operation: `CreateThing`, `PutItem`; not the CLI's `create-thing`. */
const OPERATION_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** One second's worth of calls, and never less than one call (a bucket below one token grants nothing). */
export const defaultBurst = (tps: number): number => Math.max(1, tps);

const positiveNumber = (value: unknown, where: string): number => {
  if (value === undefined) throw new FaultRulesError(`${where}: is missing`);
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new FaultRulesError(`${where}: must be a number of requests per second > 0, got ${JSON.stringify(value)}`);
  return value;
};

const burst = (value: unknown, tps: number, where: string): number => {
  if (value === undefined) return defaultBurst(tps);
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1)
    throw new FaultRulesError(`${where}: must be a number of requests >= 1, got ${JSON.stringify(value)}`);
  return value;
};

const operationName = (value: unknown, where: string): string => {
  const operation = name(value, where, "*");
  if (operation !== "*" && !OPERATION_NAME.test(operation))
    throw new FaultRulesError(`${where}: must be an API operation name such as CreateThing, or *, got '${operation}'`);
  return operation;
};

export const quotaRule = (value: unknown, index: number): QuotaRule => {
  const where = `quotas[${index}]`;
  if (!isObject(value)) throw new FaultRulesError(`${where}: must be an object`);
  onlyKnownKeys(value, QUOTA_KEYS, where);
  const tps = positiveNumber(value.tps, `${where}.tps`);
  return {
    service: throttledService(value.service, `${where}.service`),
    region: name(value.region, `${where}.region`, "*"),
    operation: operationName(value.operation, `${where}.operation`),
    tps,
    burst: burst(value.burst, tps, `${where}.burst`),
  };
};

/** `"aws-default"`, or `{"name": "aws-default", "regions": ["us-west-2"]}`. */
export const quotaProfileChoice = (value: unknown): QuotaProfileChoice => {
  const choice = typeof value === "string" ? { name: value } : value;
  if (!isObject(choice)) throw new FaultRulesError("quotaProfile: must be a profile name or an object with name and regions");
  onlyKnownKeys(choice, PROFILE_KEYS, "quotaProfile");
  const profile = name(choice.name, "quotaProfile.name");
  if (!Object.hasOwn(QUOTA_PROFILES, profile))
    throw new FaultRulesError(`quotaProfile: unknown profile '${profile}' (known: ${Object.keys(QUOTA_PROFILES).join(", ")})`);
  if (choice.regions === undefined) return { name: profile };
  const regions = list(choice.regions, "quotaProfile.regions").map((region, index) => name(region, `quotaProfile.regions[${index}]`));
  if (regions.length === 0)
    throw new FaultRulesError("quotaProfile.regions: must name at least one region (leave it out for every region)");
  return { name: profile, regions };
};

/** The profile's table as quota rules: one per operation and region (`*` when no regions are named). */
export const profileQuotaRules = (choice: QuotaProfileChoice): QuotaRule[] =>
  (choice.regions ?? ["*"]).flatMap((region) =>
    (QUOTA_PROFILES[choice.name] ?? []).map((quota) => ({
      service: quota.service,
      region,
      operation: quota.operation,
      tps: quota.tps,
      burst: defaultBurst(quota.tps),
    })),
  );

/** Every quota rule in force, in the order they are matched: the listed ones, then the profile's. */
export const quotaRulesOf = (rules: {
  readonly quotas?: readonly QuotaRule[];
  readonly quotaProfile?: QuotaProfileChoice;
}): QuotaRule[] => [...(rules.quotas ?? []), ...(rules.quotaProfile ? profileQuotaRules(rules.quotaProfile) : [])];
