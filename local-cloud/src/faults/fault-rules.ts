/**
 * The fault rule set of the local cloud (`LOCAL_FAULTS` at start, `PUT /_local/faults` at run time):
 * parsed and validated once, so that every place that delivers or answers something only asks
 * questions of a well-formed rule set. Bad input is one `FaultRulesError` line naming what is wrong.
 */
import { type QuotaProfileChoice, type QuotaRule, quotaProfileChoice, quotaRule } from "./quota-rules";
import {
  FaultRulesError,
  isObject,
  list,
  name,
  onlyKnownKeys,
  THROTTLED_SERVICES,
  type ThrottledService,
  throttledService,
} from "./rule-validation";

export { FaultRulesError, THROTTLED_SERVICES, type ThrottledService };

export interface ThrottleRule {
  readonly service: ThrottledService;
  /** A region name, or `*` for every region. */
  readonly region: string;
  /** An operation name as the service's API names it (`CreateThing`, `PutItem`, `SendMessage`), or `*`. */
  readonly operation: string;
  readonly probability: number;
}

export interface UnavailableRule {
  readonly region: string;
  /** Only this service of the region (a routing name: `dynamodb`, `sqs`, ...), or `*` for all of them. */
  readonly service: string;
  /** How long the region stays unreachable, counted from when the rule set is applied. */
  readonly seconds: number;
}

export interface FaultRules {
  readonly seed: number;
  /** Probability that a delivery (registry event, rule message, SQS batch, stream batch) happens twice. */
  readonly duplicate: number;
  /** Each delivery is held back a random 0..reorderMs milliseconds, so later ones can overtake it. */
  readonly reorderMs: number;
  readonly throttle: readonly ThrottleRule[];
  /** Probability that a function invocation crashes part-way through its batch. */
  readonly crash: number;
  readonly unavailable: readonly UnavailableRule[];
  /**
   * Rate limits (token buckets) by service, region and operation; see `quota-rules.ts`. Parsed rules
   * always have it; optional so that rule sets written as objects before quotas existed still apply.
   */
  readonly quotas?: readonly QuotaRule[];
  /** A named table of quota rules (AWS's default IoT quotas), consulted after `quotas`. */
  readonly quotaProfile?: QuotaProfileChoice;
}

export const NO_FAULTS: FaultRules = { seed: 1, duplicate: 0, reorderMs: 0, throttle: [], crash: 0, unavailable: [], quotas: [] };

const TOP_LEVEL_KEYS = ["seed", "duplicate", "reorderMs", "throttle", "crash", "unavailable", "quotas", "quotaProfile"];
const THROTTLE_KEYS = ["service", "region", "operation", "probability"];
const UNAVAILABLE_KEYS = ["region", "service", "seconds"];

const probability = (value: unknown, where: string): number => {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1)
    throw new FaultRulesError(`${where}: must be a probability between 0 and 1, got ${JSON.stringify(value)}`);
  return value;
};

const nonNegativeInteger = (value: unknown, where: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new FaultRulesError(`${where}: must be a whole number >= 0, got ${JSON.stringify(value)}`);
  return value;
};

const throttleRule = (value: unknown, index: number): ThrottleRule => {
  const where = `throttle[${index}]`;
  if (!isObject(value)) throw new FaultRulesError(`${where}: must be an object`);
  onlyKnownKeys(value, THROTTLE_KEYS, where);
  const service = throttledService(value.service, `${where}.service`);
  if (value.probability === undefined) throw new FaultRulesError(`${where}.probability: is missing`);
  return {
    service,
    region: name(value.region, `${where}.region`, "*"),
    operation: name(value.operation, `${where}.operation`, "*"),
    probability: probability(value.probability, `${where}.probability`),
  };
};

const unavailableRule = (value: unknown, index: number): UnavailableRule => {
  const where = `unavailable[${index}]`;
  if (!isObject(value)) throw new FaultRulesError(`${where}: must be an object`);
  onlyKnownKeys(value, UNAVAILABLE_KEYS, where);
  if (value.seconds === undefined) throw new FaultRulesError(`${where}.seconds: is missing`);
  const service = name(value.service, `${where}.service`, "*");
  if (service !== "*" && !(THROTTLED_SERVICES as readonly string[]).includes(service))
    throw new FaultRulesError(`${where}.service: unknown service '${service}' (known: ${THROTTLED_SERVICES.join(", ")}, or *)`);
  return { region: name(value.region, `${where}.region`), service, seconds: nonNegativeInteger(value.seconds, `${where}.seconds`, 0) };
};

/** Validates an already-parsed rule set; every key is optional (`{}` is no faults at all). */
export const toFaultRules = (value: unknown): FaultRules => {
  if (!isObject(value))
    throw new FaultRulesError(`fault rules must be a JSON object, got ${Array.isArray(value) ? "a list" : typeof value}`);
  onlyKnownKeys(value, TOP_LEVEL_KEYS, "fault rules");
  return {
    seed: nonNegativeInteger(value.seed, "seed", NO_FAULTS.seed),
    duplicate: probability(value.duplicate, "duplicate"),
    reorderMs: nonNegativeInteger(value.reorderMs, "reorderMs", 0),
    throttle: list(value.throttle, "throttle").map(throttleRule),
    crash: probability(value.crash, "crash"),
    unavailable: list(value.unavailable, "unavailable").map(unavailableRule),
    quotas: list(value.quotas, "quotas").map(quotaRule),
    ...(value.quotaProfile === undefined ? {} : { quotaProfile: quotaProfileChoice(value.quotaProfile) }),
  };
};

/** Parses the JSON text of a rule set (what `LOCAL_FAULTS` and `PUT /_local/faults` carry). */
export const parseFaultRules = (text: string): FaultRules => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FaultRulesError(`fault rules are not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return toFaultRules(parsed);
};
